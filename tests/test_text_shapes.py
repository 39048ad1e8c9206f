"""Text tables in every shape people paste give the rows of the table itself.

Shapes (readers in planingest/ingest/text/, renderers in tools/textshapes.py): box-drawn
grids, one cell per paragraph with blank lines, space-aligned columns (CJK two columns
wide, centred headers, page footers), CSV/TSV files.  The samples under
samples/text-shapes/ are the seeds' tables in those shapes (tools/render_text_shapes.py).
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planingest.catalogue import catalogue_dir
from planingest.catalogue.csvload import read_rows
from planingest.core.records import ExtractedDocument, Locator, Paragraph, Table
from planingest.ingest.detect import detect_format
from planingest.ingest.text.aligned import aligned_rows
from planingest.ingest.text.boxgrid import box_rows
from planingest.ingest.text.columns import display_width, segments
from planingest.ingest.text.delimited import EXTRACTOR as DELIMITED
from planingest.ingest.text.delimited import delimited_format
from planingest.ingest.text.reader import text_blocks
from planingest.interpret.document import interpret
from planingest.interpret.tables.indicators import indicator_rows
from planingest.interpret.tables.layout import recognise
from tests.seedrun import SAMPLES, run_sample, seed
from tests.test_renditions import indicator_keys, project_keys
from tools.textshapes import RENDERERS, render_delimited, wrap_rows

TOOLS = Path(__file__).resolve().parent.parent / "tools"

PDFTOTEXT = "luzhai-pdftotext.txt"  # real pdftotext -layout output: checked with floors below
SHAPE_SAMPLES = sorted(p.name for p in (SAMPLES / "text-shapes").iterdir() if p.name != PDFTOTEXT)


def _original(name: str) -> str:
    return "jingzhou" if name.startswith("jingzhou") else "luzhai"


# ---------------------------------------------------------------- the seeds in every shape


@pytest.mark.parametrize("name", SHAPE_SAMPLES)
def test_shape_sample_gives_the_originals_rows(name):
    result, original = run_sample(f"text-shapes/{name}"), seed(_original(name))
    assert result.document.status == "ok"
    assert indicator_keys(result) == indicator_keys(original)
    assert project_keys(result) == project_keys(original)
    assert result.document.region == original.document.region
    assert result.document.file_format == {"csv": "csv", "tsv": "tsv"}.get(name.rsplit(".", 1)[1], "txt")


def test_shape_samples_are_current(tmp_path):
    subprocess.run([sys.executable, "-m", "tools.render_text_shapes", "--out", str(tmp_path)],
                   check=True, capture_output=True, cwd=TOOLS.parent)
    for name in SHAPE_SAMPLES:
        assert (tmp_path / name).read_bytes() == (SAMPLES / "text-shapes" / name).read_bytes(), name


#: measured on samples/text-shapes/luzhai-pdftotext.txt (poppler 22.12): the rows without blank lines
#: between them, cells centred vertically and wrapped next to sub-rows; per field, rows equal to the
#: text original's (44 rows)
PDFTOTEXT_FLOORS = {"seq": 44, "indicator_id": 44, "sub_indicator_id": 44, "attribute": 44, "deadline": 44,
                    "departments": 42, "target_raw": 30}


def test_real_pdftotext_layout_output_recovers_the_indicator_table():
    result, original = run_sample(f"text-shapes/{PDFTOTEXT}"), seed("luzhai")
    assert len(result.indicators) == len(original.indicators) == 44
    for field, floor in PDFTOTEXT_FLOORS.items():
        equal = sum(getattr(a, field) == getattr(b, field) for a, b in zip(result.indicators, original.indicators))
        assert equal >= floor, (field, equal)


def test_mixed_document_finds_each_shape_in_its_region():
    blocks = text_blocks((SAMPLES / "text-shapes" / "jingzhou-mixed.txt").read_text(encoding="utf-8"))
    tables = [b for b in blocks if isinstance(b, Table)]
    assert [len(t.rows) for t in tables] == [58, 54]
    assert tables[0].caption == "靖州县生态文明建设指标责任分解表"
    first_table = blocks.index(tables[0])
    assert all(isinstance(b, Paragraph) for b in blocks[:first_table]) and first_table > 10


# ---------------------------------------------------------------- each shape's own signals


def test_box_grid_vertical_merge_span_and_wrapped_cell():
    text = """\
┌──────┬────┬────────┬──────┬──────┬────────┐
│ 领域 │序号│指标名称│ 单位 │目标值│责任单位│
├──────┼────┼────────┼──────┼──────┼────────┤
│ 生态 │ 1  │单位GDP │吨标  │ ≤0.5 │县发改局│
│ 经济 │    │能耗    │准煤/ │      │        │
│      │    │        │万元  │      │        │
│      ├────┼────────┼──────┼──────┼────────┤
│      │ 2  │森林覆盖│ %    │ ≥60  │县林业局│
├──────┴────┼────────┼──────┼──────┼────────┤
│ 特色指标  │秸秆利用│ %    │ ≥90  │县农业局│
└───────────┴────────┴──────┴──────┴────────┘"""
    rows = box_rows(text.split("\n"), 0)
    assert rows[1].cells == ("生态\n经济", "1", "单位GDP\n能耗", "吨标\n准煤/\n万元", "≤0.5", "县发改局")
    assert rows[2].cells[:2] == ("", "2") and rows[2].merged[0] and not rows[2].merged[1]
    assert rows[3].cells[:2] == ("特色指标", "") and rows[3].merged[1]


def test_box_grid_drawn_with_double_width_box_characters():
    # a CJK font draws ─ and │ two columns wide: the borders have half as many ─ as a Western one
    text = """\
┌──┬────┬───┬────┐
│序号│指标名称│目标值│责任单位│
├──┼────┼───┼────┤
│1   │森林覆盖│≥60   │县林业局│
│    │率      │      │        │
└──┴────┴───┴────┘"""
    rows = box_rows(text.split("\n"), 0)
    assert [r.cells for r in rows] == [("序号", "指标名称", "目标值", "责任单位"), ("1", "森林覆盖\n率", "≥60", "县林业局")]


def test_aligned_columns_cjk_width_centred_header_footer_and_span():
    lines = [
        "      领域       序号       指标名称        单位      目标值       责任单位",
        "",
        "    生态经济      1     单位GDP能耗降低     %          ≥3         县发改局",
        "",
        "                  2     森林覆盖率          %          ≥60        县林业局",
        "                        (含乔木林)",
        "",
        "                                  — 3 —",
        "",
        "    特色指标空间指标     秸秆综合利用率      %          ≥90        县农业局",
        "",
        "                  4     河长制              —          全面实施    县水利局",
    ]
    rows = aligned_rows(lines, 0)
    assert rows[0].cells == ("领域", "序号", "指标名称", "单位", "目标值", "责任单位")
    assert rows[2].cells == ("", "2", "森林覆盖率\n(含乔木林)", "%", "≥60", "县林业局")
    assert rows[3].cells[:3] == ("特色指标空间指标", "", "秸秆综合利用率") and rows[3].merged[1]
    assert len(rows) == 5  # the footer is not a row


@pytest.mark.parametrize("before", ["", "附表2  重点项目表\n\n"])
def test_blank_line_table_keeps_empty_header_cells_and_flags_merged_group_cells(before):
    cells = ["", "", "项目名称", "建设内容", "总投资(万元)", "责任单位",
             "生态\n经济", "1", "污水处理厂", "新建一座", "100", "县住建局",
             "", "2", "垃圾\n填埋场", "扩建", "50", "县城管局"]
    (table,) = [b for b in text_blocks(before + "\n\n".join(cells) + "\n") if isinstance(b, Table)]
    assert table.rows == (tuple(cells[:6]), tuple(cells[6:12]), tuple(cells[12:]))
    assert table.merged[2][0] and not table.merged[2][1]


def test_display_width_counts_cjk_double():
    assert display_width("指标ab") == 6
    assert [s.text for s in segments("序号  指标名称\u3000单位")] == ["序号", "指标名称", "单位"]


@pytest.mark.parametrize("text", [
    "本方案所称\t指标\t按照\t上级要求执行。\n各单位\t要\t落实\t责任。\n",  # prose with tabs
    "一、总体要求    坚持生态优先    绿色发展\n二、主要任务    加强领导\n",  # prose with runs of spaces
    "序号\n\n领导小组\n\n办公室\n\n其他\n",  # short paragraphs between blank lines
    "根据要求，各单位应当：\n\n1\n\n加强领导\n\n2\n\n落实责任\n",
])
def test_prose_with_tabs_or_spaces_is_not_a_table(text):
    blocks = text_blocks(text)
    assert not any(isinstance(b, Table) for b in blocks)
    assert interpret(ExtractedDocument("txt", tuple(blocks))).indicators == ()


# ---------------------------------------------------------------- CSV and TSV files

CSV_TEXT = ("国家生态文明建设示范县指标表,,,,,\r\n序号,指标名称,单位,目标值,指标属性,责任单位\r\n"
            "1,森林覆盖率,%,≥60,约束性,县林业局\r\n2,\"单位GDP\n能耗\",吨标准煤/万元,≤0.5,约束性,县发改局\r\n"
            ",,,,,\r\n重点项目表,,,,,\r\n序号,项目名称,建设内容,总投资(万元),责任单位,建设年限\r\n"
            "1,污水处理厂,新建污水处理厂一座,1200,县住建局,2021-2023\r\n")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk"])
@pytest.mark.parametrize("name", ["表.csv", "表.txt", "表"])
def test_csv_detected_by_content_and_read(encoding, name):
    data = CSV_TEXT.encode(encoding)
    assert detect_format(Path(name), data) == "csv"
    doc = DELIMITED.extract(Path(name), data, "csv")
    tables = doc.tables
    assert [t.caption for t in tables] == ["国家生态文明建设示范县指标表", "重点项目表"]
    assert tables[0].rows[2] == ("2", "单位GDP\n能耗", "吨标准煤/万元", "≤0.5", "约束性", "县发改局")
    result = interpret(doc)
    assert [(r.seq, r.target_raw, r.departments_raw) for r in result.indicators] == [
        (1, "≥60", "县林业局"), (2, "≤0.5", "县发改局")]
    assert [p.name for p in result.projects] == ["污水处理厂"]


def test_csv_tables_told_apart_by_a_title_row_without_a_blank_record():
    doc = DELIMITED.extract(Path("a.csv"), CSV_TEXT.replace(",,,,,\r\n重点", "重点").encode(), "csv")
    assert [t.caption for t in doc.tables] == ["国家生态文明建设示范县指标表", "重点项目表"]
    assert [len(t.rows) for t in doc.tables] == [3, 2]


def test_tsv_sample_named_txt_is_still_tsv():
    data = (SAMPLES / "text-shapes" / "luzhai.tsv").read_bytes()
    assert detect_format(Path("鹿寨.txt"), data) == "tsv"
    assert detect_format(Path("鹿寨"), data) == "tsv"


def test_tsv_detected_and_extension_breaks_ties():
    tsv = CSV_TEXT.replace(",", "\t")
    assert detect_format(Path("a.tsv"), tsv.encode("gbk")) == "tsv"
    short = "序号\t指标名称\t单位\t2023年目标值\n1\t森林覆盖率\t%\t≥60\n2\t生态环境状况指数\t—\t≥55"
    assert delimited_format(short, "tsv") == "tsv"
    assert delimited_format(short, "txt") is None  # three records do not outweigh the .txt name
    assert detect_format(Path("a.txt"), short.encode()) == "txt"


@pytest.mark.parametrize("text", [
    "This plan, adopted in 2021, sets targets.\nEach department, county and town reports.\nDone.\n",
    "县生态环境局，县发改局，县林业局\n按照要求，抓好落实。\n",
    "\t序号\n\t指标名称\n\t单位\n\n\t1\n\t森林覆盖率\n\t%\n\n\t2\n\t河长制\n\t—\n\n\t3\n\tx\n\ty\n",  # a tab dump
])
def test_text_that_is_not_delimited(text):
    assert delimited_format(text, "txt") is None
    assert detect_format(Path("a.txt"), text.encode()) == "txt"


# ---------------------------------------------------------------- property: any table, any shape

_SYNONYM_CHARS = {c for row in read_rows(catalogue_dir() / "table_headers.csv", ["role", "synonym", "match"], ["note"])
                  for c in row["synonym"]}
_NAME_CHARS = sorted({c for row in read_rows(catalogue_dir() / "indicators.csv",
                                             ["id", "name"], ["county_seq", "domain", "task", "unit", "target",
                                                              "attribute", "scope", "scope_variants", "source_note"])
                      for c in row["name"] if re.match(r"[\u4e00-\u9fff]", c)} - _SYNONYM_CHARS)
WORD = st.text(st.sampled_from(_NAME_CHARS), min_size=2, max_size=9)
WRAPPED = st.lists(WORD, min_size=1, max_size=3).map("\n".join)
TARGET = st.sampled_from(["≥95", "100", "≤0.5", "完成上级下达任务", "≥60\n(2025年)", "全面实施", "稳定\n改善"])
UNIT = st.sampled_from(["%", "", "吨标\n准煤/\n万元", "个", "mg/L"])
ATTRIBUTE = st.sampled_from(["约束性", "参考性"])
DEPARTMENT = st.builds(lambda a, b: f"县{a}局" + (f"、县{b}局" if b else ""), WORD, st.one_of(st.just(""), WORD))
HEADERS = [
    ("序号", "指标名称", "单位", "目标值", "指标属性", "责任单位"),
    ("领域", "序号", "指标名称", "单位", "2025年目标值", "指标属性", "牵头部门"),
]


@st.composite
def indicator_tables(draw) -> tuple[tuple[str, ...], ...]:
    header = draw(st.sampled_from(HEADERS))
    n = draw(st.integers(1, 8))
    rows = [header]
    for seq in range(1, n + 1):
        values = [str(seq), draw(WRAPPED), draw(UNIT), draw(TARGET), draw(ATTRIBUTE), draw(DEPARTMENT)]
        if header[0] == "领域":
            values.insert(0, draw(st.sampled_from(["生态经济", "生态\n空间"])) if seq == 1 or draw(st.booleans())
                          else "")
        rows.append(tuple(values))
    return tuple(rows)


def _fields(rows):
    return [(r.seq, r.domain, r.name_raw, r.sub_name_raw, r.unit, r.target_raw, r.attribute_raw, r.departments_raw)
            for r in rows]


def _indicators(tables: list[Table]):
    return _fields(row for table in recognise(tables) if table.kind == "indicators" for row in indicator_rows(table))


def _read(shape: str, rows: tuple[tuple[str, ...], ...]) -> list[Table]:
    if shape in ("csv", "tsv"):
        delimiter = "," if shape == "csv" else "\t"
        data = render_delimited(list(rows), delimiter, title="指标任务分解表").encode("utf-8-sig" if shape == "csv" else "gbk")
        assert detect_format(Path(f"t.{shape}"), data) == shape
        return DELIMITED.extract(Path(f"t.{shape}"), data, shape).tables
    text = "\n".join(["关于印发指标任务分解的通知", "", "附表1  指标任务分解表", ""]
                     + RENDERERS[shape](list(rows)) + ["", "注：指标值为2025年目标值。"])
    return [b for b in text_blocks(text) if isinstance(b, Table)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(indicator_tables(), st.sampled_from(["box", "blank", "aligned", "dense", "csv", "tsv"]))
def test_any_indicator_table_reads_the_same_in_every_shape(rows, shape):
    if shape == "dense":  # no blank lines between rows: cells wrap where they fill a 12-column column
        rows = tuple(wrap_rows(list(rows), 12))
    expected = _indicators([Table(rows=rows, locator=Locator(table=1))])
    assert len(expected) >= len(rows) - 1
    assert _indicators(_read(shape, rows)) == expected


_SYNONYMS = sorted({row["synonym"] for row in read_rows(catalogue_dir() / "table_headers.csv",
                                                        ["role", "synonym", "match"], ["note"])})
_PIECE = st.one_of(st.sampled_from(_SYNONYMS), st.sampled_from(list("┌┐└┘├┤┬┴┼─│ \t,\u3000") + ["  ", "— 3 —", "1", "12"]),
                   WORD)
_LINE = st.lists(_PIECE, max_size=10).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINE, max_size=30).map("\n".join))
def test_text_of_shape_debris_never_raises_and_gives_grids(text):
    for block in text_blocks(text):
        if isinstance(block, Table):
            assert len({len(row) for row in block.rows}) <= 1
            assert not block.merged or [len(m) for m in block.merged] == [len(r) for r in block.rows]
    delimited_format(text, "csv")
    DELIMITED.extract(Path("a.csv"), text.encode(), "csv")


def test_prose_around_a_tab_separated_table_is_a_text_whose_table_is_found():
    table = [("序号", "指标名称", "单位", "目标值", "指标属性", "责任单位")] + [
        (str(k), f"指标{k}", "%", "≥90", "约束性", "县生态环境局") for k in range(1, 7)]
    prose = ["关于印发指标任务分解表的通知", "各乡镇人民政府、县直各单位：", "现将分解表印发给你们，请认真贯彻落实。",
             "一、工作目标", "到2025年，全面完成各项指标。", "二、任务分解", "附表1  指标任务分解表"]
    text = "\n".join(prose + ["\t".join(r) for r in table] + ["注：指标值为2025年目标值。", "县生态环境局", "2023年8月1日"])
    assert detect_format(Path("通知.txt"), text.encode("gbk")) == "txt"
    tables = [b for b in text_blocks(text) if isinstance(b, Table)]
    assert len(tables) == 1 and tables[0].rows == tuple(table) and tables[0].caption == "附表1指标任务分解表"
