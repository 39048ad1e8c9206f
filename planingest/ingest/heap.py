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


_M_MMAP_THRESHOLD = -3  # mallopt's parameter number in glibc's malloc.h


def map_large_buffers(threshold_kb: int) -> None:
    """Serve every allocation of at least ``threshold_kb`` KB from its own mapping, returned when freed.

    glibc starts at 128 KB but raises the threshold to the size of each large block
    freed (up to 32 MB), so after the first page raster is freed the next ones come
    from the heap, where freed memory stays resident.  Setting it fixes it for the process.
    """
    libc = _libc()
    if libc is not None:
        libc.mallopt(_M_MMAP_THRESHOLD, threshold_kb * 1024)
