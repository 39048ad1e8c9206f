"""The package version, the one fact every stage stamps on what it produces."""

__version__ = "0.1.0"
