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
