"""One document, start to end: read (extract + interpret) then normalise.

The two halves are separate on purpose: reading is the expensive part and its
result (:class:`ReadResult`) can be cached by content hash; normalising is cheap
and is re-done whenever the vocabularies change, without parsing the file again.

Reading takes knowledge from the vocabulary folder too (header words, indicator
names that split packed cells): :func:`read_document` is given that folder
explicitly, and the run keys cached reads by the fingerprint of those files.
"""
from __future__ import annotations

import os
from pathlib import Path

from planingest.core.enums import Status
from planingest.core.errors import BadInputError, internal_error
from planingest.core.records import DocumentRecord, DocumentResult, ReadResult
from planingest.ingest.detect import detect_format
from planingest.ingest.registry import extract, is_container, is_document
from planingest.interpret.document import interpret
from planingest.interpret.tables.headers import use_header_vocabulary
from planingest.normalize.document import normalise_interpretation
from planingest.normalize.vocabulary import Vocabulary, get_vocabulary
from planingest.run.containers import expand_container


def read_document(path: Path, data: bytes, file_format: str | None = None,
                  catalogue_dir: str | os.PathLike | None = None, members_dir: str | None = None) -> ReadResult:
    """Extract and interpret one file. Never raises for a bad file.

    A container (archive, e-mail) is opened instead: the result lists its
    members (:mod:`planingest.run.containers`), whose bytes are written under
    ``members_dir`` when one is given.

    ``file_format`` is the detected format when the caller has it already (the
    worker detects once, for its progress report); ``catalogue_dir`` is the run's
    vocabulary folder (default: ``$PLANINGEST_CATALOGUE`` or the built-in one).
    """
    if file_format is None:
        file_format = detect_format(path, data)
    if is_container(file_format):
        return expand_container(path, data, str(file_format), members_dir)
    if not is_document(file_format):
        return ReadResult(file_format=None, interpretation=None, error="not a document")
    vocab = get_vocabulary(catalogue_dir)  # validated by the parent before any work
    use_header_vocabulary(vocab.headers)
    try:
        extracted = extract(path, data, file_format)
    except BadInputError as exc:
        return ReadResult(file_format=file_format, interpretation=None, error=str(exc))
    except MemoryError:
        raise  # the worker reports the memory limit; never mistaken for a bad file
    except Exception as exc:  # noqa: BLE001 - a defect of ours must not stop the batch
        return ReadResult(file_format, None, error=internal_error("reading", exc), internal_error=True)
    try:
        interpretation = interpret(extracted, split=vocab.indicators.split_packed, labels=vocab.labels)
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001
        return ReadResult(file_format, None, pages=extracted.pages, error=internal_error("interpreting", exc),
                          internal_error=True)
    return ReadResult(file_format=file_format, interpretation=interpretation, pages=extracted.pages)


def normalise_document(doc_id: str, source_path: str, read: ReadResult,
                       vocab: Vocabulary | None = None) -> DocumentResult:
    """Map a ReadResult onto the catalogue and vocabularies; returns all output rows."""
    if read.file_format is None:
        return DocumentResult(DocumentRecord.unread(
            doc_id, source_path, Status.SKIPPED, "not a document (no known document format in its content)"))
    if read.interpretation is None:
        return DocumentResult(DocumentRecord.unread(
            doc_id, source_path, Status.FAILED, read.error, read.file_format, read.pages))
    return normalise_interpretation(doc_id, source_path, read.file_format, read.pages, read.interpretation, vocab)
