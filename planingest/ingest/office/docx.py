"""DOCX extractor: body paragraphs (with heading styles) and faithful table grids.

Reads the WordprocessingML of the main part directly (lxml over the zip), not
python-docx's object model, because the grid needs what that model hides or
gets wrong: ``w:vMerge`` continuation cells (python-docx gives them empty
text), ``w:gridBefore``/``w:gridAfter``, text boxes, tracked changes, content
controls around rows and cells, Strict-namespace files and a main part not
named ``word/document.xml``.

Reading order: body paragraphs and tables as they come; a text box's paragraphs
right after the paragraph that anchors it; a nested table right after the
table that contains it.  Headers and footers are read only when the body has
no text at all (then with an issue saying so).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from planingest.core.enums import IssueCode
from planingest.core.errors import BadInputError
from planingest.core.records import ExtractedDocument, Issue, Locator, Paragraph, Table
from planingest.ingest.office.ooxml import Package
from planingest.ingest.office.wordxml import attr, child, paragraph_text, path, tag

#: deeper nesting of tables/text boxes than this is a hostile file, not a plan
MAX_DEPTH = 40
#: a gridSpan beyond this is damage, not layout (it would allocate huge rows)
MAX_COLUMNS = 512

_HEADING = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)


@dataclass(frozen=True)
class _Style:
    name: str | None
    based_on: str | None
    outline: int | None


def _styles(pkg: Package, main: str) -> dict[str, _Style]:
    out = {}
    for name in pkg.related(main, "/styles"):
        for st in pkg.xml(name):
            if tag(st) != "w:style" or attr(st, "styleId") is None:
                continue
            name_el, based_el = child(st, "w:name"), child(st, "w:basedOn")
            out[attr(st, "styleId")] = _Style(
                name=attr(name_el, "val") if name_el is not None else None,
                based_on=attr(based_el, "val") if based_el is not None else None,
                outline=_outline(path(st, "w:pPr", "w:outlineLvl")),
            )
        break
    return out


def _outline(el) -> int | None:
    value = attr(el, "val") if el is not None else None
    return int(value) if value is not None and value.isdigit() and int(value) < 9 else None


def style_name(styles: dict[str, _Style], style_id: str | None, outline: int | None) -> str | None:
    """The paragraph's style name, with headings spelled "Heading N".

    Word stores built-in headings as "heading 1" and WPS as "标题 1"; a paragraph
    (or its style chain) with an outline level but a plain style is a heading
    made by direct formatting, which Chinese offices use a lot.
    """
    name, seen, sid = None, set(), style_id
    while sid is not None and sid in styles and sid not in seen:
        seen.add(sid)
        style = styles[sid]
        name = name or style.name
        if outline is None:
            outline = style.outline
        sid = style.based_on
    name = name or style_id
    match = _HEADING.match(name or "")
    if match:
        return f"Heading {match.group(1)}"
    if outline is not None:
        return f"Heading {outline + 1}"
    return {"title": "Title", "subtitle": "Subtitle", "normal": "Normal"}.get((name or "").lower(), name)


def _int_val(el, default: int) -> int:
    value = attr(el, "val") if el is not None else None
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _children(el, wanted: str):
    """Children named ``wanted``, looking through content controls and custom XML wrappers."""
    for c in el:
        name = tag(c)
        if name == wanted:
            yield c
        elif name in ("w:customXml", "w:sdtContent", "w:ins", "w:moveTo"):
            yield from _children(c, wanted)
        elif name == "w:sdt" and child(c, "w:sdtContent") is not None:
            yield from _children(child(c, "w:sdtContent"), wanted)


@dataclass
class _Reader:
    styles: dict[str, _Style]
    blocks: list = field(default_factory=list)
    n_tables: int = 0
    n_paragraphs: int = 0
    caption: str | None = None  # last non-empty paragraph since the last table

    # ---- block containers (body, text box, header) -------------------------------

    def container(self, el, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise BadInputError("damaged document: tables or text boxes nested too deeply")
        for c in el:
            name = tag(c)
            if name == "w:p":
                self.paragraph(c, depth)
            elif name == "w:tbl":
                self.table(c, depth, self.caption)
                self.caption = None
            elif name == "w:sdt":
                content = child(c, "w:sdtContent")
                if content is not None:
                    self.container(content, depth + 1)
            elif name in ("w:customXml", "w:ins", "w:moveTo", "w:smartTag"):
                self.container(c, depth + 1)
            elif name == "mc:AlternateContent":
                choice = child(c, "mc:Choice")
                if choice is not None:
                    self.container(choice, depth + 1)

    def paragraph(self, p, depth: int) -> None:
        text, boxes = paragraph_text(p)
        text = text.strip()
        self.n_paragraphs += 1
        if text:
            ppr = child(p, "w:pPr")
            sid = path(ppr, "w:pStyle") if ppr is not None else None
            style = style_name(
                self.styles,
                attr(sid, "val") if sid is not None else None,
                _outline(path(ppr, "w:outlineLvl")) if ppr is not None else None,
            )
            self.blocks.append(Paragraph(text, Locator(paragraph=self.n_paragraphs), style))
            self.caption = text
        for box in boxes:
            self.container(box, depth + 1)

    # ---- tables ---------------------------------------------------------------------

    def table(self, tbl, depth: int, caption: str | None) -> None:
        if depth > MAX_DEPTH:
            raise BadInputError("damaged document: tables nested too deeply")
        (rows, merged), nested = self.grid(tbl, depth)
        if not rows:
            return
        self.n_tables += 1
        number = self.n_tables
        self.blocks.append(
            Table(
                rows=rows,
                locator=Locator(table=number),
                row_locators=tuple(Locator(table=number, row=i + 1) for i in range(len(rows))),
                caption=caption,
                merged=merged,
            )
        )
        for inner, inner_caption in nested:
            self.table(inner, depth + 1, inner_caption)

    def grid(self, tbl, depth: int):
        """(rows, merge flags) of the table with merged cells repeated, plus its nested tables."""
        tbl_grid = child(tbl, "w:tblGrid")
        n_grid = 0 if tbl_grid is None else sum(1 for _ in _children(tbl_grid, "w:gridCol"))
        placed: list[list[tuple[int, int, str, str | None, str | None]]] = []
        nested: list = []
        width = n_grid
        for tr in _children(tbl, "w:tr"):
            trpr = child(tr, "w:trPr")
            if trpr is not None and child(trpr, "w:del") is not None:
                continue  # a tracked row deletion
            col = _int_val(path(trpr, "w:gridBefore"), 0) if trpr is not None else 0
            cells = []
            for tc in _children(tr, "w:tc"):
                tcpr = child(tc, "w:tcPr")
                span = max(1, _int_val(path(tcpr, "w:gridSpan"), 1)) if tcpr is not None else 1
                col = min(col, MAX_COLUMNS)
                span = min(span, MAX_COLUMNS - col) or 1
                vmerge = path(tcpr, "w:vMerge") if tcpr is not None else None
                hmerge = path(tcpr, "w:hMerge") if tcpr is not None else None
                cells.append((
                    col, span, self.cell_text(tc, depth, nested),
                    None if vmerge is None else (attr(vmerge, "val") or "continue"),
                    None if hmerge is None else (attr(hmerge, "val") or "continue"),
                ))
                col += span
            after = _int_val(path(trpr, "w:gridAfter"), 0) if trpr is not None else 0
            width = max(width, min(col + max(after, 0), MAX_COLUMNS))
            placed.append(cells)
        return _resolve(placed, width), nested

    def cell_text(self, tc, depth: int, nested: list) -> str:
        """Text of a cell's paragraphs, one line each; nested tables are queued, not inlined."""
        lines: list[str] = []
        for c in _block_items(tc):
            if tag(c) == "w:tbl":
                nested.append((c, lines[-1] if lines else None))
                continue
            text, boxes = paragraph_text(c)
            text = text.strip()
            if text:
                lines.append(text)
            for box in boxes:
                lines.extend(t.strip() for t, _ in map(paragraph_text, _paragraphs(box)) if t.strip())
        return "\n".join(lines)


def _block_items(el):
    """Paragraphs and tables directly inside ``el`` (through content-control wrappers)."""
    for c in el:
        name = tag(c)
        if name in ("w:p", "w:tbl"):
            yield c
        elif name == "w:sdt":
            content = child(c, "w:sdtContent")
            if content is not None:
                yield from _block_items(content)
        elif name in ("w:customXml", "w:ins", "w:moveTo"):
            yield from _block_items(c)


def _paragraphs(el):
    return (c for c in el.iter() if tag(c) == "w:p")


def _resolve(placed, width: int):
    """Fill a grid from placed cells: gridSpan repeats across, vMerge continues down.

    Returns the rows and, per position, whether it is a merge continuation (its
    text repeated from the merged cell's first position).
    """
    grid: list[list[str]] = []
    flags: list[list[bool]] = []
    for cells in placed:
        row, merged = [""] * width, [False] * width
        above = grid[-1] if grid else None
        for col, span, text, vmerge, hmerge in cells:
            if col >= width:
                continue
            continued = False
            if vmerge == "continue" and above is not None:
                continued = True
                text = above[col] or text
            elif hmerge == "continue" and col > 0:
                continued = True
                text = row[col - 1] or text
            for i in range(col, min(col + span, width)):
                row[i] = text
                merged[i] = continued or i > col
        grid.append(row)
        flags.append(merged)
    return tuple(tuple(r) for r in grid), tuple(tuple(f) for f in flags)


def _pages(pkg: Package) -> int | None:
    """Page count as Word last saved it in docProps/app.xml (absent in generated files)."""
    for name in pkg.related("", "/extended-properties"):
        for el in pkg.xml(name).iter():
            if isinstance(el.tag, str) and el.tag.endswith("}Pages") and (el.text or "").strip().isdigit():
                return int(el.text) or None
    return None


def read_docx(data: bytes, file_format: str = "docx") -> ExtractedDocument:
    """Extract a DOCX held in ``data``; raise BadInputError (or a subclass) for unreadable files."""
    pkg = Package(data, "Word document (.docx)")
    main = pkg.main_part("word/document.xml")
    root = pkg.xml(main)
    body = child(root, "w:body")
    if body is None:
        raise BadInputError(f"not a Word document, or damaged: {main} has no body")
    reader = _Reader(_styles(pkg, main))
    reader.container(body, 0)
    issues: tuple[Issue, ...] = ()
    if not reader.blocks:
        for part in pkg.related(main, "/header") + pkg.related(main, "/footer"):
            reader.container(pkg.xml(part), 0)
        if reader.blocks:
            issues = (Issue(IssueCode.HEADER_FOOTER_ONLY, "the body has no text; text was read from headers and footers"),)
    return ExtractedDocument(file_format=file_format, blocks=tuple(reader.blocks), pages=_pages(pkg), issues=issues)


class DocxExtractor:
    formats = ("docx",)

    def extract(self, path: Path, data: bytes, file_format: str) -> ExtractedDocument:
        return read_docx(data, file_format)


EXTRACTOR = DocxExtractor()
