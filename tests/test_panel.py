"""The researchers' panel (region × year × indicator) and the DuckDB export (issue 13)."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest

from planingest.cli.main import main
from planingest.publish.panel import JOIN, PANEL, panel

ROOT = Path(__file__).resolve().parent.parent


def document(doc_id, issue_date=None, doc_type="unknown", plan_year=None, admin_code="360925", is_primary=True):
    return {"doc_id": doc_id, "source_path": f"{doc_id}.docx", "status": "ok", "region": "靖安县",
            "admin_code": admin_code, "province": "江西省", "city": "宜春市", "plan_year": plan_year,
            "issue_date": dt.date.fromisoformat(issue_date) if issue_date else None, "doc_type": doc_type,
            "is_primary": is_primary}


def indicator(doc_id, row_id, target=None, deadline=None, current=None, current_year=None, assessment=None,
              meets=None, indicator_id="I03", sub=None):
    return {"doc_id": doc_id, "row_id": row_id, "indicator_id": indicator_id, "sub_indicator_id": sub,
            "name_raw": "生态文明建设工作占党政实绩考核的比例", "sub_name_raw": None, "target_scope": None, "unit": "%",
            "target_raw": target, "target_op": ">=" if target else None,
            "target_value": float(target.strip("≥")) if target else None, "target_text": None, "deadline": deadline,
            "current_raw": current, "current_value": float(current) if current else None,
            "current_year": current_year, "assessment_raw": assessment, "meets_target": meets}


def run_panel(documents, indicators):
    return panel({"documents": pd.DataFrame(documents), "indicators": pd.DataFrame(indicators)})


def test_columns_follow_the_declared_schema():
    frame = run_panel([document("a")], [indicator("a", "r1", "≥20", "2025")])
    assert list(frame.columns) == [c.name for c in PANEL]


def test_a_plan_row_gives_its_target_year_and_its_baseline_year():
    frame = run_panel([document("plan", "2021-06-18")],
                      [indicator("plan", "r1", "≥20", "2025", "18", 2020, "未达标", False),
                       indicator("plan", "r2", "≥22", "2030", "18", 2020, "未达标", False)])
    got = frame[["year", "target_raw", "current_raw", "assessment_raw", "meets_target", "superseded_row_ids"]]
    assert got.astype(object).where(got.notna(), None).values.tolist() == [
        [2020, None, "18", "未达标", False, None],  # the baseline, once: r2 repeats r1's, not a rival
        [2025, "≥20", None, None, None, None],
        [2030, "≥22", None, None, None, None],
    ]


def test_the_latest_issue_date_wins_the_target_and_the_loser_is_traceable():
    frame = run_panel([document("old", "2021-01-01"), document("new", "2023-03-01")],
                      [indicator("old", "r-old", "≥20", "2025"), indicator("new", "r-new", "≥25", "2025")])
    (row,) = frame.itertuples(index=False)
    assert (row.target_raw, row.target_doc_id, row.target_row_id, row.superseded_row_ids) == (
        "≥25", "new", "r-new", "r-old")


def test_a_self_assessment_value_beats_a_later_plans_baseline():
    frame = run_panel(
        [document("selfcheck", "2022-12-01", "self_assessment"), document("plan", "2023-05-01", "plan")],
        [indicator("selfcheck", "r-self", "≥20", None, "22", 2022, "是", True),
         indicator("plan", "r-plan", "≥25", "2025", "21", 2022)])
    row = frame.set_index("year").loc[2022]
    assert (row.current_raw, row.value_doc_id, row.value_doc_type, row.meets_target) == (
        "22", "selfcheck", "self_assessment", True)
    assert row.superseded_row_ids == "r-plan"
    # the self-assessment's undated target is for the year it measured
    assert (row.target_raw, row.target_doc_id) == ("≥20", "selfcheck")


def test_undated_rows_fall_back_to_the_plan_year_and_non_primary_files_do_not_count():
    frame = run_panel([document("annual", "2023-02-01", plan_year=2023), document("copy", "2023-02-02", is_primary=False)],
                      [indicator("annual", "r1", "≥20"), indicator("copy", "r2", "≥30")])
    assert frame[["year", "target_raw"]].values.tolist() == [[2023, "≥20"]]


def test_documents_without_a_region_are_never_pooled():
    frame = run_panel([document("a", admin_code=None), document("b", admin_code=None)],
                      [indicator("a", "r1", "≥20", "2025"), indicator("b", "r2", "≥30", "2025")])
    assert sorted(frame["target_raw"]) == ["≥20", "≥30"] and frame["admin_code"].isna().all()


def test_identical_statements_of_two_files_list_the_other_as_superseded():
    frame = run_panel([document("txt", "2023-01-01"), document("docx", "2023-01-01")],
                      [indicator("txt", "r-txt", "≥20", "2025"), indicator("docx", "r-docx", "≥20", "2025")])
    (row,) = frame.itertuples(index=False)
    assert row.target_doc_id == "docx" and row.superseded_row_ids.split(JOIN) == ["r-txt"]  # ties: smaller doc_id


@pytest.mark.slow
def test_duckdb_export_holds_the_tables_and_their_meanings(tmp_path):
    duckdb = pytest.importorskip("duckdb")
    inputs = tmp_path / "in"
    inputs.mkdir()
    for relative in ("docx/jingan-multiyear.docx", "xlsx/changting-selfcheck.xlsx", "pdf/yifeng-summary.pdf"):
        shutil.copy(ROOT / "samples" / relative, inputs)
    out = tmp_path / "out"
    assert main(["run", str(inputs), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    assert main(["export", "--out", str(out), "--format", "duckdb"]) == 0
    con = duckdb.connect(str(out / "export.duckdb"), read_only=True)
    try:
        tables = {t for (t,) in con.execute("SHOW TABLES").fetchall()}
        assert {"documents", "indicators", "projects", "tasks", "review", "panel", "targets_wide",
                "responsibilities", "data_dictionary"} <= tables
        years = con.execute("SELECT year, count(*) FROM panel WHERE admin_code = '360925' GROUP BY year "
                            "ORDER BY year").fetchall()
        assert years == [(2020, 13), (2025, 13), (2030, 13)]
        assert con.execute("SELECT current_raw, meets_target FROM panel WHERE admin_code = '350821' "
                           "AND indicator_id = 'I36'").fetchall() == [("41.2", False)]
        assert con.execute("SELECT invested_wan FROM projects ORDER BY seq").fetchall() == [
            (9650.0,), (6500.0,), (7800.0,)]
        (comment,) = con.execute("SELECT comment FROM duckdb_columns() WHERE table_name = 'indicators' "
                                 "AND column_name = 'meets_target'").fetchone()
        assert "never computed" in comment
    finally:
        con.close()
