"""Property tests for header recognition, text blocks and row alignment.

Header rows come from the seeds (and the sample renditions built from them);
the synonyms hypothesis mixes into random cells come from
catalogue/table_headers.csv, so random grids actually hit the vocabulary
instead of only exercising the "no role" path.
"""
from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from planingest.catalogue import catalogue_dir
from planingest.catalogue.csvload import read_rows
from planingest.catalogue.headers import ROLES
from planingest.core.records import Locator, Paragraph, Table
from planingest.ingest.text.reader import text_blocks
from planingest.interpret.tables.align import RaggedRow, align_rows
from planingest.interpret.tables.headers import (
    find_header,
    header_role,
    is_header_row,
    normalise_header_text,
    row_roles,
)

# Header rows exactly as the seeds and their renditions give them (see find_header on samples/).
SEED_HEADERS = {
    "jingzhou-indicators": ("领域", "任务", "序号", "指标名称", "单位", "指标值", "指标属性", "责任部门", "备注"),
    "changde-indicators": ("领域", "任务", "序号", "指标名称", "单位", "指标值", "指标属性", "牵头单位", "配合单位"),
    "luzhai-indicators-txt": ("领域", "任务", "序号", "指标名称", "2023年指标值", "指标\n属性", "牵头部门", "完成\n时限"),
    "luzhai-indicators-docx": ("领域", "任务", "序号", "指标名称", "2023年指标值", "牵头部门", "指标属性", "完成时限"),
    "jingzhou-projects-txt": ("", "", "项目名称", "建设内容", "建设年\n限(年\n)", "总投资\n(万元\n)", "责任单位", "针对指标"),
    "jingzhou-projects-docx": ("类别", "序号", "项目名称", "建设内容", "建设年限(年)", "总投资(万元)", "责任单位", "针对指标"),
    "luzhai-tasks": ("序号", "任务名称", "主要内容", "完成\n时限", "责任单位"),
}
EXPECTED_KIND = {name: name.split("-")[1] for name in SEED_HEADERS}

SYNONYMS = sorted({row["synonym"] for row in read_rows(catalogue_dir() / "table_headers.csv",
                                                       ["role", "synonym", "match"], ["note"])})
WHITESPACE = st.sampled_from([" ", "  ", "\n", "\t", "\r\n", "\u3000", "\xa0"])
# characters the seeds' tables are made of: CJK, digits, brackets, separators, whitespace
TABLE_CHARS = st.sampled_from(list("领域任务序号指标名称单位值属性责任部门牵头配合备注项目建设内容年限总投资万元亿")
                              + list("0123456789.%≥≤（）()[]【】：:|\t\n \u3000-—、"))
CELL = st.one_of(
    st.text(max_size=24),
    st.sampled_from(SYNONYMS),
    st.text(TABLE_CHARS, max_size=24),
    st.builds(lambda a, s, b: a + s + b, st.text(TABLE_CHARS, max_size=4), st.sampled_from(SYNONYMS),
              st.text(TABLE_CHARS, max_size=4)),
)
GRID = st.lists(st.lists(CELL, max_size=10).map(tuple), max_size=12)


def insert_whitespace(text: str, positions: list[int], spaces: list[str]) -> str:
    """``text`` with each of ``spaces`` inserted at the matching position (clamped to the text)."""
    chars = list(text)
    for position, space in sorted(zip(positions, spaces), reverse=True):
        chars.insert(min(position, len(chars)), space)
    return "".join(chars)


# --------------------------------------------------------------------------
# never raise
# --------------------------------------------------------------------------


@given(CELL)
def test_header_role_and_normalisation_never_raise(text):
    key = normalise_header_text(text)
    assert isinstance(key, str) and not any(ch.isspace() for ch in key)
    assert header_role(text) in (None, *ROLES)


@given(GRID, st.integers(min_value=0, max_value=12))
def test_find_header_never_raises_and_points_into_the_grid(rows, max_scan):
    header = find_header(rows, max_scan=max_scan)
    if header is not None:
        assert 0 <= header.row_index < min(len(rows), max_scan)
        assert header.texts == tuple(rows[header.row_index])
        assert len(header.roles) == len(header.texts)
        assert header.kind in ("indicators", "projects", "tasks")


def test_header_role_accepts_none():
    # extractors pass empty cells as "" but a None must not crash the recogniser either
    assert header_role(None) is None


# --------------------------------------------------------------------------
# column order and whitespace do not matter
# --------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SEED_HEADERS))
def test_seed_headers_are_recognised(name):
    header = find_header([SEED_HEADERS[name]])
    assert header is not None and header.kind == EXPECTED_KIND[name]


@pytest.mark.parametrize("name", sorted(SEED_HEADERS))
@given(data=st.data())
def test_header_roles_are_invariant_under_column_permutation(name, data):
    cells = SEED_HEADERS[name]
    order = data.draw(st.permutations(range(len(cells))))
    permuted = tuple(cells[i] for i in order)
    original, shuffled = find_header([cells]), find_header([permuted])
    assert shuffled is not None and shuffled.kind == original.kind
    assert Counter(shuffled.roles) == Counter(original.roles)
    # each column keeps its own role, wherever it moved
    assert shuffled.roles == tuple(original.roles[i] for i in order)


@pytest.mark.parametrize("name", sorted(SEED_HEADERS))
@given(data=st.data())
def test_whitespace_inside_seed_header_cells_changes_nothing(name, data):
    cells = SEED_HEADERS[name]
    spaced = []
    for cell in cells:
        n = data.draw(st.integers(min_value=0, max_value=3))
        positions = data.draw(st.lists(st.integers(min_value=0, max_value=len(cell)), min_size=n, max_size=n))
        spaces = data.draw(st.lists(WHITESPACE, min_size=n, max_size=n))
        spaced.append(insert_whitespace(cell, positions, spaces))
    assert row_roles(spaced) == row_roles(cells)
    header = find_header([tuple(spaced)])
    assert header is not None and header.kind == EXPECTED_KIND[name]


@given(CELL, st.lists(st.integers(min_value=0, max_value=30), max_size=4), st.data())
def test_whitespace_insertion_never_changes_a_role(text, positions, data):
    spaces = data.draw(st.lists(WHITESPACE, min_size=len(positions), max_size=len(positions)))
    spaced = insert_whitespace(text, positions, spaces)
    assert normalise_header_text(spaced) == normalise_header_text(text)
    assert header_role(spaced) == header_role(text)


# --------------------------------------------------------------------------
# text blocks
# --------------------------------------------------------------------------

LINE = st.one_of(
    st.text(max_size=40),
    st.text(TABLE_CHARS, max_size=40),
    st.lists(CELL, min_size=1, max_size=9).map(lambda cells: "\t" + "\t".join(cells)),  # tab dump row
    st.lists(CELL, min_size=1, max_size=9).map(lambda cells: "| " + " | ".join(cells) + " |"),  # pipe row
    st.sampled_from(["", " ", "\t序号", "注：", "附表1", "一、总体要求", "重点项目一览表"]),
)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), st.lists(LINE, max_size=30).map("\n".join)))
def test_text_blocks_never_raise(text):
    blocks = text_blocks(text)
    for block in blocks:
        assert isinstance(block, (Paragraph, Table))
        if isinstance(block, Paragraph):
            assert block.text.strip()
        else:
            widths = {len(row) for row in block.rows}
            assert len(widths) <= 1, widths  # a table is a grid


def test_text_blocks_rebuild_a_seed_tab_table():
    # the tab-dump layout of seed 002 (cell per tab-indented line, blank line ends a row)
    text = "\n".join(["附表1", "\t序号", "\t任务名称", "\t主要内容", "\t完成时限", "\t责任单位", "",
                      "\t1", "\t生态文明建设规划", "\t编制规划并实施", "\t2023年", "\t县生态环境局", ""])
    tables = [b for b in text_blocks(text) if isinstance(b, Table)]
    assert len(tables) == 1
    assert tables[0].rows[-1][0] == "1" and "县生态环境局" in tables[0].rows[-1]


# --------------------------------------------------------------------------
# aligning ragged rows
# --------------------------------------------------------------------------

RAGGED = st.builds(
    lambda cells, after, before, line: RaggedRow(tuple(cells), Locator(line=line), after, before),
    st.lists(st.one_of(CELL, st.integers(1, 60).map(str)), max_size=10),
    st.booleans(), st.booleans(), st.integers(1, 500),
)
SEED_ROW = st.builds(
    lambda header, body: [RaggedRow(header, Locator(line=1))] + body,
    st.sampled_from(sorted(SEED_HEADERS.values())),
    st.lists(RAGGED, max_size=12),
)


@given(st.one_of(st.lists(RAGGED, max_size=15), SEED_ROW))
def test_align_rows_gives_a_rectangle_with_a_locator_per_row(ragged):
    grid, locators = align_rows(ragged)
    assert len(grid) == len(locators)
    assert len({len(row) for row in grid}) <= 1
    kept = [r for r in ragged if any(r.cells)]
    assert len(grid) == len(kept)  # only wholly empty rows are dropped
    assert list(locators) == [r.locator for r in kept]


@given(SEED_ROW)
def test_align_rows_keeps_the_text_of_every_body_cell(ragged):
    assume(sum(1 for r in ragged if is_header_row(r.cells)) == 1)  # one header: its width is the table's
    grid, _ = align_rows(ragged)
    out = "\n".join(cell for row in grid for cell in row)
    for row in ragged:
        for cell in row.cells:
            assert cell in out


# --------------------------------------------------------------------------
# target / measured / assessment columns with a year in every written form (issue 13)
# --------------------------------------------------------------------------

from planingest.interpret.tables.headers import header_year  # noqa: E402

_VOCAB_ROWS = read_rows(catalogue_dir() / "table_headers.csv", ["role", "synonym", "match"], ["note"])
#: words of the year-bearing roles as the catalogue lists them (the bare-year key 年 aside)
YEAR_ROLE_WORDS = sorted((row["synonym"], row["role"]) for row in _VOCAB_ROWS
                         if row["role"] in ("target", "baseline", "assessment") and row["synonym"] != "年")
#: how real headers attach a year to their words: 2025年目标值, 目标值（2025年）, 目标值2025, 目标值(2025)
YEAR_FORMS = ["{y}年{w}", "{y}年度{w}", "{w}（{y}年）", "{w}({y}年)", "{w}（{y}）", "{w}{y}", "{w}\n（{y}年）",
              "{y} 年{w}", "{w}【{y}年】"]


@given(st.sampled_from(YEAR_ROLE_WORDS), st.integers(min_value=1990, max_value=2060), st.sampled_from(YEAR_FORMS))
def test_a_year_anywhere_in_a_header_keeps_its_role_and_is_read(word_role, year, form):
    word, role = word_role
    text = form.format(y=year, w=word)
    assert header_role(text) == header_role(word) == role
    assert header_year(text) == year


@given(st.integers(min_value=1990, max_value=2060), st.sampled_from(["{y}年", "{y}", "{y} 年", "{y}年度"]))
def test_a_header_that_is_only_a_year_is_that_years_target(year, form):
    text = form.format(y=year)
    assert header_role(text) == "target" and header_year(text) == year


@given(st.integers(min_value=1990, max_value=2060), st.sampled_from(["现状", "现状值", "基准年", "基期值"]))
def test_a_year_with_its_word_in_brackets_takes_the_bracketed_role(year, word):
    assert header_role(f"{year}年（{word}）") == "baseline"
    assert header_year(f"{year}年（{word}）") == year


@given(st.lists(st.integers(min_value=1990, max_value=2060), min_size=1, max_size=4, unique=True),
       st.sampled_from(["{y}年目标值", "近期（{y}年）", "规划目标值{y}", "{y}年"]))
def test_every_target_year_column_is_its_own_row(years, form):
    from planingest.interpret.tables.indicators import indicator_rows
    from planingest.interpret.tables.layout import recognise

    header = ("序号", "指标名称", "现状值（2020年）", *(form.format(y=y) for y in years))
    body = ("1", "生态环境信息公开率", "80", *(f"≥{90 + k}" for k in range(len(years))))
    (table,) = recognise([Table(rows=(header, body), locator=Locator(table=1))])
    rows = indicator_rows(table)
    if len(years) == 1:
        assert [r.target_year for r in rows] == years
    else:
        assert [(r.target_year, r.deadline_raw) for r in rows] == [(y, f"{y}年") for y in years]
    assert all(r.current_raw == "80" and r.current_year_raw == "现状值（2020年）" for r in rows)
