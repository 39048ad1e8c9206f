"""The run's page store: OCR words of single pages, handed from the worker that read them to the document's reader.

Layout: ``<store>/<doc_id>/<page>.json`` (``OUT/.state/pages`` in a batch).  The
parent (:mod:`planingest.run.pageshare`) creates a document's folder when it starts
sharing its pages and removes it when the document is done; a helper worker only
writes into a folder that exists (a page finished after its document is dropped)
and writes atomically (a temporary file renamed into place), so the reader sees a
page's words whole or not at all.  Standard library only: workers import it early.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

#: the store's folder under the output folder's ``.state``
STORE_DIR = "pages"


def document_folder(store: str | os.PathLike, doc_id: str) -> Path:
    if not doc_id or "/" in doc_id or doc_id.startswith("."):
        raise ValueError(f"not a document id: {doc_id!r}")
    return Path(store) / doc_id


def page_file(store: str | os.PathLike, doc_id: str, number: int) -> Path:
    return document_folder(store, doc_id) / f"{int(number)}.json"


def open_document(store: str | os.PathLike, doc_id: str) -> None:
    """Make room for a document's shared pages (the parent does, before any page job is sent)."""
    document_folder(store, doc_id).mkdir(parents=True, exist_ok=True)


def close_document(store: str | os.PathLike, doc_id: str) -> None:
    """Remove a document's shared pages (its reader is done with them)."""
    shutil.rmtree(document_folder(store, doc_id), ignore_errors=True)


def clear(store: str | os.PathLike) -> None:
    """Remove the whole store (start and end of a run: scratch of a killed run goes too)."""
    path = Path(store)
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


def write_page(store: str | os.PathLike, doc_id: str, number: int, words: dict) -> bool:
    """Store a page's words atomically; False when the document's folder is gone (its reader finished)."""
    folder = document_folder(store, doc_id)
    if not folder.is_dir():
        return False
    fd, tmp = tempfile.mkstemp(prefix=".page-", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(words, fh, ensure_ascii=False)
        os.replace(tmp, page_file(store, doc_id, number))
    except FileNotFoundError:  # the folder was removed meanwhile
        return False
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return True


def read_page(store: str | os.PathLike, doc_id: str, number: int) -> dict | None:
    """A stored page's words, or None (not there, or unreadable: the reader then OCRs the page itself)."""
    try:
        with open(page_file(store, doc_id, number), encoding="utf-8") as fh:
            words = json.load(fh)
    except (OSError, ValueError):
        return None
    return words if isinstance(words, dict) else None


def lookup(store: str | os.PathLike, doc_id: str, reached: Callable[[int], None]) -> Callable[[int], dict | None]:
    """The reader's page lookup (``ingest.progress.set_page_lookup``): tells ``reached(n)`` that the reader
    is at page n (nobody else need read it now), then returns the stored words of page n if any."""

    def find(number: int) -> dict | None:
        reached(number)
        return read_page(store, doc_id, number)

    return find
