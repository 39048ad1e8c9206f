"""OFD extractor: positioned text and ruled tables read straight from the XML parts.

OFD.xml names its documents (DocBody/DocRoot, one or more, read in order), each Document.xml lists its pages and
resources, and each page's Content.xml positions its text (TextObject/TextCode)
and draws its rulings (PathObject).  The text becomes boxes and the rulings
edges, and the PDF/OCR layout code (:mod:`planingest.ingest.ocr` ``layout_page``,
:mod:`planingest.ingest.layout`) rebuilds lines, paragraphs and ruled tables,
stitched across pages.  A page with images but no text (a scanned document
wrapped in OFD) is OCR'd from its largest image.  Signatures, annotations and
attachments are not read: a seal is not text of the plan.

Why not a PyPI reader: ``easyofd`` (the maintained one) takes the file as base64,
parses it with xmltodict and converts to PDF/JPG; it pulls in reportlab, PyMuPDF
(AGPL), fontTools, loguru and pyasn1, its author calls it incomplete, and what it
offers us is a rendering we would then read again with the PDF path (other OFD
packages were not evaluated in depth).  OFD is plain XML, so
a direct lxml reader with the hardened parser gives positioned text to the table
builder with no new dependency.
"""
from __future__ import annotations

from pathlib import Path

from planingest.core.errors import BadInputError
from planingest.core.records import ExtractedDocument, Issue, Locator
from planingest.ingest.layout.lines import paragraphs
from planingest.ingest.layout.pages import PageResult, assemble, place_tables
from planingest.ingest.ocr import ScannedPage, layout_page, read_raster
from planingest.ingest.ofd.content import PageContent, read_content
from planingest.ingest.ofd.package import MAX_MEDIA_BYTES, OfdPackage, children, first, text_of
from planingest.ingest.progress import ocr_page_done
from planingest.ingest.raster import DECODE_ERRORS, open_image, page_raster

MAX_PAGES = 2000
MAX_OCR_PAGES = 200
#: documents read from one package (a notice and its attachments; more is not a submission)
MAX_DOCUMENTS = 50


class _Document:
    """The parts of one OFD document: pages, templates and image resources."""

    def __init__(self, pkg: OfdPackage, root_loc: str):
        self.pkg = pkg
        self.name = pkg.resolve(root_loc)
        self.root = pkg.xml(self.name)
        common = first(self.root, "CommonData")
        self.templates = {t.get("ID"): pkg.resolve(t.get("BaseLoc") or "", self.name)
                          for t in (children(common, "TemplatePage") if common is not None else [])
                          if t.get("ID") and t.get("BaseLoc")}
        self.media = self._media(common)
        pages = first(self.root, "Pages")
        self.pages = [p for p in children(pages, "Page") if p.get("BaseLoc")] if pages is not None else []

    def _media(self, common) -> dict[str, str]:
        """Image resource ID → package part, from PublicRes and DocumentRes."""
        out: dict[str, str] = {}
        if common is None:
            return out
        for res_el in children(common, "PublicRes") + children(common, "DocumentRes"):
            try:
                res_name = self.pkg.resolve(text_of(res_el), self.name)
                res = self.pkg.xml(res_name)
            except BadInputError:
                continue  # a missing resource file costs its images, not the document
            folder = self.pkg.resolve(res.get("BaseLoc") or ".", res_name)
            for group in children(res, "MultiMedias"):
                for media in children(group, "MultiMedia"):
                    loc = text_of(first(media, "MediaFile"))
                    if media.get("ID") and loc:
                        try:
                            out[media.get("ID")] = self.pkg.resolve(loc, folder + "/")
                        except BadInputError:
                            continue
        return out

    def content(self, page_el) -> PageContent:
        name = self.pkg.resolve(page_el.get("BaseLoc"), self.name)
        page = self.pkg.xml(name)
        content = PageContent()
        for template in children(page, "Template"):
            part = self.templates.get(template.get("TemplateID"))
            if part and self.pkg.has(part):
                body = first(self.pkg.xml(part), "Content")
                if body is not None:
                    read_content(body, content=content)
        body = first(page, "Content")
        if body is not None:
            read_content(body, content=content)
        return content


def documents(pkg: OfdPackage) -> list[_Document]:
    """Every document of the package, in the order OFD.xml lists them (a package may bundle several:
    a notice and its attachment); BadInputError when it names none."""
    if not pkg.has("OFD.xml"):
        raise BadInputError("not an OFD, or damaged: the package has no OFD.xml")
    roots = [text_of(first(body, "DocRoot")) for body in children(pkg.xml("OFD.xml"), "DocBody")]
    roots = [loc for loc in roots if loc]
    if not roots:
        raise BadInputError("damaged OFD: OFD.xml names no document (DocBody/DocRoot)")
    return [_Document(pkg, loc) for loc in roots[:MAX_DOCUMENTS]]


def _ocr_largest_image(doc: _Document, content: PageContent) -> ScannedPage | None:
    """OCR of the page's largest image (a scanned page), or None when it has no readable image."""
    candidates = [(rid, box) for rid, box in content.images if rid in doc.media]
    if not candidates:
        return None
    rid, box = max(candidates, key=lambda c: (c[1][2] - c[1][0]) * (c[1][3] - c[1][1]))
    image = open_image(doc.pkg.read(doc.media[rid], MAX_MEDIA_BYTES))
    try:
        raster, scale = page_raster(image, width_pt=box[2] - box[0])
    except MemoryError:
        raise
    except DECODE_ERRORS as exc:
        raise BadInputError(f"its image cannot be decoded: {exc}") from None
    return read_raster(raster, scale)


def _needs_ocr(content: PageContent) -> bool:
    """A page of images without text: the reader OCRs it."""
    return not content.boxes and bool(content.images)


def ocr_pages_needed(data: bytes) -> int:
    """How many pages the reader would OCR (image-only pages), from the page XML alone (no image decoded).

    The batch gives a document time per OCR page; 0 for an OFD that cannot be opened.
    """
    try:
        pages = [(doc, page_el) for doc in documents(OfdPackage(data)) for page_el in doc.pages]
    except BadInputError:
        return 0
    needed = 0
    for doc, page_el in pages[:MAX_PAGES]:
        try:
            needed += _needs_ocr(doc.content(page_el))
        except BadInputError:
            continue
    return min(needed, MAX_OCR_PAGES)


def read_ofd(data: bytes, file_format: str = "ofd") -> ExtractedDocument:
    pages = [(doc, page_el) for doc in documents(OfdPackage(data)) for page_el in doc.pages]
    issues: list[Issue] = []
    results: list[PageResult] = []
    ocr_pages: list[int] = []
    if not pages:
        return ExtractedDocument(file_format=file_format, blocks=(), pages=0,
                                 issues=(Issue("no-pages", "the OFD document lists no pages"),))
    if len(pages) > MAX_PAGES:
        issues.append(Issue("page-cap", f"the OFD has {len(pages)} pages; only the first {MAX_PAGES} were read",
                            Locator(page=MAX_PAGES + 1)))
    for number, (doc, page_el) in enumerate(pages[:MAX_PAGES], start=1):
        try:
            content = doc.content(page_el)
            route, scan = "text", None
            if _needs_ocr(content) and len(ocr_pages) < MAX_OCR_PAGES:
                scan, route = _ocr_largest_image(doc, content), "ocr"
            if scan is None:
                scan, route = layout_page(content.boxes, content.edges), "text"
            else:
                ocr_pages.append(number)
                ocr_page_done(number)
        except BadInputError as exc:
            issues.append(Issue("page-unreadable", f"page {number} cannot be read: {exc}", Locator(page=number)))
            results.append(PageResult())
            continue
        tables, outside = place_tables(scan.grids, scan.lines, number, ocr=route == "ocr")
        results.append(PageResult(prose=paragraphs(outside), tables=tables, route=route))
    if ocr_pages:
        issues.append(Issue("ocr", f"{len(ocr_pages)} page(s) are images without text and were read by OCR; "
                                   f"check names and numbers against the original", Locator(page=ocr_pages[0])))
    blocks = assemble(results)
    if not blocks:
        issues.append(Issue("no-text", f"the OFD has {len(pages)} page(s) but no text could be read from them"))
    return ExtractedDocument(file_format=file_format, blocks=tuple(blocks), pages=len(pages),
                             issues=tuple(issues))


class OfdExtractor:
    formats = ("ofd",)

    def extract(self, path: Path, data: bytes, file_format: str) -> ExtractedDocument:
        return read_ofd(data, file_format)


EXTRACTOR = OfdExtractor()
