"""A hook readers call as each OCR page is done, so a long scan shows its progress.

OCR costs seconds a page: a 100-page scan would sit silent for minutes.  Readers
call :func:`ocr_page_done` after each OCR page; whoever runs them (the batch's
worker process, :mod:`planingest.run.worker`) installs the hook with
:func:`set_page_hook`.  The readers know nothing of who listens: without a hook
the call does nothing.  Standard library only, so any reader may import it.
"""
from __future__ import annotations

from collections.abc import Callable

_hook: Callable[[int], None] | None = None


def set_page_hook(hook: Callable[[int], None] | None) -> None:
    """Install ``hook(page_number)``, called after each OCR page (None: remove it)."""
    global _hook
    _hook = hook


def ocr_page_done(page_number: int) -> None:
    """Tell the listener, if any, that page ``page_number`` (1-based) went through OCR."""
    if _hook is not None:
        _hook(page_number)


# -- pages another worker read already (page sharing) --------------------------------------------------

#: ``lookup(page_number)`` -> the page's stored OCR words (a JSON-like dict) or None
_lookup: Callable[[int], dict | None] | None = None


def set_page_lookup(lookup: Callable[[int], dict | None] | None) -> None:
    """Install ``lookup(page_number)``, asked before a page is OCR'd (None: remove it).

    The batch shares a long scan's pages across idle workers (:mod:`planingest.run.pageshare`):
    they OCR the document's last pages while its reader works from the first, and the
    reader asks here for each page before doing it itself.
    """
    global _lookup
    _lookup = lookup


def shared_page(page_number: int) -> dict | None:
    """The OCR words of page ``page_number`` (1-based) if someone read it already, else None.

    Asking also tells the listener that the reader has reached this page (it will not need
    anyone else to read it).  Never raises: a broken store means reading the page here.
    """
    if _lookup is None:
        return None
    try:
        return _lookup(page_number)
    except Exception:  # noqa: BLE001 - the page is simply OCR'd here
        return None


def pages_shared() -> bool:
    """Whether a page lookup is installed (someone may hand this reader pages read elsewhere)."""
    return _lookup is not None
