"""Outlook .msg e-mail: detected by its compound file's root, read as a container, hostile files refused.

Fixtures are written with aspose-email-foss (the ``tools`` extra), not with
extract-msg, the library that reads them.
"""
from __future__ import annotations

import io
import struct
import sys
from pathlib import Path

import olefile
import pytest
from aspose.email_foss import msg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planingest.core.errors import BadInputError, MissingToolError
from planingest.ingest.archive.members import ArchiveLimits, container_kind, read_archive
from planingest.ingest.detect import detect_format
from tests.shared import CORPUS, require

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "email" / "luzhai-notice.msg"
NESTED = "柳州市关于开展复核工作的通知.msg"


@pytest.fixture(scope="module")
def sample() -> bytes:
    return SAMPLE.read_bytes()


def _unicode_message(html: bool = False) -> bytes:
    """A message as current Outlook saves it (Unicode strings), with an embedded message."""
    message = msg.MapiMessage.create("关于报送生态文明建设示范区创建材料的通知", "" if html else "请查收附件。\n")
    if html:
        message.body_html = "<html><body><p>靖州县：请查收附件。</p></body></html>"
    message.add_attachment("附件1：指标表.txt", "靖州县 指标".encode(), mime_type="text/plain")
    message.add_attachment("", b"%PDF-1.4 x", mime_type="application/pdf")
    inner = msg.MapiMessage.create("转发：任务清单", "内层正文")
    inner.add_attachment("任务清单.txt", "任务".encode())
    message.add_embedded_message_attachment(inner, filename="转发：任务清单.msg")
    return message.to_bytes()


def test_the_sample_is_a_container_of_its_body_attachments_and_embedded_message(sample):
    listing = read_archive(sample, name="luzhai-notice.msg")
    assert listing.title == "关于印发鹿寨县国家生态文明建设示范县工作方案的通知"  # GBK (code page 936) decoded
    assert [(m.path, m.parent, m.kind) for m in listing.members] == [
        ("body.txt", None, None), ("鹿寨县工作方案.docx", None, None), ("鹿寨县指标任务分解表.txt", None, None),
        (NESTED, None, "msg"), (f"{NESTED}!/body.txt", NESTED, None), (f"{NESTED}!/复核指标自查表.txt", NESTED, None)]
    data = {m.path: m.data for m in listing.members}
    assert data["鹿寨县工作方案.docx"] == (SAMPLE.parents[1] / "docx" / "luzhai.docx").read_bytes()
    assert data["鹿寨县指标任务分解表.txt"] == (SAMPLE.parents[1] / "text-shapes" / "luzhai-box.txt").read_bytes()
    body = data["body.txt"].decode("utf-8")
    assert body.startswith("各乡镇人民政府，县直有关单位：\n") and "\r" not in body and "2023年6月2日" in body
    assert "柳州市生态环境局" in data[f"{NESTED}!/body.txt"].decode("utf-8")
    assert not listing.refused


def test_the_sample_is_a_non_unicode_gbk_message_with_an_embedded_message(sample):
    """What tools/render_containers.py claims: PT_STRING8 properties in GBK, code page 936, an embedded
    message (ATTACH_EMBEDDED_MSG storage), attachments by value (a data stream each)."""
    with olefile.OleFileIO(io.BytesIO(sample)) as ole:
        names = {"/".join(e) for e in ole.listdir(streams=True, storages=True)}
        subject = ole.openstream("__substg1.0_0037001E").read()
    assert subject.rstrip(b"\0").decode("gbk") == "关于印发鹿寨县国家生态文明建设示范县工作方案的通知"
    assert "__substg1.0_0037001F" not in names  # no Unicode subject: the reader must use the code page
    assert "__attach_version1.0_#00000002/__substg1.0_3701000D/__properties_version1.0" in names
    assert {"__attach_version1.0_#00000000/__substg1.0_37010102",
            "__attach_version1.0_#00000001/__substg1.0_37010102"} <= names


def test_a_unicode_message_with_a_nameless_attachment_and_an_embedded_message():
    listing = read_archive(_unicode_message())
    assert listing.title == "关于报送生态文明建设示范区创建材料的通知"
    assert [(m.path, m.data) for m in listing.members if m.kind is None] == [
        ("body.txt", "请查收附件。\n".encode()), ("附件1：指标表.txt", "靖州县 指标".encode()),
        ("attachment-2.pdf", b"%PDF-1.4 x"), ("转发：任务清单.msg!/body.txt", "内层正文".encode()),
        ("转发：任务清单.msg!/任务清单.txt", "任务".encode())]


def test_an_html_only_body_is_a_web_page():
    member = read_archive(_unicode_message(html=True)).members[0]
    assert member.path == "body.html" and "靖州县：请查收附件。" in member.data.decode("utf-8")


# -- detection by content -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["通知.msg", "通知.doc", "通知.wps", "通知.xls", "通知", "通知.eml"])
def test_a_msg_is_detected_by_its_root_entries_whatever_its_name(sample, name):
    assert detect_format(Path(name), sample) == "msg"
    assert container_kind(sample, name) == "msg"


def test_an_eml_named_msg_is_an_eml_and_a_word_file_named_msg_is_a_doc():
    eml = (SAMPLE.parent / "changde-forward.eml").read_bytes()
    assert detect_format(Path("转发.msg"), eml) == "eml" and container_kind(eml, "转发.msg") == "eml"
    doc = require(CORPUS / "docling__legacy_sample.doc").read_bytes()
    assert detect_format(Path("a.msg"), doc) == "doc" and container_kind(doc, "a.msg") is None


def test_a_truncated_msg_is_a_msg_by_its_name_so_reading_it_fails_with_the_cause(sample):
    truncated = sample[:30000]
    assert detect_format(Path("a.msg"), truncated) == "msg"
    assert detect_format(Path("a.doc"), truncated) == "doc"  # the Word reader then says it is damaged
    with pytest.raises(BadInputError, match="damaged Outlook message: the compound file cannot be opened"):
        read_archive(truncated, name="a.msg")


# -- hostile files ------------------------------------------------------------------------------------


def _entries(data: bytes) -> dict[str, list[int]]:
    """Byte offset of each directory entry, by name (the directory is a sector chain of 128-byte entries)."""
    ole = olefile.OleFileIO(io.BytesIO(data))
    chain, sector = [], ole.first_dir_sector
    while sector not in (olefile.ENDOFCHAIN, olefile.FREESECT):
        chain.append(sector)
        sector = ole.fat[sector]
    per = ole.sectorsize // 128
    found: dict[str, list[int]] = {}
    for sid, entry in enumerate(ole.direntries):
        if entry is not None:
            at = (chain[sid // per] + 1) * ole.sectorsize + (sid % per) * 128
            found.setdefault(entry.name, []).append(at)
    return found


def _patch(data: bytes, name: str, field: int, value: int) -> bytes:
    """Directory entry fields: 68 left sibling, 72 right sibling, 76 child, 116 start sector, 120 size."""
    out = bytearray(data)
    struct.pack_into("<I", out, _entries(data)[name][0] + field, value)
    return bytes(out)


def _shared_sectors(data: bytes) -> bytes:
    """The body stream pointed at the DOCX attachment's sectors: two entries reading the same bytes."""
    docx = _entries(data)["__substg1.0_37010102"][0]
    start, size = struct.unpack_from("<II", data, docx + 116)
    return _patch(_patch(data, "__substg1.0_1000001E", 116, start), "__substg1.0_1000001E", 120, size)


@pytest.mark.parametrize("damage, cause", [
    (lambda d: d[:30000], "the compound file cannot be opened (incomplete OLE sector)"),
    (lambda d: _patch(d, "__substg1.0_1000001E", 120, 0x7FFFFFF0), "claims 2147483632 bytes, beyond the end"),
    (lambda d: _patch(d, "__attach_version1.0_#00000000", 76, 0), "double reference"),  # child -> root: a cycle
    (lambda d: _patch(d, "__substg1.0_0037001E", 72, _sid(d, "__substg1.0_0037001E")), "double reference"),
    (_shared_sectors, "the compound file cannot be opened"),
    (lambda d: _patch(d, "__properties_version1.0", 120, 0), "damaged Outlook message"),
])
def test_hostile_messages_are_refused_with_the_cause(sample, damage, cause):
    with pytest.raises(BadInputError, match="damaged Outlook message") as raised:
        read_archive(damage(sample), name="a.msg")
    assert cause in str(raised.value)


def _sid(data: bytes, name: str) -> int:
    ole = olefile.OleFileIO(io.BytesIO(data))
    return next(sid for sid, e in enumerate(ole.direntries) if e is not None and e.name == name)


def test_the_archive_limits_apply_to_attachments_and_nesting(sample):
    with pytest.raises(BadInputError, match="more than 3 attachments"):
        read_archive(sample, ArchiveLimits(max_members=3), name="a.msg")
    shallow = read_archive(sample, ArchiveLimits(max_depth=1), name="a.msg")
    assert shallow.refused == [(NESTED, "archive nested more than 1 deep: not opened")]
    with pytest.raises(BadInputError, match="more than 100000 bytes"):
        read_archive(sample, ArchiveLimits(max_total_bytes=100_000), name="a.msg")


def test_without_extract_msg_the_message_fails_saying_what_to_install(sample, monkeypatch):
    monkeypatch.setitem(sys.modules, "extract_msg", None)  # import extract_msg now raises ImportError
    with pytest.raises(MissingToolError, match="reading Outlook .msg e-mail needs extract-msg: pip install"):
        read_archive(sample, name="a.msg")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 191_999), st.integers(0, 255)), min_size=1, max_size=8))
def test_damaged_bytes_never_raise_anything_but_bad_input(sample, edits):
    data = bytearray(sample)
    for at, value in edits:
        data[at % len(data)] = value
    try:
        read_archive(bytes(data), name="a.msg")
    except BadInputError:
        pass
