"""Words that say what a document is and where its facts are printed, as validated data.

``metadata_labels.csv``: the labels that government sites and document headers
print before a fact (发文字号, 成文日期, 发布机构 …), read by
:mod:`planingest.interpret.metadata`.  ``doc_types.csv``: the words that tell a
plan from a work plan, an annual plan, a summary, a self-assessment or a notice,
and the topic words that say a file is about demonstration zones at all, read by
:mod:`planingest.interpret.doctype`.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from planingest.catalogue import catalogue_dir
from planingest.catalogue.csvload import read_rows, require_in
from planingest.core.enums import DocType

LABELS_FILE = "metadata_labels.csv"
DOC_TYPES_FILE = "doc_types.csv"
LABEL_FIELDS = ("doc_number", "written_date", "published_date", "issuer", "publisher", "title", "other", "navigation")
_TYPE_VALUES = tuple(t.value for t in DocType if t not in (DocType.UNRELATED, DocType.UNKNOWN)) + ("topic",)
_WHERE = ("title", "body", "topic")


@dataclass(frozen=True)
class MetadataLabels:
    by_label: dict[str, str]  # label → field (navigation words excluded)
    navigation: tuple[str, ...]

    def labels(self) -> tuple[str, ...]:
        """Every label, longest first (so 发文字号 is tried before 文号)."""
        return tuple(sorted(self.by_label, key=len, reverse=True))


@dataclass(frozen=True)
class DocTypeWords:
    title: tuple[tuple[str, DocType], ...]  # (word, type), longest word first
    body: tuple[tuple[str, DocType], ...]
    topic: tuple[str, ...]


@lru_cache(maxsize=4)
def load_metadata_labels(directory: str | Path | None = None) -> MetadataLabels:
    """Read and check ``metadata_labels.csv``; a bad row raises CatalogueError naming file:line."""
    path = catalogue_dir(directory) / LABELS_FILE
    by_label: dict[str, str] = {}
    navigation: list[str] = []
    for row in read_rows(path, ("field", "label"), ("note",)):
        require_in(path, row, "field", LABEL_FIELDS)
        if row["field"] == "navigation":
            navigation.append(row["label"])
        else:
            by_label[row["label"]] = row["field"]
    return MetadataLabels(by_label, tuple(navigation))


@lru_cache(maxsize=4)
def load_doc_type_words(directory: str | Path | None = None) -> DocTypeWords:
    """Read and check ``doc_types.csv``; a bad row raises CatalogueError naming file:line."""
    path = catalogue_dir(directory) / DOC_TYPES_FILE
    title: list[tuple[str, DocType]] = []
    body: list[tuple[str, DocType]] = []
    topic: list[str] = []
    for row in read_rows(path, ("doc_type", "where", "word"), ("note",)):
        require_in(path, row, "doc_type", _TYPE_VALUES)
        require_in(path, row, "where", _WHERE)
        if (row["where"] == "topic") != (row["doc_type"] == "topic"):
            require_in(path, row, "where", ("topic",) if row["doc_type"] == "topic" else ("title", "body"))
        if row["where"] == "topic":
            topic.append(row["word"])
        else:
            (title if row["where"] == "title" else body).append((row["word"], DocType(row["doc_type"])))
    return DocTypeWords(tuple(sorted(title, key=lambda p: -len(p[0]))),
                        tuple(sorted(body, key=lambda p: -len(p[0]))), tuple(topic))
