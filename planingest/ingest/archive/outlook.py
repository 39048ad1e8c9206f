"""Outlook e-mail (.msg, MS-OXMSG) as a container: the body and each attachment are its members.

A mail saved from Outlook is an OLE2 compound file, the same container as a
legacy ``.doc``/``.xls``/``.wps``; what tells it apart is its root: a
``__properties_version1.0`` stream beside ``__substg1.0_*`` property streams
(and ``__attach_version1.0_#…`` / ``__recip_version1.0_#…`` storages), where a
Word file has ``WordDocument`` and a workbook ``Workbook``
(:func:`is_outlook_tree`).

It is read with ``extract-msg`` (maintained, on PyPI), which decodes the
message's strings in its code page (Unicode, or GBK for a message saved as
non-Unicode on Chinese Windows) and takes embedded messages out as ``.msg``
files of their own.  What becomes a member, as for ``.eml``
(:mod:`planingest.ingest.archive.mail`):

* the body: the plain-text body as ``body.txt``; else the HTML body as
  ``body.html`` (read by the web reader); else the RTF body as ``body.rtf``
  (read by the RTF route through LibreOffice).  extract-msg already derives the
  plain text of an RTF-only message when the RTF encapsulates text or HTML, so
  ``body.rtf`` is the rare case of an RTF body written by Word;
* each attachment stored in the message (ATTACH_BY_VALUE), named by its long
  file name (PidTagAttachLongFilename), else its 8.3 name or display name,
  else ``attachment-N`` plus the extension of its MIME type;
* each embedded message (ATTACH_EMBEDDED_MSG) as a ``.msg`` member, opened in
  turn as a container under the archives' depth limit.

Attachments that are links (by reference, web), OLE objects or that
extract-msg cannot make sense of are listed as refused with the reason.

Hostile files are refused before extract-msg sees them (:func:`check_tree`): the
directory is parsed strictly (a cycle or a double reference is an error, not a
warning), no stream may claim more bytes than the file holds and all streams
together not more than the file (a compound file stores every byte once; two
entries sharing sectors would inflate a small file), and the number of
attachments and the nesting of embedded messages are bounded.
"""
from __future__ import annotations

import io
import logging
import mimetypes
from collections.abc import Iterable
from dataclasses import dataclass, field

from planingest.core.errors import BadInputError, MissingToolError
from planingest.ingest.magic import OLE_MAGIC

#: the property stream every message (and attachment, recipient) storage has
_PROPERTIES = "__properties_version1.0"
_PROPERTY_STREAM = "__substg1.0_"
_ATTACHMENT = "__attach_version1.0_#"
#: the storage of an embedded message inside an attachment's storage (PidTagAttachDataObject)
_EMBEDDED = "__substg1.0_3701000d"
#: embedded messages inside embedded messages: Outlook never nests this deep; a file that does is hostile
MAX_EMBEDDED_NESTING = 16
#: Windows code pages whose Python codec has another name (GBK is read as its superset GB18030)
_CODECS = {65001: "utf-8", 1200: "utf-16-le", 1201: "utf-16-be", 936: "gb18030", 54936: "gb18030",
           20936: "gb2312", 950: "big5"}
_DAMAGED = "damaged Outlook message"


def is_outlook_tree(names: Iterable[str]) -> bool:
    """Entry paths of a compound file ("/"-joined, any case) are an Outlook item's: a root property
    stream beside ``__substg1.0_*`` streams."""
    root = {name.lower() for name in names if "/" not in name}
    return _PROPERTIES in root and any(name.startswith(_PROPERTY_STREAM) for name in root)


def is_outlook_message(data: bytes, suffix: str = "") -> bool:
    """An OLE2 file whose root is an Outlook item's; a damaged OLE file named ``.msg`` counts too
    (so that reading it fails with the cause instead of the file being skipped)."""
    if not data.startswith(OLE_MAGIC):
        return False
    names = _entry_names(data)
    return suffix == "msg" if names is None else is_outlook_tree(names)


def _entry_names(data: bytes) -> list[str] | None:
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            return ["/".join(entry) for entry in ole.listdir(streams=True, storages=True)]
    except Exception:  # noqa: BLE001 - olefile raises OSError, struct.error, IndexError ... on damage
        return None


def check_tree(data: bytes, max_attachments: int) -> None:
    """Refuse a compound file that is damaged or built to exhaust the reader (see the module docstring)."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT) as ole:
            entries = ole.listdir(streams=True, storages=True)
            sizes = [("/".join(entry), ole.get_size("/".join(entry)))
                     for entry in entries if ole.get_type("/".join(entry)) == olefile.STGTY_STREAM]
    except MemoryError:
        raise  # the worker's memory limit: reported as such, never cached as the file's verdict
    except Exception as exc:  # noqa: BLE001 - any defect of the directory, the FAT or a sector chain
        raise BadInputError(f"{_DAMAGED}: the compound file cannot be opened ({_first_line(exc)})") from None
    for name, size in sizes:
        if size > len(data):
            raise BadInputError(f"{_DAMAGED}: stream {name} claims {size} bytes, beyond the end of the "
                                f"{len(data)}-byte file (hostile or corrupt)")
    total = sum(size for _, size in sizes)
    if total > len(data):
        raise BadInputError(f"{_DAMAGED}: its streams claim {total} bytes together, beyond the "
                            f"{len(data)} bytes of the file (streams sharing sectors: hostile or corrupt)")
    if not is_outlook_tree("/".join(entry) for entry in entries):
        raise BadInputError("not an Outlook message (no MAPI property streams at the root)")
    attachments = {tuple(entry[:i + 1]) for entry in entries for i, part in enumerate(entry)
                   if part.lower().startswith(_ATTACHMENT)}
    if len(attachments) > max_attachments:
        raise BadInputError(f"Outlook message with more than {max_attachments} attachments: not read")
    nesting = max((sum(part.lower() == _EMBEDDED for part in entry) for entry in entries), default=0)
    if nesting > MAX_EMBEDDED_NESTING:
        raise BadInputError(f"{_DAMAGED}: embedded messages nested {nesting} deep (hostile?)")


@dataclass
class OutlookMessage:
    subject: str | None = None
    #: ("body.txt" | "body.html" | "body.rtf", bytes)
    body: tuple[str, bytes] | None = None
    #: (file name, bytes) of each attachment and embedded message (as a .msg file), in order
    attachments: list[tuple[str, bytes]] = field(default_factory=list)
    #: (file name, reason) of attachments not taken out
    refused: list[tuple[str, str]] = field(default_factory=list)


def _first_line(exc: BaseException) -> str:
    text = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return text[:200]


def _extract_msg():
    try:
        import extract_msg
    except ImportError as exc:
        raise MissingToolError(f"reading Outlook .msg e-mail needs extract-msg: pip install 'planingest[msg]' ({exc})") from None
    for name in ("extract_msg", "RTFDE"):  # it logs tracebacks of tolerated defects; the refusals say enough
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)
    return extract_msg


def read(data: bytes, max_attachments: int) -> OutlookMessage:
    """The subject, body and attachments of a .msg; BadInputError when it cannot be read (with the cause)."""
    check_tree(data, max_attachments)
    extract_msg = _extract_msg()
    tolerated = (extract_msg.enums.ErrorBehavior.ATTACH_SUPPRESS_ALL | extract_msg.enums.ErrorBehavior.RTFDE
                 | extract_msg.enums.ErrorBehavior.STANDARDS_VIOLATION)
    try:
        message = extract_msg.openMsg(data, strict=False, errorBehavior=tolerated, delayAttachments=False)
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - the library's errors are many and undocumented
        raise BadInputError(f"{_DAMAGED}: {_first_line(exc)}") from None
    try:
        found = OutlookMessage(subject=_subject(message), body=_body(message))
        for index, attachment in enumerate(getattr(message, "attachments", ()) or (), 1):
            _attachment(attachment, index, found, extract_msg)
        return found
    except (BadInputError, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001
        raise BadInputError(f"{_DAMAGED}: {_first_line(exc)}") from None
    finally:
        message.close()


def _subject(message) -> str | None:
    text = " ".join(str(getattr(message, "subject", None) or "").split())
    return text or None


def _codec(message) -> str:
    """The codec of the message's HTML body: its internet code page (PidTagInternetCodepage), else UTF-8."""
    codepage = message.getPropertyVal("3FDE0003")
    if not isinstance(codepage, int) or codepage <= 0:
        return "utf-8"
    return _CODECS.get(codepage, f"cp{codepage}")


def _decode(raw: bytes, codec: str) -> str:
    try:
        return raw.decode(codec)
    except (LookupError, UnicodeDecodeError):
        return raw.decode("gb18030", "replace")


def _body(message) -> tuple[str, bytes] | None:
    text = getattr(message, "body", None)
    if isinstance(text, str) and text.strip():
        return "body.txt", text.replace("\r\n", "\n").encode("utf-8")
    html = getattr(message, "htmlBody", None)
    if isinstance(html, bytes) and html.strip():
        return "body.html", b'<meta charset="utf-8">\n' + _decode(html, _codec(message)).encode("utf-8")
    rtf = getattr(message, "rtfBody", None)
    if isinstance(rtf, bytes) and rtf.strip():
        return "body.rtf", rtf
    return None


def _name(attachment, index: int, embedded: bool) -> str:
    names = (getattr(attachment, attr, None) for attr in ("longFilename", "shortFilename", "displayName", "name"))
    name = next((str(v).strip() for v in names if v and str(v).strip()), "")
    if embedded:
        return name if name.lower().endswith(".msg") else f"{name or f'attachment-{index}'}.msg"
    if name:
        return name
    mime = getattr(attachment, "mimetype", None)
    extension = (mimetypes.guess_extension(str(mime)) if mime else None) or ".bin"
    return f"attachment-{index}{extension}"


def _attachment(attachment, index: int, found: OutlookMessage, extract_msg) -> None:
    kind = getattr(attachment, "type", None)
    types = extract_msg.enums.AttachmentType
    if kind in (types.DATA, types.SIGNED):
        data = attachment.data
        if isinstance(data, bytes):
            found.attachments.append((_name(attachment, index, False), data))
            return
        found.refused.append((_name(attachment, index, False), "attachment without data: not read"))
    elif kind in (types.MSG, types.SIGNED_EMBEDDED):
        name = _name(attachment, index, True)
        try:
            found.attachments.append((name, attachment.data.exportBytes(allowBadEmbed=True)))
        except Exception as exc:  # noqa: BLE001
            found.refused.append((name, f"embedded message cannot be taken out ({_first_line(exc)})"))
    elif kind == types.WEB:
        found.refused.append((_name(attachment, index, False), "a link to a file on the web, not in the message: "
                                                               "not read"))
    else:
        found.refused.append((_name(attachment, index, False), "attachment Outlook stores as a link or an OLE "
                                                               "object, or damaged: not read"))
