"""Decode text files whose encoding nobody told us (UTF-8, UTF-8 BOM, UTF-16, GBK/GB18030)."""
from __future__ import annotations

import codecs

from planingest.errors import BadInputError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _binary_share(sample: bytes) -> float:
    if not sample:
        return 0.0
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls / len(sample)


def looks_like_text(data: bytes) -> bool:
    """True when the bytes decode as text in one of the encodings we accept."""
    if not data.strip():
        return True
    try:
        decode_text(data[:65536], partial=True)
    except BadInputError:
        return False
    return True


def decode_text(data: bytes, partial: bool = False) -> str:
    """Return the text of ``data``; raise BadInputError when it is not text.

    ``partial`` tolerates a multi-byte character cut at the end of a sample.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace" if partial else "strict")
    if len(data) >= 4 and data[1:2] == b"\x00" and data[3:4] == b"\x00":
        return data.decode("utf-16-le", errors="replace")
    if _binary_share(data[:4096]) > 0.02:
        raise BadInputError("binary content, not text")
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError as exc:
            if partial and exc.start >= len(data) - 4:
                return data[: exc.start].decode(enc)
    raise BadInputError("text in an unknown encoding (not UTF-8, UTF-16 or GB18030)")
