"""Legacy .doc/.wps/.xls through LibreOffice, encryption checks, missing tool and timeouts."""
from __future__ import annotations

import io
import os
import struct
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from planingest.core.errors import BadInputError, EncryptedDocumentError, MissingToolError
from planingest.ingest.detect import detect_format
from planingest.ingest.office import legacy, libreoffice
from planingest.ingest.registry import extract
from tests.office_fixtures import CAPTION, NESTED_GRID, PLAN_GRID, SECOND_GRID, plan_docx, soffice_convert
from tests.shared import CORPUS, require

pytestmark = pytest.mark.slow  # LibreOffice, OCR, Chromium or whole-corpus runs: `make test-fast` skips these

needs_soffice = pytest.mark.skipif(
    libreoffice.soffice_path() is None,
    reason="LibreOffice not installed (Debian packages libreoffice-writer, libreoffice-calc)",
)


@pytest.fixture(scope="module")
def doc_bytes() -> bytes:
    return soffice_convert(plan_docx(textbox=False), "docx", "doc")


@needs_soffice
@pytest.mark.parametrize("name, file_format", [("方案.doc", "doc"), ("方案.wps", "wps")])
def test_doc_round_trip_keeps_grid(doc_bytes, tmp_path, name, file_format):
    path = tmp_path / name
    path.write_bytes(doc_bytes)
    assert detect_format(path, doc_bytes) == file_format
    doc = extract(path)
    assert doc.file_format == file_format
    first, nested, second = doc.tables
    assert first.rows == PLAN_GRID  # gridSpan and vMerge survive .doc and come back resolved
    assert [row[0] for row in first.merged] == [False, False, False, True, True, False]
    assert first.caption == CAPTION
    assert nested.rows == NESTED_GRID
    assert second.rows == SECOND_GRID
    assert [p.style for p in doc.paragraphs if p.text == "一、总体要求"] == ["Heading 1"]
    assert "保留新增内容" in [p.text for p in doc.paragraphs]


@needs_soffice
def test_xls_round_trip(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "指标"
    ws.append(["领域", "指标名称", "目标值"])
    ws.append(["生态制度", "森林覆盖率", 0.6])
    ws.append([None, "投资", 1850])
    ws["C2"].number_format = "0%"
    ws.merge_cells("A2:A3")
    buf = io.BytesIO()
    wb.save(buf)
    path = tmp_path / "指标.xls"
    path.write_bytes(soffice_convert(buf.getvalue(), "xlsx", "xls"))
    doc = extract(path)
    assert doc.file_format == "xls"
    assert doc.tables[0].locator.sheet == "指标"
    assert doc.tables[0].rows == (("领域", "指标名称", "目标值"), ("生态制度", "森林覆盖率", "60%"), ("生态制度", "投资", "1850"))


@needs_soffice
def test_garbage_named_doc_fails_cleanly():
    with pytest.raises(BadInputError):
        legacy.read_legacy(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "doc")


def _fib(flags: int, ident: int = 0xA5EC) -> bytes:
    return struct.pack("<HHHHHH", ident, 0xC1, 0, 0, 0, flags) + bytes(32)


@pytest.mark.parametrize(
    "stream, encrypted",
    [(_fib(0x0100), True), (_fib(0x0000), False), (_fib(0x0100, ident=0xA5DC), True), (_fib(0x0100, ident=0x1234), False), (b"", False)],
)
def test_word_encryption_flag(stream, encrypted):
    assert legacy.word_is_encrypted(stream) is encrypted


@pytest.mark.parametrize(
    "records, encrypted",
    [
        ([(0x0809, 16), (0x002F, 54), (0x000A, 0)], True),
        ([(0x0809, 16), (0x0042, 2), (0x000A, 0), (0x002F, 0)], False),  # FILEPASS after globals EOF
        ([(0x0809, 16)], False),
    ],
)
def test_workbook_filepass(records, encrypted):
    stream = b"".join(struct.pack("<HH", kind, size) + bytes(size) for kind, size in records)
    assert legacy.workbook_is_encrypted(stream) is encrypted


@pytest.mark.parametrize(
    "name", ["poi__PasswordProtected.doc", "poi__password_tika_binaryrc4.doc", "poi__xor-encryption-abc.xls"]
)
def test_encrypted_corpus_files_fail_without_running_libreoffice(name, monkeypatch):
    path = require(CORPUS / name)
    monkeypatch.setattr(legacy, "convert", lambda *a, **k: pytest.fail("converted an encrypted file"))
    with pytest.raises(EncryptedDocumentError, match="password-protected"):
        extract(path)


def test_missing_libreoffice_names_the_package(monkeypatch, tmp_path):
    monkeypatch.setattr(libreoffice, "soffice_path", lambda: None)
    path = tmp_path / "方案.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(MissingToolError, match="reading .doc needs LibreOffice: apt-get install libreoffice-writer"):
        legacy.read_legacy(path.read_bytes(), "doc")


@pytest.mark.parametrize("name, data, package", [
    ("方案.docx", b"{\\rtf1\\ansi\\ansicpg936 {\\fonttbl}}", "libreoffice-writer"),  # RTF under a .docx name
    ("方案.odt", "odt", "libreoffice-writer"),
    ("指标.ods", "ods", "libreoffice-calc"),
])
def test_every_libreoffice_route_names_its_package_when_missing(monkeypatch, name, data, package):
    if data in ("odt", "ods"):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as zf:
            zf.writestr("mimetype", f"application/vnd.oasis.opendocument.{'text' if data == 'odt' else 'spreadsheet'}")
        data = buffer.getvalue()
    monkeypatch.setattr(libreoffice, "soffice_path", lambda: None)
    with pytest.raises(MissingToolError, match=f"needs LibreOffice: apt-get install {package}"):
        extract(Path(name), data)


def test_timeout_kills_the_whole_process_group(monkeypatch, tmp_path):
    """A hanging converter (and the child it forked) is killed, and the file fails cleanly."""
    pid_file = tmp_path / "child.pid"
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\nsleep 300 &\necho $! > {pid_file}\nwait\n")
    fake.chmod(0o755)
    monkeypatch.setattr(libreoffice, "soffice_path", lambda: str(fake))
    started = time.monotonic()
    with pytest.raises(BadInputError, match="did not convert the file within 1 s"):
        libreoffice.convert(b"data", "doc", "docx", "libreoffice-writer", timeout=1)
    assert time.monotonic() - started < 10
    child = int(pid_file.read_text())
    time.sleep(0.2)
    state = Path(f"/proc/{child}/stat")
    assert not state.exists() or state.read_text().split()[2] == "Z"  # gone, or a reaped-later zombie
    if state.exists():
        try:
            os.waitpid(child, os.WNOHANG)
        except ChildProcessError:
            pass
