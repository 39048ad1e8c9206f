"""Department vocabulary and responsible-unit cells, on the strings the seed documents hold."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from planingest.catalogue.departments import load_department_vocabulary
from planingest.core.errors import CatalogueError
from planingest.normalize.departments import DepartmentNormalizer, default_normalizer, split_units

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
CATALOGUE = Path(__file__).resolve().parents[1] / "planingest" / "catalogue" / "data"
DEPARTMENT_FILES = ("departments.csv", "department_aliases.csv", "department_patterns.csv")

# The canonical names fixed by reference/departments.md (exact strings).
FIXED_CANONICALS = (
    "生态环境局 自然资源局 水利局 林业局 农业农村局 住房和城乡建设局 城市管理局 发展和改革局 统计局 财政局 "
    "党委组织部 党委宣传部 党委办公室 政府办公室 人民政府 乡镇人民政府 开发区管委会 工业和信息化局 商务局 科技局 "
    "文化旅游局 卫生健康局 教育局 交通运输局 公安局 市场监督管理局 应急管理局 机关事务管理局 乡村振兴局 融媒体中心"
).split()


@pytest.fixture(scope="module")
def normalizer() -> DepartmentNormalizer:
    return default_normalizer()


# ------------------------------------------------------------------ vocabulary


def test_fixed_canonical_names_are_present():
    vocab = load_department_vocabulary()
    assert set(FIXED_CANONICALS) <= vocab.canonical_names


@pytest.fixture()
def vocab_copy(tmp_path: Path) -> Path:
    for name in DEPARTMENT_FILES:
        shutil.copy(CATALOGUE / name, tmp_path / name)
    return tmp_path


def _append(path: Path, line: str) -> int:
    """Append a row; return its line number (header = 1)."""
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    path.write_text(text + line + "\n", encoding="utf-8")
    return len(path.read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize(
    "file, row, message",
    [
        ("departments.csv", "水利局,水利,", "duplicate canonical '水利局'"),
        ("departments.csv", "水利局 ,水利,", "duplicate canonical '水利局'"),
        ("department_aliases.csv", "水务处,水务总局,alias,", "canonical '水务总局' is not one of"),
        ("department_aliases.csv", "统计局,统计局,alias,", "is the canonical name '统计局'"),
        ("department_aliases.csv", "林业,林业局,abbrev,", "duplicate alias '林业'"),
        ("department_aliases.csv", "环保 局,生态环境局,alias,", "same name as line"),
        ("department_aliases.csv", "水利所,水利局,nickname,", "kind 'nickname' is not one of"),
        ("department_patterns.csv", "map,^(?:水利,,水利局,", "not a valid regular expression"),
        ("department_patterns.csv", "map,水利$,,,", "a map row needs a canonical"),
        ("department_patterns.csv", "map,水利$,,水利总局,", "canonical '水利总局' is not one of"),
        ("department_patterns.csv", "rewrite,^县,,水利局,", "only map rows name a canonical"),
        ("department_patterns.csv", "strip,^县,,,", "kind 'strip' is not one of"),
    ],
)
def test_a_bad_vocabulary_row_is_reported_with_file_and_line(vocab_copy, file, row, message):
    line = _append(vocab_copy / file, row)
    with pytest.raises(CatalogueError) as error:
        load_department_vocabulary(vocab_copy)
    assert f"{file}:{line}:" in str(error.value)
    assert message in str(error.value)


def test_an_alias_is_a_data_edit(vocab_copy):
    names, review = default_normalizer().normalize("县河长办")
    assert names == ("县河长办",) and not review[0].confident
    _append(vocab_copy / "department_aliases.csv", "河长办,水利局,alias,河长制办公室 sits in the 水利局")
    edited = DepartmentNormalizer(load_department_vocabulary(vocab_copy))
    assert edited.normalize("县河长办") == (("水利局",), ())


# ------------------------------------------------------------------ splitting


@pytest.mark.parametrize(
    "raw, units",
    [
        ("怀化市生态环境\n局靖州分局、县水\n利", ["怀化市生态环境局靖州分局", "县水利"]),
        (
            "县政府办、怀化市生态环境局靖州分局、县商务科技和工业信息化局\n县工业集中区管理委员会",
            ["县政府办", "怀化市生态环境局靖州分局", "县商务科技和工业信息化局", "县工业集中区管理委员会"],
        ),
        ("市委办 市政府办", ["市委办", "市政府办"]),
        ("市林业局 市农业农村局", ["市林业局", "市农业农村局"]),
        ("县发改、县农业农\n村局、各乡镇人民\n政府", ["县发改", "县农业农村局", "各乡镇人民政府"]),
        ("县城管局、农业局", ["县城管局", "农业局"]),
        ("县自然资源局、怀\n化市生态环境局\n靖州分局", ["县自然资源局", "怀化市生态环境局靖州分局"]),
        ("局靖州分局、县商\n务科技和工业信\n息化局", ["局靖州分局", "县商务科技和工业信息化局"]),
        ("县水利局；县林业局，县财政局/县统计局", ["县水利局", "县林业局", "县财政局", "县统计局"]),
        ("牵头单位：县水利局（牵头）、县林业局等", ["县水利局", "县林业局"]),
        # two units the vocabulary does not know, one per line: still two
        ("县甲乙中心\n县丙丁中心", ["县甲乙中心", "县丙丁中心"]),
        # an unknown name wrapped after a word that does not end a unit: one
        ("县某某管理\n中心", ["县某某管理中心"]),
        # joined they would fit the X生态环境局 pattern, apart both are known: apart wins
        ("县水利局\n生态环境局", ["县水利局", "生态环境局"]),
        ("", []),
        ("—", []),
        ("/", []),
        ("  \n ", []),
    ],
)
def test_split_units(normalizer, raw, units):
    assert normalizer.split_units(raw) == units


def test_module_level_split_units_uses_the_catalogue():
    assert split_units("市委办 市政府办") == ["市委办", "市政府办"]
    assert split_units(None) == []


# ------------------------------------------------------------------ whole cells from the seeds

SEED_CELLS = [
    # 000 靖州: indicator table 责任部门
    ("县政府办", ("政府办公室",)),
    ("县委组织部", ("党委组织部",)),
    ("县水利局", ("水利局",)),
    ("市生态环境局靖州分局", ("生态环境局",)),
    ("县林业局", ("林业局",)),
    ("县林业局、县农业局", ("林业局", "农业农村局")),
    ("县畜牧局", ("农业农村局",)),
    ("县自然资源局", ("自然资源局",)),
    ("\n县统计局", ("统计局",)),
    ("县水利局、县统计局", ("水利局", "统计局")),
    ("县国土局、县统计局", ("自然资源局", "统计局")),
    ("\n县农业农村局", ("农业农村局",)),
    ("县住建局", ("住房和城乡建设局",)),
    ("县城管局", ("城市管理局",)),
    ("县城管局、农业局", ("城市管理局", "农业农村局")),
    ("\n县农业局", ("农业农村局",)),
    ("县财政局", ("财政局",)),
    # 000 靖州: key-project table 责任单位
    ("怀化市生态环境局靖州分局", ("生态环境局",)),
    ("怀化市生态环境\n局靖州分局、各乡\n镇人民政府", ("生态环境局", "乡镇人民政府")),
    (
        "县政府办、怀化市生态环境局靖州分局、县商务科技和工业信息化局\n县工业集中区管理委员会",
        ("政府办公室", "生态环境局", "商务局", "开发区管委会"),
    ),
    ("\n县林业局、县水利局", ("林业局", "水利局")),
    ("怀化市生态环境", ("生态环境局",)),  # the rest of the cell went to the next page
    ("\n县城市管理和综合执法局", ("城市管理局",)),
    ("怀化市生态环境\n局靖州分局、县水\n利", ("生态环境局", "水利局")),
    ("县自然资源局、怀\n化市生态环境局\n靖州分局", ("自然资源局", "生态环境局")),
    ("县人民政府", ("人民政府",)),
    ("县工业集中区管委会", ("开发区管委会",)),
    ("县文旅体广局、县农业农村局", ("文化旅游局", "农业农村局")),
    ("\n县水利局、县农业农村局", ("水利局", "农业农村局")),
    ("县水利局、工业集中区管委会", ("水利局", "开发区管委会")),
    ("县水利局、县城投、各乡镇人民政府", ("水利局", "城市建设投资公司", "乡镇人民政府")),
    ("\n县发改、县农业农\n村局、各乡镇人民\n政府", ("发展和改革局", "农业农村局", "乡镇人民政府")),
    ("县住房和城乡建设局", ("住房和城乡建设局",)),
    ("县文化旅游广电体育局", ("文化旅游局",)),
    # 001 常德: 责任单位 column
    ("市生态环境局", ("生态环境局",)),
    ("市委办 市政府办", ("党委办公室", "政府办公室")),
    ("市委组织部", ("党委组织部",)),
    ("市水利局", ("水利局",)),
    ("市林业局 市农业农村局", ("林业局", "农业农村局")),
    ("\n市生态环境局 市林业局", ("生态环境局", "林业局")),
    ("市发展改革委", ("发展和改革局",)),
    ("市自然资源局", ("自然资源局",)),
    ("市住建局", ("住房和城乡建设局",)),
    ("市城管执法局", ("城市管理局",)),
    ("市交通运输局", ("交通运输局",)),
    ("市发展改革委 市市场监管局", ("发展和改革局", "市场监督管理局")),
    ("市财政局", ("财政局",)),
    ("市统计局", ("统计局",)),
    # 002 鹿寨: 附表1 牵头部门, 附表2 责任单位, （责任单位：…）
    ("柳州市鹿寨生态环境局", ("生态环境局",)),
    ("县委办、县政府办", ("党委办公室", "政府办公室")),
    ("县农业农村局、县林业局", ("农业农村局", "林业局")),
    ("县自然资源和规划局、柳州市鹿寨生态环境局", ("自然资源局", "生态环境局")),
    ("县发改局、县统计局", ("发展和改革局", "统计局")),
    ("县自然资源和规划局、县统计局", ("自然资源局", "统计局")),
    ("柳州市鹿寨生态环境局、县水利局", ("生态环境局", "水利局")),
    ("县水利局、县卫健局", ("水利局", "卫生健康局")),
    ("县城管执法局", ("城市管理局",)),
    (
        "县农业农村局、县水利局、县住建局、柳州市鹿寨生态环境局",
        ("农业农村局", "水利局", "住房和城乡建设局", "生态环境局"),
    ),
    ("柳州市鹿寨生态环境局、鹿寨经开区管委", ("生态环境局", "开发区管委会")),
    ("鹿寨经开区管委、县科工贸局、县发改局", ("开发区管委会", "科技局", "发展和改革局")),
    ("县文体广旅局", ("文化旅游局",)),
    ("柳州市鹿寨生态环境局、县自然资源和规划局、县文体广旅局", ("生态环境局", "自然资源局", "文化旅游局")),
    ("县委督查绩效办", ("党委督查绩效办",)),
    ("县委组织部、柳州市鹿寨生态环境局", ("党委组织部", "生态环境局")),
    (
        "县乡村振兴局、县农业农村局、县水利局、县住建局、柳州市鹿寨生态环境局、县城管执法局",
        ("乡村振兴局", "农业农村局", "水利局", "住房和城乡建设局", "生态环境局", "城市管理局"),
    ),
    # 004 卢氏: （责任单位：…）
    ("县委办、政府办", ("党委办公室", "政府办公室")),
    ("水利局、发改委、生态环境局", ("水利局", "发展和改革局", "生态环境局")),
    (
        "生态环境局、发改委、交通运输局、公安局、自然资源局、住建局",
        ("生态环境局", "发展和改革局", "交通运输局", "公安局", "自然资源局", "住房和城乡建设局"),
    ),
    ("生态环境局、卫健委", ("生态环境局", "卫生健康局")),
    ("生态环境局、应急管理局", ("生态环境局", "应急管理局")),
    (
        "自然资源局、工业信息化和科技局、住建局、农业农村局",
        ("自然资源局", "工业和信息化局", "住房和城乡建设局", "农业农村局"),
    ),
    ("发改委、工信科技局、交通运输局、机关事务局", ("发展和改革局", "工业和信息化局", "交通运输局", "机关事务管理局")),
    ("城市管理局", ("城市管理局",)),
    ("财政局、机关事务局", ("财政局", "机关事务管理局")),
    ("县委宣传部、融媒体中心、教体局", ("党委宣传部", "融媒体中心", "教育局")),
    # duplicates collapse, order kept
    ("县水利局、水利局、县林业局", ("水利局", "林业局")),
]


@pytest.mark.parametrize("raw, expected", SEED_CELLS)
def test_seed_cells_map_to_canonical_names(normalizer, raw, expected):
    assert normalizer.normalize(raw) == (expected, ())


def _responsibility_notes(sample: str) -> list[str]:
    text = (SAMPLES / sample).read_text(encoding="utf-8")
    return re.findall(r"[（(]责任单位[:：](.*?)[）)]", text, flags=re.S)


@pytest.mark.parametrize("sample, count", [("002_4f08802adbea22bb.txt", 14), ("004_b1e58e9430650c30.txt", 27)])
def test_every_responsibility_note_of_the_seeds_is_recognised(normalizer, sample, count):
    notes = _responsibility_notes(sample)
    assert len(notes) == count
    for note in notes:
        names, review = normalizer.normalize(note)
        assert review == (), note
        assert names and all(name in normalizer.vocab.canonical_names for name in names), note


# ------------------------------------------------------------------ single units and the ladder


@pytest.mark.parametrize(
    "unit, canonical, method",
    [
        ("统计局", "统计局", "exact"),
        ("县统计局", "统计局", "exact"),
        ("县国土局", "自然资源局", "alias"),
        ("市场监管局", "市场监督管理局", "alias"),  # 市 here is not a level prefix
        ("市市场监管局", "市场监督管理局", "alias"),
        ("县城市管理和综合执法局", "城市管理局", "alias"),
        ("县城投", "城市建设投资公司", "alias"),
        ("县委督查绩效办", "党委督查绩效办", "exact"),
        ("靖州县委组织部", "党委组织部", "exact"),
        ("中共靖州县委宣传部", "党委宣传部", "exact"),
        ("鹿寨县水利局", "水利局", "exact"),
        ("湖南省怀化市靖州苗族侗族自治县林业局", "林业局", "exact"),
        ("柳州市鹿寨生态环境局", "生态环境局", "pattern"),
        ("市生态环境局靖州分局", "生态环境局", "pattern"),
        ("鹿寨经开区管委", "开发区管委会", "pattern"),
        ("寨沙镇人民政府", "乡镇人民政府", "pattern"),
        ("县水利", "水利局", "alias"),
        ("县政府", "人民政府", "alias"),
    ],
)
def test_match_unit_ladder(normalizer, unit, canonical, method):
    match = normalizer.match_unit(unit)
    assert (match.canonical, match.method, match.confident) == (canonical, method, True)


@pytest.mark.parametrize(
    "raw_form",
    "环保局 环境保护局 生态环境分局 生态环境部门 国土局 国土资源局 自然资源和规划局 规划和自然资源局 规划局 "
    "水务局 水利水电局 林业和草原局 林草局 农业局 农委 农业农村委 农业农村和水利局 住建局 城乡建设局 住房城乡建设局 "
    "城管局 城管执法局 城市管理和综合执法局 综合行政执法局 发改局 发改委 发展改革委 发展和改革委员会 发改 "
    "县委组织部 市委组织部 组织部 县委宣传部 宣传部 县委办 市委办 委办 县政府办 市政府办 政府办 人民政府办公室 "
    "县人民政府 县政府 各乡镇人民政府 各乡镇 乡镇政府 经开区管委 经开区管委会 经济开发区管委会 工业集中区管理委员会 "
    "工业园区管委会 产业集聚区管委会 产业集聚区 工信局 经信局 工业信息化和科技局 工信科技局 商务科技和工业信息化局 "
    "科工贸局 科技工业贸易局 文旅局 文体广旅局 文旅体广局 文化旅游广电体育局 文化广电和旅游局 文广新局 文体局 "
    "卫健局 卫健委 卫计局 卫生健康委员会 教体局 教育体育局 交通局 市场监管局 工商局 质监局 食药监局 安监局 "
    "机关事务局 机关事务服务中心 扶贫办".split(),
)
def test_every_raw_form_named_in_the_reference_is_known(normalizer, raw_form):
    assert normalizer.match_unit(raw_form).confident


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("商务科技和工业信息化局", "商务局"),
        ("工业信息化和科技局", "工业和信息化局"),
        ("科工贸局", "科技局"),
        ("自然资源和规划局", "自然资源局"),
        ("文化旅游广电体育局", "文化旅游局"),
    ],
)
def test_a_merged_bureau_maps_to_the_function_named_first(normalizer, raw, expected):
    assert normalizer.normalize(raw)[0] == (expected,)


def test_an_unknown_unit_stays_raw_and_goes_to_review(normalizer):
    names, review = normalizer.normalize("局靖州分局、县商\n务科技和工业信\n息化局")
    assert names == ("局靖州分局", "商务局")
    assert [(m.raw, m.canonical, m.method, m.confident) for m in review] == [("局靖州分局", None, "none", False)]


def test_a_near_miss_is_only_a_suggestion(normalizer):
    names, review = normalizer.normalize("县市场监督局、县水利局")
    assert names == ("县市场监督局", "水利局")
    (match,) = review
    assert (match.raw, match.method, match.canonical, match.confident) == ("县市场监督局", "fuzzy", "市场监督管理局", False)
    assert 75 <= match.score < 95


def test_nothing_to_normalise(normalizer):
    assert normalizer.normalize(None) == ((), ())
    assert normalizer.normalize("—") == ((), ())


# ---------------------------------------------------------------- roles written after a unit; county branches


@pytest.mark.parametrize(("raw", "expected"), [
    ("县发改局牵头，各乡镇（街道）配合", ("发展和改革局", "乡镇人民政府")),
    ("县生态环境分局（牵头），县住建局、县林业局配合", ("生态环境局", "住房和城乡建设局", "林业局")),
    ("县住建局等配合", ("住房和城乡建设局",)),
    ("县委宣传部（按职责分工负责）", ("党委宣传部",)),
    ("市自然资源和规划局青田分局", ("自然资源局",)),
    ("丽水市公安局青田分局", ("公安局",)),
])
def test_role_words_and_county_branches(raw, expected):
    from planingest.normalize.departments import default_normalizer

    names, unmatched = default_normalizer().normalize(raw)
    assert names == expected and unmatched == ()
