"""Reading archive members safely: names, debris, unsafe paths, links, encryption, bombs, nesting."""
from __future__ import annotations

import base64
import io
import stat
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planingest.core.errors import BadInputError
from planingest.ingest.archive.members import ArchiveLimits, is_debris, read_archive, safe_path

PLAN = "鹿寨县创建国家生态文明建设示范区工作方案".encode()


def _zip(entries) -> bytes:
    """entries: (name, bytes) or a ZipInfo-making callable's (info, bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return buffer.getvalue()


def _gbk_named(name: str, data: bytes) -> bytes:
    """A zip whose member name is GBK bytes without the UTF-8 flag, as Windows' zip writes it."""
    raw = name.encode("gbk")
    placeholder = "x" * len(raw)
    return _zip([(placeholder, data)]).replace(placeholder.encode(), raw)


def _paths(listing) -> list[str]:
    return [m.path for m in listing.members]


def test_members_come_with_their_paths_and_bytes():
    listing = read_archive(_zip([("方案.txt", PLAN), ("附件/表1.txt", b"x"), ("附件/", b"")]))
    assert [(m.path, m.data, m.parent, m.depth) for m in listing.members] == [
        ("方案.txt", PLAN, None, 1), ("附件/表1.txt", b"x", None, 1)]


@pytest.mark.parametrize("name", ["附件1：生态文明建设指标.docx", "鹿寨县方案（定稿）.pdf", "plan.txt"])
def test_gbk_names_without_the_utf8_flag(name):
    assert _paths(read_archive(_gbk_named(name, PLAN))) == [name]


def test_debris_is_ignored():
    entries = [("__MACOSX/._方案.docx", b"x"), ("Thumbs.db", b"x"), ("附件/desktop.ini", b"x"),
               ("~$方案.docx", b"x"), (".DS_Store", b"x"), ("方案.docx", PLAN)]
    listing = read_archive(_zip(entries))
    assert _paths(listing) == ["方案.docx"] and not listing.refused


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "C:/Windows/win.ini", "a/../../b.txt", "..\\up.txt"])
def test_unsafe_paths_are_refused_not_extracted(name):
    listing = read_archive(_zip([(name, b"x"), ("ok.txt", b"y")]))
    assert _paths(listing) == ["ok.txt"]
    assert len(listing.refused) == 1 and "unsafe path" in listing.refused[0][1]


def test_symbolic_links_are_not_followed():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        link = zipfile.ZipInfo("link.txt")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
        zf.writestr("ok.txt", "y")
    listing = read_archive(buffer.getvalue())
    assert _paths(listing) == ["ok.txt"] and "symbolic link" in listing.refused[0][1]


def test_encrypted_members_are_refused_with_the_cause():
    data = bytearray(_zip([("secret.txt", b"x"), ("ok.txt", b"y")]))
    # set the encryption flag of the first member in its local header and its central directory entry
    data[6] |= 1
    central = data.find(b"PK\x01\x02")
    data[central + 8] |= 1
    listing = read_archive(bytes(data))
    assert ("secret.txt", "password-protected member: remove the password and resubmit") in listing.refused


def test_a_high_ratio_member_is_refused_before_it_fills_memory():
    limits = ArchiveLimits(max_ratio=50, ratio_floor=64 * 1024)
    listing = read_archive(_zip([("bomb.txt", bytes(8 * 1024 * 1024)), ("ok.txt", PLAN)]), limits)
    assert _paths(listing) == ["ok.txt"] and "compression ratio" in listing.refused[0][1]


def test_total_size_and_member_count_limits():
    with pytest.raises(BadInputError, match="more than 1000 bytes"):
        read_archive(_zip([(f"{i}.txt", bytes(range(256)) * 2) for i in range(5)]), ArchiveLimits(max_total_bytes=1000))
    with pytest.raises(BadInputError, match="more than 3 members"):
        read_archive(_zip([(f"{i}.txt", b"x") for i in range(4)]), ArchiveLimits(max_members=3))


def test_nested_archives_are_opened_to_the_depth_limit():
    inner = _zip([("表1.txt", b"x")])
    middle = _zip([("inner.zip", inner), ("方案.txt", PLAN)])
    listing = read_archive(_zip([("材料.zip", middle)]), ArchiveLimits(max_depth=2))
    assert [(m.path, m.parent, m.depth) for m in listing.members] == [
        ("材料.zip", None, 1), ("材料.zip!/方案.txt", "材料.zip", 2)]
    assert listing.refused == [("材料.zip!/inner.zip", "archive nested more than 2 deep: not opened")]
    deeper = read_archive(_zip([("材料.zip", middle)]))
    assert "材料.zip!/inner.zip!/表1.txt" in _paths(deeper)


@pytest.mark.parametrize("data, error", [
    (b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(range(1, 40)), "corrupt 7z archive"), (b"Rar!\x1a\x07\x00" + bytes(32), "corrupt rar archive"),
    (b"PK\x03\x04 truncated", "corrupt zip archive"), (b"not an archive", "not an archive"),
])
def test_broken_archives_fail_with_the_cause(data, error):
    with pytest.raises(BadInputError, match=error):
        read_archive(data)


@given(st.text(alphabet="ab./\\:.~$_ 中", max_size=30))
def test_safe_paths_never_leave_the_archive(name):
    path = safe_path(name)
    if path is not None:
        assert not path.startswith("/") and ".." not in path.split("/") and "\\" not in path and path


@pytest.mark.parametrize("path, debris", [
    ("__MACOSX/a/._b.docx", True), ("a/Thumbs.db", True), ("~$方案.docx", True), ("方案.docx", False),
    ("macosx/方案.docx", False),
])
def test_debris_names(path, debris):
    assert is_debris(path) is debris


# --------------------------------------------------------------------------
# 7z and rar (libarchive), e-mail
# --------------------------------------------------------------------------


def _seven_zip(entries) -> bytes:
    import libarchive

    chunks: list[bytes] = []
    with libarchive.custom_writer(lambda b: chunks.append(bytes(b)) or len(b), "7zip") as archive:
        for name, data in entries:
            archive.add_file_from_memory(name, len(data), data)
    return b"".join(chunks)


def test_7z_members_nested_zip_and_debris():
    inner = _zip([("表1.txt", b"x")])
    listing = read_archive(_seven_zip([("附件/方案.txt", PLAN), ("材料.zip", inner), ("__MACOSX/._方案.txt", b"x")]))
    assert [(m.path, m.parent, m.kind) for m in listing.members] == [
        ("附件/方案.txt", None, None), ("材料.zip", None, "zip"), ("材料.zip!/表1.txt", "材料.zip", None)]


def test_a_7z_bomb_stops_at_the_archive_ratio():
    listing = read_archive(_seven_zip([("a.txt", PLAN), ("zeros.bin", bytes(16 * 1024 * 1024)), ("b.txt", b"y")]))
    assert _paths(listing) == ["a.txt"] and "compression ratio" in listing.refused[0][1]


def test_rar_members_are_read():
    from tools.render_containers import rar4

    listing = read_archive(rar4([("附件/方案.txt", PLAN), ("../up.txt", b"x")]))
    assert [(m.path, m.data) for m in listing.members] == [("附件/方案.txt", PLAN)]
    assert listing.refused[0][0] == "../up.txt" and "unsafe path" in listing.refused[0][1]


_SUBJECT = "=?gbk?B?" + base64.b64encode("通知！".encode("gbk")).decode() + "?="


def _mail(parts: str, headers: str = f"From: a@b.cn\r\nTo: c@d.cn\r\nSubject: {_SUBJECT}\r\n") -> bytes:
    return (headers + 'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n' + parts
            + "--b--\r\n").encode("ascii")


def _part(headers: str, payload: bytes) -> str:
    return f"--b\r\n{headers}\r\nContent-Transfer-Encoding: base64\r\n\r\n{base64.b64encode(payload).decode()}\r\n"


def test_email_body_and_attachments_with_encoded_gbk_names():
    import urllib.parse

    rfc2231 = "gbk''" + urllib.parse.quote("附件1：指标表.xlsx".encode("gbk"))
    rfc2047 = "=?gb2312?B?" + base64.b64encode("实施方案.docx".encode("gb2312")).decode() + "?="
    data = _mail(_part("Content-Type: text/plain; charset=gbk", "请查收附件。".encode("gbk"))
                 + _part(f"Content-Type: application/octet-stream\r\nContent-Disposition: attachment; "
                         f"filename*={rfc2231}", b"xlsx")
                 + _part(f'Content-Type: application/octet-stream; name="{rfc2047}"\r\n'
                         f'Content-Disposition: attachment; filename="{rfc2047}"', b"docx")
                 + _part("Content-Type: application/pdf\r\nContent-Disposition: attachment", b"%PDF"))
    listing = read_archive(data)
    assert [(m.path, m.data) for m in listing.members] == [
        ("body.txt", "请查收附件。".encode()), ("附件1：指标表.xlsx", b"xlsx"), ("实施方案.docx", b"docx"),
        ("attachment-3.pdf", b"%PDF")]
    assert listing.title == "通知！"


def test_an_html_only_mail_body_is_a_web_page():
    data = _mail(_part("Content-Type: text/html; charset=utf-8", "<p>鹿寨县</p>".encode()))
    member = read_archive(data).members[0]
    assert member.path == "body.html" and "鹿寨县" in member.data.decode()


@pytest.mark.parametrize("data, suffix, mail", [
    (b"From: a@b.cn\r\nTo: c@d.cn\r\nSubject: x\r\n\r\nbody", "", True),
    (b"From: someone\r\nSubject: hi\r\n\r\nbody", "", False),  # a note, addressed to nobody
    (b"From: <Saved by Blink>\r\nSubject: x\r\nMIME-Version: 1.0\r\n\r\n", "", False),  # a saved web page
    (b"From: a@b.cn\r\nMIME-Version: 1.0\r\n\r\nbody", "eml", True),
    (b"From: a@b.cn\r\nTo: c@d.cn\r\nSubject: x\r\nthis line is no header\r\n\r\nbody", "", False),
])
def test_what_is_an_email(data, suffix, mail):
    from planingest.ingest.archive.mail import looks_like_email

    assert looks_like_email(data, suffix) is mail


@given(st.binary(max_size=400))
def test_mail_detection_and_parsing_never_raise_on_garbage(data):
    from planingest.ingest.archive.mail import looks_like_email

    head = b"From: a@b.cn\r\nTo: c@d.cn\r\nSubject: x\r\n\r\n"
    assert looks_like_email(head + data)
    try:
        read_archive(head + data)
    except BadInputError:
        pass


def test_container_samples_are_what_the_tool_renders():
    from tools.render_containers import RENDERERS, SAMPLES

    for name, render in RENDERERS.items():
        made, committed = render(), (SAMPLES / name).read_bytes()
        if name.endswith(".7z"):  # the compressed bytes may differ between libarchive versions; the members not
            made_members = [(m.path, m.data) for m in read_archive(made).members]
            assert made_members == [(m.path, m.data) for m in read_archive(committed).members]
        else:
            assert made == committed, f"{name}: run python -m tools.render_containers"
