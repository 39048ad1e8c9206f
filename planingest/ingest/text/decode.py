"""Decode text files whose encoding nobody told us.

Plans arrive as UTF-8 (with or without BOM), GBK/GB18030 (Notepad on a Chinese
Windows), or UTF-16 (Notepad's "Unicode", with or without BOM).  Detection is
deliberately simple and ordered by how reliable each test is:

1. a BOM says it outright;
2. NUL bytes mean UTF-16/32 (no 8-bit Chinese encoding contains NUL): the
   candidate whose decoding looks most like text wins;
3. unless more than 2% of the bytes are control characters (a binary file):
   strict UTF-8 (multi-byte UTF-8 almost never decodes by accident), then
   GB18030 (a superset of GB2312 and GBK);
4. a file that is UTF-8 but for a few lines (a GBK line pasted into a UTF-8
   file) is UTF-8: :func:`decode_text_noting` decodes it line by line, the odd
   lines as GB18030 (or with U+FFFD where even that fails), and says which;
5. last, BOM-less UTF-16 with no ASCII at all (pure CJK), accepted only when it
   decodes to common Chinese characters.

General detectors (charset-normalizer, chardet) were measured on short Chinese
texts and do worse: they call short GBK text Big5, cp949 or cp1252, because their
statistics need more bytes than a two-line notice has.
"""
from __future__ import annotations

import codecs
import re

from planingest.core.errors import BadInputError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: FF FE 00 00 starts both
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_WIDE = ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")


def _binary_share(sample: bytes) -> float:
    if not sample:
        return 0.0
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls / len(sample)


def _is_common(char: str) -> bool:
    """True for characters ordinary Chinese or English text is made of.

    GB2312 is used as a frequency list: it holds the ~6,700 everyday Hanzi and
    the CJK punctuation, so bytes decoded in the wrong encoding (which land on
    rare Hanzi, Hangul, private-use or control characters) score low.
    """
    code = ord(char)
    if 32 <= code < 127 or char in "\t\n\r\f":
        return True
    if code < 0x2000:
        return False
    try:
        return len(char.encode("gb2312")) == 2
    except UnicodeEncodeError:
        return char in "\u3000\uff5e\u2014\u2026"


def text_score(text: str) -> float:
    """Share of ``text`` made of common characters (1.0 for empty text)."""
    if not text:
        return 1.0
    return sum(1 for c in text if _is_common(c)) / len(text)


def _strict(data: bytes, encoding: str, partial: bool) -> str | None:
    """Decode strictly; with ``partial``, tolerate a character cut at the end."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        if partial and exc.start >= len(data) - 4:
            try:
                return data[: exc.start].decode(encoding)
            except UnicodeDecodeError:
                return None
        return None


def _best_wide(sample: bytes) -> str | None:
    """The UTF-16/32 encoding under which ``sample`` looks most like text, if any."""
    best, best_score = None, 0.0
    for enc in _WIDE:
        unit = 2 if "16" in enc else 4
        text = _strict(sample[: len(sample) - len(sample) % unit], enc, partial=True)
        if text is None:
            continue
        score = text_score(text)
        if score > best_score:
            best, best_score = enc, score
    return best if best_score >= 0.9 else None


def detect_encoding(data: bytes, partial: bool = False) -> str | None:
    """Name the encoding of ``data`` (a Python codec name), or None when it is not text."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc
    if b"\x00" in data[:4096]:
        wide = _best_wide(data[:4096])
        if wide is not None:
            return wide
        # else: stray NULs in 8-bit text, or a binary file; the tests below decide
    if _binary_share(data[:4096]) <= 0.02:
        if _strict(data, "utf-8", partial) is not None:
            return "utf-8"
        if _mostly_utf8(data):  # before GB18030, which reads UTF-8 Chinese as common Hanzi (mojibake)
            return "utf-8"
        text = _strict(data, "gb18030", partial)
        if text is not None and text_score(text[:4096]) >= 0.5:
            return "gb18030"
    if len(data) % 2 == 0 or partial:
        for enc in ("utf-16-le", "utf-16-be"):
            text = _strict(data[: len(data) - len(data) % 2], enc, partial)
            if text is not None and text_score(text[:4096]) >= 0.9:
                return enc
    return None


#: what GBK pairs read as UTF-8 by accident land on: two-byte UTF-8 (Latin-1 supplement to Syriac)
_ACCIDENTAL = re.compile("[\u0080-\u07ff]")


def _utf8_line(line: bytes) -> str | None:
    """The line as UTF-8, unless it is not, or is only by accident (GBK 一 is D2 BB, also UTF-8 for һ)."""
    text = _strict(line, "utf-8", partial=False)
    if text is not None and len(_ACCIDENTAL.findall(text)) >= 2 and text_score(text) < 0.5:
        gb = _strict(line, "gb18030", partial=False)
        if gb is not None and text_score(gb) >= 0.9:
            return None
    return text


def _mostly_utf8(data: bytes) -> bool:
    """True when at least half of the lines with non-ASCII bytes are UTF-8 (a UTF-8 file with a few
    odd lines; a line of GBK is valid UTF-8 only by rare accident, and then caught by _utf8_line)."""
    lines = [line for line in data.split(b"\n") if not line.isascii()]
    good = sum(1 for line in lines if _utf8_line(line) is not None)
    return good >= 1 and 2 * good >= len(lines)


def _decode_lines(data: bytes) -> tuple[str, str | None]:
    """UTF-8 line by line; a line that is not UTF-8 as GB18030, else with U+FFFD. Returns the note."""
    decoded, other, replaced = [], [], []
    for number, line in enumerate(data.split(b"\n"), start=1):
        text = _utf8_line(line)
        if text is None:
            gb = _strict(line, "gb18030", partial=False)
            if gb is not None and text_score(gb) >= 0.5:
                text = gb
                other.append(number)
            else:
                text = line.decode("utf-8", errors="replace")
                replaced.append(number)
        decoded.append(text)
    notes = []
    if other:
        notes.append(f"{_lines(other)} not UTF-8 like the rest: read as GB18030")
    if replaced:
        notes.append(f"{_lines(replaced)} not valid text in any encoding: bytes replaced by \ufffd")
    return "\n".join(decoded), "; ".join(notes) or None


def _lines(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:10]) + (f" and {len(numbers) - 10} more" if len(numbers) > 10 else "")
    return f"line{'s' if len(numbers) > 1 else ''} {shown}"


def looks_like_text(data: bytes) -> bool:
    """True when the bytes decode as text in one of the encodings we accept."""
    if not data.strip():
        return True
    return detect_encoding(data[:65536], partial=len(data) > 65536) is not None


def decode_text(data: bytes, partial: bool = False) -> str:
    """Return the text of ``data``; raise BadInputError when it is not text.

    ``partial`` tolerates a multi-byte character cut at the end of a sample.
    """
    return decode_text_noting(data, partial)[0]


def decode_text_noting(data: bytes, partial: bool = False) -> tuple[str, str | None]:
    """The text of ``data`` and, when some lines were not in the file's encoding, a note
    saying which and what was done with them; raise BadInputError when it is not text."""
    if not data:
        return "", None
    encoding = detect_encoding(data[:65536], partial=True)
    if encoding is None:
        raise BadInputError("binary content or an unknown text encoding (not UTF-8, UTF-16 or GB18030)")
    if partial:
        return data.decode(encoding, errors="replace"), None
    try:
        text = data.decode(encoding)
        if encoding == "utf-8" and _ACCIDENTAL.search(text):  # a GBK line may pass for UTF-8
            return _decode_lines(data)
        return text, None
    except UnicodeDecodeError as exc:
        if encoding == "utf-8":
            if _mostly_utf8(data):  # UTF-8 but for some lines
                return _decode_lines(data)
            # the first 64 KiB were UTF-8 but the rest is not: maybe GB18030 after all
            try:
                return data.decode("gb18030"), None
            except UnicodeDecodeError:
                pass
        raise BadInputError(
            f"text is not valid {encoding} at byte {exc.start} (mixed or damaged encoding)"
        ) from None
