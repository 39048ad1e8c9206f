"""The PDF extractor on PDFs rendered from seed content: stitched tables, prose, OCR, damage.

The born-digital plan is a DOCX (seed 000's indicator table, seed 002's tasks)
rendered by LibreOffice, so fonts, rulings, repeated header rows and rows cut
by page breaks are what a user's PDF has.  The scan is that PDF's pages as
images, read back through OCR.
"""
from __future__ import annotations

import re
import shutil

import pytest

from planingest.core.errors import BadInputError, EncryptedDocumentError
from planingest.ingest.pdf.reader import EXTRACTOR, PdfExtractor
from planingest.ingest.pdf.tables import find_page_tables
from planingest.ingest.registry import extract
from tests import pdf_fixtures as fx

pytestmark = pytest.mark.slow  # LibreOffice, OCR, Chromium or whole-corpus runs: `make test-fast` skips these

needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice is not installed (Debian package libreoffice-writer) to render the test PDF",
)
_WS = re.compile(r"\s+")


def flat(text: str) -> str:
    return _WS.sub("", text)


@pytest.fixture(scope="session")
def pdfs():
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed (Debian package libreoffice-writer) to render the test PDF")
    return fx.build_all()


@pytest.fixture(scope="session")
def plan(pdfs):
    return extract(pdfs["plan"])


@pytest.fixture(scope="session")
def scan(pdfs):
    return extract(pdfs["scan"])


def indicator_table(doc):
    tables = [t for t in doc.tables if flat(t.rows[0][3]) == "指标名称"]
    assert len(tables) == 1, [t.rows[0] for t in doc.tables]
    return tables[0]


def expected_rows():
    rows = [list(r) for r in fx.DATA_ROWS]
    rows[27][7] = fx.LONG_DEPARTMENTS  # as build_docx writes it
    return [tuple(flat(c) for c in r) for r in rows]


# ---------------------------------------------------------------- born-digital


@needs_soffice
def test_one_table_spans_all_pages_with_the_header_once(plan):
    table = indicator_table(plan)
    header_rows = [r for r in table.rows if tuple(flat(c) for c in r) == fx.HEADER]
    assert len(header_rows) == 1
    assert len(table.rows) == 1 + len(fx.DATA_ROWS)
    pages = [loc.page for loc in table.row_locators]
    assert pages == sorted(pages) and len(set(pages)) >= 3, pages
    assert [loc.row for loc in table.row_locators] == list(range(1, len(table.rows) + 1))


@needs_soffice
def test_every_cell_matches_the_source_table(plan):
    """Cell by cell (whitespace aside): each data row once, merged 领域/任务 repeated across page breaks."""
    got = [tuple(flat(c) for c in r) for r in indicator_table(plan).rows[1:]]
    assert got == expected_rows()


@needs_soffice
def test_rows_cut_by_a_page_break_are_rejoined(pdfs, plan):
    import pdfplumber

    # precondition: the rendering really cuts rows (a continuation piece opens with an empty 序号)
    cut_pages = []
    with pdfplumber.open(pdfs["plan"]) as pdf:
        for page in pdf.pages[1:]:
            (grid, _), = find_page_tables(page)
            first = grid.rows[1]  # rows[0] is the repeated header
            if not first[2] and any(first):
                cut_pages.append(page.page_number)
    assert cut_pages, "the fixture no longer has a row cut by a page break"
    table = indicator_table(plan)
    assert all(flat(r[3]) for r in table.rows), "a fragment of a cut row was left as a row of its own"
    rows = {flat(r[3]): r for r in table.rows}
    assert flat(rows["单位地区生产总值用水量"][7]) == flat(fx.LONG_DEPARTMENTS)


@needs_soffice
def test_cells_keep_line_breaks_without_cjk_spaces(plan):
    table = indicator_table(plan)
    assert any("\n" in c for r in table.rows for c in r)
    assert not any(re.search(r"[\u4e00-\u9fff] +[\u4e00-\u9fff]", c) for r in table.rows for c in r)


@needs_soffice
def test_prose_has_title_number_tasks_without_cjk_spaces(plan):
    texts = [p.text for p in plan.paragraphs]
    assert fx.TITLE in texts
    assert fx.DOC_NUMBER in texts
    assert fx.DATE_LINE in texts
    for task in fx.PROSE[1:]:  # each （责任单位：…） task comes back as one paragraph
        assert task in texts, task
    assert all(not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff0-9]", t) for t in texts)
    assert all(p.locator.page for p in plan.paragraphs)


@needs_soffice
def test_table_text_is_not_repeated_as_prose_and_caption_is_read(plan):
    assert not any("县委组织部" in p.text or "约束性" in p.text for p in plan.paragraphs)
    table = indicator_table(plan)
    assert table.caption == fx.CAPTION
    order = [type(b).__name__ for b in plan.blocks]
    caption_at = next(i for i, b in enumerate(plan.blocks) if getattr(b, "text", None) == fx.CAPTION)
    assert order[caption_at + 1] == "Table"
    assert plan.blocks[-1].text == fx.DATE_LINE


@needs_soffice
def test_owner_password_only_pdf_reads(pdfs):
    doc = extract(pdfs["owner_only"])
    assert [tuple(flat(c) for c in r) for r in indicator_table(doc).rows[1:]] == expected_rows()


@needs_soffice
def test_user_password_pdf_is_reported_as_encrypted(pdfs):
    with pytest.raises(EncryptedDocumentError, match="PDF is encrypted with a password"):
        extract(pdfs["encrypted"])


@needs_soffice
@pytest.mark.parametrize("keep", [0.05, 0.5, 0.95])
def test_truncated_plan_is_bad_input(pdfs, tmp_path, keep):
    data = pdfs["plan"].read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(BadInputError, match="cannot be opened") as info:
        extract(path)
    assert not isinstance(info.value, EncryptedDocumentError)


@needs_soffice
def test_borderless_table_is_found_by_text_alignment(pdfs):
    doc = extract(pdfs["unruled"])
    table, = doc.tables
    assert [tuple(flat(c) for c in r) for r in table.rows] == [
        tuple(flat(c) for c in r) for r in (fx.PROJECT_HEADER,) + fx.PROJECTS]
    assert table.caption == fx.PROJECT_CAPTION
    assert [p.text for p in doc.paragraphs] == [fx.PROJECT_CAPTION, fx.PROJECT_AFTER]


# ---------------------------------------------------------------- scanned


@needs_soffice
def test_scanned_plan_is_read_by_ocr_with_its_table(scan):
    table = indicator_table(scan)
    names = [flat(r[3]) for r in table.rows[1:]]
    expected = [flat(n) for n in fx.INDICATOR_NAMES]
    hits = sum(1 for n in expected if n in names)
    recall = hits / len(expected)
    print(f"\nOCR recall of indicator names (exact): {hits}/{len(expected)} = {recall:.1%}")
    assert recall >= 0.9
    assert len(table.rows) == 1 + len(fx.DATA_ROWS)  # stitched across the scanned pages too
    ocr = [i for i in scan.issues if i.code == "ocr"]
    assert len(ocr) == 1 and "1-4" in ocr[0].message
    assert re.search(r"mean recognition score 0\.\d{3}", ocr[0].message)
    assert fx.CAPTION in [p.text for p in scan.paragraphs]


def test_image_only_pdf_without_ocr_reports_skipped_pages(tmp_path):
    path = tmp_path / "scan.pdf"
    fx.image_pdf(path)
    doc = PdfExtractor(ocr=False).extract(path, path.read_bytes(), "pdf")
    assert doc.pages == 1 and not doc.blocks
    assert {i.code for i in doc.issues} == {"ocr-skipped", "no-text"}


# ---------------------------------------------------------------- damage, no LibreOffice needed


@pytest.mark.parametrize("keep", [0, 8, 100, 0.5, 0.9])
def test_truncated_image_pdf_is_bad_input(tmp_path, keep):
    path = tmp_path / "scan.pdf"
    fx.image_pdf(path)
    data = path.read_bytes()
    cut = data[: keep if isinstance(keep, int) else int(len(data) * keep)]
    with pytest.raises(BadInputError):
        EXTRACTOR.extract(path, cut, "pdf")


def test_registry_routes_pdf_by_content(tmp_path):
    path = tmp_path / "no-extension"
    fx.image_pdf(path)
    assert extract(path).file_format == "pdf"
