"""`planingest report`: one self-contained HTML file, checked in a real browser (headless Chromium)."""
from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from planingest.catalogue import DEFAULT_DIR
from planingest.catalogue.indicators import load_indicator_catalogue
from planingest.cli.main import main
from planingest.publish.older_lists import MARK
from planingest.publish.report_data import (
    READABLE,
    investment_by_domain,
    n_plans,
    pool_plans,
    primary_doc_ids,
    project_domain,
    region_groups,
    region_summaries,
    regions_phrase,
)
from planingest.publish.report_sections import LEGEND

pytestmark = pytest.mark.slow  # LibreOffice, OCR, Chromium or whole-corpus runs: `make test-fast` skips these

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOT = ROOT / "output" / "report.png"
CHROMIUM = shutil.which("chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed "
                                    "(Debian package chromium: apt-get install chromium)")
CATALOGUE = load_indicator_catalogue(DEFAULT_DIR)
CRAFTED = """永顺县2024年国家生态文明建设示范县巩固提升工作计划

序号 | 指标名称 | 指标值 | 责任单位 |
1 | 林草覆盖率 | ≥60% | 县林业局 |
2 | 生态系统碳汇能力提升 | 稳步提升 | 县生态保护中心 |
"""


NO_REGION = """2024年国家生态文明建设示范区巩固提升工作要点

附件 指标任务分解表
序号 | 指标名称 | 指标值 | 责任单位 |
1 | 林草覆盖率 | ≥60% | 县林业局 |
"""


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """The text samples plus a broken file, run once; the report written beside the tables."""
    root = tmp_path_factory.mktemp("report")
    inputs = root / "in"
    inputs.mkdir()
    for sample in sorted((ROOT / "samples").glob("*.txt")):
        shutil.copy(sample, inputs)
    (inputs / "broken.docx").write_bytes(b"PK\x03\x04 not a zip archive")
    (inputs / "yongshun.txt").write_text(CRAFTED, encoding="utf-8")
    (inputs / "no-region.txt").write_text(NO_REGION, encoding="utf-8")
    out = root / "out"
    assert main(["run", str(inputs), "--out", str(out), "--workers", "2", "--quiet"]) == 1  # broken.docx fails
    assert main(["report", "--out", str(out)]) == 0
    return {"root": root, "out": out, "html": out / "report.html",
            "documents": pd.read_parquet(out / "documents.parquet")}


class Elements(HTMLParser):
    """Every element with its attributes and the ids of the elements it sits in."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict, tuple[str, ...]]] = []
        self._stack: list[tuple[str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.found.append((tag, attrs, tuple(i for _, i in self._stack if i)))
        if tag not in ("meta", "br", "link", "img", "input"):
            self._stack.append((tag, attrs.get("id") or attrs.get("class", "").split(" ")[0]))

    def handle_endtag(self, tag):
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        self.text.append(data)

    def inside(self, container: str, tag: str, css_class: str | None = None) -> list[dict]:
        return [a for t, a, where in self.found if t == tag and container in where
                and (css_class is None or css_class in a.get("class", "").split())]


def parse(html: str) -> Elements:
    elements = Elements()
    elements.feed(html)
    return elements


def expected_heat_rows(documents: pd.DataFrame) -> int:
    """One row per region; a document without a region is listed apart, never a row of its own."""
    read = documents[documents["status"].isin(READABLE)]
    return read["admin_code"].nunique()


# --------------------------------------------------------------------------
# the file itself
# --------------------------------------------------------------------------


def test_the_report_is_self_contained(batch):
    html = batch["html"].read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html
    for outside in ("<script", "<link", " src=", "url(", "@import", "https://"):
        assert outside not in html
    assert html.replace('xmlns="http://www.w3.org/2000/svg"', "").count("http://") == 0


def test_the_report_names_the_failure_and_counts_the_batch(batch):
    dom = parse(batch["html"].read_text(encoding="utf-8"))
    failures = " ".join(dom.text)
    broken = batch["documents"].query("status == 'failed'").iloc[0]
    assert broken["source_path"].endswith("broken.docx") and broken["error"] in failures
    status_bars = dom.inside("chart-status", "rect", "bar")
    assert len(status_bars) == 5  # ok partial empty failed skipped, zeros included
    assert len(dom.inside("chart-format", "rect", "bar")) == batch["documents"]["file_format"].nunique()


def test_the_heat_map_has_a_row_per_region_and_a_cell_per_catalogue_indicator(batch):
    dom = parse(batch["html"].read_text(encoding="utf-8"))
    rows = dom.inside("coverage-heatmap", "g", "heat-row")
    assert len(rows) == expected_heat_rows(batch["documents"]) == 6
    cells = dom.inside("coverage-heatmap", "rect", "heat-cell")
    assert len(cells) == len(rows) * len(CATALOGUE.entries)
    assert {c["fill"] for c in cells} <= {color for color, _ in LEGEND.values()}
    changde = next(i for i, r in enumerate(rows) if r["data-key"] == "430700")
    changde_cells = cells[changde * len(CATALOGUE.entries):(changde + 1) * len(CATALOGUE.entries)]
    i11 = [e.id for e in CATALOGUE.entries].index("I11")
    assert "target" in changde_cells[i11]["class"]  # 常德 sets 林草覆盖率 targets (山区 ≥60 …)


# --------------------------------------------------------------------------
# the figures
# --------------------------------------------------------------------------


@pytest.mark.parametrize("indicator_ids, category, domain", [
    (["I08", "I28", "I29"], "生态安全建设", "生态生活"),  # two of three indicators are 生态生活
    (["I08", "I28"], None, "生态安全"),  # a tie: the first named
    ([], "生态经济建设", "生态经济"),  # no indicator: the category's domain
    ([], "其他项目", "其他项目"),  # a category naming no domain stays itself
    ([], None, "(no domain, no category)"),
])
def test_a_projects_domain_comes_from_its_indicators_else_its_category(indicator_ids, category, domain):
    assert project_domain(indicator_ids, category, CATALOGUE) == domain


def test_a_project_listed_in_two_renditions_of_one_plan_counts_once():
    documents = pd.DataFrame({
        "doc_id": ["a", "b", "c"], "source_path": ["x.docx", "x.pdf", "y.txt"], "status": ["ok", "ok", "ok"],
        "admin_code": ["431229", "431229", "430700"], "region": ["靖州苗族侗族自治县"] * 2 + ["常德市"],
        "province": ["湖南省"] * 3, "city": ["怀化市", "怀化市", None],
    })
    projects = pd.DataFrame({
        "doc_id": ["a", "b", "c"], "name": ["青山工程建设"] * 3, "investment_wan": [4540.0] * 3,
        "indicator_ids": [["I11"]] * 3, "category": ["生态安全建设"] * 3,
    })
    assert investment_by_domain(projects, region_groups(documents), CATALOGUE) == [("生态安全", 9080.0)]


# --------------------------------------------------------------------------
# in a browser
# --------------------------------------------------------------------------


def chromium(html: Path, tmp: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={tmp / 'profile'}", *args, html.as_uri()],
                          capture_output=True, text=True, timeout=180)


@needs_chromium
def test_chromium_renders_the_charts(batch, tmp_path):
    done = chromium(batch["html"], tmp_path, "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    dom = parse(done.stdout)
    for chart in ("chart-status", "chart-format", "chart-investment", "chart-review"):
        bars = dom.inside(chart, "rect", "bar")
        assert bars and any(float(b["width"]) > 1 for b in bars), chart
    assert len(dom.inside("coverage-heatmap", "g", "heat-row")) == expected_heat_rows(batch["documents"])
    n_regions = expected_heat_rows(batch["documents"])
    assert len(dom.inside("coverage-heatmap", "rect", "heat-cell")) == n_regions * len(CATALOGUE.entries)
    assert len(dom.inside("regions", "details", "region")) == n_regions
    review = pd.read_parquet(batch["out"] / "review.parquet")
    assert f"{len(review)} items to review" in " ".join(dom.text) and len(review) == 3


@needs_chromium
def test_chromium_screenshot_shows_the_drawn_charts(batch, tmp_path):
    from PIL import Image

    SCREENSHOT.parent.mkdir(exist_ok=True)
    SCREENSHOT.unlink(missing_ok=True)
    done = chromium(batch["html"], tmp_path, f"--screenshot={SCREENSHOT}", "--window-size=1400,2400")
    assert done.returncode == 0, done.stderr[-2000:]
    with Image.open(SCREENSHOT) as image:
        assert image.size == (1400, 2400)
        colors = {color for _, color in image.convert("RGB").getcolors(maxcolors=1 << 20)}
    for hex_color in (LEGEND["target"][0], "#4575b4", "#1b9e77"):  # heat cells, status bars, investment bars
        assert tuple(int(hex_color[i:i + 2], 16) for i in (1, 3, 5)) in colors, hex_color


# --------------------------------------------------------------------------
# the truth at a glance
# --------------------------------------------------------------------------


def _rows_of(dom: Elements, table_class: str) -> int:
    return len([a for t, a, where in dom.found if t == "tr" and table_class in where])


def test_a_plan_of_tasks_only_shows_its_tasks_and_departments_not_an_empty_row(batch):
    """卢氏's plan has 27 tasks and no indicator table: the heat map says so, the region lists the tasks."""
    html = batch["html"].read_text(encoding="utf-8")
    dom = parse(html)
    lushi = next(a for a in dom.inside("coverage-heatmap", "g", "heat-row") if a["data-key"] == "411224")
    assert lushi is not None
    assert "三门峡市卢氏县 411224 · 27 tasks, 0 projects" in dom.text  # the heat map's row label
    rows = dom.inside("coverage-heatmap", "g", "heat-row")
    index = [r["data-key"] for r in rows].index("411224")
    width = len(CATALOGUE.entries)
    cells = dom.inside("coverage-heatmap", "rect", "heat-cell")[index * width:(index + 1) * width]
    assert cells and all("no-table" in c["class"] for c in cells)
    assert all(c["fill"] == LEGEND["no-table"][0] != LEGEND["absent"][0] for c in cells)
    region = html.split('data-key="411224"', 2)[2].split("</details>", 1)[0]  # the Regions entry
    assert "27 tasks" in region and region.count("<tr>") == 27 + 1  # header + one row per task
    assert "生态环境局" in region


def test_documents_without_a_region_are_listed_apart_with_why_never_as_a_question_mark(batch):
    dom = parse(batch["html"].read_text(encoding="utf-8"))
    labels = [t for t in dom.text if t.strip()]
    assert not any(t.startswith("?") for t in labels)
    assert not [a for a in dom.inside("coverage-heatmap", "g", "heat-row") if a["data-key"].startswith("doc:")]
    unplaced = dom.inside("unplaced", "tr")
    assert len(unplaced) == 1 + 1  # header + no-region.txt
    text = " ".join(dom.text)
    review = pd.read_parquet(batch["out"] / "review.parquet")
    assert review.query("kind == 'region'")["reason"].iloc[0] in text


def test_targets_are_readable_in_a_table(batch):
    html = batch["html"].read_text(encoding="utf-8")
    changde = html.split('data-key="430700" open>', 1)[1].split("</details>", 1)[0]
    assert "<td>I11</td><td>林草覆盖率</td><td>山区: ≥60；丘陵地区: ≥40；平原地区: ≥18</td>" in changde
    assert f"{MARK} 化肥施用强度: ≤300,或逐年下降" in changde  # the 2019 list's measure, marked


def test_every_chart_says_what_it_counts_and_how_many_regions(batch):
    dom = parse(batch["html"].read_text(encoding="utf-8"))
    charts = [a for t, a, _ in dom.found if t == "svg" and "chart" in a.get("class", "")]
    assert len(charts) == 5
    text = " ".join(dom.text)
    n = len(batch["documents"])
    for title in (f"{n} documents by status", f"{n} documents by file format", "review queue: 3 items by kind",
                  "catalogue indicators (42) listed in the plans of 1 city, 5 counties",
                  "investment (万元) per domain of 39 projects with an amount, in 1 county"):  # 靖州's projects
        assert text.count(title) == 2, title  # drawn and as the SVG's <title>


@pytest.mark.parametrize("levels, phrase", [
    (["county"], "1 county"), (["county", "county", "city"], "1 city, 2 counties"), ([], "0 regions"),
    (["province", None], "1 province, 1 region"),
])
def test_regions_are_counted_in_words(levels, phrase):
    assert regions_phrase(levels) == phrase


def test_a_report_of_one_county_says_1_county(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(next((ROOT / "samples").glob("000_*.txt")), inputs)
    assert main(["run", str(inputs), "--out", str(tmp_path / "out"), "--workers", "1", "--quiet"]) == 0
    assert main(["report", "--out", str(tmp_path / "out")]) == 0
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "listed in the plans of 1 county<" in html and ", in 1 county<" in html
    assert "1 document by status" in html and "1 documents" not in html


def test_the_report_has_a_print_stylesheet_and_a_phone_viewport(batch):
    html = batch["html"].read_text(encoding="utf-8")
    assert "@media print" in html and "@page { size: A4 landscape" in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html


# --------------------------------------------------------------------------
# plans counted once
# --------------------------------------------------------------------------


def _two_copies_of_one_plan() -> dict[str, pd.DataFrame]:
    documents = pd.DataFrame({
        "doc_id": ["docx", "pdf", "other"], "source_path": ["x.docx", "x.pdf", "y.txt"], "status": ["ok"] * 3,
        "admin_code": ["431229", "431229", "430700"], "admin_level": ["county", "county", "city"],
        "region": ["靖州苗族侗族自治县"] * 2 + ["常德市"], "province": ["湖南省"] * 3, "city": ["怀化市", "怀化市", None],
        "plan_id": ["P", "P", "other"], "is_primary": [False, True, True],
    })
    tasks = pd.DataFrame({"doc_id": ["docx", "pdf", "pdf", "other"], "departments": [["林业局"]] * 4,
                          "seq": ["1", "1", "2", "1"], "title": ["a", "a", "b", "c"], "content": ["a", "a", "b", "c"],
                          "deadline": [None] * 4})
    empty = pd.DataFrame({"doc_id": pd.Series([], dtype=str), "departments": pd.Series([], dtype=object),
                          "indicator_id": pd.Series([], dtype=str)})
    return {"documents": documents, "tasks": tasks, "indicators": empty, "projects": empty}


def test_copies_of_one_plan_count_once_with_the_primary_copys_rows():
    tables = _two_copies_of_one_plan()
    assert primary_doc_ids(tables["documents"]) == {"pdf", "other"}
    pooled = pool_plans(tables)
    assert list(pooled["tasks"]["doc_id"]) == ["pdf", "pdf", "other"]
    groups = region_groups(pooled["documents"], placed_only=True)
    jingzhou = next(s for s in region_summaries(groups, pooled, {}) if s.admin_code == "431229")
    assert (jingzhou.n_documents, jingzhou.n_plans, jingzhou.n_tasks) == (2, 1, 2)
    assert n_plans(tables["documents"]) == 2


def test_without_plan_columns_every_file_is_its_own_plan():
    documents = _two_copies_of_one_plan()["documents"].drop(columns=["plan_id", "is_primary"])
    assert primary_doc_ids(documents) == {"docx", "pdf", "other"}
