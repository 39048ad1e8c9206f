"""The character set of a saved web page: BOM, then the page's own declaration, then UTF-8 or GB18030.

Chinese government sites still serve many pages in GB2312/GBK; browsers save them
as they came, so the bytes are GBK and only a ``<meta charset>`` (or the older
``http-equiv="Content-Type"``) says so.  GB2312 and GBK declarations are decoded
as GB18030, their superset: pages declared GB2312 routinely contain GBK-only
characters (a rare surname, 〔〕 in a 文号), which a strict GB2312 decoder rejects.
"""
from __future__ import annotations

import codecs
import re

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
#: where a page declares its encoding: <meta charset="gbk">, <meta http-equiv=... content="text/html; charset=gb2312">
_META = re.compile(rb"<meta[^>]{0,400}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{2,40})", re.IGNORECASE)
#: declarations that mean "a Chinese national encoding": all decoded as the superset
_CHINESE = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "ms936", "windows-936", "euc-cn", "hz-gb-2312"}
#: how many bytes of the page are searched for the declaration (it belongs in <head>)
HEAD_BYTES = 8192


def normalise_charset(name: str | None) -> str | None:
    """A Python codec name for a declared charset; ``None`` when it names no codec we know."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    if name in _CHINESE:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_charset(data: bytes) -> str | None:
    """The charset the page's BOM or ``<meta>`` declares (codec name), if any."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    match = _META.search(data[:HEAD_BYTES])
    return normalise_charset(match.group(1).decode("ascii")) if match else None


def decode_page(data: bytes, hint: str | None = None) -> str:
    """The page as text: BOM, then ``hint`` (a MIME part's charset), then ``<meta>``, then the text guesser.

    A declaration the bytes contradict (a page re-saved as UTF-8 still saying
    gb2312 is common) falls back to the guess instead of producing mojibake.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(codec, "replace")
    for codec in (normalise_charset(hint), declared_charset(data)):
        if codec is None:
            continue
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    try:  # undeclared: UTF-8 decodes strictly only when it is UTF-8; else the Chinese national encoding
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", "replace")
