"""DOCX extractor: grids with merges resolved, nested tables, text boxes, tracked changes, bad files."""
from __future__ import annotations

import io
import zipfile

import docx
import pytest

from planingest.core.errors import BadInputError, EncryptedDocumentError
from planingest.core.records import Paragraph
from planingest.ingest.detect import detect_format
from planingest.ingest.office.docx import read_docx, style_name
from planingest.ingest.registry import extract
from tests.office_fixtures import (
    CAPTION,
    NESTED_GRID,
    PLAN_GRID,
    SECOND_GRID,
    TEXTBOX,
    W,
    encrypt_ooxml,
    plan_docx,
    rewrite_parts,
)
from tests.shared import CORPUS, require


@pytest.fixture(scope="module")
def plan() -> bytes:
    return plan_docx()


@pytest.fixture(scope="module")
def doc(plan):
    return read_docx(plan)


def _texts(document) -> list[str]:
    return [b.text for b in document.blocks if isinstance(b, Paragraph)]


def test_indicator_grid_cell_by_cell(doc):
    table = doc.tables[0]
    assert len(table.rows) == len(PLAN_GRID)
    for r, expected in enumerate(PLAN_GRID):
        assert table.rows[r] == expected, f"row {r}"


def test_vertical_merge_repeats_text_in_continue_cells(plan):
    # python-docx writes vMerge="restart" then bare <w:vMerge/> (continue) cells that hold no text
    with zipfile.ZipFile(io.BytesIO(plan)) as zf:
        xml = zf.read("word/document.xml").decode()
    assert xml.count("<w:vMerge/>") == 2 and 'w:vMerge w:val="restart"' in xml
    column = [row[0] for row in read_docx(plan).tables[0].rows[2:5]]
    assert column == ["生\n态\n制\n度"] * 3


def test_merge_continuations_are_flagged(doc):
    first, nested, second = doc.tables
    F, T = False, True
    assert first.merged == (
        (F, T, T, T, T),  # the caption row: one cell spanning five grid columns
        (F, F, F, F, F),
        (F, F, F, F, F),  # vMerge restart: the first position is not a continuation
        (T, F, F, F, F),
        (T, F, F, F, F),
        (F, F, F, F, F),
    )
    assert not any(any(row) for row in nested.merged + second.merged)
    assert len(first.merged) == len(first.rows)


def test_all_rows_have_the_same_width(doc):
    for table in doc.tables:
        assert len({len(row) for row in table.rows}) == 1


def test_caption_is_nearest_paragraph_above_and_continuation_has_none(doc):
    first, nested, second = doc.tables
    assert first.caption == CAPTION
    assert second.caption is None  # only an empty paragraph between: a continuation table
    assert second.rows == SECOND_GRID


def test_nested_table_follows_its_parent_and_parent_cell_keeps_text(doc):
    blocks = list(doc.blocks)
    first, nested, second = doc.tables
    assert blocks.index(nested) == blocks.index(first) + 1
    assert nested.rows == NESTED_GRID
    assert first.rows[4][3] == "≥20%"  # the cell holding the nested table keeps its own text
    assert nested.caption == "≥20%"
    assert [t.locator.table for t in doc.tables] == [1, 2, 3]


def test_row_locators_number_rows(doc):
    table = doc.tables[0]
    assert [loc.row for loc in table.row_locators] == list(range(1, len(PLAN_GRID) + 1))
    assert {loc.table for loc in table.row_locators} == {1}


@pytest.mark.parametrize(
    "text, style",
    [("一、总体要求", "Heading 1"), ("（一）指导思想", "Heading 2"), ("（二）基本原则", "Heading 3"), ("二、重点任务", None)],
)
def test_heading_styles(doc, text, style):
    (paragraph,) = [p for p in doc.paragraphs if p.text == text]
    assert paragraph.style == style


def test_paragraphs_in_document_order_around_tables(doc):
    kinds = [(type(b).__name__, b.text if isinstance(b, Paragraph) else b.locator.table) for b in doc.blocks]
    assert kinds.index(("Paragraph", CAPTION)) + 1 == kinds.index(("Table", 1))
    assert kinds[-1] == ("Paragraph", "二、重点任务")


def test_tracked_changes_accepted(doc):
    assert "保留新增内容" in _texts(doc)
    assert not any("已删除内容" in t for t in _texts(doc))


def test_text_box_read_once_after_its_anchor(doc):
    texts = _texts(doc)
    assert texts.count(TEXTBOX) == 1  # mc:Choice read, the VML mc:Fallback copy skipped
    assert texts.index(TEXTBOX) == texts.index("见右侧说明") + 1


def test_tracked_row_deletion_dropped():
    d = docx.Document()
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(1, 0).text = "保留", "删除行"
    t.rows[1]._tr.get_or_add_trPr().append(docx.oxml.parse_xml(f'<w:del xmlns:w="{W}" w:id="9" w:author="a"/>'))
    buf = io.BytesIO()
    d.save(buf)
    assert read_docx(buf.getvalue()).tables[0].rows == (("保留", ""),)


def test_grid_before_and_after_keep_columns_aligned():
    d = docx.Document()
    t = d.add_table(rows=2, cols=3)
    for c, text in enumerate(["a", "b", "c"]):
        t.cell(0, c).text = text
    row = t.rows[1]._tr
    for tc in list(row.tc_lst)[1:]:
        row.remove(tc)
    row.tc_lst[0].clear_content()
    row.tc_lst[0].append(docx.oxml.parse_xml(f'<w:p xmlns:w="{W}"><w:r><w:t>mid</w:t></w:r></w:p>'))
    row.get_or_add_trPr().append(docx.oxml.parse_xml(f'<w:gridBefore xmlns:w="{W}" w:val="1"/>'))
    buf = io.BytesIO()
    d.save(buf)
    table = read_docx(buf.getvalue()).tables[0]
    assert table.rows == (("a", "b", "c"), ("", "mid", ""))
    assert table.merged == ((False,) * 3, (False,) * 3)


def test_strict_namespace_reads_like_transitional(plan, doc):
    strict = rewrite_parts(plan, lambda n, b: (n, b.replace(W.encode(), b"http://purl.oclc.org/ooxml/wordprocessingml/main")))
    assert read_docx(strict).blocks == doc.blocks


def test_main_part_found_through_relationships(plan, doc):
    def rename(name, content):
        content = content.replace(b"word/document.xml", b"word/main.xml").replace(b'"document.xml', b'"main.xml')
        if name == "word/document.xml":
            return "word/main.xml", content
        if name == "word/_rels/document.xml.rels":
            return "word/_rels/main.xml.rels", content
        return name, content

    renamed = rewrite_parts(plan, rename)
    assert "word/document.xml" not in zipfile.ZipFile(io.BytesIO(renamed)).namelist()
    assert read_docx(renamed).blocks == doc.blocks


def test_external_entity_not_resolved(plan):
    evil = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'

    def inject(name, content):
        if name == "word/document.xml":
            content = evil + content.split(b"?>", 1)[1].replace(b"\xe4\xbf\x9d\xe7\x95\x99", b"&x;", 1)
        return name, content

    texts = " ".join(_texts(read_docx(rewrite_parts(plan, inject))))
    assert "root:" not in texts


def test_header_text_used_only_when_body_is_empty():
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "鹿寨县生态环境局"
    buf = io.BytesIO()
    d.save(buf)
    result = read_docx(buf.getvalue())
    assert _texts(result) == ["鹿寨县生态环境局"]
    assert [i.code for i in result.issues] == ["header-footer-only"]
    d.add_paragraph("正文")
    buf = io.BytesIO()
    d.save(buf)
    assert _texts(read_docx(buf.getvalue())) == ["正文"]


@pytest.mark.parametrize(
    "style_id, styles, outline, expected",
    [
        ("1", {"1": ("heading 1", None, None)}, None, "Heading 1"),
        ("a", {"a": ("标题 3", None, None)}, None, "Heading 3"),
        ("x", {"x": ("我的样式", "y", None), "y": ("base", None, 1)}, None, "Heading 2"),
        ("x", {"x": ("我的样式", None, None)}, None, "我的样式"),
        (None, {}, 0, "Heading 1"),
        ("loop", {"loop": ("正文", "loop", None)}, None, "正文"),
        ("missing", {}, None, "missing"),
    ],
)
def test_style_name(style_id, styles, outline, expected):
    from planingest.ingest.office.docx import _Style

    table = {k: _Style(*v) for k, v in styles.items()}
    assert style_name(table, style_id, outline) == expected


# ---- bad files ---------------------------------------------------------------------


def test_truncated_docx_names_the_cause(plan, tmp_path):
    path = tmp_path / "方案.docx"
    path.write_bytes(plan[: len(plan) // 2])
    assert detect_format(path, path.read_bytes()) == "docx"
    with pytest.raises(BadInputError, match="truncated"):
        extract(path)


def test_zip_without_document_xml(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/styles.xml", "<x/>")
    with pytest.raises(BadInputError, match="word/document.xml"):
        read_docx(buf.getvalue())


def test_html_renamed_docx_is_detected_as_html(tmp_path):
    path = tmp_path / "方案.docx"
    path.write_bytes("<!DOCTYPE html><html><body><p>鹿寨县</p></body></html>".encode("gbk"))
    assert detect_format(path, path.read_bytes()) == "html"
    assert [p.text for p in extract(path).paragraphs] == ["鹿寨县"]  # read as the web page it is


def test_password_protected_docx(plan, tmp_path):
    path = tmp_path / "方案.docx"
    path.write_bytes(encrypt_ooxml(plan))
    assert detect_format(path, path.read_bytes()) == "docx"
    with pytest.raises(EncryptedDocumentError, match="password-protected: remove the password and resubmit"):
        extract(path)


@pytest.mark.parametrize("data, match", [(b"", "empty"), (b"just text", "not a zip"), (b"PK\x03\x04garbage", "truncated")])
def test_unreadable_bytes(data, match):
    with pytest.raises(BadInputError, match=match):
        read_docx(data)


def test_corpus_docx_files_end_cleanly():
    """Real hostile DOCX files from other projects: text or a BadInputError, nothing else."""
    files = [p for p in sorted(require(CORPUS).iterdir()) if detect_format(p, p.read_bytes()) == "docx"]
    assert len(files) >= 30
    outcomes = {}
    for path in files:
        try:
            outcomes[path.name] = read_docx(path.read_bytes())
        except BadInputError as exc:
            outcomes[path.name] = exc
    # text the baseline python-docx walk lost: nested tables and text boxes
    tubulars = outcomes["docx2python__240-DOP-1013A Lay Down Tubulars.docx"]
    assert sum(len(c) for t in tubulars.tables for r in t.rows for c in r) > 5000
    assert _texts(outcomes["python-mammoth__text-box.docx"]) != []
    assert isinstance(outcomes["poi__protected_agile.docx"], EncryptedDocumentError)
    assert isinstance(outcomes["poi__truncated62886.docx"], BadInputError)
    assert isinstance(outcomes["docx2python__strict.docx"], type(tubulars))
