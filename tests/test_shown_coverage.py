"""No message a user reads stays English in Chinese: every stored message the code can write has a template.

Two guards.  The static one (tests/message_sites.py) finds every place under ingest/,
run/, interpret/ and normalize/ that stores a message for users (a BadInputError
family ``raise``, an ``Issue``, an archive's refusal, a worker's failure, …), fills
its values with a sample and asks ``core/shown.py`` to translate it: a new English
message without a template fails here, naming its file and line.  The dynamic one
feeds broken and hostile inputs to the real readers and checks the messages they
actually give (with a library's own words inside, which stay as they are).
"""
from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from planingest.core.errors import BadInputError
from planingest.core.i18n import set_lang
from planingest.core.shown import shown, unknown_parts
from planingest.ingest.archive.members import read_archive
from planingest.run.pool import timeout_message
from planingest.run.worker import memory_message
from tests.message_sites import HOLE, message_sites
from tests.office_fixtures import encrypt_ooxml, plan_docx

ROOT = Path(__file__).resolve().parent.parent
SITES = message_sites()
#: sites whose message is put together from pieces made elsewhere: real examples are checked below instead
COMPOSED = {"planingest/ingest/pdf/reader.py": ["read by OCR (mean recognition score"]}


@pytest.fixture(autouse=True)
def chinese():
    set_lang("zh")
    yield
    set_lang(None)


def _composed(site) -> bool:
    path = site.where.split(":")[0]
    return any(words in site.pattern for words in COMPOSED.get(path, ()))


def test_the_collector_finds_the_sites():
    assert len(SITES) > 100
    patterns = {s.pattern for s in SITES}
    assert f"timed out after {HOLE} s; raise --timeout to read it" in patterns
    assert "password-protected: remove the password and resubmit" in patterns  # a module constant, followed
    assert any(p.startswith("damaged Outlook message: stream ") for p in patterns)
    assert any(p.startswith("image of ") and "image bomb" in p for p in patterns)  # a message function, followed


@pytest.mark.parametrize("site", [s for s in SITES if not _composed(s)], ids=lambda s: s.where)
def test_every_stored_message_has_a_chinese_template(site):
    stored = site.filled("Q7")
    assert unknown_parts(stored) == [], f"{site.where}: add a template to core/shown.py for {site.pattern!r}"
    assert re.search(r"[\u4e00-\u9fff]", shown(stored))


# --------------------------------------------------------------------------
# real messages of real broken files
# --------------------------------------------------------------------------


def _raised(call) -> str:
    with pytest.raises(BadInputError) as raised:
        call()
    return str(raised.value)


def _extract(data: bytes, file_format: str, name: str = "x") -> str:
    from planingest.ingest.registry import extract

    return _raised(lambda: extract(Path(f"{name}.{file_format}"), data, file_format))


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in parts.items():
            z.writestr(name, content)
    return out.getvalue()


def _png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b""))


def _ofd_without(part: str) -> bytes:
    ofd = (ROOT / "samples" / "ofd" / "changde.ofd").read_bytes()
    with zipfile.ZipFile(io.BytesIO(ofd)) as z:
        return _zip({i.filename: z.read(i) for i in z.infolist() if not i.filename.endswith(part)})


def _archive_refusals(data: bytes) -> list[str]:
    return [reason for _, reason in read_archive(data).refused]


def _encrypted_member_zip() -> bytes:
    data = bytearray(_zip({"附件/表1.docx": b"x" * 10}))
    for header in (b"PK\x03\x04", b"PK\x01\x02"):  # set the "encrypted" flag in both headers
        at = data.find(header)
        offset = 6 if header == b"PK\x03\x04" else 8
        data[at + offset] |= 1
    return bytes(data)


def _tally(**values) -> str:
    from planingest.ingest.pdf.reader import _Tally

    return "; ".join(issue.message for issue in _Tally(**values).summary())


def _mixed_encoding_note() -> str:
    from planingest.ingest.text.decode import decode_text_noting

    lines = [f"第{i}行：生态文明建设示范区".encode() for i in range(40)]
    lines[3] = "第三行：生态环境局".encode("gb18030")
    return decode_text_noting(b"\n".join(lines))[1] or ""


def _missing_libreoffice(monkeypatch) -> str:
    from planingest.ingest.office import libreoffice

    monkeypatch.setattr(libreoffice, "soffice_path", lambda: None)
    return _raised(lambda: libreoffice.convert(b"x", "doc", "docx", "libreoffice-writer-nogui"))


def _container_message() -> str:
    from planingest.core.records import ContainerListing, ReadResult
    from planingest.run.containers import container_rows

    listing = ContainerListing((), (("../evil.docx", "unsafe path (absolute or leaving the archive): not extracted"),
                                    ("附件/表2.docx", "password-protected member: remove the password and resubmit"),
                                    ("附件/链接", "a symbolic link: not followed")))
    read = ReadResult("zip", None, container=listing)
    return container_rows("d1", "材料.zip", read, {})[0].document.error or ""


CASES = {
    "truncated docx": lambda mp: _extract(plan_docx()[:3000], "docx"),
    "docx without its main part": lambda mp: _extract(_zip({"[Content_Types].xml": b"<Types/>"}), "docx"),
    "encrypted docx": lambda mp: _extract(encrypt_ooxml(plan_docx()), "docx"),
    "damaged image": lambda mp: _extract(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image", "x"),
    "image bomb": lambda mp: _extract(_png(60000, 60000), "image"),
    "OFD missing its document": lambda mp: _extract(_ofd_without("Document.xml"), "ofd"),
    "OFD without OFD.xml": lambda mp: _extract(_ofd_without("OFD.xml"), "ofd"),
    "damaged PDF": lambda mp: _extract(b"%PDF-1.4\n" + b"\x00garbage" * 50, "pdf"),
    "empty web page": lambda mp: _extract(b"", "html"),
    "truncated zip archive": lambda mp: _raised(lambda: read_archive(_zip({"a.txt": b"x" * 5000})[:-30])),
    "encrypted archive member": lambda mp: "; ".join(_archive_refusals(_encrypted_member_zip())),
    "unsafe archive member": lambda mp: "; ".join(_archive_refusals(_zip({"../evil.txt": b"x"}))),
    "archive bomb member": lambda mp: "; ".join(_archive_refusals(_zip({"a.txt": b"\x00" * (3 * 2**20)}))),
    "missing LibreOffice": _missing_libreoffice,
    "timeout": lambda mp: timeout_message(60),
    "timeout with OCR pages": lambda mp: timeout_message(60, 9, 20),
    "memory limit": lambda mp: memory_message(900),
    "one OCR page": lambda mp: _tally(ocr_pages=[3], ocr_scores=[0.95]),
    "OCR pages with low cells": lambda mp: _tally(ocr_pages=[1, 2, 3, 5], ocr_scores=[0.95, 0.97, 0.99, 0.98],
                                                  ocr_cells=120, ocr_low_cells=4),
    "OCR skipped, tables failed": lambda mp: _tally(ocr_skipped=[2, 3], table_failures=[4], table_reason="X: y"),
    "mixed encoding": lambda mp: _mixed_encoding_note(),
    "container with a refused member": lambda mp: _container_message(),
}


@pytest.mark.parametrize("case", CASES)
def test_real_messages_of_broken_inputs_are_shown_in_chinese(case, monkeypatch):
    set_lang("en")
    stored = CASES[case](monkeypatch)
    set_lang("zh")
    assert stored
    assert unknown_parts(stored) == [], stored
    translated = shown(stored)
    assert re.search(r"[\u4e00-\u9fff]", translated)
    for number in re.findall(r"\d+", stored):  # numbers (and file names) come through unchanged
        assert number in translated
    assert not re.search(r"Word document|Excel workbook", translated)  # the format names we give, translated


def test_a_members_own_reason_inside_a_containers_message_is_translated_too():
    stored = "1 of 3 members not read: 表1.docx (failed: password-protected: remove the password and resubmit)"
    assert shown(stored) == "3 个成员文件中有 1 个未读取：表1.docx（失败：文件有密码保护：请去掉密码后重新提交）"


def test_every_member_of_a_containers_list_is_translated_but_only_after_its_head():
    stored = ("2 of 3 members not read: a.docx (failed: password-protected: remove the password and resubmit); "
              "b (c).txt (a symbolic link: not followed)")
    assert shown(stored) == ("3 个成员文件中有 2 个未读取：a.docx（失败：文件有密码保护：请去掉密码后重新提交）；"
                             "b (c).txt（符号链接：未跟随）")
    assert shown("region not found; b.txt (x)") == "未找到地区；b.txt (x)"  # no list head: never guessed
