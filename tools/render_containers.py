"""Render the container samples: archives and e-mail whose members are the other samples.

Submissions arrive bundled: a zip made by Chinese Windows' "send to compressed
folder" (member names in GBK, no UTF-8 flag) with the plan, an annex and a zip
of tables inside, plus the ``__MACOSX`` resource forks a Mac adds and the
``Thumbs.db`` / ``~$`` lock file Windows and Word leave; a 7z and a RAR of the
same kind; or a mail forwarding the plan, its covering notice in the body.

* ``archive/luzhai-bundle.zip`` — GBK names: 附件/鹿寨县工作方案.docx
  (samples/docx/luzhai.docx), 附件/宜丰县工作总结.pdf (samples/pdf/yifeng-summary.pdf),
  指标表.zip (nested: 常德市指标表.xlsx = samples/xlsx/changde.xlsx), and debris;
* ``archive/changde-tables.7z`` — 常德市指标表.xlsx and 说明.txt (written by libarchive);
* ``archive/luzhai-text.rar`` — 鹿寨县指标表.txt (samples/text-shapes/luzhai-box.txt),
  a RAR 4 archive with stored members written byte by byte (no free tool writes RAR:
  the layout is RARLAB's technote; names flagged Unicode and written UTF-8, as libarchive reads them);
* ``email/changde-forward.eml`` — a forwarded notice: the body (GBK, base64), the
  indicator table attached with an RFC 2231 GBK file name (``filename*=gbk''…``)
  and the DOCX plan with an RFC 2047 GB2312 name (``=?gb2312?B?…?=``);
* ``email/luzhai-notice.msg`` — an Outlook message saved non-Unicode on Chinese Windows
  (strings in GBK, code page 936): a county notice in the body, the DOCX plan and a text
  indicator table attached by value under GBK long file names, and the city's notice it
  answers as an embedded message (with a text table of its own).  Written with
  ``aspose-email-foss`` (MIT; the ``tools`` extra), not with extract-msg, the library
  that reads it, so the test is not circular.

Deterministic (fixed dates, boundaries and member order).  Run from the repository root::

    .venv/bin/python -m tools.render_containers
"""
from __future__ import annotations

import base64
import io
import struct
import urllib.parse
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
_DATE = (2023, 5, 16, 9, 30, 0)
#: 2023-05-16 09:30 as a DOS date/time (RAR headers)
_DOS_TIME = ((2023 - 1980) << 25) | (5 << 21) | (16 << 16) | (9 << 11) | (30 << 5)

NOTE = """关于转发《常德市创建国家生态文明建设示范市指标体系》的通知

各区县（市）生态环境分局，市直有关单位：

现将《常德市创建国家生态文明建设示范市指标体系》转发给你们，请结合工作实际，认真抓好落实。
各单位于每季度末将指标完成情况报送市生态文明建设示范创建工作领导小组办公室。

附件：1.常德市指标表.xlsx
      2.鹿寨县工作方案.docx

常德市生态文明建设示范创建工作领导小组办公室
2023年5月16日
"""

README_NOTE = "本压缩包为创建工作材料，表格以最新版为准。\n"


def _zip(entries: list[tuple[str, bytes]], gbk_names: bool) -> bytes:
    """A zip as Windows' built-in zip writes it: GBK names without the UTF-8 flag (when ``gbk_names``)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, _DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    data = buffer.getvalue()
    if not gbk_names:
        return data
    return _regbk(data, [name for name, _ in entries])


def _regbk(data: bytes, names: list[str]) -> bytes:
    """Re-encode member names as GBK and clear the UTF-8 flag, in local and central headers.

    zipfile always writes non-ASCII names as UTF-8 with the flag; Windows writes
    the ANSI code page without it.  GBK and UTF-8 lengths differ, so the file is
    rebuilt header by header rather than patched in place.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    central = []
    for info in source.infolist():
        raw_name = info.filename.encode("gbk")
        compressed = data[info.header_offset:]
        name_len, extra_len = struct.unpack("<HH", compressed[26:30])
        body = compressed[30 + name_len + extra_len:30 + name_len + extra_len + info.compress_size]
        offset = out.tell()
        flags = info.flag_bits & ~0x800
        out.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, flags, info.compress_type,
                              _dos_time(info.date_time), _dos_date(info.date_time), info.CRC,
                              info.compress_size, info.file_size, len(raw_name), 0) + raw_name + body)
        central.append(struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, flags, info.compress_type,
                                   _dos_time(info.date_time), _dos_date(info.date_time), info.CRC,
                                   info.compress_size, info.file_size, len(raw_name), 0, 0, 0, 0,
                                   info.external_attr, offset) + raw_name)
    start = out.tell()
    directory = b"".join(central)
    out.write(directory)
    out.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), start, 0))
    assert sorted(i.filename for i in source.infolist()) == sorted(names)
    return out.getvalue()


def _dos_time(t) -> int:
    return (t[3] << 11) | (t[4] << 5) | (t[5] // 2)


def _dos_date(t) -> int:
    return ((t[0] - 1980) << 9) | (t[1] << 5) | t[2]


def bundle_zip() -> bytes:
    inner = _zip([("常德市指标表.xlsx", (SAMPLES / "xlsx/changde.xlsx").read_bytes())], gbk_names=True)
    plan = (SAMPLES / "docx/luzhai.docx").read_bytes()
    return _zip([
        ("附件/鹿寨县工作方案.docx", plan),
        ("附件/宜丰县工作总结.pdf", (SAMPLES / "pdf/yifeng-summary.pdf").read_bytes()),
        ("指标表.zip", inner),
        ("__MACOSX/附件/._鹿寨县工作方案.docx", b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        "),
        ("附件/Thumbs.db", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(56)),
        ("附件/~$鹿寨县工作方案.docx", b"\x0bAdministrator" + bytes(40)),
    ], gbk_names=True)


def tables_7z() -> bytes:
    import libarchive

    chunks: list[bytes] = []

    def write(data) -> int:
        chunks.append(bytes(data))
        return len(data)

    xlsx = (SAMPLES / "xlsx/changde.xlsx").read_bytes()
    note = README_NOTE.encode("utf-8")
    with libarchive.custom_writer(write, "7zip") as archive:
        for name, data in (("常德市指标表.xlsx", xlsx), ("说明.txt", note)):
            archive.add_file_from_memory(name, len(data), data, mtime=(1684200600, 0))
    return b"".join(chunks)


def rar4(entries: list[tuple[str, bytes]]) -> bytes:
    """A RAR 4 archive of stored (uncompressed) members: marker, archive header, file headers, end block."""
    def block(kind: int, flags: int, body: bytes, data: bytes = b"") -> bytes:
        header = struct.pack("<BHH", kind, flags, 7 + len(body)) + body
        return struct.pack("<H", zlib.crc32(header) & 0xFFFF) + header + data

    out = [b"Rar!\x1a\x07\x00", block(0x73, 0, bytes(6))]
    for name, data in entries:
        raw = name.encode("utf-8")
        body = struct.pack("<IIBIIBBHI", len(data), len(data), 2, zlib.crc32(data), _DOS_TIME, 20, 0x30,
                           len(raw), 0x20) + raw
        out.append(block(0x74, 0x8000 | 0x0200, body, data))  # LONG_BLOCK | UNICODE name
    out.append(block(0x7B, 0x4000, b""))
    return b"".join(out)


def text_rar() -> bytes:
    return rar4([("鹿寨县指标表.txt", (SAMPLES / "text-shapes/luzhai-box.txt").read_bytes())])


def _b64(data: bytes) -> str:
    encoded = base64.b64encode(data).decode("ascii")
    return "\r\n".join(encoded[i:i + 76] for i in range(0, len(encoded), 76))


def forward_eml() -> bytes:
    boundary = "----=_NextPart_000_0010_01D98801.2C3F4A50"
    xlsx = (SAMPLES / "xlsx/changde.xlsx").read_bytes()
    docx = (SAMPLES / "docx/luzhai.docx").read_bytes()
    rfc2231 = "gbk''" + urllib.parse.quote("常德市指标表.xlsx".encode("gbk"))
    rfc2047 = "=?gb2312?B?" + base64.b64encode("鹿寨县工作方案.docx".encode("gb2312")).decode() + "?="
    subject = "=?gbk?B?" + base64.b64encode("转发：常德市创建国家生态文明建设示范市指标体系".encode("gbk")).decode() + "?="
    lines = [
        "Received: from mail.changde.gov.cn (unknown [10.1.2.3]) by mx.example.cn; Tue, 16 May 2023 09:31:02 +0800",
        "From: =?gbk?B?" + base64.b64encode("市创建办".encode("gbk")).decode() + "?= <cjb@changde.gov.cn>",
        "To: sthjj@example.gov.cn",
        f"Subject: {subject}",
        "Date: Tue, 16 May 2023 09:30:00 +0800",
        "Message-ID: <20230516093000.0010@changde.gov.cn>",
        "MIME-Version: 1.0",
        f'Content-Type: multipart/mixed; boundary="{boundary}"',
        "X-Mailer: Foxmail 7.2.25.228",
        "",
        "This is a multi-part message in MIME format.",
        "",
        f"--{boundary}",
        "Content-Type: text/plain; charset=gbk",
        "Content-Transfer-Encoding: base64",
        "",
        _b64(NOTE.replace("\n", "\r\n").encode("gbk")),
        "",
        f"--{boundary}",
        "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Transfer-Encoding: base64",
        f"Content-Disposition: attachment; filename*={rfc2231}",
        "",
        _b64(xlsx),
        "",
        f"--{boundary}",
        f'Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document; name="{rfc2047}"',
        "Content-Transfer-Encoding: base64",
        f'Content-Disposition: attachment; filename="{rfc2047}"',
        "",
        _b64(docx),
        "",
        f"--{boundary}--",
        "",
    ]
    return "\r\n".join(lines).encode("ascii")


LUZHAI_NOTE = """各乡镇人民政府，县直有关单位：

根据《柳州市生态环境局关于开展国家生态文明建设示范区复核工作的通知》要求，现将《鹿寨县2023年国家生态文明建设示范县工作方案》及指标任务分解表印发给你们，请认真组织实施。
各单位于2023年6月20日前将复核佐证材料报送县创建国家生态文明建设示范县工作领导小组办公室。

附件：1.鹿寨县工作方案.docx
      2.鹿寨县指标任务分解表.txt

鹿寨县创建国家生态文明建设示范县工作领导小组办公室
2023年6月2日
"""

CITY_NOTE = """各县（区）生态环境分局：

请各地按照《国家生态文明建设示范区复核工作规范（试行）》要求，对照指标体系开展自查，形成复核材料，于2023年6月底前报送市局。

柳州市生态环境局
2023年5月26日
"""


def _gbk_message(subject: str, body: str, sender: str, sent: tuple[int, ...]):
    """A message as non-Unicode Outlook writes it on Chinese Windows: PT_STRING8 properties in GBK."""
    from datetime import UTC, datetime, timedelta, timezone

    from aspose.email_foss import msg
    from aspose.email_foss.msg import CommonMessagePropertyId as Tag
    from aspose.email_foss.msg import PropertyTypeCode as Type

    message = msg.MapiMessage(unicode_strings=False)
    for tag, text in ((Tag.SUBJECT, subject), (Tag.BODY, body.replace("\n", "\r\n")), (Tag.SENDER_NAME, sender)):
        message.set_property(tag, Type.PTYP_STRING8, text.encode("gbk"))
    message.set_property(Tag.SENDER_EMAIL_ADDRESS, Type.PTYP_STRING8, b"cjb@luzhai.gov.cn")
    message.set_property(Tag.MESSAGE_DELIVERY_TIME, Type.PTYP_TIME,
                         datetime(*sent, tzinfo=timezone(timedelta(hours=8))).astimezone(UTC))
    for codepage in (0x3FFD, Tag.INTERNET_CODEPAGE):  # PidTagMessageCodepage, PidTagInternetCodepage
        message.set_property(codepage, Type.PTYP_INTEGER32, 936)
    return message


def _gbk_names(attachment, name: str) -> None:
    """Long, short and display names as GBK bytes (the writer would encode a str as cp1252)."""
    from aspose.email_foss.msg import CommonMessagePropertyId as Tag
    from aspose.email_foss.msg import PropertyTypeCode as Type

    attachment.filename = None
    for tag in (Tag.ATTACH_LONG_FILENAME, Tag.ATTACH_FILENAME, Tag.DISPLAY_NAME):
        attachment.set_property(tag, Type.PTYP_STRING8, name.encode("gbk"))


def notice_msg() -> bytes:
    from aspose.email_foss.msg import CommonMessagePropertyId as Tag
    from aspose.email_foss.msg import PropertyTypeCode as Type

    docx = (SAMPLES / "docx/luzhai.docx").read_bytes()
    city = _gbk_message("柳州市生态环境局关于开展国家生态文明建设示范区复核工作的通知", CITY_NOTE,
                        "柳州市生态环境局", (2023, 5, 26, 16, 0))
    _gbk_names(city.add_attachment("table.txt", (SAMPLES / "text-shapes/luzhai-aligned.txt").read_bytes(),
                                   mime_type="text/plain"), "复核指标自查表.txt")
    notice = _gbk_message("关于印发鹿寨县国家生态文明建设示范县工作方案的通知", LUZHAI_NOTE,
                          "鹿寨县创建办", (2023, 6, 2, 8, 45))
    notice.add_recipient("sthj@luzhai.gov.cn")
    _gbk_names(notice.add_attachment("plan.docx", docx, mime_type="application/vnd.openxmlformats-officedocument."
                                                                 "wordprocessingml.document"), "鹿寨县工作方案.docx")
    _gbk_names(notice.add_attachment("table.txt", (SAMPLES / "text-shapes/luzhai-box.txt").read_bytes(),
                                     mime_type="text/plain"), "鹿寨县指标任务分解表.txt")
    embedded = notice.add_embedded_message_attachment(city)
    embedded.filename = None  # Outlook names an embedded message by its subject only, no file name
    embedded.set_property(Tag.DISPLAY_NAME, Type.PTYP_STRING8, "柳州市关于开展复核工作的通知".encode("gbk"))
    return notice.to_bytes()


RENDERERS = {
    "archive/luzhai-bundle.zip": bundle_zip,
    "archive/changde-tables.7z": tables_7z,
    "archive/luzhai-text.rar": text_rar,
    "email/changde-forward.eml": forward_eml,
    "email/luzhai-notice.msg": notice_msg,
}


def main() -> None:
    for name, render in RENDERERS.items():
        path = SAMPLES / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(render())
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
