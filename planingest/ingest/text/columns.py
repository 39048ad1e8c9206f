"""Display columns of text lines: what a monospaced screen or ``pdftotext -layout`` shows.

Space-aligned tables and box-drawn grids line up on screen, not in characters:
a CJK character (and full-width punctuation) takes two columns, so positions are
measured with :func:`unicodedata.east_asian_width` (W and F are wide).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: page-number lines a layout export leaves between table rows: "— 3 —", "- 12 -", "第 3 页", "3/12"
_PAGE_FOOTER = re.compile(
    r"^\s*(?:[—–\-－]+\s*\d{1,4}\s*[—–\-－]+|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4})\s*$"
)


def char_width(char: str, wide_box: bool = False) -> int:
    """Columns ``char`` takes on a monospaced display (0 for combining marks).

    Box-drawing characters are "ambiguous" width: one column in Western fonts, two
    in the CJK fonts a Chinese Word/WPS export was laid out with (``wide_box``).
    """
    if unicodedata.combining(char):
        return 0
    if wide_box and "\u2500" <= char <= "\u257f":
        return 2
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_width(text: str) -> int:
    return sum(char_width(c) for c in text)


def positions(line: str, wide_box: bool = False) -> list[tuple[int, str]]:
    """Each character of ``line`` with the display column it starts at."""
    out, x = [], 0
    for char in line:
        out.append((x, char))
        x += char_width(char, wide_box)
    return out


def pad(text: str, width: int, align: str = "left") -> str:
    """``text`` padded with spaces to ``width`` display columns (left, centre or right)."""
    room = max(0, width - display_width(text))
    if align == "centre":
        return " " * (room // 2) + text + " " * (room - room // 2)
    if align == "right":
        return " " * room + text
    return text + " " * room


@dataclass(frozen=True)
class Segment:
    """A run of text on one line, between gaps of at least two spaces (display columns [start, end))."""

    start: int
    end: int
    text: str


def segments(line: str, min_gap: int = 2, cjk_wide: bool = True) -> list[Segment]:
    """Split ``line`` at runs of ``min_gap`` or more spaces (an ideographic space counts as two).

    ``cjk_wide=False`` measures every character as one column: ``pdftotext -layout``
    places text by character count, not by display width.
    """
    out: list[Segment] = []
    chars: list[str] = []
    start = end = 0
    gap = 0
    line = line.replace("\f", "").expandtabs(8)  # pdftotext starts each page with a form feed
    placed = positions(line) if cjk_wide else list(enumerate(line))
    for x, char in placed:
        if char in " \u3000\xa0":
            gap += char_width(char) if char == "\u3000" else 1
            if chars:
                chars.append(char)
            continue
        if chars and gap >= min_gap:
            out.append(Segment(start, end, "".join(chars).rstrip(" \u3000\xa0")))
            chars = []
        if not chars:
            start = x
        chars.append(char)
        end = x + (char_width(char) if cjk_wide else 1)
        gap = 0
    if chars:
        out.append(Segment(start, end, "".join(chars).rstrip(" \u3000\xa0")))
    return out


def is_page_footer(line: str) -> bool:
    """A page-number line (— 3 —, 第3页): layout exports leave them inside long tables."""
    return bool(_PAGE_FOOTER.match(line))
