"""One document, start to end: read (extract + interpret) then normalise.

The two halves are separate on purpose: reading is the expensive part and its
result (:class:`ReadResult`) can be cached by content hash; normalising is cheap
and is re-done whenever the vocabularies change, without parsing the file again.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from planingest import __version__
from planingest.errors import BadInputError, internal_error
from planingest.records import DocumentRecord, DocumentResult, Interpretation, Issue, RawMetadata


@dataclass(frozen=True)
class ReadResult:
    """What reading a file produced: the format, the raw rows and the problems met."""

    file_format: str | None  # None: not a document (skipped)
    interpretation: Interpretation | None  # None when the file could not be read
    pages: int | None = None
    error: str | None = None  # set when the file could not be read (status failed)
    internal_error: bool = False  # True when the cause is a defect of ours, not the file


def read_document(path: Path, data: bytes) -> ReadResult:
    """Extract and interpret one file. Never raises for a bad file."""
    from ingest.detect import detect_format
    from ingest.registry import extract, is_document

    file_format = detect_format(path, data)
    if not is_document(file_format):
        return ReadResult(file_format=None, interpretation=None, error="not a document")
    try:
        extracted = extract(path, data, file_format)
    except BadInputError as exc:
        return ReadResult(file_format=file_format, interpretation=None, error=str(exc))
    except MemoryError:
        raise  # the worker reports the memory limit; never mistaken for a bad file
    except Exception as exc:  # noqa: BLE001 - a defect of ours must not stop the batch
        return ReadResult(
            file_format=file_format,
            interpretation=None,
            error=internal_error("reading", exc),
            internal_error=True,
        )
    try:
        from ingest.interpret import interpret

        interpretation = interpret(extracted)
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001
        return ReadResult(
            file_format=file_format,
            interpretation=None,
            pages=extracted.pages,
            error=internal_error("interpreting", exc),
            internal_error=True,
        )
    return ReadResult(file_format=file_format, interpretation=interpretation, pages=extracted.pages)


def normalise_document(doc_id: str, source_path: str, read: ReadResult, vocab=None) -> DocumentResult:
    """Map a ReadResult onto the catalogue and vocabularies; returns all output rows."""
    from normalize.document import normalise_interpretation

    if read.file_format is None:
        record = DocumentRecord(
            doc_id=doc_id, source_path=source_path, file_format="unknown", status="skipped",
            error="not a document (no known document format in its content)", pipeline_version=__version__,
        )
        return DocumentResult(document=record)
    if read.interpretation is None:
        record = DocumentRecord(
            doc_id=doc_id, source_path=source_path, file_format=read.file_format, status="failed",
            error=read.error, pipeline_version=__version__, n_pages=read.pages,
        )
        return DocumentResult(document=record)
    return normalise_interpretation(doc_id, source_path, read.file_format, read.pages, read.interpretation, vocab)
