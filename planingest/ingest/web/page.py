"""A parsed web page → paragraphs and tables in reading order, site chrome left out.

The walk follows the rendering model: block elements (``<p>``, ``<div>``, ``<li>``,
headings, ``<br>``) end a paragraph, inline elements join.  A line break in the
page *source* between two Chinese characters is source formatting, not a space
(browsers disagree; the text never meant one), while a visible space (``&nbsp;``,
``　``) is kept, since it separates the label–value items of a metadata line.

The metadata block government sites print above a notice (索引号 / 发文机关 /
成文日期 / 文号 / 发布日期, as a table of label and value cells or as a line of
spans) comes out as one paragraph per item, "文号：常生创办〔2020〕2号", which is
what :mod:`planingest.interpret.metadata` reads.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from planingest.core.errors import BadInputError
from planingest.core.records import Block, Locator, Paragraph, Table
from planingest.core.text import CJK_OR_PUNCT
from planingest.ingest.web.chrome import (
    DROPPED_TAGS,
    HEADER_TAG,
    inside_article,
    is_chrome_line,
    is_chrome_name,
    is_header_name,
    is_hidden,
    is_link_list,
)
from planingest.ingest.web.grid import HtmlCell, cell_spans, is_data_table, resolve, row_cells, table_rows

BLOCK_TAGS = frozenset({
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
    "main", "blockquote", "pre", "center", "address", "figure", "figcaption", "caption", "hr", "tr", "td", "th",
    "thead", "tbody", "tfoot", "body", "html", "fieldset", "legend", "details", "summary",
})
#: elements checked for being a link list (a menu) before they are read
_LIST_LIKE = frozenset({"ul", "ol", "dl", "div", "p", "td", "li", "span", "table"})
#: deeper than this the page is hostile: the rest of the branch is read as plain text
MAX_DEPTH = 200
_SOURCE_BREAK = "\x00"  # a line break of the source, decided when the paragraph is complete
_SOURCE_WS = re.compile(r"[ \t\r\f]*\n[ \t\r\n\f]*")
_VISIBLE_WS = re.compile(r"[\s\u00a0\u3000\u2002\u2003\u200b]+")
_BREAK_BETWEEN_CJK = re.compile(rf"(?<=[{CJK_OR_PUNCT}]){_SOURCE_BREAK}+(?=[{CJK_OR_PUNCT}])")
#: "发布日期：2020-03-25 来源：市生态环境局": label–value items on one line, split at each label
_LABEL_ITEM = re.compile(r"\s+(?=[\u4e00-\u9fff]{2,6}[:：])")
_LABEL_START = re.compile(r"^[\u4e00-\u9fff]{2,6}[:：]")
#: a metadata cell: a short label ending in a colon ("索引号：", "发文机关:")
_LABEL_CELL = re.compile(r"^(?P<label>[\u4e00-\u9fff]{2,8})[:：]?$")
MAX_META_LINE = 160
_HEADINGS = {f"h{n}": f"Heading {n}" for n in range(1, 7)}
#: style of the paragraphs made from a label–value metadata block (a table of label cells, or one line of
#: several "标签：值" items), so that metadata reading can tell the site's 政府信息公开 block from the notice
METADATA_STYLE = "Metadata"


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _finish(text: str) -> str:
    """A paragraph's collected text: source breaks between CJK dropped, spaces collapsed."""
    text = _BREAK_BETWEEN_CJK.sub("", text)
    text = text.replace(_SOURCE_BREAK, " ")
    return _VISIBLE_WS.sub(" ", text).strip()


def split_label_items(text: str) -> list[str]:
    """One metadata line holding several "标签：值" items → one string per item; prose is left whole."""
    if len(text) > MAX_META_LINE or not _LABEL_START.match(text):
        return [text]
    items = [item for item in _LABEL_ITEM.split(text) if item]
    return items if len(items) >= 2 else [text]


def is_dropped(el) -> bool:
    """Chrome by element type, visibility or class/id name."""
    tag = _tag(el)
    if not tag or tag in DROPPED_TAGS:
        return True
    if is_hidden(el.get("style"), el.attrib):
        return True
    names = [el.get(name) or "" for name in ("class", "id")]
    if tag == HEADER_TAG or (any(map(is_header_name, names)) and not any(map(_other_chrome, names))):
        return not inside_article(el)
    if any(map(is_chrome_name, names)):
        return True
    return tag in _LIST_LIKE and is_link_list(el)


def _other_chrome(name: str) -> bool:
    return is_chrome_name(name) and not is_header_name(name)


@dataclass
class _Flow:
    """Inline text collected into paragraphs."""

    paragraphs: list[tuple[str, str | None]] = field(default_factory=list)
    pieces: list[str] = field(default_factory=list)
    style: str | None = None

    def add(self, text: str | None) -> None:
        if text:
            self.pieces.append(_SOURCE_WS.sub(_SOURCE_BREAK, text))

    def flush(self) -> None:
        text = _finish("".join(self.pieces))
        self.pieces.clear()
        if text:
            self.paragraphs.append((text, self.style))


@dataclass
class PageReader:
    blocks: list[Block] = field(default_factory=list)
    n_paragraphs: int = 0
    n_tables: int = 0
    caption: str | None = None
    flow: _Flow = field(default_factory=_Flow)

    def read(self, body) -> list[Block]:
        self.walk(body, 0)
        self.emit()
        return self.blocks

    # ---- page flow ------------------------------------------------------------------

    def emit(self) -> None:
        """Turn the collected paragraphs into blocks, dropping chrome lines."""
        self.flow.flush()
        for text, style in self.flow.paragraphs:
            items = split_label_items(text)
            for item in items:
                if is_chrome_line(item):
                    continue
                self.n_paragraphs += 1
                item_style = METADATA_STYLE if len(items) > 1 else style
                self.blocks.append(Paragraph(item, Locator(paragraph=self.n_paragraphs), item_style))
                self.caption = item
        self.flow.paragraphs.clear()

    def walk(self, el, depth: int) -> None:
        tag = _tag(el)
        if is_dropped(el):
            return
        if depth > MAX_DEPTH:
            self.flow.add(" ".join(el.itertext()))
            return
        if tag == "br":
            self.flow.flush()
            return
        if tag == "table":
            self.table(el, depth)
            return
        block = tag in BLOCK_TAGS
        if block:
            self.flow.flush()
        if tag in _HEADINGS:
            self.flow.style = _HEADINGS[tag]
        self.flow.add(el.text)
        for child in el:
            self.walk(child, depth + 1)
            self.flow.add(child.tail)
        if block:
            self.flow.flush()
        if tag in _HEADINGS:
            self.flow.style = None

    # ---- tables ---------------------------------------------------------------------

    def table(self, table, depth: int) -> None:
        self.emit()
        if not is_data_table(table):
            for tr in table_rows(table):  # a page frame: its cells are page flow
                for td in row_cells(tr):
                    self.walk(td, depth + 1)
            self.emit()
            return
        rows = [[HtmlCell(cell_text(td, depth), *cell_spans(td)) for td in row_cells(tr)] for tr in table_rows(table)]
        lines = metadata_lines(rows)
        if lines:
            self.flow.paragraphs.extend((line, METADATA_STYLE) for line in lines)
            self.emit()
            return
        try:
            grid, merged = resolve(rows)
        except ValueError as exc:
            raise BadInputError(f"web page with a hostile table: {exc}") from None
        if not any(any(cell for cell in row) for row in grid):
            return
        self.n_tables += 1
        number = self.n_tables
        self.blocks.append(Table(
            rows=grid, locator=Locator(table=number),
            row_locators=tuple(Locator(table=number, row=i + 1) for i in range(len(grid))),
            caption=self.caption, merged=merged,
        ))
        self.caption = None


def cell_text(td, depth: int) -> str:
    """A data cell's text: one line per paragraph inside it."""
    reader = PageReader()
    reader.flow.add(td.text)
    for child in td:
        reader.walk(child, depth + 1)
        reader.flow.add(child.tail)
    reader.flow.flush()
    return "\n".join(text for text, _ in reader.flow.paragraphs if not is_chrome_line(text))


def _label(text: str) -> str | None:
    """"索 引 号:" → "索引号"; None when the cell is not a short label."""
    compact = re.sub(r"[\s\u00a0\u3000]+", "", text)
    match = _LABEL_CELL.match(compact)
    return match["label"] if match else None


def metadata_lines(rows: list[list[HtmlCell]]) -> list[str]:
    """The items of a label–value table (索引号：| 430700… | 发文机关：| …) as "标签：值" lines, else [].

    The table qualifies by at least two cells that are labels ending in a colon;
    then a row of an even number of cells is read as label, value, label, value
    (sites leave the colon off some labels: "发文字号 | 无文号"), a row of one cell
    (the title spanning the table) is its own line.
    """
    texts = [[c.text.strip() for c in row] for row in rows]
    if sum(1 for row in texts for t in row if _label(t) and re.search(r"[:：]\s*$", t)) < 2:
        return []
    lines: list[str] = []
    for row in texts:
        filled = [t for t in row if t]
        if len(filled) <= 1:
            lines.extend(t.replace("\n", " ") for t in filled)
            continue
        if len(row) % 2:
            return []  # not label/value pairs: a data table after all
        for label_text, value in zip(row[::2], row[1::2]):
            label = _label(label_text)
            if label is None:
                if label_text or value:
                    return []
                continue
            lines.append(f"{label}：{value.replace(chr(10), ' ')}")
    return lines
