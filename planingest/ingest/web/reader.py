"""Web page extractor: HTML (.html/.htm) and MHTML (.mht/.mhtml) notices saved from a site.

Parsed with lxml's HTML parser (libxml2: fast, lenient with the tag soup of old
CMS templates, no network).  Size limits refuse pages no notice needs: a saved
notice is tens of kilobytes, a few megabytes with inline images.
"""
from __future__ import annotations

from pathlib import Path

from lxml import etree, html

from planingest.core.errors import BadInputError
from planingest.core.records import ExtractedDocument, Issue
from planingest.ingest.web.charset import decode_page
from planingest.ingest.web.mhtml import html_part
from planingest.ingest.web.page import PageReader

#: an HTML page larger than this is refused (a notice page is < 1 MB; this leaves room for inline data)
MAX_HTML_BYTES = 16 * 1024 * 1024
#: an MHTML file carries its images too, so it may be larger; its HTML part obeys MAX_HTML_BYTES
MAX_MHTML_BYTES = 96 * 1024 * 1024
#: elements of one page; beyond this the page is generated garbage or hostile
MAX_ELEMENTS = 400_000

_PARSER = html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, huge_tree=False,
                          default_doctype=False)


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB"


def parse_page(text: str):
    """The page's DOM root; BadInputError when it is not HTML or too large to be a notice."""
    try:
        root = html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError) as exc:
        raise BadInputError(f"not a readable web page: {exc}") from None
    count = 0
    for _ in root.iter():
        count += 1
        if count > MAX_ELEMENTS:
            raise BadInputError(f"web page with more than {MAX_ELEMENTS} elements: not a notice page (hostile?)")
    return root


def read_html(data: bytes, file_format: str = "html", charset: str | None = None) -> ExtractedDocument:
    if not data.strip():
        raise BadInputError("empty web page (no content)")
    if len(data) > MAX_HTML_BYTES:
        raise BadInputError(f"web page of {_mb(len(data))}: larger than any notice page "
                            f"(limit {_mb(MAX_HTML_BYTES)}), not read")
    root = parse_page(decode_page(data, charset))
    body = root.find(".//body")
    blocks = PageReader().read(body if body is not None else root)
    issues = () if blocks else (Issue("no-text", "the web page has no text outside the site's navigation"),)
    return ExtractedDocument(file_format=file_format, blocks=tuple(blocks), issues=issues)


def read_mhtml(data: bytes, file_format: str = "mht") -> ExtractedDocument:
    if len(data) > MAX_MHTML_BYTES:
        raise BadInputError(f"MHTML file of {_mb(len(data))}: over the {_mb(MAX_MHTML_BYTES)} limit, not read")
    page, charset = html_part(data)
    return read_html(page, file_format, charset)


class WebExtractor:
    formats = ("html", "mht")

    def extract(self, path: Path, data: bytes, file_format: str) -> ExtractedDocument:
        if file_format == "mht":
            return read_mhtml(data, file_format)
        return read_html(data, file_format)


EXTRACTOR = WebExtractor()
