"""Handing the C allocator's free memory back to the system.

glibc's ``malloc`` keeps freed memory in its arenas for reuse, so a process that
once held a large raster or a runtime's working buffers stays that large in
resident memory though it no longer uses it.  ``malloc_trim(0)`` returns the free
pages; it costs a few milliseconds, so it runs between phases (after an OCR
model's turn, after a document), never in a loop.
"""
from __future__ import annotations

import ctypes
from functools import lru_cache


@lru_cache(maxsize=1)
def _libc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim  # noqa: B018 - glibc only
    except (OSError, AttributeError):
        return None
    return libc


def release_free_memory() -> None:
    """Return the allocator's free pages to the system (glibc only; elsewhere nothing to do)."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
