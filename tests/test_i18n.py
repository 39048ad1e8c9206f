"""Chinese first, English available: the language is chosen per run, and nothing we show escapes the catalogue.

One batch (the text samples, two crafted plans that fill the review queue, a broken
file) is read once; its workbook and report are then written in both languages and
read back.  The catalogue itself is checked for completeness (every msgid has a
Chinese msgstr with the same placeholders) and for being in step with the code.
"""
from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planingest.cli.lang import translate_usage_error
from planingest.cli.main import main
from planingest.core import i18n
from planingest.core.i18n import local_time, read_po, resolve_lang, set_lang
from planingest.core.shown import TEMPLATES, shown
from planingest.review.sheets import (
    CARRIED,
    DOC_ID,
    IGNORE,
    KINDS,
    LOCAL,
    LOCATOR,
    README,
    _known_names,
    columns,
    decision_of,
    label,
    name_of,
)
from tests.test_review_loop import copy_catalogue, loop_inputs

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "planingest" / "locale" / "zh" / "LC_MESSAGES" / "planingest.po"
POT = ROOT / "planingest" / "locale" / "planingest.pot"


# --------------------------------------------------------------------------
# choosing the language and the zone
# --------------------------------------------------------------------------


@pytest.mark.parametrize("explicit, environ, expected", [
    (None, {"LANG": "zh_CN.UTF-8"}, "zh"),
    (None, {"LANG": "zh_TW.UTF-8"}, "zh"),
    (None, {"LANG": "en_US.UTF-8"}, "en"),
    (None, {}, "en"),
    (None, {"LANG": "C.UTF-8"}, "en"),
    (None, {"LANG": "zh_CN.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "en"),  # LC_ALL wins, as POSIX says
    (None, {"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "zh"),
    (None, {"LANG": "en_US.UTF-8", "PLANINGEST_LANG": "zh"}, "zh"),
    (None, {"LANG": "zh_CN.UTF-8", "PLANINGEST_LANG": "en"}, "en"),
    ("en", {"LANG": "zh_CN.UTF-8", "PLANINGEST_LANG": "zh"}, "en"),
    ("zh", {}, "zh"),
])
def test_the_language_comes_from_the_option_then_the_variable_then_the_locale(explicit, environ, expected):
    assert resolve_lang(explicit, environ) == expected


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="zh or en"):
        resolve_lang("fr", {})


@pytest.mark.parametrize("when, lang, zone, expected", [
    ("2026-11-26T02:05:00+00:00", "zh", None, "2026-11-26 10:05 +08:00"),
    ("2026-11-26T18:30:59+00:00", "zh", None, "2026-11-27 02:30 +08:00"),
    ("2026-11-26T02:05:00+00:00", "en", "Europe/London", "2026-11-26 02:05 +00:00"),
    ("2026-07-01T02:05:00+00:00", "en", "Europe/London", "2026-07-01 03:05 +01:00"),
    ("2026-11-26T02:05:00+00:00", "zh", "America/New_York", "2026-11-25 21:05 -05:00"),  # PLANINGEST_TZ wins
    ("2026-11-26T02:05:00", "zh", None, "2026-11-26 10:05 +08:00"),  # naive: UTC, as the manifest writes
    ("?", "zh", None, "?"),
    ("1900-01-01T00:00:00+00:00", "zh", None, "1900-01-01 08:05 +08:05"),  # LMT: the offset to the minute
])
def test_times_are_shown_in_the_readers_zone_with_the_offset(monkeypatch, when, lang, zone, expected):
    if zone:
        monkeypatch.setenv("PLANINGEST_TZ", zone)
    else:
        monkeypatch.delenv("PLANINGEST_TZ", raising=False)
    assert local_time(when, lang) == expected


def test_english_times_use_the_system_zone(monkeypatch):
    monkeypatch.delenv("PLANINGEST_TZ", raising=False)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d [+-]\d\d:\d\d", local_time(None, "en"))


# --------------------------------------------------------------------------
# the catalogue
# --------------------------------------------------------------------------


def _fields(text: str) -> set[str]:
    return set(re.findall(r"\{(\w*)[^{}]*\}", text))


def test_every_msgid_has_a_chinese_msgstr_with_the_same_placeholders():
    template, template_plurals, _ = read_po(POT)
    messages, plurals, header = read_po(PO)
    assert "nplurals=1" in header.replace(" ", "")
    assert len(template) > 200
    missing = [m for m in template if not messages.get(m)]
    assert not missing
    assert not [m for m in template if _fields(messages[m]) != _fields(m)]
    assert not [m for m in template_plurals if not plurals.get(m) or not all(plurals[m])]
    assert not [m for m in template_plurals if _fields(plurals[m][0]) != _fields(m)]


def test_the_template_is_in_step_with_the_code(tmp_path, monkeypatch):
    pytest.importorskip("babel")
    from tools import i18n as tool

    monkeypatch.setattr(tool, "POT", tmp_path / "fresh.pot")
    tool.extract()
    fresh, fresh_plurals, _ = read_po(tmp_path / "fresh.pot")
    stored, stored_plurals, _ = read_po(POT)
    assert set(fresh) == set(stored), "run `python -m tools.i18n update` and translate the new messages"
    assert set(fresh_plurals) == set(stored_plurals)


def test_the_po_loader_skips_fuzzy_entries_and_reads_plurals_and_continued_lines(tmp_path):
    po = tmp_path / "x.po"
    po.write_text('msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
                  'msgid "a"\nmsgstr "甲"\n\n#, fuzzy\nmsgid "b"\nmsgstr "乙"\n\n'
                  'msgid ""\n"long "\n"text"\nmsgstr ""\n"长"\n"文"\n\n'
                  'msgid "{n} file"\nmsgid_plural "{n} files"\nmsgstr[0] "{n} 个文件"\n', encoding="utf-8")
    messages, plurals, header = read_po(po)
    assert messages == {"a": "甲", "long text": "长文"}
    assert plurals == {"{n} file": ("{n} 个文件",)}
    assert "nplurals=1" in header


def test_workbook_names_are_distinct_in_each_language():
    for lang in i18n.LANGS:
        shown_names = [label(name, lang) for name in _known_names()]
        assert len(set(shown_names)) == len(set(_known_names())), lang


# --------------------------------------------------------------------------
# stored messages, shown
# --------------------------------------------------------------------------


@pytest.mark.parametrize("stored, expected", [
    ("unit not recognised (fuzzy)", "单位未能识别（模糊匹配）"),
    ("similar to I08.1 水质达到或优于Ⅲ类比例提高幅度 (85), below auto-accept",
     "与 I08.1 水质达到或优于Ⅲ类比例提高幅度 相近（85），低于自动接受阈值"),
    ("the image was read by OCR (mean recognition score 0.912); check names and numbers against the original",
     "图片已用 OCR 识别（平均识别置信度 0.912）；请对照原件核对名称和数字"),
    ("the title names 怀化市、靖州县: cannot tell which one the plan covers", "标题提到怀化市、靖州县：无法确定规划覆盖的是哪一个"),
    ("something no template knows", "something no template knows"),
    ("timed out after 60 s; raise --timeout to read it", "超过 60 秒未完成；如需读取请调高 --timeout"),
    ("cannot open the file: Permission denied; region not found", "无法打开文件：Permission denied；未找到地区"),
    ("something new; region not found", "something new；未找到地区"),
    ("damaged Outlook message: the compound file cannot be opened (incomplete OLE sector)",
     "Outlook 邮件已损坏：the compound file cannot be opened (incomplete OLE sector)"),
])
def test_stored_messages_are_shown_in_chinese_where_a_template_knows_them(stored, expected):
    set_lang("zh")
    assert shown(stored) == expected


@given(st.text())
def test_english_shows_stored_messages_as_they_are(text):
    set_lang("en")
    assert shown(text) == text


@given(st.sampled_from(TEMPLATES), st.lists(st.text(alphabet="0123456789生态环境局", min_size=1, max_size=6),
                                            min_size=6, max_size=6))
def test_every_template_filled_in_reads_back_in_chinese_without_its_english(template, values):
    set_lang("zh")
    names = sorted(_fields(template))
    stored = template.format(**dict(zip(names, values, strict=False)))
    translated = shown(stored)
    assert translated != stored or not re.search(r"[a-z]{3}", re.sub(r"\{[^}]*\}", "", template))
    for value in values[:len(names)]:
        assert value in translated


# --------------------------------------------------------------------------
# the command line in both languages
# --------------------------------------------------------------------------


@pytest.fixture
def docs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(ROOT / "samples" / "000_2b96e2d222b5f3b3.txt", folder)
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not a zip archive")
    (folder / "empty.xlsx").write_bytes(b"")
    return folder


@pytest.mark.parametrize("lang, summary, failed", [
    ("en", "3 documents (1 ok, 0 partial, 0 empty, 2 failed, 0 skipped)", "failed {path}: "),
    ("zh", "3 个文档（1 成功，0 部分成功，0 无内容，2 失败，0 已跳过）", "失败 {path}："),
])
def test_quiet_names_every_failed_file_before_the_summary(docs, tmp_path, capsys, lang, summary, failed):
    assert main(["run", str(docs), "--out", str(tmp_path / "out"), "--quiet", "--lang", lang, "--workers", "1"]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(failed.format(path=docs / "broken.docx"))
    assert lines[1].startswith(failed.format(path=docs / "empty.xlsx"))
    assert summary in lines[2]


def test_chinese_progress_lines_translate_status_counts_and_known_errors(docs, tmp_path, capsys):
    assert main(["run", str(docs), "--out", str(tmp_path / "out"), "--lang", "zh", "--workers", "1"]) == 1
    err = capsys.readouterr().err
    assert "空文件（0 字节），不是" in err
    assert re.search(r"\] 成功 +txt +指标 +\d+ 项目 +\d+ 任务 +\d+  ", err)
    assert "新读取 3 个，取自缓存 0 个" in err


@pytest.mark.parametrize("args, en, zh", [
    (["run", "{docs}"], "the following arguments are required: --out", "缺少必需的参数：--out"),
    (["run", "{docs}", "--out", "{out}", "--workers", "0"], "argument --workers: '0' must be at least 1",
     "参数 --workers：'0' 至少为 1"),
    (["run", "{docs}", "--out", "{out}", "--timeout", "x"], "argument --timeout: 'x' is not a number",
     "参数 --timeout：'x' 不是数字"),
    (["frobnicate"], "invalid choice: 'frobnicate'", "无效选项 'frobnicate'"),
    (["report", "--out", "{out}"], "--out {out} does not exist; `planingest report` reads the output folder",
     "--out {out} 不存在；`planingest report` 读取"),
    (["run", "{docs}", "--out", "{out}", "--catalogue", "{missing}"], "planingest: error: {missing}",
     "planingest：错误：{missing}"),
])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_usage_errors_in_both_languages_keep_their_details(docs, tmp_path, capsys, args, en, zh, lang):
    values = {"docs": docs, "out": tmp_path / "out", "missing": tmp_path / "nowhere"}
    assert main([a.format(**values) for a in args] + ["--lang", lang]) == 2
    err = capsys.readouterr().err
    assert (en if lang == "en" else zh).format(**values) in err
    assert ("用法：" in err) == (lang == "zh" and "usage: " not in err and args[0] != "report" and "--catalogue" not in args)


@pytest.mark.parametrize("environ, expected", [
    ({"PLANINGEST_LANG": "zh"}, "缺少必需的参数"),
    ({"PLANINGEST_LANG": "", "LANG": "zh_CN.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}, "缺少必需的参数"),
    ({"PLANINGEST_LANG": "", "LANG": "en_US.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}, "the following arguments"),
])
def test_without_lang_the_environment_chooses(monkeypatch, capsys, environ, expected):
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    assert main(["run"]) == 2
    assert expected in capsys.readouterr().err


@pytest.mark.parametrize("lang, words", [("en", ["ingest documents into tables", "--lang"]),
                                         ("zh", ["将文档处理成数据表", "选项：", "显示此帮助信息并退出"])])
def test_help_is_in_the_chosen_language(capsys, lang, words):
    assert main(["--lang", lang, "--help"]) == 0
    out = capsys.readouterr().out
    assert all(word in out for word in words)


def test_argparse_messages_we_do_not_know_pass_through():
    set_lang("zh")
    assert translate_usage_error("something new in Python 3.14") == "something new in Python 3.14"


# --------------------------------------------------------------------------
# the workbook and the report, written in both languages from one batch
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    root = tmp_path_factory.mktemp("i18n")
    inputs = loop_inputs(root)
    (inputs / "broken.docx").write_bytes(b"PK\x03\x04 not a zip archive")
    catalogue = copy_catalogue(root / "catalogue")
    out = root / "out"
    assert main(["run", str(inputs), "--out", str(out), "--catalogue", str(catalogue), "--quiet", "--workers", "2",
                 "--lang", "en"]) == 1
    files = {"out": out, "catalogue": catalogue, "root": root}
    for lang in ("en", "zh"):
        assert main(["review", "--out", str(out), "--xlsx", str(root / f"review-{lang}.xlsx"), "--lang", lang]) == 0
        assert main(["report", "--out", str(out), "--html", str(root / f"report-{lang}.html"), "--lang", lang]) == 0
        files[f"xlsx-{lang}"], files[f"html-{lang}"] = root / f"review-{lang}.xlsx", root / f"report-{lang}.html"
    i18n._current = None  # noqa: SLF001
    return files


@pytest.mark.parametrize("lang, sheets, heads", [
    ("en", ["README", "indicator", "department", "region", "document", "lists"],
     ["raw", "decision", "suggestion 1", "score 1", "listed under", "unit", "target", "departments", "document",
      "page", "reason"]),
    ("zh", ["说明", "指标", "部门", "地区", "文档", "下拉列表"],
     ["原文", "决定", "建议1", "相似度1", "所属指标", "计量单位", "目标值", "责任部门", "文档", "页码", "原因"]),
])
def test_workbook_sheets_and_headers_are_in_the_chosen_language(written, lang, sheets, heads):
    wb = openpyxl.load_workbook(written[f"xlsx-{lang}"])
    assert wb.sheetnames == sheets
    header = [c.value for c in wb[sheets[1]][1]]
    assert header[:len(heads)] == heads


#: ASCII words allowed in Chinese text: names of things (programs, formats, standards, columns) and units
ALLOWED = {"planingest", "review", "accept", "run", "report", "export", "out", "DIR", "FILE", "doc_id", "ID",
           "txt", "docx", "pdf", "xlsx", "csv", "duckdb", "zip", "OCR", "GB", "T", "MB", "A4", "EQI", "PM2", "PM10", "COD",
           "SO2", "NOx", "catalogue", "departments", "region_aliases"}
#: things that are ours but are identifiers: paths, file names, indicator IDs, codes, hashes
_IDENTIFIERS = re.compile(r"\S*[/\\]\S*|\S+\.(?:txt|docx|pdf|csv|xlsx|html)\b|\bI\d\d(?:\.\d+)*\b|\b[0-9a-f]{12,}\b"
                          r"|\b\d{8}T\d{6}\.\d+Z-[0-9a-f]+\b|--[a-z-]+"
                          r"|（[ -~]*）")  # a library's own words, quoted in our message (zipfile: "File is not a zip file")


def english_words(text: str) -> set[str]:
    text = _IDENTIFIERS.sub(" ", text)
    return {w for w in re.findall(r"[A-Za-z][A-Za-z_0-9]*", text) if w not in ALLOWED}


class Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in ("style", "code")

    def handle_endtag(self, tag):
        self._hidden -= tag in ("style", "code")

    def handle_data(self, data):
        if not self._hidden:
            self.text.append(data)


def test_no_english_escapes_the_catalogue_in_the_chinese_report(written):
    page = Visible()
    page.feed(written["html-zh"].read_text(encoding="utf-8"))
    leaks = {w: t for t in page.text for w in english_words(t)}
    assert not leaks, leaks
    html = written["html-zh"].read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html
    assert re.search(r"完成于 \d{4}-\d\d-\d\d \d\d:\d\d \+08:00", html)


def test_the_english_report_is_english(written):
    html = written["html-en"].read_text(encoding="utf-8")
    assert "At a glance" in html and "概览" not in html and '<html lang="en">' in html


def test_no_english_escapes_the_catalogue_in_the_chinese_workbook(written):
    wb = openpyxl.load_workbook(written["xlsx-zh"])
    leaks = set()
    for ws in wb:
        header = [name_of(str(c.value)) for c in ws[1]]
        for row in ws.iter_rows():
            for name, cell in zip(header, row, strict=False):
                data = name in (LOCATOR, DOC_ID, "raw", "document", "document region") and cell.row > 1
                if isinstance(cell.value, str) and not data:
                    leaks |= {(ws.title, cell.coordinate, w) for w in english_words(cell.value)}
        for dv in ws.data_validations.dataValidation:
            for text in (dv.formula1 or "", dv.error or "", dv.errorTitle or "", dv.prompt or "", dv.promptTitle or ""):
                if not text.startswith(("OR(", "'")):
                    leaks |= {(ws.title, "validation", w) for w in english_words(text)}
    assert not leaks, sorted(leaks)


def _fill(src: Path, target: Path, decisions: dict[tuple[str, str], str]) -> Path:
    wb = openpyxl.load_workbook(src)
    for kind in KINDS:
        ws = wb[label(kind, "zh")]
        header = [c.value for c in ws[1]]
        for row in ws.iter_rows(min_row=2):
            key = (kind, row[header.index(label("raw", "zh"))].value)
            if key in decisions:
                row[header.index(label("decision", "zh"))].value = decisions[key]
    wb.save(target)
    return target


def test_a_chinese_workbook_with_chinese_decision_words_is_accepted(written, tmp_path, capsys):
    catalogue = copy_catalogue(tmp_path / "catalogue")
    filled = _fill(written["xlsx-zh"], tmp_path / "filled.xlsx",
                   {("department", "县碳汇研究所"): "忽略", ("indicator", "生态系统碳汇能力提升"): "地方"})
    assert main(["accept", str(filled), "--catalogue", str(catalogue), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "2 decisions from" in out
    assert "县碳汇研究所" in (catalogue / "review_ignore.csv").read_text(encoding="utf-8")


def test_review_again_in_english_carries_the_chinese_decisions(written, tmp_path, capsys):
    target = _fill(written["xlsx-zh"], tmp_path / "review.xlsx", {("department", "县碳汇研究所"): "忽略"})
    assert main(["review", "--out", str(written["out"]), "--xlsx", str(target), "--lang", "en"]) == 0
    wb = openpyxl.load_workbook(target)
    ws = wb["department"]
    header = [c.value for c in ws[1]]
    decided = {r[header.index("raw")].value: r[header.index("decision")].value for r in ws.iter_rows(min_row=2)}
    assert decided["县碳汇研究所"] == "ignore"


@pytest.mark.parametrize("text, expected", [("忽略", IGNORE), (" Ignore ", IGNORE), ("地方", LOCAL), ("local", LOCAL),
                                            ("I07", "I07")])
def test_decision_words_read_in_either_language(text, expected):
    assert decision_of(text) == expected


def test_every_header_reads_back_from_either_language():
    for kind in KINDS:
        for name in columns(kind):
            assert name_of(label(name, "zh")) == name_of(label(name, "en")) == name
    assert name_of(label(CARRIED, "zh")) == CARRIED and name_of(label(README, "zh")) == README


@pytest.mark.parametrize("lang, expected", [
    ("en", r"indicator row (\d+): 'X1' is not a catalogue ID \(I01 … I\d\d\), local or ignore"),
    ("zh", r"工作表“指标”第 (\d+) 行：'X1' 不是目录编号（I01 … I\d\d）、“地方”或“忽略”"),
])
def test_a_refused_decision_names_its_sheet_and_row_in_either_language(written, tmp_path, capsys, lang, expected):
    catalogue = copy_catalogue(tmp_path / "catalogue")
    filled = _fill(written["xlsx-zh"], tmp_path / "filled.xlsx", {("indicator", "生态系统碳汇能力提升"): "X1"})
    assert main(["accept", str(filled), "--catalogue", str(catalogue), "--lang", lang]) == 2
    err = capsys.readouterr().err
    found = re.search(expected, err)
    assert found, err
    ws = openpyxl.load_workbook(filled)[label("indicator", "zh")]
    assert ws.cell(row=int(found.group(1)), column=1).value == "生态系统碳汇能力提升"
    assert ("未写入任何内容" in err) == (lang == "zh")


def test_the_workbook_says_when_it_was_written_in_beijing_time(written):
    wb = openpyxl.load_workbook(written["xlsx-zh"])
    cells = [str(c.value) for row in wb[label(README, "zh")].iter_rows() for c in row if c.value]
    assert any(re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d \+08:00；词表：", text) for text in cells)


@pytest.mark.parametrize("command", ["run", "review", "accept", "report", "export"])
def test_every_command_takes_lang(capsys, command):
    assert main([command, "--lang", "zh", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--lang {zh,en}" in out and "用法：" in out


def test_an_unknown_planingest_lang_is_said_and_english_is_used(monkeypatch, capsys):
    monkeypatch.setenv("PLANINGEST_LANG", "fr")
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "PLANINGEST_LANG: unknown language 'fr' (choose zh or en); using en" in err
    assert "the following arguments are required" in err


def test_no_message_is_marked_inside_an_f_string():
    """Babel on Python 3.11 does not look inside f-strings: a message marked there never reaches the catalogue."""
    import ast

    marked = {"_", "N_", "ngettext", "Nn_", "plural"}
    found = []
    for path in (ROOT / "planingest").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                for inner in ast.walk(node):
                    if (isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) and inner.func.id in marked
                            and any(isinstance(a, ast.Constant) for a in inner.args)):
                        found.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    assert not found


_po_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(str.strip)


@given(st.dictionaries(_po_text, _po_text, max_size=8))
def test_the_po_loader_reads_back_what_babel_writes(messages):
    """Our tiny loader against the reference writer: any text (quotes, backslashes, CJK) survives."""
    import io
    import tempfile

    pytest.importorskip("babel")
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    catalog = Catalog(locale="zh")
    for msgid, msgstr in messages.items():
        catalog.add(msgid, msgstr)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=76)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.po"
        path.write_bytes(buffer.getvalue())
        assert read_po(path)[0] == messages


@given(st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2200, 1, 1),
                    timezones=st.sampled_from([UTC, ZoneInfo("Asia/Shanghai"), ZoneInfo("America/Lima")])))
def test_a_shown_time_is_the_same_minute_in_beijing(moment):
    """Beijing's offset as the zone database has it: +08:00, and +09:00 in the summers of 1986–1991."""
    text = local_time(moment, "zh")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d \+0[89]:00", text)
    back = datetime.strptime(text, "%Y-%m-%d %H:%M %z")
    assert back.utcoffset() == moment.astimezone(ZoneInfo("Asia/Shanghai")).utcoffset()
    assert timedelta(0) <= moment - back < timedelta(minutes=1)
