"""The indicator catalogue CSVs: the facts of the 2021 revision hold, and a bad edit fails loudly (file:line)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from planingest.catalogue import DEFAULT_DIR
from planingest.catalogue.indicators import (
    ALIASES,
    CROSSWALK,
    DOMAINS,
    INDICATORS,
    LOCALS,
    SUBS,
    load_indicator_catalogue,
)
from planingest.core.errors import CatalogueError

FILES = (INDICATORS, SUBS, ALIASES, CROSSWALK, LOCALS)

# county_seq -> ID, as 鹿寨 附表1 and 靖州 number the 2021 county list (reference, catalogue-2021.md)
COUNTY_SEQ = {
    1: "I01", 2: "I02", 3: "I03", 4: "I04", 5: "I05", 6: "I06", 7: "I07", 8: "I08", 9: "I10", 10: "I11",
    11: "I12", 12: "I14", 13: "I15", 14: "I16", 15: "I17", 16: "I19", 17: "I20", 18: "I21", 19: "I22",
    20: "I25", 21: "I26", 22: "I27", 23: "I28", 24: "I29", 25: "I30", 26: "I31", 27: "I32", 28: "I33",
    29: "I35", 30: "I36", 31: "I38", 32: "I39", 33: "I40", 34: "I41", 35: "I42",
}


@pytest.fixture(scope="module")
def cat():
    return load_indicator_catalogue()


def test_42_entries_in_id_order(cat):
    assert [e.id for e in cat.entries] == [f"I{n:02d}" for n in range(1, 43)]


def test_county_numbering_matches_the_seeds(cat):
    assert {e.county_seq: e.id for e in cat.entries if e.county_seq} == COUNTY_SEQ


def test_non_coastal_county_has_19_binding_and_16_reference_indicators(cat):
    """鹿寨: 35 项建设指标，其中约束性指标19项，参考性指标16项 (I06 is 参考性 for a county)."""
    county = [e for e in cat.entries if e.county_seq]

    def county_attribute(attribute: str) -> str:
        for part in attribute.replace("：", ":").split("；"):
            if part.startswith("县:"):
                return part[2:]
        return attribute

    attributes = [county_attribute(e.attribute) for e in county]
    assert (len(county), attributes.count("约束性"), attributes.count("参考性")) == (35, 19, 16)


def test_domains_and_tasks_follow_the_structure(cat):
    assert {e.domain for e in cat.entries} == set(DOMAINS)
    assert len({e.task for e in cat.entries}) == 10
    assert cat.entry("I17").domain == "生态空间" and cat.entry("I40").domain == "生态文化"


@pytest.mark.parametrize("sub_id, parent_id, name", [
    ("I07.1", "I07", "优良天数比例"), ("I07.2", "I07", "PM2.5浓度下降幅度"),
    ("I08.2", "I08", "劣Ⅴ类水体比例下降幅度"), ("I12.2", "I12", "外来物种入侵"),
    ("I17.1", "I17", "生态保护红线"), ("I25.1", "I25", "化肥利用率"), ("I26.3", "I26", "农膜回收利用率"),
])
def test_sub_indicators(cat, sub_id, parent_id, name):
    sub = cat.sub(sub_id)
    assert (sub.parent_id, sub.name) == (parent_id, name)


def test_scope_variants_are_not_sub_indicators(cat):
    assert cat.entry("I11").scope_variants[:3] == ("山区", "丘陵地区", "平原地区")
    assert cat.subs_of("I11") == () and cat.subs_of("I27") == ()
    assert cat.entry("I27").scope_variants == ("综合利用率≤60%的地区", "综合利用率>60%的地区")


def test_reconstructed_rows_say_verify(cat):
    for entry in cat.entries:
        if entry.county_seq is None:
            assert "verify" in (entry.source_note or ""), entry.id


@pytest.mark.parametrize("alias, indicator_id", [
    ("河长制", "I04"), ("生态质量指数(EQI)", "I10"), ("生态质量指数", "I10"), ("生态环境状况(EI)指数", "I10"),
    ("河湖岸线保有率", "I19"),
])
def test_aliases(cat, alias, indicator_id):
    assert {a.alias: a.indicator_id for a in cat.aliases}[alias] == indicator_id


@pytest.mark.parametrize("version, name, indicator_id, relation", [
    ("2019", "农药化肥", "I25", "replaced"),
    ("2019", "化肥施用强度", "I25", "replaced"),
    ("2019", "农药施用强度", "I25", "replaced"),
    ("2019", "一般工业固体废物综合利用率", "I27", "replaced"),
    ("2019", "生活废弃物综合利用", "I38", "changed"),
    ("2019", "城镇生活垃圾分类减量化行动", "I38", "changed"),
    ("2019", "农村生活垃圾集中收集储运", "I38", "changed"),
    ("2019", "绿色产品市场占有率", None, "retired"),
    ("2019", "节能家电市场占有率", None, "retired"),
    ("2019", "在售用水器具中节水型器具占比", None, "retired"),
    ("2019", "一次性消费品人均使用量", None, "retired"),
    ("2016", "生态保护红线", "I17", "changed"),
    ("2016", "耕地红线", None, "retired"),
    ("2016", "国家生态文明建设示范乡镇占比", None, "retired"),
    ("2024", "生态质量指数(EQI)", "I10", "changed"),
])
def test_crosswalk(cat, version, name, indicator_id, relation):
    rows = {(r.version, r.name): r for r in cat.crosswalk}
    row = rows[(version, name)]
    assert (row.indicator_id, row.relation, row.is_retired) == (indicator_id, relation, relation == "retired")


# catalogue-2021.md, "Checked against published texts (2026-11)": the 2016 trial list's table, row by row
PUBLISHED_2016 = [
    ("生态保护红线", "I17", "I17.1", "changed"),
    ("耕地红线", None, None, "retired"),
    ("受保护地区占国土面积比例", None, None, "retired"),
    ("规划环评执行率", "I06", None, "changed"),
    ("单位地区生产总值能耗", "I20", None, "changed_target"),
    ("单位地区生产总值用水量", "I21", None, "changed_target"),
    ("单位工业用地工业增加值", None, None, "retired"),
    ("农村卫生厕所普及率", "I35", None, "renamed"),
    ("村庄环境综合整治率", None, None, "retired"),
    ("公众绿色出行率", None, None, "retired"),
    ("节能、节水器具普及率", None, None, "retired"),
    ("政府绿色采购比例", "I39", None, "same"),
    ("生态文明建设规划", "I01", None, "same"),
    ("生态文明建设工作占党政实绩考核的比例", "I03", None, "same"),
    ("自然资源资产负债表", None, None, "retired"),
    ("固定源排污许可证覆盖率", None, None, "retired"),
    ("国家生态文明建设示范乡镇占比", None, None, "retired"),
    ("党政领导干部参加生态文明培训的人数比例", "I40", None, "same"),
]
# … the 2016-era wordings of provincial lists (lower confidence)
LOWER_CONFIDENCE_2016 = [
    ("生态环境状况指数(EI)", "I10"), ("森林覆盖率", "I11"), ("危险废物安全处置率", "I14"),
    ("污染场地环境监管体系", "I15"), ("重、特大突发环境事件", None), ("环境信息公开率", "I05"), ("河长制", "I04"),
]
# … the 2024 city list: wordings of 2021 slots
PUBLISHED_2024 = [
    ("突发环境事件应急管理机制", "I16", None, "same"),
    ("集中式饮用水水源水质达到或优于Ⅲ类比例", "I28", None, "renamed"),
    ("优良天数比例", "I07", "I07.1", "changed_target"),
    ("PM2.5浓度", "I07", "I07.2", "changed_measure"),
    ("地表水达到或好于Ⅲ类水体比例", "I08", "I08.1", "changed_measure"),
    ("地级及以上城市建成区黑臭水体消除率", "I08", "I08.3", "changed"),
    ("生态保护红线", "I17", "I17.1", "same"),
    ("森林覆盖率", "I11", None, "changed_measure"),
    ("外来物种入侵防控", "I12", "I12.2", "changed"),
    ("生态质量指数(EQI)", "I10", None, "changed"),
    ("近岸海域水质优良(一、二类)比例", "I09", None, "same"),
    ("自然岸线保有率", "I18", None, "same"),
]
# … and its indicators with no 2021 entry
NEW_IN_2024 = [
    "领导干部自然资源资产离任审计", "地下水国控点位Ⅴ类水比例", "城市生活污水集中收集率", "较大面积农村黑臭水体整治率",
    "城市生活垃圾回收利用率", "声环境功能区夜间达标率", "自然保护地和生态保护红线生态环境重点问题整改率", "生物多样性调查",
    "草原综合植被盖度", "受污染耕地安全利用率", "重点建设用地安全利用", "非化石能源占能源消费总量比重",
]
CHECKED = "Checked against published texts (2026-11)"


@pytest.mark.parametrize("version, name, indicator_id, sub_id, relation",
                         [("2016",) + row for row in PUBLISHED_2016] + [("2024",) + row for row in PUBLISHED_2024]
                         + [("2024", name, None, None, "new") for name in NEW_IN_2024])
def test_crosswalk_follows_the_published_lists(cat, version, name, indicator_id, sub_id, relation):
    row = {(r.version, r.name): r for r in cat.crosswalk}[(version, name)]
    assert (row.indicator_id, row.sub_indicator_id, row.relation) == (indicator_id, sub_id, relation)
    assert row.is_retired == (relation == "retired") and row.is_new == (relation == "new")
    assert CHECKED in (row.note or "")


@pytest.mark.parametrize("name, indicator_id", LOWER_CONFIDENCE_2016)
def test_lower_confidence_2016_wordings(cat, name, indicator_id):
    row = {(r.version, r.name): r for r in cat.crosswalk}[("2016", name)]
    assert row.indicator_id == indicator_id and "lower confidence" in row.note
    assert (row.relation == "retired") == (indicator_id is None)


def test_i11_has_the_2016_variant_and_i34_the_printed_target(cat):
    assert "高寒区或草原区" in cat.entry("I11").scope_variants
    i34 = cat.entry("I34")
    assert i34.target == "≥13" and "≥15" in i34.source_note and CHECKED in i34.source_note


def test_local_indicators(cat):
    names = {local.name: local for local in cat.locals}
    assert {"生态文明建设示范镇村创建", "绿色有机农产品占农业总值比重", "生态环境投入占GDP比重"} <= set(names)
    assert names["生态文明建设示范镇村创建"].region == "湖南省"
    assert names["主要农作物化肥亩均施用量"].parent_id == "I25"


def test_default_folder_follows_the_environment(tmp_path, monkeypatch):
    folder = _copy(tmp_path)
    _edit(folder / LOCALS, "生态环境投入占GDP比重,", "生态环境投入占财政支出比重,")
    monkeypatch.setenv("PLANINGEST_CATALOGUE", str(folder))
    assert "生态环境投入占财政支出比重" in {local.name for local in load_indicator_catalogue().locals}


# --- bad edits ------------------------------------------------------------------------------

def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "catalogue"
    folder.mkdir()
    for name in FILES:
        shutil.copy(DEFAULT_DIR / name, folder / name)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(path: Path, line: str) -> int:
    text = path.read_text(encoding="utf-8")
    path.write_text(text + line + "\n", encoding="utf-8")
    return len(text.splitlines()) + 1


BAD_EDITS = [
    # (file, old, new, words the message must contain)
    (INDICATORS, "I02,2,", "I01,2,", ["duplicate id 'I01'"]),
    (INDICATORS, "I05,5,生态制度", "I05,5,生态环境", ["domain '生态环境'"]),
    (INDICATORS, "有效开展,约束性,", "有效开展,约束,", ["attribute '约束'"]),
    (INDICATORS, "市:100；县:开展,市:约束性；县:参考性", "市:100；县:开展,市:约束性；县:参照性", ["attribute"]),
    (INDICATORS, "I03,3,", "I03,2,", ["county_seq 2 is already used by I02"]),
    (INDICATORS, "I03,3,", "I03,three,", ["county_seq 'three'"]),
    (INDICATORS, "I04,4,", "I4,4,", ["id 'I4'"]),
    (INDICATORS, "河湖长制,-,全面实施,约束性,市县", "河湖长制,-,全面实施,约束性,全国", ["scope '全国'"]),
    (INDICATORS, "I31,26,生态生活,(八)人居环境改善,农村生活污水治理率",
     "I31,26,生态生活,(八)人居环境改善,城镇污水处理率", ["城镇污水处理率", "I30", "I31"]),
    (SUBS, "I07.1,I07,", "I07.1,I99,", ["parent_id 'I99'"]),
    (SUBS, "I08.1,I08,", "I08.1,I07,", ["does not start with its parent_id"]),
    (SUBS, "I08.3,I08,", "I08.2,I08,", ["duplicate sub_id 'I08.2'"]),
    (ALIASES, "河长制,I04,", "河长制,I99,", ["indicator_id 'I99'"]),
    (ALIASES, "河湖岸线保有率,I19,,", "河湖岸线保有率,I19,I17.1,", ["belongs to I17"]),
    (ALIASES, "河湖岸线保有率,I19,", "城镇污水处理率,I32,", ["城镇污水处理率", "I30", "I32"]),
    # differs from I06's name only by a space and full-width brackets: the same key
    (ALIASES, "河湖岸线保有率,I19,", "依法开展 规划环境影响评价（EI）,I05,", ["I06", "I05"]),
    (CROSSWALK, "2019,绿色产品市场占有率,,,retired", "2019,绿色产品市场占有率,I39,,retired",
     ["retired row must leave indicator_id"]),
    (CROSSWALK, "2019,农药化肥,I25,,replaced", "2019,农药化肥,,,replaced", ["needs an indicator_id"]),
    (CROSSWALK, "2019,优良天数比例,I07,I07.1,", "2019,优良天数比例,I08,I07.1,", ["belongs to I07"]),
    (CROSSWALK, "2019,碳排放强度,I23,,same", "2019,碳排放强度,I23,,moved", ["relation 'moved'"]),
    (CROSSWALK, "2016,耕地红线,", "2018,耕地红线,", ["version '2018'"]),
    (CROSSWALK, "2024,生物多样性调查,,,new", "2025,生物多样性调查,,,new", ["version '2025'"]),
    (CROSSWALK, "2024,生物多样性调查,,,new", "2024,生物多样性调查,,,added", ["relation 'added'"]),
    (CROSSWALK, "2024,生物多样性调查,,,new", "2024,生物多样性调查,I12,,new", ["new row must leave indicator_id"]),
    (CROSSWALK, "2024,生物多样性调查,,,new", "2019,生物多样性调查,,,new", ["relation 'new' is for version(s) 2024"]),
    (CROSSWALK, "2024,草原综合植被盖度,,,new", "2024,草原综合植被盖度,,,changed_measure", ["needs an indicator_id"]),
    # a 2024-only wording may not also be a live entry's name
    (CROSSWALK, "2024,生物多样性调查,,,new", "2024,生物多样性保护,,,new", ["生物多样性保护", "new in 2024", "I12"]),
    (CROSSWALK, "2019,化肥施用强度,I25,,replaced,农药化肥,", "2019,化肥施用强度,I25,,replaced,农药化肥用量,",
     ["parent '农药化肥用量'"]),
    (CROSSWALK, "2019,城镇污水处理率,I30,", "2019,城镇污水处理率,I32,", ["城镇污水处理率", "I30", "I32"]),
    # a retired wording may not also be a live entry's name
    (CROSSWALK, "2016,耕地红线,,,retired", "2016,碳排放强度,,,retired", ["碳排放强度", "retired", "I23"]),
    (LOCALS, "生态环境投入占GDP比重,", "生态文明建设规划,", ["生态文明建设规划", "local", "I01"]),
    (LOCALS, "主要农作物农药亩均使用量,湖南省怀化市靖州苗族侗族自治县,I25,",
     "主要农作物农药亩均使用量,湖南省怀化市靖州苗族侗族自治县,I52,", ["parent_id 'I52'"]),
]


@pytest.mark.parametrize("filename, old, new, words", BAD_EDITS, ids=[f"{e[0]}:{e[2][:24]}" for e in BAD_EDITS])
def test_bad_edit_is_reported_with_file_and_line(tmp_path, filename, old, new, words):
    folder = _copy(tmp_path)
    path = folder / filename
    line_no = next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if old in line)
    _edit(path, old, new)
    with pytest.raises(CatalogueError) as caught:
        load_indicator_catalogue(folder)
    message = str(caught.value)
    assert f"{path}:{line_no}:" in message
    for word in words:
        assert word in message


def test_stray_comma_is_reported(tmp_path):
    folder = _copy(tmp_path)
    line_no = _append(folder / ALIASES, "河长制度,I04,,a note, with a comma")
    with pytest.raises(CatalogueError, match=rf"{ALIASES}:{line_no}: more fields"):
        load_indicator_catalogue(folder)


def test_missing_file_is_reported(tmp_path):
    folder = _copy(tmp_path)
    (folder / CROSSWALK).unlink()
    with pytest.raises(CatalogueError, match="crosswalk.csv: file not found"):
        load_indicator_catalogue(folder)


def test_an_added_alias_and_local_are_picked_up(tmp_path):
    """The point of the CSVs: a user fixes the data, not the code."""
    folder = _copy(tmp_path)
    _append(folder / ALIASES, "生态环境质量指数,I10,,seen in a test")
    _append(folder / LOCALS, "森林蓄积量,湖南省,,provincial")
    cat = load_indicator_catalogue(folder)
    assert ("生态环境质量指数", "I10") in {(a.alias, a.indicator_id) for a in cat.aliases}
    assert "森林蓄积量" in {local.name for local in cat.locals}
