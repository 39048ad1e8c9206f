"""Born-digital DOCX/PDF layouts of real county filings (tools/render_realdocs_office.py).

Classes of misreading found on those samples:

* a running header (the plan's title repeated above every page) was prose above a table
  continued from the page before: the piece no longer opened its page, was not joined to
  the first piece, and the 领域 cell merged down across the page break lost its text;
* a title that mixes kinds (``2023年工作总结和2024年工作思路``) was not a title (思路 ended
  none), and a summary's report year was its title's last year: a ``2024年`` column of next
  year's targets was read as measured; where the title ends in a plan word
  (``…总结及2024年工作计划``) the first title year was the plan's start and the summary
  year's measured column a target;
* a numbered item closing with ``（以上工作由X统筹负责）`` was no task, nor were the items
  above it that the note covers;
* 县经济商务科技局 (Zhejiang's merged 经济和信息化·商务·科技 bureau) was not a department.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planingest.core.enums import DocType
from planingest.core.records import Locator, Paragraph
from planingest.ingest.layout.grid import Grid
from planingest.ingest.layout.lines import ProseBlock
from planingest.ingest.layout.pages import PageResult, PageTable, drop_running_heads, running_heads
from planingest.interpret.doctype import reported_year
from planingest.interpret.prose import prose_tasks
from planingest.interpret.tables.yearroles import DocumentYears, document_years

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

# ---------------------------------------------------------------- the year a summary reports on


@pytest.mark.parametrize(("title", "year"), [
    ("遂昌县生态文明建设示范区创建2023年工作总结和2024年工作思路", 2023),
    ("某县2021年工作总结及2022年工作计划", 2021),
    ("某县2023年生态文明建设示范县创建工作总结", 2023),
    ("某县2023年度自查报告", 2023),  # a self-assessment reports on its year too
    ("某县2024年生态文明建设工作要点", None),
    ("某县国家生态文明建设示范县规划（2021—2025年）", None),
    ("某县2022—2023年工作总结", None),  # a span, no single year
    ("", None),
])
def test_reported_year(title, year):
    assert reported_year(title) == year


@given(st.text(max_size=60))
def test_reported_year_is_a_year_of_the_title(title):
    year = reported_year(title)
    assert year is None or str(year) in title


@pytest.mark.parametrize(("kind", "title", "issued", "expected"), [
    # typed as a plan by its last word, but its tables report on 2023
    (DocType.ANNUAL_PLAN, "某县2023年工作总结及2024年工作计划", "2024-01-10", DocumentYears(True, None, 2023, 2024)),
    # a summary whose title also names next year's work: 2024 is not its report year
    (DocType.SUMMARY, "某县2023年工作总结和2024年工作思路", "2024-01-10", DocumentYears(True, None, 2023, 2024)),
])
def test_a_titles_summary_year_is_the_report_year(kind, title, issued, expected):
    assert document_years(kind, title, issued, reported_year(title)) == expected


# ---------------------------------------------------------------- running headers


def _page(blocks: list[tuple[str, float]], table_top: float | None = None) -> PageResult:
    prose = [ProseBlock(text, i + 1, top) for i, (text, top) in enumerate(blocks)]
    tables = []
    if table_top is not None:
        grid = Grid(rows=(("领域", "序号"),), origin=(((0, 0), (0, 1)),), col_edges=(0.0, 50.0, 90.0),
                    row_edges=(table_top, table_top + 20))
        caption = max((b for b in prose if b.top < table_top), key=lambda b: b.top, default=None)
        tables.append(PageTable(page=0, grid=grid, bbox=(0.0, table_top, 90.0, table_top + 20),
                                caption=caption.text if caption else None, at_top=caption is None))
    return PageResult(prose=prose, tables=tables)


TITLE = "遂昌县创建国家生态文明建设示范县实施方案（2023—2025年）"


@pytest.mark.parametrize(("pages", "heads"), [
    # the title repeated at one height above pages 2-3; on page 1 it is the title, lower down
    ([[(TITLE, 85.0), ("一、工作目标", 120.0)], [(TITLE, 36.0), ("附件1", 60.0)], [(TITLE, 36.5)]],
     {(1, 0), (2, 0)}),
    # the same first paragraph at different heights is content
    ([[("一、工作目标", 85.0)], [("一、工作目标", 200.0)]], set()),
    # the same title opening two documents of one file, pages apart, is no running header
    ([[(TITLE, 85.0)], [("正文", 85.0)], [(TITLE, 85.0)]], set()),
    # a header on one page only is not running
    ([[(TITLE, 36.0), ("正文", 80.0)], [("正文二", 36.0)]], set()),
    ([], set()),
])
def test_running_heads(pages, heads):
    assert running_heads([_page(p) for p in pages]) == heads


def test_a_table_under_a_running_header_opens_its_page():
    results = [_page([(TITLE, 36.0), ("附件1", 60.0)], table_top=80.0), _page([(TITLE, 36.0)], table_top=60.0)]
    assert not results[1].tables[0].at_top and results[1].tables[0].caption == TITLE
    drop_running_heads(results)
    assert results[1].tables[0].at_top and results[1].tables[0].caption is None
    assert [b.text for b in results[1].prose] == []
    assert not results[0].tables[0].at_top and results[0].tables[0].caption == "附件1"  # real text above stays


def test_the_domain_merged_across_a_page_break_reaches_the_next_page():
    from planingest.core.records import Table
    from planingest.ingest.pdf.reader import EXTRACTOR

    path = SAMPLES / "pdf/suichang-plan.pdf"
    doc = EXTRACTOR.extract(path, path.read_bytes(), "pdf")
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    first = tables[0]
    pages = {loc.page for loc in first.row_locators}
    assert {2, 3} <= pages  # the first piece and its continuation are one table
    on_page_3 = [row for row, loc in zip(first.rows, first.row_locators) if loc.page == 3]
    assert "".join(on_page_3[0][0].split()) == "生态安全"  # vertical text: one character a line
    assert not any(TITLE in b.text for b in doc.paragraphs[1:])  # running headers are not prose


# ---------------------------------------------------------------- （以上工作由X负责）


def _tasks(texts):
    return [(t.seq, t.departments_raw) for t in prose_tasks([Paragraph(x, Locator(line=i)) for i, x in enumerate(texts)])]


@pytest.mark.parametrize(("texts", "expected"), [
    # the note covers the items above it back to the last item with units of its own
    (["二、重点任务", "（一）甲。落实。（牵头单位：县委组织部）", "（二）乙。推进。", "（三）丙。推进。（以上工作由县发展改革局统筹负责）"],
     [("（一）", "县委组织部"), ("（二）", "县发展改革局"), ("（三）", "县发展改革局")]),
    # ... and no further than a heading
    (["一、甲类", "（一）甲。推进。", "二、乙类", "（二）乙。推进。（以上工作由县委宣传部负责）"], [("（二）", "县委宣传部")]),
    # items of another level are not its siblings
    (["（一）甲。推进。", "1. 子项。落实。", "（二）乙。推进。（以上任务均由县水利局牵头负责）"], [("（二）", "县水利局")]),
    # a note closing an unnumbered paragraph names no task
    (["各部门要加强协作，形成合力。（以上工作由县政府办统筹负责）"], []),
    # a source note is no units note
    (["（一）全县生态环境质量持续改善（数据来源：县生态环境分局）。"], []),
])
def test_a_note_for_the_items_above(texts, expected):
    assert _tasks(texts) == expected


@given(st.lists(st.text(alphabet="（）一二三1.。由以上工作县局负责牵头甲乙", max_size=30), max_size=6))
def test_prose_tasks_never_raise(texts):
    for task in prose_tasks([Paragraph(x, Locator(line=i)) for i, x in enumerate(texts)]):
        assert task.departments_raw


# ---------------------------------------------------------------- samples


@pytest.mark.parametrize("name", ["suichang-plan", "suichang-summary"])
def test_docx_samples_are_current(name):
    from tools.render_realdocs_office import DOCUMENTS

    assert DOCUMENTS[name]() == (SAMPLES / "docx" / f"{name}.docx").read_bytes(), (
        f"samples/docx/{name}.docx is stale: rerun python -m tools.render_realdocs_office")


@pytest.mark.parametrize(("raw", "names"), [
    ("县经济商务科技局", ("工业和信息化局",)),
    ("县发展改革局、县经济商务科技局、县统计局", ("发展和改革局", "工业和信息化局", "统计局")),
])
def test_merged_economy_bureau_is_a_department(raw, names):
    from planingest.normalize.departments import default_normalizer

    found, unmatched = default_normalizer().normalize(raw)
    assert found == names and not unmatched
