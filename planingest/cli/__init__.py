"""The command line: ``planingest run|review|accept|report|export``, one thin module per command.

``main(argv) -> int`` is what tests call; ``main_entry`` is the console script.
"""
from planingest.cli.main import main, main_entry

__all__ = ["main", "main_entry"]
