"""Web pages (HTML, MHTML): charsets, site chrome, label–value metadata, tables with rowspan/colspan, limits."""
from __future__ import annotations

import base64
import quopri
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planingest.core.errors import BadInputError
from planingest.core.records import Table
from planingest.ingest import extract
from planingest.ingest.web.charset import decode_page
from planingest.ingest.web.grid import MAX_COLUMNS, HtmlCell, resolve
from planingest.ingest.web.page import split_label_items
from planingest.ingest.web.reader import MAX_HTML_BYTES, read_html, read_mhtml

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "samples" / "html" / "changde.html"
MHT = ROOT / "samples" / "mht" / "changde.mht"

BODY = "<p>常德市生态环境局关于印发《方案》的通知</p><p>文号：常生创办〔2020〕2号</p><p>朱镕基同志题词</p>"


def _texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


# ---- charset ------------------------------------------------------------------------------


@pytest.mark.parametrize("head, encoding", [
    ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "gbk"),  # 镕 is GBK, not GB2312
    ('<meta charset="GBK">', "gbk"),
    ("<meta charset=gb18030>", "gb18030"),
    ('<meta charset="utf-8">', "utf-8"),
    ("", "utf-8"),  # no declaration: the guesser
    ("", "gbk"),
    ('<meta charset="utf-8">', "gbk"),  # a declaration the bytes contradict (re-saved page)
])
def test_page_charsets(head, encoding):
    page = f"<html><head>{head}</head><body>{BODY}</body></html>"
    doc = read_html(page.encode(encoding))
    assert _texts(doc) == ["常德市生态环境局关于印发《方案》的通知", "文号：常生创办〔2020〕2号", "朱镕基同志题词"]


@pytest.mark.parametrize("bom, codec", [(b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le")])
def test_bom_wins_over_meta(bom, codec):
    page = f'<html><head><meta charset="gb2312"></head><body>{BODY}</body></html>'
    assert "常生创办〔2020〕2号" in decode_page(bom + page.encode(codec))


# ---- chrome, metadata, prose -------------------------------------------------------------


def test_sample_page_keeps_the_notice_and_drops_the_site_chrome():
    doc = extract(PAGE)
    assert doc.file_format == "html"
    text = "\n".join(_texts(doc))
    for chrome in ("ICP", "当前位置", "分享到", "首页", "互动交流", "走进常德", "打印", "网站标识码", "统计代码",
                   "搜索", "浏览次数", "中国政府网", "主办单位", "无障碍", "通知公告"):
        assert chrome not in text, chrome
    assert text.count("常生创办〔2020〕2号") == 2  # the metadata block and the notice's own 文号 line


def test_metadata_block_reaches_the_text_one_item_a_paragraph():
    doc = extract(PAGE)
    texts = _texts(doc)
    styled = [p.text for p in doc.paragraphs if p.style == "Metadata"]
    assert styled[:6] == texts[:6] and styled[0].startswith("索引号：") and len(styled) == 8
    for item in ("索引号：430700/2020-00317", "发文机关：常德市生态文明建设示范市创建工作领导小组办公室",
                 "成文日期：2020年03月23日", "文号：常生创办〔2020〕2号", "发布日期：2020年03月25日",
                 "发布时间：2020-03-25 09:30", "来源：市生态环境局"):
        assert item in texts


def test_source_line_breaks_inside_chinese_are_not_spaces():
    texts = _texts(extract(PAGE))
    plan = next(t for t in texts if t.startswith("坚持以习近平"))
    assert " " not in plan


@pytest.mark.parametrize("text, items", [
    ("发布时间：2020-03-25 来源：市生态环境局 浏览次数：12", ["发布时间：2020-03-25", "来源：市生态环境局", "浏览次数：12"]),
    ("文号：常生创办〔2020〕2号", ["文号：常生创办〔2020〕2号"]),
    ("各区县市人民政府：现将方案印发给你们 请认真贯彻执行。", ["各区县市人民政府：现将方案印发给你们 请认真贯彻执行。"]),
])
def test_label_items_are_split(text, items):
    assert split_label_items(text) == items


@given(st.lists(st.text(alphabet="生态环境局常德市文号发布日期0123456789-〔〕", min_size=1, max_size=12), max_size=6))
def test_label_split_loses_nothing(values):
    text = " ".join(f"标签{i}：{v}" for i, v in enumerate(values)) or "正文"
    assert " ".join(split_label_items(text)) == text


def test_layout_tables_are_page_flow_and_data_tables_are_grids():
    page = """<html><body><table><tr><td><table class="frame"><tr><td>一、总体要求</td></tr></table>
    <p>正文第一段。</p><table border=1><tr><td>序号</td><td>指标名称</td></tr><tr><td>1</td><td>森林覆盖率</td></tr></table>
    </td></tr></table></body></html>"""
    doc = read_html(page.encode("utf-8"))
    assert _texts(doc) == ["一、总体要求", "正文第一段。"]
    (table,) = doc.tables
    assert table.rows == (("序号", "指标名称"), ("1", "森林覆盖率")) and table.caption == "正文第一段。"


# ---- grids ---------------------------------------------------------------------------------


def test_sample_table_has_the_merges_of_its_rowspans():
    (table,) = extract(PAGE).tables
    assert isinstance(table, Table) and len(table.rows) == 37 and len(table.rows[0]) == 9
    assert table.rows[1][0] == table.rows[7][0] == "生态制度"
    assert not table.is_merged(1, 0) and table.is_merged(2, 0) and table.is_merged(7, 1)
    assert not any(table.is_merged(r, 2) for r in range(len(table.rows)))  # 序号 is never merged


def test_rowspan_and_colspan_resolve_like_docx_merges():
    rows = [[HtmlCell("领域", 1, 1), HtmlCell("指标", 1, 2)],
            [HtmlCell("生态制度", 2, 1), HtmlCell("1", 1, 1), HtmlCell("规划", 1, 1)],
            [HtmlCell("2", 1, 1), HtmlCell("河湖长制", 1, 1)]]
    grid, merged = resolve(rows)
    assert grid == (("领域", "指标", "指标"), ("生态制度", "1", "规划"), ("生态制度", "2", "河湖长制"))
    assert merged == ((False, False, True), (False, False, False), (True, False, False))


cells = st.builds(HtmlCell, st.text(alphabet="甲乙丙1", min_size=1, max_size=2), st.integers(1, 4), st.integers(1, 4))


@settings(max_examples=150)
@given(st.lists(st.lists(cells, min_size=1, max_size=5), min_size=1, max_size=6))
def test_resolved_grid_is_rectangular_and_merges_repeat_placed_text(rows):
    grid, merged = resolve(rows)
    width = len(grid[0])
    assert len(grid) == len(rows) and all(len(r) == width for r in grid)
    assert all(len(m) == width for m in merged)
    origins = {text for row, flags in zip(grid, merged) for text, flag in zip(row, flags) if not flag}
    assert all(text in origins for row, flags in zip(grid, merged) for text, flag in zip(row, flags) if flag)
    assert not merged[0][0]  # the first cell is always an origin


# ---- MHTML -----------------------------------------------------------------------------------


def _mhtml(page: bytes, encoding: str, charset: str | None) -> bytes:
    body = quopri.encodestring(page) if encoding == "quoted-printable" else base64.encodebytes(page)
    ctype = "text/html" + (f'; charset="{charset}"' if charset else "")
    return (b"From: <Saved by Windows Internet Explorer 8>\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
            b'Content-Type: multipart/related; type="text/html"; boundary="----=_NextPart_000"\r\n\r\n'
            b"------=_NextPart_000\r\nContent-Type: " + ctype.encode() + b"\r\nContent-Transfer-Encoding: "
            + encoding.encode() + b"\r\n\r\n" + body + b"\r\n------=_NextPart_000\r\nContent-Type: image/gif\r\n"
            b"Content-Transfer-Encoding: base64\r\n\r\nR0lGODlhAQABAAAAACw=\r\n------=_NextPart_000--\r\n")


@pytest.mark.parametrize("encoding", ["quoted-printable", "base64"])
@pytest.mark.parametrize("charset, codec", [("gb2312", "gbk"), (None, "utf-8"), ("utf-8", "utf-8")])
def test_mhtml_parts_decode(encoding, charset, codec):
    page = f"<html><body>{BODY}</body></html>".encode(codec)
    doc = extract(Path("通知.mht"), _mhtml(page, encoding, charset))
    assert doc.file_format == "mht" and "朱镕基同志题词" in _texts(doc)


def test_mhtml_sample_reads_like_the_web_page():
    mht, page = extract(MHT), extract(PAGE)
    assert mht.file_format == "mht"
    assert mht.tables[0].rows == page.tables[0].rows and mht.tables[0].merged == page.tables[0].merged
    assert "文号：常生创办〔2020〕2号" in _texts(mht)


def test_mhtml_without_a_page_fails_with_its_cause():
    data = _mhtml(b"x", "base64", None).replace(b"Content-Type: text/html", b"Content-Type: text/plain")
    with pytest.raises(BadInputError, match="no text/html part"):
        read_mhtml(data)


# ---- hostile pages -----------------------------------------------------------------------------


def test_a_50_mb_page_is_refused_quickly():
    data = b"<html><body>" + b"<p>\xe7\x94\x9f\xe6\x80\x81</p>" * (50 * 1024 * 1024 // 16) + b"</body></html>"
    started = time.monotonic()
    with pytest.raises(BadInputError, match="larger than any notice page"):
        read_html(data)
    assert time.monotonic() - started < 1.0 and len(data) > MAX_HTML_BYTES


def test_deep_nesting_and_huge_spans_stay_within_limits():
    nested = b"<html><body>" + b"<div>" * 150 + "生态".encode() + b"</div>" * 150 + b"</body></html>"
    assert "生态" in "".join(_texts(read_html(nested)))
    read_html(nested.replace(b"<div>" * 150, b"<div>" * 20000))  # libxml2 stops at its depth limit: no crash
    spans = (b'<table><tr><td rowspan="999999999" colspan="999999">a</td><td>b</td></tr><tr><td>c</td></tr>'
             b"</table>")
    (table,) = read_html(b"<html><body>" + spans + b"</body></html>").tables
    assert len(table.rows) == 2 and len(table.rows[0]) <= MAX_COLUMNS + 1


@pytest.mark.parametrize("data", [b"", b"   ", b"<html></html>", b"\x00\x01<html", b"<p>" * 10])
def test_degenerate_pages_are_empty_or_refused(data):
    try:
        doc = read_html(data)
    except BadInputError:
        return
    assert not doc.tables


@pytest.mark.parametrize("page, kept, dropped", [
    ("<header><h1>常德市人民政府</h1></header><main><article><header><h1>关于印发方案的通知</h1></header>"
     "<p>正文。</p></article></main>", ["关于印发方案的通知", "正文。"], "常德市人民政府"),
    ('<div class="head">常德市人民政府门户网站</div><div class="content"><div class="article-head"><h1>关于印发方案的通知'
     '</h1></div><p>正文。</p></div>', ["关于印发方案的通知", "正文。"], "门户网站"),
    ('<div id="top">今天是2020年3月25日</div><div class="detail"><div class="top-nav"><a>首页</a></div><p>正文。</p></div>',
     ["正文。"], "今天是"),
])
def test_a_header_is_chrome_outside_the_article_and_the_title_inside_it(page, kept, dropped):
    texts = _texts(read_html(f"<html><body>{page}</body></html>".encode()))
    assert texts == kept and not any(dropped in t for t in texts)


@pytest.mark.parametrize("rows, lines", [
    ([("索 引 号:", "11330683002585196F/2023-75840", "主题分类:", "环境监测、保护与治理"),
      ("发布机构:", "生态环境分局", "公开日期:", "2023-05-29 16:56:51"),
      ("有效性:", "有效", "发文字号", "无文号")],
     ["索引号：11330683002585196F/2023-75840", "主题分类：环境监测、保护与治理", "发布机构：生态环境分局",
      "公开日期：2023-05-29 16:56:51", "有效性：有效", "发文字号：无文号"]),
    ([("文号：", "常生创办〔2020〕2号", "有效性：", "")], ["文号：常生创办〔2020〕2号", "有效性："]),
    ([("序号", "指标名称"), ("1：", "森林覆盖率")], []),  # not label cells: a data table
])
def test_label_value_tables(rows, lines):
    cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    doc = read_html(f"<html><body><table>{cells}<tr><td colspan=4>关于印发方案的通知</td></tr></table></body></html>"
                    .encode())
    if lines:
        assert _texts(doc) == lines + ["关于印发方案的通知"] and not doc.tables
    else:
        assert doc.tables


@pytest.mark.parametrize("line", ["[打印] [收藏] [纠错] [关闭]", "【打印本页】【关闭窗口】", "浏览数:", "点击数：1234次",
                                  "当前位置：首页 > 政务公开", "湘ICP备05004813号", "分享到：", "【字体：大 中 小】"])
def test_chrome_lines(line):
    from planingest.ingest.web.chrome import is_chrome_line

    assert is_chrome_line(line)


@pytest.mark.parametrize("line", ["文号：常生创办〔2020〕2号", "一、关闭淘汰落后产能", "打印机耗材纳入政府绿色采购", "发布时间：2022-01-04"])
def test_notice_lines_are_not_chrome(line):
    from planingest.ingest.web.chrome import is_chrome_line

    assert not is_chrome_line(line)
