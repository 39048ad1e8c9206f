"""Files that carry the same plan share a plan_id, and one of them is primary (issue 13).

The samples hold the same plans several times (靖州 as text dump, DOCX and PDF; 鹿寨 as
text dump, DOCX and PDF), beside plans that must stay apart (常德's notice and its
indicator workbook have different titles; 靖安, 长汀, 宜丰 are other counties)."""
from __future__ import annotations

from dataclasses import replace

import pytest

from planingest.normalize.plans import group_plans, title_key
from tests.seedrun import run_sample

pytestmark = pytest.mark.slow  # reads nine samples

SAMPLES = ("000_2b96e2d222b5f3b3.txt", "docx/jingzhou.docx", "pdf/jingzhou.pdf",
           "002_4f08802adbea22bb.txt", "docx/luzhai.docx", "pdf/luzhai.pdf",
           "001_3cc5f4b2954152b3.txt", "xlsx/changde.xlsx", "docx/jingan-multiyear.docx")


@pytest.fixture(scope="module")
def grouped():
    results = [run_sample(name) for name in SAMPLES]
    return {name: result.document for name, result in zip(SAMPLES, group_plans(results))}


def test_renditions_of_one_plan_share_its_plan_id_and_the_word_file_is_primary(grouped):
    for names in (SAMPLES[0:3], SAMPLES[3:6]):
        docx = next(n for n in names if n.endswith(".docx"))
        assert {grouped[n].plan_id for n in names} == {grouped[docx].doc_id}
        assert [n for n in names if grouped[n].is_primary] == [docx]


def test_different_plans_stay_apart(grouped):
    for name in SAMPLES[6:]:
        assert grouped[name].plan_id == grouped[name].doc_id and grouped[name].is_primary


def test_group_plans_keeps_the_order_and_the_rows():
    results = [run_sample(name) for name in SAMPLES[:3]]
    out = group_plans(results)
    assert [r.document.doc_id for r in out] == [r.document.doc_id for r in results]
    assert [r.indicators for r in out] == [r.indicators for r in results]


def test_a_conflicting_title_keeps_two_renditions_apart():
    a, b = (run_sample(name) for name in SAMPLES[:2])
    b = replace(b, document=replace(b.document, title="2024年靖州县生态文明建设示范区创建工作计划"))
    assert all(r.document.is_primary for r in group_plans([a, b]))


def test_an_unknown_region_is_never_grouped():
    a, b = (run_sample(name) for name in SAMPLES[:2])
    a, b = (replace(r, document=replace(r.document, admin_code=None)) for r in (a, b))
    assert all(r.document.plan_id == r.document.doc_id for r in group_plans([a, b]))


def test_an_untitled_file_does_not_bridge_two_titled_plans():
    untitled, titled = run_sample(SAMPLES[1]), run_sample(SAMPLES[0])
    untitled = replace(untitled, document=replace(untitled.document, title=None))
    other = replace(titled, document=replace(titled.document, doc_id="f" * 64, title="靖州县另一份计划"))
    out = group_plans([titled, untitled, other])
    assert len({r.document.plan_id for r in out}) == 2


@pytest.mark.parametrize("title, key", [
    ("靖安县人民政府关于印发《靖安县国家生态文明建设示范县规划（2021—2030年）》的通知", "靖安县国家生态文明建设示范县规划20212030年"),
    ("2023年靖州县生态文明建设示范区创建工作计划", "2023年靖州县生态文明建设示范区创建工作计划"),
    ("  ", None), (None, None),
])
def test_title_key(title, key):
    assert title_key(title) == key
