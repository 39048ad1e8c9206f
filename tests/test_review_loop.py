"""The human-in-the-loop cycle: run → review workbook → decisions → accept → run again.

Walked on the text samples plus two crafted plans (an unknown indicator, a near
miss, two unknown units, a plan whose region the text does not name), always
against a COPY of catalogue/ passed with --catalogue: the repository's own
vocabulary is never edited by a test.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planingest.catalogue import DEFAULT_DIR
from planingest.catalogue.indicators import load_indicator_catalogue
from planingest.cli.main import main
from planingest.normalize.indicator_index import WordingIndex
from planingest.normalize.vocabulary import catalogue_fingerprint, load_vocabulary
from planingest.review.carry import COMPETING, LEFT_QUEUE, Filled, carry_over
from planingest.review.queue import indicator_choices, review_rows
from planingest.review.rules import Decision, indicator_target, to_change
from planingest.review.sheets import CARRIED, KINDS, LISTS, README, ReviewRow, columns
from planingest.review.workbook import INLINE_LIST_LIMIT, row_ranges, text_lines, write_workbook

ROOT = Path(__file__).resolve().parent.parent
UNKNOWN_INDICATOR, NEAR_MISS = "生态系统碳汇能力提升", "集中式饮用水水源地水质达标率"
UNKNOWN_UNIT, IGNORED_UNIT = "县生态保护中心", "县碳汇研究所"
NO_REGION_TITLE = "2024年国家生态文明建设示范区巩固提升工作要点"
YONGSHUN = f"""永顺县2024年国家生态文明建设示范县巩固提升工作计划

为巩固我县国家生态文明建设示范县创建成果，结合我县实际，制定本计划。

附件1 永顺县2024年生态文明建设指标任务分解表
序号 | 指标名称 | 指标值 | 责任单位 |
1 | 生态文明建设规划 | 制定实施 | 县生态环境局 |
2 | 河湖长制 | 全面实施 | 县水利局 |
3 | {UNKNOWN_INDICATOR} | 稳步提升 | {UNKNOWN_UNIT} |
4 | 林草覆盖率 | ≥60% | 县林业局、{IGNORED_UNIT} |
"""
NO_REGION = f"""{NO_REGION_TITLE}

附件 指标任务分解表
序号 | 指标名称 | 指标值 | 责任单位 |
1 | {NEAR_MISS} | 100% | 县生态环境局 |
2 | 环境空气质量 | 持续改善 | 县生态环境局 |
"""
DECISIONS = {  # (sheet, raw) -> what a person picks
    ("indicator", NEAR_MISS): "I28 集中式饮用水水源地水质优良比例",
    ("indicator", UNKNOWN_INDICATOR): "local",
    ("department", UNKNOWN_UNIT): "生态环境局",
    ("department", IGNORED_UNIT): "ignore",
    ("region", NO_REGION_TITLE): "433127",
}


def run(inputs: Path, out: Path, catalogue: Path, capsys) -> str:
    capsys.readouterr()
    assert main(["run", str(inputs), "--out", str(out), "--catalogue", str(catalogue), "--workers", "2",
                 "--quiet"]) == 0
    return capsys.readouterr().err


def copy_catalogue(target: Path) -> Path:
    shutil.copytree(DEFAULT_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


def fill(workbook: Path, target: Path, decisions: dict[tuple[str, str], str], extra_rows=()) -> Path:
    """Type decisions into the decision column, as a person would; ``extra_rows`` are (sheet, {header: value})."""
    wb = openpyxl.load_workbook(workbook)
    for sheet in KINDS:
        ws = wb[sheet]
        header = [c.value for c in ws[1]]
        for row in ws.iter_rows(min_row=2):
            raw = row[header.index("raw")].value
            if (sheet, raw) in decisions:
                row[header.index("decision")].value = decisions[(sheet, raw)]
    for sheet, values in extra_rows:
        ws = wb[sheet]
        header = [c.value for c in ws[1]]
        ws.append([values.get(h) for h in header])
    wb.save(target)
    return target


def loop_inputs(root: Path) -> Path:
    """``root/in``: the seed dumps plus the two crafted plans whose region and indicators need review."""
    inputs = root / "in"
    inputs.mkdir()
    for sample in sorted((ROOT / "samples").glob("*.txt")):
        shutil.copy(sample, inputs)
    (inputs / "yongshun.txt").write_text(YONGSHUN, encoding="utf-8")
    (inputs / "no-region.txt").write_text(NO_REGION, encoding="utf-8")
    return inputs


@pytest.fixture(scope="module")
def loop(tmp_path_factory):
    """First run and its workbook: samples/*.txt plus the two crafted plans, against a catalogue copy."""
    root = tmp_path_factory.mktemp("loop")
    inputs = loop_inputs(root)
    catalogue = copy_catalogue(root / "catalogue")
    out = root / "out"
    assert main(["run", str(inputs), "--out", str(out), "--catalogue", str(catalogue), "--workers", "2",
                 "--quiet"]) == 0
    assert main(["review", "--out", str(out)]) == 0
    pristine = root / "review-as-written.xlsx"
    shutil.copy(out / "review.xlsx", pristine)
    return {"root": root, "inputs": inputs, "catalogue": catalogue, "out": out, "workbook": pristine,
            "repo_fingerprint": catalogue_fingerprint(DEFAULT_DIR)}


def sheet_rows(path: Path, sheet: str) -> list[dict]:
    ws = openpyxl.load_workbook(path)[sheet]
    header = [c.value for c in ws[1]]
    return [dict(zip(header, (c.value for c in row), strict=True)) for row in ws.iter_rows(min_row=2)]


# --------------------------------------------------------------------------
# the workbook
# --------------------------------------------------------------------------


def test_the_workbook_has_a_sheet_per_kind_each_item_once_with_its_source(loop):
    wb = openpyxl.load_workbook(loop["workbook"])
    assert wb.sheetnames[0] == README and set(KINDS) <= set(wb.sheetnames)
    assert wb[LISTS].sheet_state == "hidden"
    review = pd.read_parquet(loop["out"] / "review.parquet")
    documents = pd.read_parquet(loop["out"] / "documents.parquet").set_index("doc_id")
    for kind in KINDS:
        assert [c.value for c in wb[kind][1]] == list(columns(kind))
        assert wb[kind].freeze_panes == "C2"
        rows = sheet_rows(loop["workbook"], kind)
        expected = review[review["kind"] == kind]
        assert [r["raw"] for r in rows] == list(expected["raw"])
        for row, item in zip(rows, expected.itertuples(), strict=True):
            assert row["document"] == documents.loc[item.doc_id, "source_path"]
            assert row["locator"] == item.source_locator and row["doc_id"] == item.doc_id
            assert row["decision"] is None
    assert {(k, r) for k, r in DECISIONS} <= set(zip(review["kind"], review["raw"], strict=True))


def test_indicator_rows_carry_the_matchers_candidates_with_scores(loop):
    row = next(r for r in sheet_rows(loop["workbook"], "indicator") if r["raw"] == NEAR_MISS)
    assert row["suggestion 1"] == "I28 集中式饮用水水源地水质优良比例"
    assert 60 <= row["score 1"] < 90
    assert row["document"].endswith("no-region.txt") and row["locator"] == "table 1, line 5"
    unknown = next(r for r in sheet_rows(loop["workbook"], "indicator") if r["raw"] == UNKNOWN_INDICATOR)
    assert unknown["suggestion 1"] is None  # nothing resembles it: no candidate is invented
    assert unknown["document region"] == "湖南省湘西土家族苗族自治州永顺县"


def _validation(ws, column: str = "B"):
    found = [dv for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith(f"{column}2")]
    assert len(found) == 1
    return found[0]


def test_decision_drop_downs_offer_only_valid_choices_long_lists_from_the_hidden_sheet(loop):
    wb = openpyxl.load_workbook(loop["workbook"])
    vocab = load_vocabulary(loop["catalogue"])
    lists = wb[LISTS]
    for kind, expected_first in (("indicator", "I01 生态文明建设规划"), ("department", "生态环境局")):
        dv = _validation(wb[kind])
        assert dv.type == "list" and dv.formula1.startswith(f"'{LISTS}'!$")
        column, first, last = re.fullmatch(rf"'{LISTS}'!\$([A-Z])\$(\d+):\$[A-Z]\$(\d+)", dv.formula1).groups()
        choices = [lists[f"{column}{i}"].value for i in range(int(first), int(last) + 1)]
        assert len(",".join(choices)) > INLINE_LIST_LIMIT
        assert choices[0] == expected_first and choices[-1] == "ignore"
        if kind == "indicator":
            catalogue = load_indicator_catalogue(loop["catalogue"])
            assert "local" in choices and "I07.1 优良天数比例" in choices
            assert len(choices) == len(catalogue.entries) + len(catalogue.subs) + 2
        else:
            assert set(choices[:-1]) == {d.canonical for d in vocab.departments.vocab.departments}
    region = _validation(wb["region"])
    assert region.type == "custom" and "ignore" in region.formula1 and "LEN" in region.formula1
    assert wb["region"]["B2"].number_format == "@"


@pytest.mark.parametrize("label", indicator_choices(load_indicator_catalogue(DEFAULT_DIR))[:-2])
def test_every_drop_down_label_reads_back_as_its_own_id(label):
    catalogue = load_indicator_catalogue(DEFAULT_DIR)
    indicator_id, sub_id = indicator_target(label, catalogue)
    assert (sub_id or indicator_id) == label.split(" ", 1)[0]


# --------------------------------------------------------------------------
# the workbook keeps a person's work
# --------------------------------------------------------------------------

GONE = {"raw": "一个已删除的指标", "decision": "ignore", "doc_id": "0" * 64, "document": "gone.txt"}


def _decisions_in(path: Path) -> dict[tuple[str, str], str]:
    return {(kind, r["raw"]): r["decision"] for kind in KINDS for r in sheet_rows(path, kind) if r["decision"]}


def test_rerunning_review_carries_every_filled_decision_and_lists_the_rest(loop, tmp_path, capsys):
    workbook = fill(loop["workbook"], tmp_path / "mine.xlsx", DECISIONS, extra_rows=[("indicator", GONE)])
    for _ in range(2):  # twice: a note of the first rerun is kept by the second
        assert main(["review", "--out", str(loop["out"]), "--xlsx", str(workbook)]) == 0
        assert _decisions_in(workbook) == DECISIONS
        notes = sheet_rows(workbook, CARRIED)
        assert [(n["kind"], n["raw"], n["decision"], n["doc_id"]) for n in notes] == [
            ("indicator", GONE["raw"], "ignore", GONE["doc_id"])]
        assert notes[0]["why"] == LEFT_QUEUE
    out = capsys.readouterr().out
    assert f"{len(DECISIONS)} decision(s) on their rows, 1 listed on the sheet 'carried over'" in out


def test_fresh_refuses_a_workbook_with_decisions_naming_it_unless_forced(loop, tmp_path, capsys):
    workbook = fill(loop["workbook"], tmp_path / "mine.xlsx", DECISIONS)
    before = workbook.read_bytes()
    capsys.readouterr()
    assert main(["review", "--out", str(loop["out"]), "--xlsx", str(workbook), "--fresh"]) == 2
    assert f"{workbook} holds {len(DECISIONS)} filled decision(s)" in capsys.readouterr().err
    assert workbook.read_bytes() == before
    assert main(["review", "--out", str(loop["out"]), "--xlsx", str(workbook), "--fresh", "--force"]) == 0
    assert _decisions_in(workbook) == {}


def test_a_file_that_is_not_a_workbook_is_not_overwritten_without_force(loop, tmp_path, capsys):
    target = tmp_path / "notes.xlsx"
    target.write_text("my notes", encoding="utf-8")
    assert main(["review", "--out", str(loop["out"]), "--xlsx", str(target)]) == 2
    assert "--force" in capsys.readouterr().err and target.read_text(encoding="utf-8") == "my notes"


def test_a_decision_competing_with_another_for_the_same_item_is_noted_not_dropped():
    row = ReviewRow(kind="department", raw="县碳汇研究所", suggestions=(), reason="", document="a.txt",
                    locator="table 1, line 3", region=None, doc_id="d")
    filled = [Filled("department", "县碳汇研究所", "d", "ignore"),
              Filled("department", "县碳汇研究所 ", "d", "林业局", why=LEFT_QUEUE)]
    carried = carry_over({"department": [row]}, filled)
    assert carried.rows["department"][0].decision == "ignore" and carried.n_carried == 1
    assert [(n.decision, n.why) for n in carried.notes] == [("林业局", COMPETING.format(value="ignore"))]


# --------------------------------------------------------------------------
# what a row shows, its drop-down, the printed pages
# --------------------------------------------------------------------------


def test_rows_show_what_the_document_says_around_the_text(loop):
    row = next(r for r in sheet_rows(loop["workbook"], "indicator") if r["raw"] == UNKNOWN_INDICATOR)
    assert (row["target"], row["departments"], row["listed under"]) == ("稳步提升", UNKNOWN_UNIT, None)
    unit = next(r for r in sheet_rows(loop["workbook"], "department") if r["raw"] == IGNORED_UNIT)
    assert unit["in the row"] == "林草覆盖率" and unit["target"] == "≥60%"


def _sub_row_tables() -> dict[str, pd.DataFrame]:
    """Two review items of one document: a sub-row listed under I07, and a top-level row."""
    documents = pd.DataFrame({"doc_id": ["d"], "source_path": ["plan.pdf"], "province": ["湖南省"],
                              "city": ["怀化市"], "region": ["靖州苗族侗族自治县"]})
    indicators = pd.DataFrame({
        "doc_id": ["d", "d"], "name_raw": ["环境空气质量", "城乡绿化水平"], "sub_name_raw": ["优良天数占全年之比", None],
        "indicator_id": ["I07", None], "unit": ["%", "%"], "target_raw": ["≥90", "提升"],
        "departments_raw": ["县生态环境局", "县林业局"], "source_locator": ["page 3, table 1, row 9", "page 3, table 1, row 12"],
        "page": [3, 3]})
    review = pd.DataFrame({
        "doc_id": ["d", "d"], "kind": ["indicator", "indicator"], "raw": ["优良天数占全年之比", "城乡绿化水平"],
        "suggestion": [None, None], "score": [None, None], "reason": ["uncertain", "unknown"],
        "source_locator": ["page 3, table 1, row 9", "page 3, table 1, row 12"]})
    empty = pd.DataFrame({c: [] for c in ("doc_id", "source_locator", "name", "title", "content", "departments_raw")})
    return {"documents": documents, "indicators": indicators, "review": review, "projects": empty, "tasks": empty}


def test_a_sub_row_offers_only_its_parent_its_sub_indicators_local_and_ignore(tmp_path):
    catalogue = load_indicator_catalogue(DEFAULT_DIR)
    rows = review_rows(_sub_row_tables(), load_vocabulary(DEFAULT_DIR), WordingIndex(catalogue), catalogue)
    sub, top = rows["indicator"]
    assert sub.under == "I07 环境空气质量" and (sub.unit, sub.target, sub.page) == ("%", "≥90", 3)
    assert sub.choices == ("I07 环境空气质量", "I07.1 优良天数比例", "I07.2 PM2.5浓度下降幅度", "local", "ignore")
    assert top.choices is None and top.under is None
    path = tmp_path / "review.xlsx"
    write_workbook(path, rows, {"indicator": indicator_choices(catalogue)}, DEFAULT_DIR)
    wb = openpyxl.load_workbook(path)
    by_range = {str(dv.sqref): dv for dv in wb["indicator"].data_validations.dataValidation}
    assert set(by_range) == {"B2", "B3"}
    assert by_range["B2"].formula1 == '"I07 环境空气质量,I07.1 优良天数比例,I07.2 PM2.5浓度下降幅度,local,ignore"'
    assert by_range["B3"].formula1.startswith(f"'{LISTS}'!$")


@pytest.mark.parametrize("numbers, expected", [
    ([2], "B2"), ([2, 3, 4], "B2:B4"), ([2, 3, 4, 7], "B2:B4 B7"), ([9, 2, 3], "B2:B3 B9"),
])
def test_rows_sharing_a_drop_down_become_ranges(numbers, expected):
    assert row_ranges(numbers, "B") == expected


def test_sheets_print_a4_landscape_one_page_wide_with_the_header_on_every_page(loop):
    wb = openpyxl.load_workbook(loop["workbook"])
    review = pd.read_parquet(loop["out"] / "review.parquet")
    for kind in KINDS:
        ws = wb[kind]
        n = int((review["kind"] == kind).sum())
        assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(columns(kind)))}{n + 1}"
        if not n:
            assert ws.sheet_state == "hidden" and not ws.print_area  # nothing to print
            continue
        assert ws.sheet_state == "visible"
        assert (ws.page_setup.orientation, int(ws.page_setup.paperSize)) == ("landscape", 9)  # 9: A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0 and ws.print_title_rows == "$1:$1"


def test_the_readme_has_one_wrapped_paragraph_per_row_with_room_for_it(loop):
    ws = openpyxl.load_workbook(loop["workbook"])[README]
    assert ws.column_dimensions["B"].width >= 80
    for row in ws.iter_rows(min_row=2):
        text = row[1].value
        assert text and row[1].alignment.wrap_text
        assert ws.row_dimensions[row[1].row].height >= 15 * text_lines(text, ws.column_dimensions["B"].width)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_workbook_prints_one_page_per_sheet_with_items(loop, tmp_path):
    import subprocess

    import pypdfium2

    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(loop["workbook"])],
                          capture_output=True, text=True, timeout=180)
    pdf = tmp_path / f"{loop['workbook'].stem}.pdf"
    assert pdf.exists(), done.stderr[-2000:]
    kinds = pd.read_parquet(loop["out"] / "review.parquet")["kind"].nunique()
    assert len(pypdfium2.PdfDocument(pdf)) == 1 + kinds  # README + one page per sheet with items, no empty pages


@pytest.mark.parametrize("command", [["review"], ["report"], ["export", "--format", "csv"]])
def test_reading_commands_never_create_the_output_folder(tmp_path, capsys, command):
    missing = tmp_path / "typo"
    assert main([command[0], "--out", str(missing), *command[1:]]) == 2
    assert f"--out {missing} does not exist" in capsys.readouterr().err
    assert not missing.exists()


# --------------------------------------------------------------------------
# the loop
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def accepted(loop):
    """Fill the decisions, accept them into the catalogue copy, run again."""
    filled = fill(loop["workbook"], loop["root"] / "filled.xlsx", DECISIONS)
    before = snapshot(loop["catalogue"])
    assert main(["accept", str(filled), "--catalogue", str(loop["catalogue"])]) == 0
    after = snapshot(loop["catalogue"])
    out = loop["out"]
    previous_review = pd.read_parquet(out / "review.parquet")
    return {"before": before, "after": after, "previous_review": previous_review}


def test_accept_appends_one_row_per_decision_to_the_right_files(loop, accepted):
    added = {}
    for name, data in accepted["after"].items():
        old = accepted["before"].get(name, b"").decode("utf-8-sig").splitlines()
        new = data.decode("utf-8-sig").splitlines()
        assert new[:len(old)] == old  # appended, nothing above changed
        added[name] = new[len(old):]
    assert {k: len(v) for k, v in added.items() if v} == {
        "indicator_aliases.csv": 1, "local_indicators.csv": 1, "department_aliases.csv": 1,
        "review_ignore.csv": 1, "region_aliases.csv": 1}
    assert added["indicator_aliases.csv"][0].startswith(f"{NEAR_MISS},I28,,")
    assert added["local_indicators.csv"][0].startswith(f"{UNKNOWN_INDICATOR},湖南省湘西土家族苗族自治州永顺县,,")
    assert added["department_aliases.csv"][0].startswith("生态保护中心,生态环境局,alias,")
    assert added["review_ignore.csv"][0].startswith(f"department,{IGNORED_UNIT},")
    assert added["region_aliases.csv"][0].startswith(f"{NO_REGION_TITLE},433127,")


def test_next_run_applies_the_decisions_without_parsing_again(loop, accepted, capsys):
    summary = run(loop["inputs"], loop["out"], loop["catalogue"], capsys).splitlines()[-1]
    assert "read 0, cached 7" in summary
    out = loop["out"]
    review = pd.read_parquet(out / "review.parquet")
    settled = set(DECISIONS)
    assert settled <= set(zip(accepted["previous_review"]["kind"], accepted["previous_review"]["raw"], strict=True))
    assert not settled & set(zip(review["kind"], review["raw"], strict=True))
    assert len(review) == len(accepted["previous_review"]) - len(DECISIONS)

    indicators = pd.read_parquet(out / "indicators.parquet").set_index("name_raw")
    near = indicators.loc[NEAR_MISS]
    assert (near["indicator_id"], near["match_method"], near["needs_review"]) == ("I28", "alias", False)
    local = indicators.loc[UNKNOWN_INDICATOR]
    assert pd.isna(local["indicator_id"]) and local["is_local"] and not local["needs_review"]
    assert list(local["departments"]) == ["生态环境局"]
    documents = pd.read_parquet(out / "documents.parquet")
    no_region = documents[documents["source_path"].str.endswith("no-region.txt")].iloc[0]
    assert (no_region["region"], no_region["admin_code"], no_region["province"]) == ("永顺县", "433127", "湖南省")


def test_the_ignored_unit_keeps_its_raw_form_but_leaves_the_queue(loop, accepted):
    indicators = pd.read_parquet(loop["out"] / "indicators.parquet")
    row = indicators[indicators["departments_raw"].fillna("").str.contains(IGNORED_UNIT)].iloc[0]
    assert list(row["departments"]) == ["林业局", IGNORED_UNIT]


def test_accepting_the_same_workbook_again_changes_nothing(loop, accepted, capsys):
    filled = loop["root"] / "filled.xlsx"
    assert main(["accept", str(filled), "--catalogue", str(loop["catalogue"])]) == 0
    assert snapshot(loop["catalogue"]) == accepted["after"]
    assert capsys.readouterr().out.count("(already there)") == len(DECISIONS)


def test_the_repository_catalogue_was_never_touched(loop, accepted):
    assert catalogue_fingerprint(DEFAULT_DIR) == loop["repo_fingerprint"]


# --------------------------------------------------------------------------
# refusals: nothing is written
# --------------------------------------------------------------------------


def _refused(loop, tmp_path, capsys, decisions, extra_rows=()) -> str:
    catalogue = copy_catalogue(tmp_path / "catalogue")
    before = snapshot(catalogue)
    filled = fill(loop["workbook"], tmp_path / "filled.xlsx", decisions, extra_rows)
    capsys.readouterr()
    assert main(["accept", str(filled), "--catalogue", str(catalogue)]) == 2
    assert snapshot(catalogue) == before
    captured = capsys.readouterr()
    assert "nothing was written" in captured.err and "Traceback" not in captured.err
    return captured.err


def _row_of(loop, sheet: str, raw: str) -> int:
    rows = sheet_rows(loop["workbook"], sheet)
    return 2 + [r["raw"] for r in rows].index(raw)


@pytest.mark.parametrize("sheet, raw, value, message", [
    ("indicator", NEAR_MISS, "I99", "I99 is not an ID in the indicator catalogue"),
    ("indicator", NEAR_MISS, "I28 林草覆盖率", "I28 is 集中式饮用水水源地水质优良比例, not '林草覆盖率'"),
    ("indicator", NEAR_MISS, "mapped", "'mapped' is not a catalogue ID"),
    ("department", UNKNOWN_UNIT, "生态保护局", "'生态保护局' is not a canonical department"),
    ("region", NO_REGION_TITLE, "999999", "999999 is not a code in regions.csv"),
    ("region", NO_REGION_TITLE, "永顺县", "'永顺县' is not a 6-digit administrative code"),
    ("region", NO_REGION_TITLE, "433127 靖州苗族侗族自治县", "433127 is 永顺县, not '靖州苗族侗族自治县'"),
])
def test_an_invalid_decision_is_refused_with_its_row_and_nothing_is_written(loop, tmp_path, capsys, sheet, raw,
                                                                            value, message):
    decisions = dict(DECISIONS) | {(sheet, raw): value}  # every other decision is valid: still all or nothing
    err = _refused(loop, tmp_path, capsys, decisions)
    assert f"{sheet} row {_row_of(loop, sheet, raw)}: {message}" in err
    assert err.count(" row ") == 1


def test_two_different_decisions_for_one_text_are_both_named(loop, tmp_path, capsys):
    duplicate = ("department", {"raw": UNKNOWN_UNIT, "decision": "林业局", "doc_id": "0" * 64})
    err = _refused(loop, tmp_path, capsys, DECISIONS, [duplicate])
    row = _row_of(loop, "department", UNKNOWN_UNIT)
    last = len(sheet_rows(loop["workbook"], "department")) + 2
    assert f"department row {row} says '生态环境局'; department row {last} says '林业局'" in err


def test_a_decision_the_matcher_would_not_use_is_refused(loop, tmp_path, capsys):
    """环境空气质量 listed under I06 is I07's own name: an alias cannot make it a part of I06."""
    sub_row = ("indicator", {"raw": "环境空气质量", "decision": "I07 环境空气质量",
                             "listed under": "I06 依法开展规划环境影响评价", "doc_id": "0" * 64})
    err = _refused(loop, tmp_path, capsys, {}, [sub_row])
    last = len(sheet_rows(loop["workbook"], "indicator")) + 2
    assert f"indicator row {last}: '环境空气质量' would still be flagged" in err
    assert "it can only be I06, one of its sub-indicators, local or ignore" in err


def test_a_row_the_loader_refuses_is_rolled_back_and_told_as_its_workbook_row(loop, tmp_path, capsys):
    """县林业局 reduces to the canonical 林业局: an alias row for it fails the loader's own check."""
    row = ("department", {"raw": "县林业局", "decision": "水利局", "doc_id": "0" * 64})
    err = _refused(loop, tmp_path, capsys, {}, [row])
    last = len(sheet_rows(loop["workbook"], "department")) + 2
    assert f"department row {last}: alias '林业局' is the canonical name '林业局'" in err
    assert "(department_aliases.csv)" in err


def test_a_workbook_without_decisions_changes_nothing(loop, tmp_path, capsys):
    catalogue = copy_catalogue(tmp_path / "catalogue")
    before = snapshot(catalogue)
    assert main(["accept", str(loop["workbook"]), "--catalogue", str(catalogue)]) == 0
    assert "nothing to do" in capsys.readouterr().out
    assert snapshot(catalogue) == before


@pytest.mark.parametrize("content, message", [
    (None, "file not found"), (b"not a workbook", "not an Excel workbook"), ("empty-workbook", "not a review workbook"),
])
def test_a_file_that_is_not_a_review_workbook_is_a_usage_error(tmp_path, capsys, content, message):
    path = tmp_path / "decisions.xlsx"
    if content == "empty-workbook":
        openpyxl.Workbook().save(path)
    elif content is not None:
        path.write_bytes(content)
    assert main(["accept", str(path), "--catalogue", str(DEFAULT_DIR)]) == 2
    assert message in capsys.readouterr().err


# --------------------------------------------------------------------------
# the decision parser on any text
# --------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(sheet=st.sampled_from(KINDS), raw=st.text(max_size=30), value=st.text(min_size=1, max_size=40),
       under=st.text(max_size=20))
def test_any_decision_text_is_a_change_or_a_reason_never_an_exception(sheet, raw, value, under):
    vocab, catalogue = _vocabulary()
    result = to_change(Decision(sheet, 2, raw, value, "a" * 64, under), vocab, catalogue)
    assert isinstance(result, str) or result.file.endswith(".csv")


def _vocabulary(cache={}):  # noqa: B006 - loaded once for the property test
    if not cache:
        cache["v"] = (load_vocabulary(DEFAULT_DIR), load_indicator_catalogue(DEFAULT_DIR))
    return cache["v"]


# --------------------------------------------------------------------------
# the two decision files are validated like every vocabulary file
# --------------------------------------------------------------------------


@pytest.mark.parametrize("file, rows, message", [
    ("review_ignore.csv", ["unit,县碳汇研究所,"], "review_ignore.csv:2: kind 'unit' is not one of"),
    ("review_ignore.csv", ["department,县碳汇研究所,", "department,县碳汇 研究所,"],
     "review_ignore.csv:3: department '县碳汇 研究所' is already listed on line 2"),
    ("region_aliases.csv", ["某某计划,999999,,"], "region_aliases.csv:2: admin_code '999999' is not a code"),
    ("region_aliases.csv", ["某某计划,433127,abc,"], "region_aliases.csv:2: doc_id 'abc' is not a 64-character"),
    ("region_aliases.csv", ["某某计划,433127,,", "某某 计划,431229,,"],
     "region_aliases.csv:3: '某某 计划' is already decided on line 2"),
])
def test_a_bad_decision_file_row_stops_loading_with_file_and_line(tmp_path, file, rows, message):
    from planingest.core.errors import CatalogueError

    catalogue = copy_catalogue(tmp_path / "catalogue")
    header = (catalogue / file).read_text(encoding="utf-8").splitlines()[0]
    (catalogue / file).write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=re.escape(message)):
        load_vocabulary(catalogue)


def test_a_catalogue_without_the_decision_files_still_loads(tmp_path):
    catalogue = copy_catalogue(tmp_path / "catalogue")
    (catalogue / "review_ignore.csv").unlink()
    (catalogue / "region_aliases.csv").unlink()
    decisions = load_vocabulary(catalogue).decisions
    assert not decisions.ignored and not decisions.regions


def test_accept_creates_a_missing_decision_file_with_its_header(loop, tmp_path, capsys):
    catalogue = copy_catalogue(tmp_path / "catalogue")
    (catalogue / "review_ignore.csv").unlink()
    filled = fill(loop["workbook"], tmp_path / "filled.xlsx", {("department", IGNORED_UNIT): "ignore"})
    assert main(["accept", str(filled), "--catalogue", str(catalogue)]) == 0
    lines = (catalogue / "review_ignore.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "kind,raw,note" and lines[1].startswith(f"department,{IGNORED_UNIT},\"accepted ")
    assert load_vocabulary(catalogue).decisions.is_ignored("department", IGNORED_UNIT)
