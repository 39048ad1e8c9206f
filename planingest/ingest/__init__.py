"""Extractors: one module per input format behind one small interface.

``extract(path)`` detects the format from the file's content and dispatches to
the extractor registered for it in :mod:`planingest.ingest.registry`.
"""
from planingest.ingest.registry import extract, extractor_for

__all__ = ["extract", "extractor_for"]
