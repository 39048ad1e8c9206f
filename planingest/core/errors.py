"""Exception types.

``BadInputError`` and its subclasses mean *the file* is the problem (encrypted,
truncated, not a document we can read): the document ends ``failed`` with the
message, and the batch goes on.  Any other exception escaping an extractor is a
defect of ours; the pipeline still records the document as failed, but labels it
as an internal error so it can be reported and fixed.
"""


class PlaningestError(Exception):
    """Base of every error this package raises on purpose."""


class BadInputError(PlaningestError):
    """The input file cannot be read; the message says why in a user's words."""


class EncryptedDocumentError(BadInputError):
    """The file is password-protected."""


class UnsupportedFormatError(BadInputError):
    """The file is a document format we do not read."""


class MissingToolError(BadInputError):
    """A system tool needed for this format (e.g. LibreOffice) is not installed."""


class CatalogueError(PlaningestError):
    """A vocabulary CSV under catalogue/ is invalid; the message names file, row and cause."""


class UsageError(PlaningestError):
    """Bad command-line usage or configuration (exit status 2)."""


def internal_error(stage: str, exc: BaseException) -> str:
    """The one-line message for a defect of ours: the exception's type and first line only
    (a library's multi-line message must not bring a traceback onto the terminal)."""
    first = (str(exc).strip().splitlines() or [""])[0][:200]
    return f"internal error while {stage} ({type(exc).__name__}: {first}); please report it"


#: the longest error message a row, the run log or the terminal gets
MAX_MESSAGE = 500


def cap_message(message: str | None, limit: int = MAX_MESSAGE) -> str | None:
    """``message`` cut to ``limit`` characters, ending with "…" when cut (None stays None)."""
    if message is None or len(message) <= limit:
        return message
    return message[: limit - 1].rstrip() + "…"
