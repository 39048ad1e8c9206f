"""The parts of the PDF extractor on their own: line cleaning, paragraphs, grids, stitching, page filter.

No PDF is needed: lines, cells and table pieces are built directly, with text
from the seeds.
"""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planingest.core.errors import BadInputError
from planingest.ingest.layout.grid import Cell, grid_from_cells
from planingest.ingest.layout.lines import Line, clean_line, is_page_furniture, join_lines, paragraphs
from planingest.ingest.layout.pages import PageTable
from planingest.ingest.layout.stitch import stitch
from planingest.ingest.pdf.reader import EXTRACTOR, _page_list
from planingest.ingest.pdf.tables import page_may_hold_table
from tests.shared import SEEDS, require

HEADER = ("领域", "任务", "序号", "指标名称", "单位", "指标值", "指标属性", "责任部门")
EDGES = (57.0, 97.0, 159.0, 187.0, 300.0, 340.0, 414.0, 454.0, 528.0)


@pytest.mark.parametrize("raw, clean", [
    ("城 镇生活污水", "城镇生活污水"),
    ("2023 年 8 月 1 日", "2023年8月1日"),
    ("靖生委办〔 2023 〕 5 号", "靖生委办〔2023〕5号"),
    ("PM 2.5 浓度", "PM 2.5浓度"),
    ("  （责任单位： 县水利局 ）", "（责任单位：县水利局）"),
    ("Seige of Vicksburg", "Seige of Vicksburg"),
])
def test_clean_line(raw, clean):
    assert clean_line(raw) == clean


@pytest.mark.parametrize("a, b, joined", [
    ("为加快推进我县国家生态文明建设示范县创建步伐，根据《湖南省怀化市靖州苗族侗族自治县生态文", "明建设示范县规划》",
     "为加快推进我县国家生态文明建设示范县创建步伐，根据《湖南省怀化市靖州苗族侗族自治县生态文明建设示范县规划》"),
    ("组织开展", "2022年", "组织开展2022年"),
    ("the Seige of", "Vicksburg", "the Seige of Vicksburg"),
])
def test_join_lines(a, b, joined):
    assert join_lines(a, b) == joined


@pytest.mark.parametrize("text, furniture", [
    ("— 1 —", True), ("- 12 -", True), ("第 3 页", True), ("第1页 共5页", True), ("3/10", True),
    ("2023年8月1日", False), ("1", True), ("（一）", False), ("生态文明建设规划", False),
])
def test_page_furniture(text, furniture):
    assert is_page_furniture(text) is furniture


def _line(text, top, x0=63.0, x1=None):
    return Line(text, x0, top, x1 if x1 is not None else x0 + 10.5 * len(text), top + 10.5)


def test_paragraphs_join_wrapped_lines_and_split_at_items():
    lines = [
        _line("2023年靖州县生态文明建设示范区创建工作计划", 60, x0=150),
        _line("（一）收集复核材料。按照《国家生态文明建设示范区复核工作规范（试行）》要求，组织开", 100, x1=524),
        _line("展2022年我县国家生态文明建设示范区各项建设指标完成情况的说明和证明材料收集、整", 114, x1=524),
        _line("理、编制。（责任单位：市生态环境局靖州分局）", 128),
        _line("（二）推进农村黑臭水体治理。确保在2023年底前完成黑臭水体治理，实现水体功能恢复，消除黑", 150, x1=524),
        _line("臭。（责任单位：市生态环境局靖州分局、县水利局、县农业农村局）", 164),
        _line("— 1 —", 780, x0=290),
    ]
    got = paragraphs(lines)
    assert [p.text for p in got] == [
        "2023年靖州县生态文明建设示范区创建工作计划",
        "（一）收集复核材料。按照《国家生态文明建设示范区复核工作规范（试行）》要求，组织开展2022年我县国家生态文明建设示范区"
        "各项建设指标完成情况的说明和证明材料收集、整理、编制。（责任单位：市生态环境局靖州分局）",
        "（二）推进农村黑臭水体治理。确保在2023年底前完成黑臭水体治理，实现水体功能恢复，消除黑臭。"
        "（责任单位：市生态环境局靖州分局、县水利局、县农业农村局）",
    ]
    assert [p.first_line for p in got] == [1, 2, 5]


def test_grid_repeats_merged_cells_in_every_position():
    # 领域 merged down two rows, 特色指标 merged across two columns
    cells = [
        Cell((0, 0, 10, 20), "生态\n制度"), Cell((10, 0, 20, 10), "1"), Cell((10, 10, 20, 20), "2"),
        Cell((0, 20, 20, 30), "特色指标"),
    ]
    grid = grid_from_cells(cells)
    assert grid.rows == (("生态\n制度", "1"), ("生态\n制度", "2"), ("特色指标", "特色指标"))
    assert grid.span(1, 0) == [(0, 0), (1, 0)]
    assert grid.span(2, 1) == [(2, 0), (2, 1)]


def test_grid_removes_cjk_join_spaces_but_keeps_line_breaks():
    grid = grid_from_cells([Cell((0, 0, 10, 10), "市生态环 境局\n靖州分局"), Cell((10, 0, 20, 10), "PM 2.5")])
    assert grid.rows == (("市生态环境局\n靖州分局", "PM 2.5"),)


def _piece(page, rows, top=72.0, bottom=760.0, at_top=True, at_bottom=True, cut=(), merged=()):
    """A table piece on a ruled 8-column grid; ``merged`` = (col, first_row, last_row) vertical spans."""
    h = (bottom - top) / len(rows)
    spans = {(r, c): (r0, c) for c, r0, r1 in merged for r in range(r0, r1 + 1)}
    cells = []
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if (r, c) in spans and spans[(r, c)][0] != r:
                continue
            r1 = next((last for col, first, last in merged if col == c and first == r), r)
            cells.append(Cell((EDGES[c], top + r * h, EDGES[c + 1], top + (r1 + 1) * h), text,
                              reaches_bottom=(r1 == len(rows) - 1 and c in cut)))
    return PageTable(page=page, grid=grid_from_cells(cells), bbox=(EDGES[0], top, EDGES[-1], bottom),
                     caption="靖州县生态文明建设指标责任分解表" if page == 1 else None,
                     at_top=at_top, at_bottom=at_bottom)


ROW7 = ("生态安全", "（二）生态环境质量改善", "7", "环境空气质量", "%", "完成上级规定的考核任务", "约束性", "市生态环境局靖州分局")
ROW8 = ("生态安全", "（二）生态环境质量改善", "8", "水环境质量", "%", "完成上级规定的考核任", "约束性", "市生态环境局")
SUB = ("", "", "", "优良天数比例", "%", "≥95.8", "约束性", "市生态环境局靖州分局")


def test_stitch_drops_repeated_header_and_joins_a_cut_row():
    first = _piece(1, [HEADER, ROW7, ROW8], cut={5, 7})
    second = _piece(2, [HEADER, ("", "", "", "", "", "务", "", "靖州分局"),
                        ("生态安全", "（三）生态系统保护", "9", "生态质量指数（EQI）", "", "△EQI≥-1", "约束性", "县林业局")])
    (table, top), = stitch([first, second])
    assert table.rows[0] == HEADER and len(table.rows) == 4
    assert table.rows[2][5] == "完成上级规定的考核任\n务"
    assert table.rows[2][7] == "市生态环境局\n靖州分局"
    assert [(loc.page, loc.row) for loc in table.row_locators] == [(1, 1), (1, 2), (1, 3), (2, 4)]
    assert table.caption == "靖州县生态文明建设指标责任分解表" and top == 72.0


def test_stitch_keeps_a_sub_row_that_was_not_cut():
    """An empty 序号 on the new page is a cut row only where the last row's text ran to the page end."""
    first = _piece(1, [HEADER, ROW7], cut=set())
    second = _piece(2, [HEADER, SUB])
    (table, _), = stitch([first, second])
    assert table.rows[-1][3] == "优良天数比例" and len(table.rows) == 3


def test_stitch_continues_a_merged_cell_onto_the_new_page():
    first = _piece(1, [HEADER, ROW7, ROW8], merged=[(0, 1, 2)])
    follow = ("", "（三）生态系统保护", "9", "生态质量指数（EQI）", "", "△EQI≥-1", "约束性", "市生态环境局靖州分局")
    follow2 = ("", "（三）生态系统保护", "10", "林草覆盖率", "%", "山区≥60", "参考性", "县林业局")
    second = _piece(2, [HEADER, follow, follow2], merged=[(0, 1, 2), (1, 1, 2)])
    (table, _), = stitch([first, second])
    assert [r[0] for r in table.rows[1:]] == ["生态安全"] * 4


def test_stitch_allows_a_table_shifted_by_mirrored_margins():
    first = _piece(1, [HEADER, ROW7])
    second = _piece(2, [HEADER, ROW8])
    moved = replace(second, grid=replace(second.grid, col_edges=tuple(x + 20 for x in second.grid.col_edges)))
    (table, _), = stitch([first, moved])
    assert len(table.rows) == 3


@pytest.mark.parametrize("change", ["not at bottom", "not at top", "page gap", "other columns"])
def test_stitch_keeps_separate_tables_apart(change):
    first = _piece(1, [HEADER, ROW7], at_bottom=change != "not at bottom")
    second = _piece(3 if change == "page gap" else 2, [HEADER, ROW8], at_top=change != "not at top")
    if change == "other columns":
        second = PageTable(page=2, grid=grid_from_cells([Cell((57, 72, 300, 90), "项目名称"),
                                                          Cell((300, 72, 528, 90), "建设内容")]),
                           bbox=(57, 72, 528, 90), at_top=True, at_bottom=True)
    assert len(stitch([first, second])) == 2


def _seed(name):
    return require(SEEDS / name).read_text(encoding="utf-8")


def test_page_filter_passes_indicator_table_pages_and_skips_prose():
    table_page = "\n".join(_seed("000_2b96e2d222b5f3b3.txt").replace("\t", "").splitlines()[14:80])
    prose_page = "\n".join(_seed("003_7e95036d21f61a58.txt").splitlines()[:40])
    assert page_may_hold_table(table_page)
    assert page_may_hold_table("领域 任务 序号 指标名称 单位 指标值 指标属性 责任部门")
    assert not page_may_hold_table(prose_page)


def test_page_list():
    assert _page_list([1, 2, 3, 5, 7, 8]) == "1-3, 5, 7-8"


CJK_TEXT = st.text(alphabet=st.sampled_from(list("城镇生态文明建设 2023年PM.%（）：、") + [" ", "\u3000"]), max_size=40)


@given(CJK_TEXT)
def test_clean_line_is_idempotent_and_leaves_no_space_between_cjk(text):
    once = clean_line(text)
    assert clean_line(once) == once
    assert not re.search(r"[\u4e00-\u9fff][ \u3000]+[\u4e00-\u9fff]", once)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_after_a_pdf_header_never_escape_as_other_errors(blob):
    data = b"%PDF-1.4\n" + blob
    try:
        EXTRACTOR.extract(Path("x.pdf"), data, "pdf")
    except BadInputError:
        pass


def test_table_opening_a_page_takes_its_caption_from_the_page_before():
    from planingest.ingest.layout.lines import ProseBlock
    from planingest.ingest.layout.pages import PageResult, assemble

    title = "靖州苗族侗族自治县生态文明建设示范县重点项目一览表"
    before = PageResult(prose=[ProseBlock("四、工程项目实施计划", 1, 600.0), ProseBlock(title, 2, 700.0)])
    table = PageTable(page=2, grid=grid_from_cells([Cell((57, 72, 300, 90), "项目名称"), Cell((300, 72, 528, 90), "建设内容"),
                                                     Cell((57, 90, 300, 110), "河长制建设"),
                                                     Cell((300, 90, 528, 110), "深入推进河长制")]),
                      bbox=(57, 72, 528, 110), at_top=True, at_bottom=False)
    blocks = assemble([before, PageResult(tables=[table])])
    assert blocks[-1].caption == title and blocks[-1].locator.page == 2
