"""Which region a page is about, tested against the whole region table (catalogue/data/regions.csv).

Place names are whole words (a name inside a longer place name is no mention of
it), the plan's own region wins over provinces named in cited documents, and
traditional text resolves like simplified text.
"""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from opencc import OpenCC

from planingest.catalogue.regions import load_regions
from planingest.normalize.regions import resolve_region, scan

REGIONS = load_regions()
_TO_TRADITIONAL = OpenCC("s2t")


def _contained_pairs():
    """(longer name, region whose written form lies inside it) for every such pair in the table."""
    by_first: dict[str, list] = {}
    for region in REGIONS.regions:
        for form, _ in region.forms:
            if len(form) >= 2:
                by_first.setdefault(form[0], []).append((form, region))
    pairs = []
    for outer in REGIONS.regions:
        for i in range(len(outer.name)):
            for form, inner in by_first.get(outer.name[i], ()):
                same_text = outer.name in {f for f, _ in inner.forms}  # 东乡县: one name, two regions
                if inner is not outer and not same_text and outer.name.startswith(form, i):
                    pairs.append((outer, inner, form))
    return pairs


CONTAINED = _contained_pairs()


def test_the_table_has_names_inside_names():
    assert len(CONTAINED) > 300  # 城区 in 顺城区, 南县 in 平南县, 吉林 in 吉林市 …


@pytest.mark.parametrize("frame", ["推进{}建设", "{}生态文明建设示范区", "根据{}的部署，"])
def test_a_name_inside_a_longer_place_name_is_no_mention(frame):
    wrong = []
    for outer, inner, form in CONTAINED:
        text = frame.format(outer.name)
        mentioned = {r.admin_code for m in scan(text, REGIONS) for r in m.regions}
        if inner.admin_code in mentioned and inner.name != outer.name:
            wrong.append((outer.name, form))
    assert not wrong, wrong[:20]


@pytest.mark.parametrize("text,not_found", [
    ("加快浙江山区26县跨越式高质量发展", "330881"),  # 江山市 inside 浙江山区
    ("推进上海安全生产专项整治", "320621"),  # 海安 inside 上海安全
    ("抚顺市顺城区生态文明建设示范区", "140502"),  # 城区 inside 顺城区
    ("桂林市平南县", "430921"),  # 南县 inside 平南县
])
def test_names_inside_other_words_are_no_mention(text, not_found):
    codes = {r.admin_code for m in scan(text, REGIONS) for r in m.regions}
    assert not_found not in codes


def _self_word(region) -> str:
    if region.level == "province":
        return "我省"
    return "我" + region.name[-1] if region.name[-1] in "县市区旗州" else "我县"


def _shared_in_province(region) -> bool:
    """Another current region of the same province has the same name: the text cannot tell them apart
    (a former unit of the same name, 儋州市 469003 before it became 460400, gives way to the current one)."""
    return sum(1 for r, kind in REGIONS.lookup(region.name)
               if kind == "full" and r.province == region.province and r.is_current) > 1


@pytest.mark.parametrize("level", ["province", "city", "county"])
def test_own_title_wins_over_cited_provincial_documents_for_every_region(level):
    """A sentence naming only the province and a cited provincial document, and the region's own name in
    the title, yields that region — for every region of the table."""
    wrong = []
    for region in (r for r in REGIONS.regions if r.level == level and r.is_current):
        province = region.province
        title = f"{region.name}2023年生态文明建设示范区创建工作计划"
        body = (f"根据《{province}生态文明建设示范区管理规程》《{province}生态文明建设示范区建设指标》，"
                f"按照{province}的统一部署，{_self_word(region)}扎实推进创建工作。")
        match = resolve_region(title, None, body, REGIONS)
        if _shared_in_province(region):
            ok = match.admin_code is None and match.needs_review
        else:
            ok = match.admin_code == region.admin_code and not match.needs_review
        if not ok:
            wrong.append((region.name, region.admin_code, match.admin_code, match.reason))
    assert not wrong, wrong[:20]


def test_traditional_titles_resolve_like_simplified_for_every_region():
    wrong = []
    for region in REGIONS.regions:
        if _shared_in_province(region) or len(REGIONS.lookup(region.name)) > 1:
            continue
        title = _TO_TRADITIONAL.convert(f"{region.name}2023年生态文明建设示范区创建工作计划")
        match = resolve_region(title, None, "", REGIONS)
        if match.admin_code != region.admin_code:
            wrong.append((region.name, title))
    # OpenCC's t2s has no phrase for 乾安 (乾 is also the traditional form of 干): one known miss
    assert [name for name, _ in wrong] == ["乾安县"]


@pytest.mark.parametrize("title,issuer,body,code", [
    # the cited provincial rules and the forwarded provincial notice are context; the county is the subject
    ("关于转发《湖南省生态环境厅关于开展生态文明建设示范区创建的通知》的通知", "靖州苗族侗族自治县生态环境局",
     "各乡镇人民政府：现将《湖南省生态环境厅关于开展生态文明建设示范区创建的通知》转发给你们。", "431229"),
    ("安化县生态环境局关于转发省生态环境厅关于做好2023年生态文明建设示范区申报工作的通知", None,
     "各乡镇：现将省生态环境厅文件转发给你们，请遵照执行。", "430923"),
    # the plan's own name in 《》 (印发) is the subject, other 《》 are cited
    ("关于印发《卢氏县2022年生态文明建设示范县创建工作要点》的通知", None,
     "根据《河南省生态文明建设示范县管理规程》《三门峡市生态文明建设规划》，现将《卢氏县2022年生态文明建设示范县创建工作要点》"
     "印发给你们。", "411224"),
    # title names the province, the text speaks of itself as the county (我县)
    ("湖南省生态文明建设示范县创建工作计划", None,
     "我县是湖南省首批创建县。安化县生态环境优良，安化县各乡镇……我县将全面完成任务。", "430923"),
    # traditional text
    ("盧氏縣2022年生態文明建設示範縣創建工作要點", "盧氏縣人民政府辦公室", "根據《河南省生態文明建設示範區管理規程》", "411224"),
])
def test_the_plans_own_region_wins(title, issuer, body, code):
    match = resolve_region(title, issuer, body, REGIONS)
    assert (match.admin_code, match.needs_review) == (code, False), match.reason


def test_a_body_citing_only_other_provinces_documents_has_no_subject():
    body = "根据《浙江省生态文明建设示范区管理规程》，学习借鉴《江西省生态文明建设示范县建设指标》的做法。"
    match = resolve_region(None, None, body, REGIONS)
    assert match.admin_code is None and match.needs_review


def test_two_counties_the_text_cannot_decide_between_go_to_review():
    body = "安化县和卢氏县联合开展创建工作，安化县负责……卢氏县负责……"
    match = resolve_region("生态文明建设示范区联合创建工作方案", None, body, REGIONS)
    assert match.admin_code is None and match.needs_review and match.method == "none"
    assert "430923" in match.reason and "411224" in match.reason


def test_templates_with_placeholder_counties_name_no_region():
    body = "××县生态文明建设示范县创建工作方案。××县人民政府。我县……"
    match = resolve_region("××县创建国家生态文明建设示范县工作方案", "××县人民政府", body, REGIONS)
    assert match.admin_code is None and match.needs_review


def test_the_signer_of_a_forwarded_document_is_no_subject():
    title = "关于转发《湖南省生态环境厅关于做好生态文明建设示范区创建工作的通知》的通知"
    match = resolve_region(title, "湖南省生态环境厅", "各乡镇：现将文件转发给你们。", REGIONS)
    assert match.admin_code is None and match.needs_review  # the forwarding county is not named anywhere
    body = "各乡镇：现将文件转发给你们，请结合我县实际认真落实。安化县生态环境分局……安化县各乡镇……"
    match = resolve_region(title, "湖南省生态环境厅", body, REGIONS)
    assert (match.admin_code, match.needs_review) == ("430923", False)


def test_without_a_title_the_plans_own_name_in_the_covering_notice_decides():
    body = ("各乡镇人民政府：根据《湖南省生态文明建设示范区管理规程》和益阳市的部署，现将《安化县2023年生态文明建设示范区创建"
            "工作要点》印发给你们。益阳市将组织考核，益阳市生态环境局负责督查。")
    match = resolve_region(None, None, body, REGIONS)
    assert (match.admin_code, match.needs_review) == ("430923", False)


_LONG_NAMES = [r for r in REGIONS.regions if len(r.name) >= 3]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_LONG_NAMES), st.sampled_from(_LONG_NAMES), st.sampled_from(["、", "和", "，", " "]))
def test_listed_full_names_are_found_whole(first, second, joint):
    """Two official names side by side are two mentions, each of its own region, none straddling them."""
    text = f"{first.name}{joint}{second.name}"
    mentions = scan(text, REGIONS)
    boundary = len(first.name)
    assert not any(m.start < boundary < m.end for m in mentions)
    for region, start in ((first, 0), (second, boundary + len(joint))):
        found = [m for m in mentions if m.start == start and m.end == start + len(region.name)]
        assert found and region in found[0].regions, (text, [(m.text, m.start) for m in mentions])
