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
from planingest.publish.report_data import READABLE, investment_by_domain, project_domain, region_groups
from planingest.publish.report_sections import LEGEND

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
    read = documents[documents["status"].isin(READABLE)]
    return read["admin_code"].nunique() + int(read["admin_code"].isna().sum())


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
    assert f"{len(review)} items to review" in " ".join(dom.text) and len(review) == 2


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
