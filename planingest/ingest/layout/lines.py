"""Text lines of a PDF page, and prose paragraphs rebuilt from them.

A PDF has no paragraphs, only positioned lines.  Every source of lines (pypdfium2's
text page, pdfplumber's chars on table pages, OCR boxes on scans) is turned into
:class:`Line` objects in one coordinate system — PDF points, origin at the top-left
of the page, y growing downwards (pdfplumber's) — so paragraph rebuilding, table
captions and "does the table run to the page bottom" are written once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from planingest.core.text import CJK_OR_PUNCT, remove_cjk_digit_spaces, remove_cjk_spaces

# "〔 2023 〕 5 号": numbers inside full-width brackets/punctuation are never spaced in Chinese
_SPACE_PUNCT_DIGIT = re.compile(rf"(?<=[{CJK_OR_PUNCT}])[ \u3000]+(?=[0-9])|(?<=[0-9])[ \u3000]+(?=[{CJK_OR_PUNCT}])")
_CJK_END = re.compile(rf"[{CJK_OR_PUNCT}]$")
_CJK_START = re.compile(rf"^[{CJK_OR_PUNCT}]")
# a line that starts a new item even when the previous line runs to the margin:
# （一） 一、 1. 1、 (1) ① 第一条 附件/附表
_ITEM_START = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十百\d]+[）)]|[一二三四五六七八九十百]+[、.．]|\d+[、.．](?!\d)"
    r"|[①-⑳]|第[一二三四五六七八九十百\d]+[章节条部分]|附件|附表)"
)
# page furniture: "— 1 —", "- 2 -", "第 3 页", "3/10", "第1页 共5页", a bare number
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－\s]*\d{1,4}[-—–－\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Line:
    """One visual text line; coordinates in points from the page's top-left corner."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)

    @property
    def centre(self) -> tuple[float, float]:
        return ((self.x0 + self.x1) / 2, (self.top + self.bottom) / 2)


def clean_line(text: str) -> str:
    """Line text with the spaces PDF layout put next to CJK characters removed.

    "城 镇" → "城镇" and "2023 年" → "2023年"; spaces between Latin words and
    numbers ("PM 2.5 μg") are kept.
    """
    return remove_cjk_spaces(_SPACE_PUNCT_DIGIT.sub("", remove_cjk_digit_spaces(text.strip())))


def join_lines(first: str, second: str) -> str:
    """Join two wrapped lines: no space between CJK text, one space between Latin words."""
    if not first:
        return second
    if not second:
        return first
    if _CJK_END.search(first) or _CJK_START.search(second) or first.endswith("-"):
        return first + second
    return first + " " + second


def is_page_furniture(text: str) -> bool:
    """A page number line, not content."""
    return bool(_PAGE_NUMBER.match(text)) and any(ch.isdigit() for ch in text)


def inside(line: Line, bbox: tuple[float, float, float, float], margin: float = 1.0) -> bool:
    """Whether the line's centre lies in ``bbox`` (x0, top, x1, bottom)."""
    cx, cy = line.centre
    x0, top, x1, bottom = bbox
    return x0 - margin <= cx <= x1 + margin and top - margin <= cy <= bottom + margin


def pdfium_lines(textpage, text: str, page_height: float) -> list[Line]:
    """The lines of a pypdfium2 text page in its reading order.

    ``text`` is ``textpage.get_text_range()``: the text with CR LF between lines;
    each character of it is a character index of the text page, so a line's box
    is read from its first and last visible characters (two calls per line, not
    one per character: this keeps the prose path at a couple of milliseconds a page).
    """
    exact = len(text) == textpage.count_chars()
    lines: list[Line] = []
    pos = 0
    for raw in text.split("\n"):
        start, pos = pos, pos + len(raw) + 1
        content = raw.rstrip("\r")
        cleaned = clean_line(content)
        if not cleaned:
            continue
        if not exact:  # characters outside the BMP shift indices: keep text, drop geometry
            y = 20.0 * len(lines)  # one paragraph per line: a gap between every two
            lines.append(Line(cleaned, 0.0, y, 0.0, y + 1.0))
            continue
        first = start + (len(content) - len(content.lstrip()))
        last = start + len(content.rstrip()) - 1
        left, bottom_a, _, top_a = textpage.get_charbox(first)
        _, bottom_b, right, top_b = textpage.get_charbox(last)
        lines.append(Line(cleaned, left, page_height - max(top_a, top_b), right,
                          page_height - min(bottom_a, bottom_b)))
    return lines


@dataclass(frozen=True)
class ProseBlock:
    """A paragraph rebuilt from lines: its text and the 1-based number of its first line."""

    text: str
    first_line: int
    top: float


def _starts_paragraph(prev: Line, line: Line, left: float, right: float) -> bool:
    em = min(prev.height, line.height)
    if prev.x1 < right - 2.0 * em:  # the previous line stopped short of the margin
        return True
    if line.top - prev.bottom > 1.0 * em or line.top < prev.top:  # a gap, or a new column
        return True
    if line.x0 > left + 1.5 * em:  # first-line indent
        return True
    return bool(_ITEM_START.match(line.text))


def paragraphs(lines: list[Line]) -> list[ProseBlock]:
    """Rebuild paragraphs: a line that runs to the right margin continues on the next one.

    Page numbers are dropped.  ``lines`` are in reading order; the margins are
    taken from the lines themselves (the widest lines of the page).
    """
    body = [(i, ln) for i, ln in enumerate(lines, start=1) if not is_page_furniture(ln.text)]
    if not body:
        return []
    left = min(ln.x0 for _, ln in body)
    right = max(ln.x1 for _, ln in body)
    blocks: list[ProseBlock] = []
    text, first, top, prev = "", 0, 0.0, None
    for number, line in body:
        if prev is None or _starts_paragraph(prev, line, left, right):
            if text:
                blocks.append(ProseBlock(text, first, top))
            text, first, top = line.text, number, line.top
        else:
            text = join_lines(text, line.text)
        prev = line
    blocks.append(ProseBlock(text, first, top))
    return blocks
