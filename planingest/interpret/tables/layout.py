"""From grids to role-labelled rows: header found, continuation tables stitched,
repeated headers dropped, unlabelled columns given a role from their content.

Every format ends up here, so a DOCX table split over two Word tables, a PDF
table over three pages and a text dump with its header repeated at each page
break all become one :class:`RecognisedTable`.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from planingest.core.records import Locator, Table
from planingest.interpret.tables.align import is_seq
from planingest.interpret.tables.cells import squash
from planingest.interpret.tables.headers import Header, find_header, is_header_row, normalise_header_text
from planingest.interpret.tables.yearroles import DocumentYears, resolve_year_roles, unsettled_year_columns
from planingest.interpret.values import parse_attribute

#: roles a table may have several columns of (2025年目标值 · 2030年目标值): each column's cell is
#: also kept under :func:`column_key`, the first one under the role itself
PER_COLUMN_ROLES = frozenset({"target", "baseline", "assessment"})


def column_key(role: str, col: int) -> str:
    """The key of one column's cell in :attr:`Row.values` (``target@5``)."""
    return f"{role}@{col}"


@dataclass(frozen=True)
class Row:
    """One grid row with its cells keyed by role (several department columns joined, lead first)."""

    values: dict[str, str]
    locator: Locator
    after_break: bool = False  # first row after a repeated header / continuation table start
    spanning: str | None = None  # text of a row whose cells all hold one merged text (a group heading)
    #: roles whose cell continues a merged cell from a row above or a column to the left;
    #: None when the format cannot tell (text dumps)
    continued: frozenset[str] | None = None
    #: per role, the lowest OCR score of its cells (records.Table.scores); empty when not OCR'd
    scores: dict[str, float] = field(default_factory=dict)

    def get(self, role: str) -> str:
        return self.values.get(role, "")


@dataclass
class RecognisedTable:
    kind: str  # indicators · projects · tasks
    header: Header
    caption: str | None
    locator: Locator
    rows: list[Row] = field(default_factory=list)
    #: a title written inside the grid above the header (a workbook's merged first row)
    title: str | None = None
    #: bare-year target columns the document cannot confirm (yearroles.unsettled_year_columns)
    year_doubt: str | None = None


def _is_attribute_column(body: list[tuple[str, ...]], col: int) -> bool:
    """Every filled cell (at least two) says 约束性 or 参考性: the column is 指标属性, whatever its
    header calls it (类型, 指标类别, 性质)."""
    values = [r[col] for r in body if col < len(r) and r[col].strip()]
    return len(values) >= 2 and all(parse_attribute(v) is not None for v in values)


def _infer_roles(header: Header, body: list[tuple[str, ...]]) -> Header:
    """Give unlabelled columns a role: numbers → 序号; text left of it → 类别/领域;
    约束性/参考性 in an indicator table → 指标属性."""
    roles = list(header.roles)
    if header.kind == "indicators" and "attribute" not in roles:
        for col, role in enumerate(roles):
            if role in (None, "category") and _is_attribute_column(body, col):
                roles[col] = "attribute"
                break
    if "seq" not in roles:
        for col, role in enumerate(roles):
            if role is not None:
                continue
            values = [r[col] for r in body if col < len(r) and r[col].strip()]
            if len(values) >= 2 and sum(is_seq(v) for v in values) / len(values) >= 0.6:
                roles[col] = "seq"
                break
    if "seq" in roles:
        seq_col = roles.index("seq")
        left_role = "category" if header.kind == "projects" else "domain"
        for col in range(seq_col):
            if roles[col] is None and left_role not in roles:
                roles[col] = left_role
    return replace(header, roles=tuple(roles))


def _same_header(cells: tuple[str, ...], header: Header) -> bool:
    texts = [normalise_header_text(c) for c in cells if c.strip()]
    wanted = [normalise_header_text(c) for c in header.texts if c.strip()]
    sub = [normalise_header_text(c) for c in header.sub_texts if c.strip()]
    return bool(texts) and (texts == wanted or (bool(sub) and texts == sub) or is_header_row(cells))


def _spanning_text(cells: tuple[str, ...]) -> str | None:
    filled = {squash(c) for c in cells if c.strip()}
    if len(filled) == 1 and sum(1 for c in cells if c.strip()) >= max(2, len(cells) - 1):
        return next(c for c in cells if c.strip()).strip()
    return None


def _title_above(rows) -> str | None:
    """The text of the rows above a header that each hold one text (a title merged across the sheet)."""
    texts = [_spanning_text(tuple(cells)) or "" for cells in rows]
    return "\n".join(t for t in texts if t) or None


def _row(cells: tuple[str, ...], header: Header, locator: Locator, after_break: bool,
         merged: tuple[bool, ...] = (), scores: tuple[float | None, ...] = ()) -> Row:
    """A row's values by role.  A position covered by a merged cell counts as empty, as in a
    text dump: the value belongs to the row the merge starts on (fill-down is the table
    logic's job), so a merged investment is never counted twice."""
    values: dict[str, str] = {}
    weakest: dict[str, float] = {}
    continued = frozenset(r for r, m in zip(header.roles, merged) if r and m) if merged else None
    for col, (text, role) in enumerate(zip(cells, header.roles)):
        if role is None or not text.strip() or (col < len(merged) and merged[col]):
            continue
        if role in PER_COLUMN_ROLES:  # several target years, measured values: each column kept apart
            values[column_key(role, col)] = text.strip()
        if role in values and role == "departments":
            values[role] = values[role] + "、" + text.strip()
        elif role not in values:
            values[role] = text.strip()
        score = scores[col] if col < len(scores) else None
        if score is not None:
            weakest[role] = min(score, weakest.get(role, score))
    return Row(values, locator, after_break, _spanning_text(cells), continued, weakest)


def recognise(tables: list[Table], doc_years: DocumentYears | None = None) -> list[RecognisedTable]:
    """Recognised tables of interest, continuation tables appended to the table they continue.
    ``doc_years`` (the document's kind and years) says whether a column headed only by a
    year holds targets or measured values (:mod:`planingest.interpret.tables.yearroles`)."""
    out: list[RecognisedTable] = []
    for table in tables:
        header = find_header(table.rows)
        start = header.body_start if header else 0
        previous = out[-1] if out else None
        # a table right after another one (no caption of its own) with the same columns, its
        # header repeated or not, is the rest of that table split by a page or section break
        adjacent = previous is not None and table.caption is None and bool(table.rows)
        if header is None:
            if not adjacent or len(table.rows[0]) != len(previous.header.roles):
                continue  # not a table of interest
            header, continuing = previous.header, previous
        else:
            header = _infer_roles(header, list(table.rows[start:]))
            header = resolve_year_roles(header, list(table.rows[start:]), doc_years)
            continuing = previous if adjacent and header.roles == previous.header.roles else None
        target = continuing or RecognisedTable(header.kind, header, table.caption, table.locator,
                                               title=_title_above(table.rows[:header.row_index]),
                                               year_doubt=unsettled_year_columns(header, doc_years))
        after_break = continuing is not None
        for index in range(start, len(table.rows)):
            cells = table.rows[index]
            if _same_header(cells, header):
                after_break = True
                continue
            if not any(c.strip() for c in cells):
                continue
            merged = table.merged[index] if index < len(table.merged) else ()
            if table.merged and not merged:
                merged = (False,) * len(cells)
            scores = table.scores[index] if index < len(table.scores) else ()
            target.rows.append(_row(cells, header, table.row_locator(index), after_break, merged, scores))
            after_break = False
        if continuing is None:
            out.append(target)
    return out
