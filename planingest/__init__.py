"""planingest: plan documents of ecological civilisation demonstration zones in, clean tables out.

The sub-packages are the stages a document passes through, in order (see the
README's "Repository layout")::

    core        records, enums, errors, the table schema, CJK text helpers (imports nothing of ours)
    catalogue   the vocabularies: CSV files under catalogue/data and their validating loaders
    interpret   format-free reading: header words, row alignment, metadata, prose tasks, raw rows
    ingest      one sub-package per input family behind one extractor interface and one format table
    normalize   raw rows onto the catalogue, departments and regions
    store       the output folder on disk: atomic files, the lock, reading finished tables
    run         a batch: isolated reader processes, the cache, the writer
    review      the review workbook and accepting its decisions
    publish     the HTML report and the researchers' exports
    cli         the command line, a thin layer over the above

The import arrows point down this list's dependency order and are checked by
``make lint`` (import-linter contracts in pyproject.toml).
"""
from planingest.core.version import __version__

__all__ = ["__version__"]
