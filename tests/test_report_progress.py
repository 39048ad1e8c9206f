"""The report's measured values and assessments: shown as the documents give them, never computed."""
from __future__ import annotations

import pandas as pd
import pytest

from planingest.catalogue.indicators import load_indicator_catalogue
from planingest.publish.report_data import RegionGroup, RegionSummary
from planingest.publish.report_progress import assessment_states, progress_lines, progress_section

CATALOGUE = load_indicator_catalogue()
GROUP = RegionGroup("360925", "靖安县", "360925", ("plan.docx",), ("d1",))


def _rows(*rows: dict) -> pd.DataFrame:
    base = {"doc_id": "d1", "indicator_id": "I11", "sub_indicator_id": None, "target_scope": None,
            "target_raw": None, "deadline": None, "current_raw": None, "current_year": None,
            "assessment_raw": None, "meets_target": None}
    return pd.DataFrame([{**base, **r} for r in rows])


@pytest.mark.parametrize("meets, state", [
    ([True, True], "met"), ([True, False], "missed"), ([True, None], "unclear"), ([None], "unclear"),
])
def test_a_cell_shows_the_worst_its_rows_say(meets, state):
    frame = _rows(*({"assessment_raw": "达标" if m else "x", "meets_target": m} for m in meets))
    assert assessment_states(frame, [GROUP])[("360925", "I11")].state == state


def test_a_value_without_an_assessment_is_never_assessed():
    frame = _rows({"target_raw": "≥60", "deadline": "2025", "current_raw": "62.1%", "current_year": 2022})
    assert assessment_states(frame, [GROUP]) == {}
    (line,) = progress_lines(frame, GROUP)
    assert (line.targets, line.measured, line.assessments) == (("2025: ≥60",), ("2022: 62.1%",), ())


def test_targets_by_year_sit_beside_the_measured_value():
    frame = _rows({"target_raw": "≥60", "deadline": "2025", "current_raw": "58", "current_year": 2020,
                   "assessment_raw": "未达标", "meets_target": False},
                  {"target_raw": "≥65", "deadline": "2030", "current_raw": "58", "current_year": 2020,
                   "assessment_raw": "未达标", "meets_target": False})
    (line,) = progress_lines(frame, GROUP)
    assert line.targets == ("2025: ≥60", "2030: ≥65") and line.measured == ("2020: 58",)
    assert line.assessments == ("未达标",)


def test_plan_targets_alone_are_left_to_the_regions_section():
    assert progress_lines(_rows({"target_raw": "≥60", "deadline": "2025"}), GROUP) == []


def test_the_section_says_so_when_no_document_measures_anything():
    summary = RegionSummary("360925", "靖安县", "360925", "county", 1, 1, 1, 1, 0, 0, ())
    html = progress_section([summary], [GROUP], _rows({"target_raw": "≥60"}), CATALOGUE)
    assert 'id="progress"' in html and "No document in this run states a measured value" in html
