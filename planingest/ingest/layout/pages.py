"""A fixed-layout page's tables and prose, and the document assembled from its pages.

Shared by every reader of positioned text (PDF text layers, OCR of scans and
images, OFD): each page gives prose blocks and table pieces with their
positions; :func:`assemble` stitches the pieces across page breaks
(:mod:`planingest.ingest.layout.stitch`) and places each table among the
paragraphs where its first piece starts.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from planingest.core.records import Block, Locator, Paragraph, Table
from planingest.ingest.layout.grid import BBox, Grid
from planingest.ingest.layout.lines import Line, ProseBlock, inside, is_page_furniture
from planingest.ingest.layout.stitch import stitch


@dataclass(frozen=True)
class PageTable:
    """One table as found on one page, before stitching across pages."""

    page: int
    grid: Grid
    bbox: BBox
    caption: str | None = None
    at_top: bool = False  # nothing but page furniture above it on its page
    at_bottom: bool = False  # nothing but page furniture below it
    ocr: bool = False


def place_tables(grids: list[tuple[Grid, BBox]], lines: list[Line], page: int,
                 ocr: bool = False) -> tuple[list[PageTable], list[Line]]:
    """Caption and page position of each table; the lines that are not inside any table."""
    grids = sorted(grids, key=lambda g: g[1][1])
    outside = [ln for ln in lines if not any(inside(ln, bbox) for _, bbox in grids)]
    body = [ln for ln in outside if not is_page_furniture(ln.text)]
    tables = []
    for i, (grid, bbox) in enumerate(grids):
        above = [ln for ln in body if ln.bottom <= bbox[1] + 1.0]
        below = [ln for ln in body if ln.top >= bbox[3] - 1.0]
        caption = max(above, key=lambda ln: ln.bottom).text if above else None
        tables.append(PageTable(
            page=page, grid=grid, bbox=bbox, caption=caption,
            at_top=not above and i == 0,
            at_bottom=not below and i == len(grids) - 1,
            ocr=ocr,
        ))
    return tables, outside


@dataclass
class PageResult:
    prose: list[ProseBlock] = field(default_factory=list)
    tables: list[PageTable] = field(default_factory=list)
    route: str = "text"  # how the page was read: text · table · ocr (for the benchmark's page timings)


def captions_from_previous_page(results: list[PageResult]) -> None:
    """A table opening a page under no text takes its caption from the end of the page before.

    Titles like "…重点项目一览表" often end a page whose table only fits on the next one.
    """
    for before, result in zip(results, results[1:]):
        if not result.tables or not before.prose:
            continue
        first = result.tables[0]
        if first.at_top and first.caption is None and not (before.tables and before.tables[-1].at_bottom):
            result.tables[0] = replace(first, caption=before.prose[-1].text)


#: how far (points) a running header may move between pages and still be the same line
RUNNING_TOLERANCE = 3.0


def running_heads(results: list[PageResult]) -> set[tuple[int, int]]:
    """(page index, block index) of the running headers: the top-most prose block of a page
    whose text opens the page before or after it at the same height.

    A county document often repeats its title (or the chapter's) above the text of every
    page.  Read as prose it sits above a table continued from the page before, which then
    no longer opens its page and is not joined to its first piece (its merged cells lose
    their text); as the piece's caption it would name the table.  The title on the first
    page is not a running header: it sits lower, inside the body's margins; nor is the title
    of a second document in one file (an OFD package, a merged PDF): it opens no neighbour page."""
    tops: list[tuple[int, int, str, float]] = []
    for p, result in enumerate(results):
        if result.prose:
            k = min(range(len(result.prose)), key=lambda i: result.prose[i].top)
            tops.append((p, k, result.prose[k].text, result.prose[k].top))
    heads: set[tuple[int, int]] = set()
    for p, k, text, top in tops:
        if any(abs(q - p) == 1 and other == text and abs(other_top - top) <= RUNNING_TOLERANCE
               for q, _, other, other_top in tops):
            heads.add((p, k))
    return heads


def drop_running_heads(results: list[PageResult]) -> None:
    """Remove the running headers (:func:`running_heads`) from the prose, and let a table that
    had only a running header above it open its page (uncaptioned): page furniture, like a
    page number."""
    heads = running_heads(results)
    for p, result in enumerate(results):
        dropped = [result.prose[k] for q, k in heads if q == p]
        if not dropped:
            continue
        texts = {b.text for b in dropped}
        result.prose = [b for k, b in enumerate(result.prose) if (p, k) not in heads]
        if result.tables and not result.tables[0].at_top:
            first = result.tables[0]
            if not any(b.top < first.bbox[1] for b in result.prose):
                caption = None if first.caption in texts else first.caption
                result.tables[0] = replace(first, at_top=True, caption=caption)


def assemble(results: list[PageResult]) -> list[Block]:
    """Paragraphs page by page, each stitched table where its first piece starts."""
    drop_running_heads(results)
    captions_from_previous_page(results)
    starts: dict[int, list[tuple[float, Table]]] = {}
    for table, top in stitch([t for r in results for t in r.tables]):
        starts.setdefault(table.locator.page, []).append((top, table))
    blocks: list[Block] = []
    for number, result in enumerate(results, start=1):
        pending = sorted(starts.get(number, []), key=lambda t: t[0])
        for block in result.prose:
            while pending and pending[0][0] <= block.top:
                blocks.append(pending.pop(0)[1])
            blocks.append(Paragraph(block.text, Locator(page=number, line=block.first_line)))
        blocks.extend(t for _, t in pending)
    return blocks
