"""E-mail (.eml, RFC 822/5322) as a container: the body and each attachment are its members.

Plans are often forwarded as mail: a covering notice in the body and the plan,
its indicator table and the project list attached.  The message is parsed with
the standard library (``email`` with the modern policy, which decodes RFC 2047
encoded words and RFC 2231 parameters, GBK included); nothing here decodes
MIME by hand.

The body becomes a member of its own, ``body.txt`` (the text/plain part,
re-encoded as UTF-8) or ``body.html`` when the mail has only an HTML body, so
it is read by the ordinary text or web reader, in a worker with the same limits
as any file, and cached by its content.  Attachments keep their file names
(an attachment without one is named ``attachment-N`` plus the extension of its
MIME type); a forwarded message (message/rfc822) is an ``.eml`` member, opened
in turn as a container.
"""
from __future__ import annotations

import email
import email.policy
import mimetypes
import re
from collections.abc import Iterator
from email.message import EmailMessage

from planingest.core.errors import BadInputError

#: header names a mail carries; a file is a mail when its header block names enough of them
_MAIL_HEADERS = frozenset({"from", "to", "cc", "subject", "date", "message-id", "mime-version", "received",
                           "return-path", "reply-to", "x-mailer", "content-type"})
#: headers only a message that was sent (or addressed) has: a saved web page (MHTML) has none of them
_ADDRESSED = frozenset({"to", "cc", "message-id", "received", "return-path", "reply-to"})
_HEADER_LINE = re.compile(rb"^([A-Za-z][A-Za-z0-9-]{0,40})[ \t]*:")


def looks_like_email(data: bytes, suffix: str = "") -> bool:
    """A header block at the top naming ``From``, an addressee or transport header, and a third.

    Every line of the block must be a header or a folded continuation, so a
    note that starts "From: someone" and then runs on is text, not mail.  A web
    page saved as MHTML has From/Subject/Date too but is addressed to nobody
    (no To, Message-ID or Received), which tells it apart.  A ``.eml`` file
    needs ``From`` (or ``MIME-Version``) and one other.
    """
    head = data[:16384].lstrip(b"\r\n")
    if head.startswith(b"From ") and b"\n" in head:  # mbox "From " line before the headers
        head = head.split(b"\n", 1)[1]
    block = re.split(rb"\r?\n\r?\n", head, maxsplit=1)
    if len(block) < 2:
        return False
    names: set[str] = set()
    for line in block[0].splitlines():
        if line[:1] in (b" ", b"\t"):
            continue
        match = _HEADER_LINE.match(line)
        if match is None:
            return False
        names.add(match.group(1).decode("ascii").lower())
    known = names & _MAIL_HEADERS
    if suffix == "eml":
        return bool(known & {"from", "mime-version"}) and len(known) >= 2
    return "from" in known and bool(known & _ADDRESSED) and len(known) >= 3


def parse(data: bytes) -> EmailMessage:
    try:
        message = email.message_from_bytes(data, policy=email.policy.default)
    except Exception as exc:  # noqa: BLE001 - the parser is lenient; anything raised means garbage
        raise BadInputError(f"damaged e-mail: the MIME structure cannot be parsed ({exc})") from None
    assert isinstance(message, EmailMessage)
    return message


def subject(message: EmailMessage) -> str | None:
    """The decoded Subject, whitespace collapsed; None when there is none."""
    try:
        value = message.get("subject")
    except Exception:  # noqa: BLE001 - a malformed encoded word
        return None
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


def _text(part: EmailMessage) -> str:
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, ValueError, AssertionError):  # unknown charset, bad bytes
        payload = part.get_payload(decode=True) or b""
        content = payload.decode("gb18030", "replace")
    return content if isinstance(content, str) else ""


def body(message: EmailMessage) -> tuple[str, bytes] | None:
    """("body.txt", UTF-8 text) of the plain body, else ("body.html", UTF-8 page); None without a body."""
    try:
        part = message.get_body(preferencelist=("plain", "html"))
    except Exception:  # noqa: BLE001
        return None
    if part is None:
        return None
    text = _text(part)
    if not text.strip():
        return None
    if part.get_content_subtype() == "html":
        return "body.html", b'<meta charset="utf-8">\n' + text.encode("utf-8")
    return "body.txt", text.encode("utf-8")


def _filename(part: EmailMessage, index: int) -> str:
    try:
        name = part.get_filename()
    except Exception:  # noqa: BLE001 - a malformed RFC 2231 parameter
        name = None
    if name:
        return name
    if part.get_content_type() == "message/rfc822":
        return f"attachment-{index}.eml"
    extension = mimetypes.guess_extension(part.get_content_type()) or ".bin"
    return f"attachment-{index}{extension}"


def attachments(message: EmailMessage) -> Iterator[tuple[str, bytes]]:
    """(file name, bytes) of each attachment, in the order of the message."""
    try:
        parts = list(message.iter_attachments())
    except Exception:  # noqa: BLE001
        return
    for index, part in enumerate(parts, 1):
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            data = inner.as_bytes() if hasattr(inner, "as_bytes") else b""
        else:
            data = part.get_payload(decode=True) or b""
        yield _filename(part, index), data
