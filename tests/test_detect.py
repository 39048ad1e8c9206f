"""Format detection by content and text-encoding detection on real Chinese plan text."""
from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planingest.core.errors import BadInputError
from planingest.ingest.detect import detect_format
from planingest.ingest.text.decode import decode_text, detect_encoding
from tests.office_fixtures import encrypt_ooxml, plan_docx
from tests.shared import CORPUS, require

ROOT = Path(__file__).resolve().parents[1]

#: short and longer texts taken from the seed documents
SEED_TEXTS = [
    "生态",
    "（责任单位：县林业局）",
    "鹿寨县创建国家生态文明建设示范区工作方案",
    "序号\t指标名称\t单位\t2023年目标值\n1\t森林覆盖率\t%\t≥60\n2\t生态环境状况指数\t—\t≥55",
    "常生创办〔2020〕2号",
]


def _seed_excerpt() -> str:
    text = (ROOT / "samples" / "002_4f08802adbea22bb.txt").read_text(encoding="utf-8")
    return text[:3000]


ENCODINGS = ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be"]


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("text", SEED_TEXTS)
def test_short_chinese_texts_decode_in_every_encoding(text, encoding):
    data = text.encode(encoding)
    assert decode_text(data) == text
    assert detect_format(Path("a.txt"), data) == "txt"


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_seed_excerpt_decodes(encoding):
    text = _seed_excerpt()
    assert decode_text(text.encode(encoding)) == text


def test_encoding_is_detected_not_assumed():
    gbk = "县生态环境局".encode("gbk")
    assert detect_encoding(gbk) == "gb18030"
    assert detect_encoding("县生态环境局".encode()) == "utf-8"
    assert detect_encoding(codecs.BOM_UTF16_LE + "县".encode("utf-16-le")) == "utf-16"
    assert detect_encoding("县生态环境局".encode("utf-16-le")) == "utf-16-le"  # no BOM, no ASCII


def test_binary_is_not_text():
    with pytest.raises(BadInputError):
        decode_text(bytes(range(256)) * 4)


@given(st.binary(max_size=2000))
def test_decode_text_returns_text_or_bad_input(data):
    try:
        assert isinstance(decode_text(data), str)
    except BadInputError:
        pass


@settings(max_examples=200)
@given(st.binary(max_size=600), st.sampled_from(["a.txt", "a.docx", "a.doc", "a.xlsx", "a.pdf", "a", "a.wps", "a.xls"]))
def test_detect_never_raises(data, name):
    assert detect_format(Path(name), data) in {None, "txt", "html", "docx", "xlsx", "doc", "wps", "xls", "et", "pdf", "rtf", "odt", "ods", "xlsb", "pptx",
                                                  "mht", "ofd", "image", "csv", "tsv", "zip", "7z", "rar", "eml", "msg"}


@given(st.text(max_size=300))
def test_utf8_text_round_trips(text):
    assert decode_text(text.encode("utf-8-sig")) == text


# ---- formats by content ------------------------------------------------------------


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, content in entries.items():
            zf.writestr(name, content)
    return buf.getvalue()


@pytest.mark.parametrize(
    "name, data, expected",
    [
        ("方案.pdf", "docx", "docx"),  # a DOCX renamed .pdf
        ("方案", "docx", "docx"),  # no extension
        ("方案.docx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "pdf"),
        ("方案.doc", b"{\\rtf1\\ansi\\ansicpg936 ...}", "rtf"),
        ("方案.doc", "<html><head><meta charset=gbk></head><body>鹿寨县</body></html>".encode("gbk"), "html"),
        ("photo.docx", b"\x89PNG\r\n\x1a\n" + bytes(64), "image"),  # a page photo is a document (OCR)
        ("scan.jpg", b"\xff\xd8\xff\xe0" + bytes(64), "image"),
        ("扫描件.pdf", b"II*\x00" + bytes(64), "image"),  # a TIFF scan named .pdf
        ("scan.bmp", b"BM" + bytes(12) + (40).to_bytes(4, "little") + bytes(64), "image"),
        ("BM.txt", b"BMW notes: nothing to see here, just text", "txt"),  # "BM" alone is no bitmap
        ("anim.gif", b"GIF89a" + bytes(64), None),
        ("方案.docx", b"{\\rtf1\\ansi\\ansicpg936 ...}", "rtf"),  # RTF saved as .docx by a web form
        ("通知.html", b"From: <Saved by Blink>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;"
                    b" boundary=x\r\n\r\n--x\r\nContent-Type: text/html\r\n\r\n<html></html>\r\n--x--", "mht"),
        ("note.txt", b"From: someone\r\nSubject: hi\r\n\r\nContent-Type: text/html is mentioned in the body", "txt"),
        ("方案.pdf", _zip({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<x/>"}), "ofd"),
        (".DS_Store", b"\x00\x00\x00\x01Bud1" + bytes(64), None),
        ("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200), None),
        ("tool", b"\x7fELF\x02\x01\x01" + bytes(64), None),
        ("附件.zip", _zip({"a.txt": b"x", "b/c.pdf": b"%PDF"}), "zip"),  # an archive: a container (issue 12)
        ("invalid.xlsx", b"PK\x05\x06" + bytes(18), "xlsx"),  # an empty zip named .xlsx: a broken workbook
        ("空.zip", b"PK\x05\x06" + bytes(18), "zip"),
        ("附件", b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(32), "7z"),
        ("附件.zip", b"Rar!\x1a\x07\x00" + bytes(32), "rar"),
        ("slides.zip", _zip({"[Content_Types].xml": b"<Types/>", "ppt/x.xml": b"<x/>"}), None),  # a package, not an archive
        ("book.epub", _zip({"mimetype": b"application/epub+zip", "a.xhtml": b"<x/>"}), None),
        ("转发.txt", b"From: a@b.cn\r\nTo: c@d.cn\r\nSubject: =?gbk?b?x?=\r\nDate: Mon, 1 Jan 2024\r\n\r\nbody", "eml"),
        ("mail.eml", b"From: a@b.cn\nMIME-Version: 1.0\n\nbody", "eml"),
        ("空.txt", b"", "txt"),
        ("空.docx", b"", "docx"),
        ("big5.txt", "臺灣省政府".encode("big5") + bytes([0x80, 0x80]), "txt"),  # unreadable text still fails, not skipped
    ],
)
def test_format_by_content(name, data, expected):
    if data == "docx":
        data = plan_docx(textbox=False)
    assert detect_format(Path(name), data) == expected


def test_encrypted_ooxml_in_ole_is_named_by_extension():
    data = encrypt_ooxml(plan_docx(textbox=False))
    assert detect_format(Path("a.docx"), data) == "docx"
    assert detect_format(Path("a.xlsx"), data) == "xlsx"


def test_odf_and_pptx_are_told_apart():
    assert detect_format(Path("a.odt"), _zip({"mimetype": b"application/vnd.oasis.opendocument.text"})) == "odt"
    pptx = _zip({"[Content_Types].xml": b'<Types><Override ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>'})
    assert detect_format(Path("a.docx"), pptx) == "pptx"


@pytest.mark.parametrize(
    "corpus_name, renamed, expected",
    [
        ("docling__legacy_sample.doc", "a.xls", "doc"),
        ("docling__legacy_sample.doc", "a.wps", "wps"),
        ("docling__legacy_sample.xls", "a.doc", "xls"),
        ("poi__chinese-provinces.xls", "a.et", "et"),
        ("poi__protected_agile.docx", "a.docx", "docx"),
        ("calamine__pass_protected.xlsx", "a.xlsx", "xlsx"),
        ("textract__docx_paragraphs_and_tables", "a", "docx"),
        ("calamine__issue_594_dos.ods", "a.ods", "ods"),
        ("xlrd__biff4_no_format_no_window2.xls", "a.xls", "xls"),
        ("poi__truncated62886.docx", "a.bin", "docx"),
        ("chardet__UTF-16BE__nobom-utf16be.txt", "a.txt", "csv"),  # UTF-16BE text whose 20 records are CSV
        ("cChardet__wikitop_zh_GB18030.txt", "a.txt", "txt"),
    ],
)
def test_ole_and_corpus_files_by_stream_names(corpus_name, renamed, expected):
    path = require(CORPUS / corpus_name)
    assert detect_format(Path(renamed), path.read_bytes()) == expected


def test_corpus_gb18030_text_decodes_to_chinese():
    path = require(CORPUS / "cChardet__wikitop_zh_GB18030.txt")
    assert "维基百科，自由的百科全书" in decode_text(path.read_bytes())


def test_every_corpus_file_detects_without_error():
    for path in sorted(require(CORPUS).iterdir()):
        detect_format(path, path.read_bytes())


@pytest.mark.parametrize("name, data", [
    ("附件.zip", _zip({"a.txt": b"x", "b/c.pdf": b"%PDF"})),
    ("方案.pdf", _zip({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<x/>"})),
    ("slides.zip", _zip({"[Content_Types].xml": b"<Types/>", "ppt/x.xml": b"<x/>"})),
    ("book.epub", _zip({"mimetype": b"application/epub+zip", "a.xhtml": b"<x/>"})),
    ("plan.docx", "docx"),
    ("转发.txt", b"From: a@b.cn\r\nTo: c@d.cn\r\nSubject: x\r\nDate: Mon, 1 Jan 2024\r\n\r\nbody"),
    ("note.txt", b"From: someone\r\nSubject: hi\r\n\r\nContent-Type: text/html is mentioned in the body"),
])
def test_a_member_is_a_container_exactly_when_detection_says_so(name, data):
    from planingest.ingest.archive.members import CONTAINER_KINDS, container_kind

    if data == "docx":
        data = plan_docx(textbox=False)
    detected = detect_format(Path(name), data)
    assert container_kind(data, name) == (detected if detected in CONTAINER_KINDS else None)
