"""MHTML (.mht/.mhtml): a web page saved with its resources as one MIME message.

Browsers and Word write ``multipart/related`` with the page as a ``text/html``
part (quoted-printable or base64, its charset in the part header).  The standard
library's e-mail parser undoes the transfer encoding; the charset goes to
:func:`~planingest.ingest.web.charset.decode_page` as a hint the page's own
``<meta>`` may refine.  Images and style sheets are ignored.
"""
from __future__ import annotations

import email
import email.policy
import re

from planingest.core.errors import BadInputError

#: an MHTML file starts with MIME headers; these show it within its first bytes
_MIME_HEADER = re.compile(rb"^(?:MIME-Version|Content-Type|From|Subject|Date|Snapshot-Content-Location)\s*:",
                          re.IGNORECASE | re.MULTILINE)


_TOP_TYPE = re.compile(rb"^content-type\s*:\s*(multipart/related|text/html)", re.IGNORECASE | re.MULTILINE)


def looks_like_mhtml(data: bytes) -> bool:
    """MIME headers at the top whose own Content-Type is multipart/related or text/html."""
    head = data[:8192].lstrip()
    if not _MIME_HEADER.match(head):
        return False
    headers = re.split(rb"\r?\n\r?\n", head, maxsplit=1)[0]
    return bool(_TOP_TYPE.search(headers))


def html_part(data: bytes) -> tuple[bytes, str | None]:
    """The bytes of the page's HTML part and the charset its header declares."""
    try:
        message = email.message_from_bytes(data, policy=email.policy.compat32)
    except Exception as exc:  # the parser is lenient; anything raised means garbage
        raise BadInputError(f"damaged MHTML: the MIME structure cannot be parsed ({exc})") from None
    for part in message.walk():
        if part.is_multipart() or part.get_content_type() != "text/html":
            continue
        payload = part.get_payload(decode=True)
        if payload:
            return payload, part.get_content_charset()
    raise BadInputError("MHTML without a web page: it holds no text/html part")
