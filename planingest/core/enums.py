"""The closed sets of the pipeline, as string enums.

Each member *is* its string (``Status.OK == "ok"``), so the tables, the cache and
the run log hold exactly the strings the data contract names; the enum is what
the code passes around, so a typo is an AttributeError instead of a silent new value.
"""
from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """What became of one document (documents.status)."""

    OK = "ok"  # everything found was read
    PARTIAL = "partial"  # something extracted, something not
    EMPTY = "empty"  # a document with nothing to extract
    FAILED = "failed"  # could not be read
    SKIPPED = "skipped"  # not a document


class ReviewKind(StrEnum):
    """What a review item is about (review.kind)."""

    INDICATOR = "indicator"
    DEPARTMENT = "department"
    REGION = "region"
    DOCUMENT = "document"


class MatchMethod(StrEnum):
    """The rung of the indicator-matching ladder that fired (indicators.match_method)."""

    EXACT = "exact"
    ALIAS = "alias"
    CROSSWALK = "crosswalk"
    FUZZY = "fuzzy"
    NONE = "none"


class DocType(StrEnum):
    """What kind of document a file is (documents.doc_type)."""

    PLAN = "plan"
    WORK_PLAN = "work_plan"
    ANNUAL_PLAN = "annual_plan"
    SUMMARY = "summary"
    SELF_ASSESSMENT = "self_assessment"
    NOTICE = "notice"
    UNRELATED = "unrelated"
    UNKNOWN = "unknown"


class IssueCode(StrEnum):
    """Machine keys of the structured problems extractors and interpreters report."""

    INFO = "info"  # a remark, not a problem: does not make a document partial
    NO_TEXT = "no-text"
    NO_PAGES = "no-pages"
    PAGE_CAP = "page-cap"
    PAGE_UNREADABLE = "page-unreadable"
    TABLES_UNREADABLE = "tables-unreadable"
    OCR_SKIPPED = "ocr-skipped"
    EMPTY_TABLE = "empty-table"
    HEADER_FOOTER_ONLY = "header-footer-only"
    MIXED_ENCODING = "mixed-encoding"  # some lines of a text file were not in its encoding
    OCR = "ocr"  # pages read by OCR: a remark (the document stays ok), named in its error


class FileFormat(StrEnum):
    """documents.file_format: what a file is, decided from its content.

    Which of these are read, and by what, is the format table in
    :mod:`planingest.ingest.registry`; a member without an extractor there is a
    document format we know but do not read yet (status failed, not skipped).
    """

    TXT = "txt"
    DOCX = "docx"
    DOC = "doc"
    WPS = "wps"
    RTF = "rtf"
    ODT = "odt"
    PDF = "pdf"
    XLSX = "xlsx"
    XLS = "xls"
    XLSB = "xlsb"
    ET = "et"
    ODS = "ods"
    HTML = "html"
    CSV = "csv"  # delimited text (comma), decided from the content; the extension breaks ties
    TSV = "tsv"  # delimited text (tab)
    UNKNOWN = "unknown"  # not a document, or never identified (a file that could not be opened)
    MHT = "mht"  # a web page saved as MHTML (.mht/.mhtml)
    OFD = "ofd"  # GB/T 33190 fixed-layout document (China's PDF)
    IMAGE = "image"  # a scan or photo of a page: JPEG, PNG, BMP, TIFF
    ZIP = "zip"  # an archive: a container whose members are documents of their own (parent_id)
    SEVEN_Z = "7z"
    RAR = "rar"
    EML = "eml"  # an e-mail (RFC 822): its body and attachments are member documents
    MSG = "msg"  # an Outlook e-mail (MS-OXMSG compound file): a container like eml
