"""What OCR writes is trusted only as far as its scores and the indicator's plausible range allow.

Per-cell recognition scores travel from the OCR'd grid (layout.grid) through page
stitching (records.Table.scores) and the table logic (Row.scores) to the raw row
(RawIndicator.ocr_score / low_confidence_cells); normalisation marks such a row
``needs_review`` with a review item naming the cell.  Independently of the format, a
numeric target far outside its indicator's range (a percentage above 100, many times
the national target) goes to review.  A document read by OCR is ok, flagged by ocr_pages.
"""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planingest.core.enums import IssueCode, Status
from planingest.core.records import Interpretation, Issue, Locator, RawIndicator, RawMetadata, Table
from planingest.ingest.layout.grid import Cell, grid_from_cells
from planingest.ingest.layout.pages import PageTable
from planingest.ingest.layout.stitch import stitch
from planingest.interpret.confidence import LOW_OCR_SCORE, weak_cells
from planingest.interpret.tables.indicators import indicator_rows
from planingest.interpret.tables.layout import recognise
from planingest.normalize.document import normalise_interpretation
from planingest.normalize.plausibility import FAR_FACTOR, implausible_target, national_numbers
from tests.seedrun import SAMPLES

HEADER = ("序号", "指标名称", "单位", "指标值", "责任部门")
LOW, HIGH = LOW_OCR_SCORE - 0.2, 0.99


# ---------------------------------------------------------------- plausibility (pure)


@given(st.floats(min_value=100.001, max_value=1e6, allow_nan=False))
def test_a_percentage_above_100_is_never_plausible(value):
    assert "percentage above 100" in implausible_target(value, "%", None)


@given(st.floats(min_value=0, max_value=100, allow_nan=False))
def test_a_percentage_up_to_100_without_a_national_number_is_plausible(value):
    assert implausible_target(value, "%", None) is None
    assert implausible_target(value, "%", "完成上级规定的考核任务") is None


@given(national=st.integers(min_value=1, max_value=10_000),
       ratio=st.floats(min_value=1.01 / FAR_FACTOR, max_value=FAR_FACTOR * 0.99))
def test_a_target_within_the_factor_of_the_national_value_is_plausible(national, ratio):
    assert implausible_target(national * ratio, None, f"≥{national}") is None


@given(national=st.integers(min_value=1, max_value=10_000), ratio=st.floats(min_value=FAR_FACTOR * 1.01, max_value=1e3))
def test_a_target_far_above_the_national_value_is_doubted(national, ratio):
    reason = implausible_target(national * ratio, None, f"≥{national}")
    assert reason and "national target" in reason


@pytest.mark.parametrize("national, numbers", [
    ("≥60", (60.0,)), ("山区≥60；丘陵地区≥40；平原地区≥18", (60.0, 40.0, 18.0)), ("市:100；县:开展", (100.0,)),
    ("完成上级管控目标", ()), (None, ()), ("△EQI≥-1", (1.0,)),
])
def test_national_numbers(national, numbers):
    assert national_numbers(national) == numbers


@pytest.mark.parametrize("value, unit, national, doubted", [
    (260, "%", "≥60", True),  # ≥60 read as 260: above 100 and far above the national value
    (600, None, "≥60", True),
    (60, "%", "≥60", False),
    (95, "%", "≥60", False),  # stricter than the national target, as local plans often are
    (35, "%", "干旱半干旱地区≥35；其他地区≥60", False),
    (5, "%", "≥95", True),  # 95 with its 9 lost
    (None, "%", "≥60", False),
])
def test_implausible_targets(value, unit, national, doubted):
    assert (implausible_target(value, unit, national) is not None) == doubted


# ---------------------------------------------------------------- scores travel with the cells


@pytest.mark.parametrize("scores, lowest, low", [
    ({}, None, ()),
    ({"indicator": HIGH, "target": HIGH, "unit": LOW}, HIGH, ()),  # the unit cell is not checked
    ({"indicator": HIGH, "target": LOW}, LOW, (f"target {LOW:.2f}",)),
    ({"departments": LOW, "indicator": LOW}, LOW, (f"name {LOW:.2f}", f"departments {LOW:.2f}")),
])
def test_weak_cells(scores, lowest, low):
    assert weak_cells(scores) == (lowest, low)


def _ocr_grid(rows, scores):
    cells = [Cell((c * 50.0, r * 20.0, c * 50.0 + 50, r * 20.0 + 20), text, score=score)
             for r, (row, srow) in enumerate(zip(rows, scores)) for c, (text, score) in enumerate(zip(row, srow))]
    return grid_from_cells(cells)


def test_grid_scores_survive_stitching_into_the_table():
    rows = [HEADER, ("1", "生态文明建设规划", "-", "制定实施", "县发改局")]
    grid = _ocr_grid(rows, [(HIGH,) * 5, (HIGH, HIGH, None, LOW, HIGH)])
    assert grid.scores[1] == (HIGH, HIGH, None, LOW, HIGH)
    (table, _), = stitch([PageTable(page=1, grid=grid, bbox=(0, 0, 250, 40), ocr=True)])
    assert table.score(1, 3) == LOW and table.score(1, 2) is None and table.score(9, 9) is None


def test_born_digital_grid_has_no_scores():
    grid = grid_from_cells([Cell((0, 0, 50, 20), "序号"), Cell((50, 0, 100, 20), "指标名称")])
    assert grid.scores == ()


def _table(rows, scores):
    return Table(rows=tuple(tuple(r) for r in rows), locator=Locator(page=1, table=1),
                 scores=tuple(tuple(s) for s in scores))


def test_row_scores_reach_the_raw_indicator():
    rows = [HEADER, ("1", "生态环境信息公开率", "%", "≥260", "县生态环境局"), ("2", "河长制", "-", "全面实施", "县水利局")]
    scores = [(None,) * 5, (HIGH, HIGH, HIGH, LOW, HIGH), (HIGH, HIGH, HIGH, HIGH, 0.97)]
    (recognised,) = recognise([_table(rows, scores)])
    first, second = indicator_rows(recognised)
    assert first.ocr_score == LOW and first.low_confidence_cells == (f"target {LOW:.2f}",)
    assert second.ocr_score == 0.97 and second.low_confidence_cells == ()


def test_rows_of_an_unscored_table_carry_no_score():
    (recognised,) = recognise([Table(rows=(HEADER, ("1", "河长制", "-", "全面实施", "县水利局")), locator=Locator())])
    (row,) = indicator_rows(recognised)
    assert row.ocr_score is None and row.low_confidence_cells == ()


# ---------------------------------------------------------------- normalisation routes the doubts


def _normalise(indicators, issues=(), ocr_pages=()):
    interp = Interpretation(RawMetadata(title="2023年靖州县生态文明建设示范区创建工作计划"), tuple(indicators),
                            issues=tuple(issues), ocr_pages=tuple(ocr_pages))
    return normalise_interpretation("doc", "x.pdf", "pdf", 3, interp)


def _raw(name="河长制", target="全面实施", unit="-", low=(), score=None):
    return RawIndicator(name_raw=name, locator=Locator(page=1, table=1, row=2), seq=1, unit=unit, target_raw=target,
                        departments_raw="县水利局", ocr_score=score, low_confidence_cells=low)


def test_a_low_confidence_cell_sends_its_row_to_review_naming_the_cell():
    result = _normalise([_raw(low=(f"target {LOW:.2f}",), score=LOW), _raw(name="生态环境信息公开率", target="100",
                                                                           unit="%", score=HIGH)])
    doubted, trusted = result.indicators
    assert doubted.needs_review and doubted.indicator_id == "I04"
    assert not trusted.needs_review and trusted.indicator_id == "I05"
    (item,) = [i for i in result.review if "OCR" in i.reason]
    assert item.raw == "河长制: 全面实施" and "target cell" in item.reason and f"{LOW:.2f}" in item.reason


def test_an_implausible_target_goes_to_review_in_any_format():
    result = _normalise([_raw(name="生态环境信息公开率", target="260", unit="%")])
    (row,) = result.indicators
    assert row.needs_review and row.target_value == 260  # kept as read, but not trusted
    assert any("percentage above 100" in i.reason and i.raw == "生态环境信息公开率: 260" for i in result.review)


def test_a_document_read_by_ocr_is_ok_with_its_pages_counted_and_named():
    note = Issue(IssueCode.OCR, "pages 1-3 have no text layer and were read by OCR (…)", Locator(page=1))
    result = _normalise([_raw()], issues=[note], ocr_pages=(1, 2, 3))
    assert result.document.status == Status.OK and result.document.ocr_pages == 3
    assert "read by OCR" in result.document.error


def test_an_ocr_document_that_lost_content_is_still_partial():
    issues = [Issue(IssueCode.OCR, "pages 1 were read by OCR", Locator(page=1)),
              Issue(IssueCode.OCR_SKIPPED, "scanned pages 2 were not read", Locator(page=2))]
    result = _normalise([_raw()], issues=issues, ocr_pages=(1,))
    assert result.document.status == Status.PARTIAL and "not read" in result.document.error


# ---------------------------------------------------------------- a box joining two cells is cut at the ruling


def test_a_box_across_a_ruling_is_split_between_the_cells():
    from planingest.ingest.ocr import OcrBox, split_across_cells

    cells = [(0.0, 0.0, 50.0, 20.0), (50.0, 0.0, 120.0, 20.0)]
    joined = OcrBox("单位指标值", 22.0, 5.0, 92.0, 15.0, 0.99)  # 14 pt a character: 2 left, 3 right of x=50
    assert [(b.text, b.x0, b.x1) for b in split_across_cells([joined], cells)] == [
        ("单位", 22.0, 50.0), ("指标值", 50.0, 92.0)]
    overhang = OcrBox("指标值", 45.0, 5.0, 100.0, 15.0, 0.99)  # starts 5 pt left of the ruling: less than half a char
    assert split_across_cells([overhang], cells) == [overhang]


# ---------------------------------------------------------------- what the batch needs to budget OCR time


def test_ocr_pages_needed_counts_pages_without_a_text_layer(tmp_path):
    from PIL import Image

    from planingest.ingest.pdf.reader import ocr_pages_needed

    path = tmp_path / "scan.pdf"
    pages = [Image.new("L", (400, 560), 255) for _ in range(3)]
    pages[0].save(path, "PDF", save_all=True, append_images=pages[1:], resolution=50)
    assert ocr_pages_needed(path.read_bytes()) == 3
    assert ocr_pages_needed((SAMPLES / "pdf" / "jingzhou.pdf").read_bytes()) == 0  # a text layer throughout
    assert ocr_pages_needed(b"%PDF-1.7 not really") == 0
