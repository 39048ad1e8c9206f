"""Every PDF of the foreign-fixture corpus ends cleanly: a document, or a BadInputError.

The corpus (../shared/corpus/foreign, see its README) holds encrypted, truncated,
fuzzed and hostile PDFs from other projects' test suites.  OCR is left off so
the sweep stays fast; scanned pages are then reported, not read.
"""
from __future__ import annotations

import time

import pytest

from planingest.core.errors import BadInputError, EncryptedDocumentError
from planingest.ingest.pdf.reader import PdfExtractor
from tests.shared import CORPUS, require

pytestmark = pytest.mark.slow  # LibreOffice, OCR, Chromium or whole-corpus runs: `make test-fast` skips these

PDFS = sorted(CORPUS.glob("*.pdf")) if CORPUS.is_dir() else []
#: (file, user password known from MANIFEST.tsv) → must be reported as encrypted
ENCRYPTED = ["pdfminer.six__aes-128.pdf", "pdfminer.six__aes-256-r6.pdf", "pypdf__r6-user-password.pdf",
             "pdfplumber__password-example.pdf", "pypdf__libreoffice-writer-password.pdf"]
FAST = PdfExtractor(ocr=False)


@pytest.fixture(scope="module")
def outcomes():
    require(CORPUS)
    assert PDFS, f"no PDFs in {CORPUS}"
    results = {}
    for path in PDFS:
        start = time.perf_counter()
        try:
            doc = FAST.extract(path, path.read_bytes(), "pdf")
            outcome = doc
        except BadInputError as exc:
            outcome = exc
        results[path.name] = (outcome, time.perf_counter() - start)
    return results


def test_every_corpus_pdf_returns_or_raises_bad_input(outcomes):
    # any other exception would have escaped the fixture and errored this test
    slow = {name: round(t, 1) for name, (_, t) in outcomes.items() if t > 20}
    assert not slow, slow
    assert sum(t for _, t in outcomes.values()) < 60


@pytest.mark.parametrize("name", ENCRYPTED)
def test_user_password_pdfs_are_encrypted_errors(outcomes, name):
    outcome, _ = outcomes[name]
    assert isinstance(outcome, EncryptedDocumentError), outcome
    assert str(outcome).startswith("PDF is encrypted with a password")


def test_owner_password_only_pdf_opens(outcomes):
    outcome, _ = outcomes["pypdf__r6-owner-password.pdf"]
    assert not isinstance(outcome, BadInputError) and outcome.paragraphs


@pytest.mark.parametrize("name", ["qpdf__bad1.pdf", "qpdf__issue-146.pdf", "pdfplumber__empty.pdf"])
def test_broken_pdfs_say_why(outcomes, name):
    outcome, _ = outcomes[name]
    assert isinstance(outcome, BadInputError) and not isinstance(outcome, EncryptedDocumentError)
    assert "cannot be opened" in str(outcome)


def test_unsupported_filter_is_named(outcomes):
    outcome, _ = outcomes["pdf.js__Brotli-Prototype-FileA.pdf"]
    assert "Brotli" in str(outcome)


def test_zero_page_and_image_only_pdfs_say_so(outcomes):
    empty, _ = outcomes["qpdf__empty.pdf"]
    assert empty.pages == 0 and [i.code for i in empty.issues] == ["no-pages"]
    scan, _ = outcomes["RapidDoc__small_ocr.pdf"]
    assert scan.pages == 8 and {"ocr-skipped", "no-text"} <= {i.code for i in scan.issues}
