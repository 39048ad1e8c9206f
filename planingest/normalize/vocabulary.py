"""The vocabularies a run normalises against, loaded (and validated) once.

``load_vocabulary(catalogue_dir)`` reads every CSV under the catalogue folder and
raises :class:`planingest.core.errors.CatalogueError` naming file:line and cause for a
bad edit, before any document is read.  ``fingerprint`` changes whenever any
vocabulary file changes, so cached normalisations are redone after an edit.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from planingest.catalogue import READ_STAGE_FILES, files_fingerprint
from planingest.catalogue import catalogue_dir as default_catalogue_dir
from planingest.catalogue.assessments import load_assessment_words
from planingest.catalogue.decisions import ReviewDecisions, load_review_decisions
from planingest.catalogue.departments import load_department_vocabulary
from planingest.catalogue.docwords import DocTypeWords, MetadataLabels, load_doc_type_words, load_metadata_labels
from planingest.catalogue.headers import HeaderVocabulary, load_header_vocabulary
from planingest.catalogue.indicators import load_indicator_catalogue
from planingest.catalogue.regions import RegionTable, load_regions
from planingest.core.errors import CatalogueError
from planingest.normalize.departments import DepartmentNormalizer
from planingest.normalize.indicators import IndicatorMatcher


@dataclass(frozen=True)
class Vocabulary:
    catalogue_dir: Path
    fingerprint: str
    indicators: IndicatorMatcher
    departments: DepartmentNormalizer
    regions: RegionTable
    headers: HeaderVocabulary  # table_headers.csv: what the read stage recognises columns by
    read_fingerprint: str  # of the files the read stage uses (READ_STAGE_FILES)
    decisions: ReviewDecisions = field(default_factory=ReviewDecisions)  # review_ignore.csv, region_aliases.csv
    assessments: dict[str, bool | None] = field(default_factory=dict)  # assessment_words.csv
    labels: MetadataLabels | None = None  # metadata_labels.csv: the labels of document facts (read stage)
    doc_types: DocTypeWords | None = None  # doc_types.csv: what decides documents.doc_type


def catalogue_fingerprint(folder: Path) -> str:
    """Changes whenever any vocabulary file changes: the key of cached normalisations."""
    return files_fingerprint(folder)


def read_fingerprint(folder: Path) -> str:
    """Changes whenever a file the read stage uses changes: part of the key of cached reads."""
    return files_fingerprint(folder, READ_STAGE_FILES)


def load_vocabulary(catalogue_dir: str | os.PathLike | None = None) -> Vocabulary:
    folder = default_catalogue_dir(catalogue_dir)
    if not folder.is_dir():
        raise CatalogueError(f"{folder}: catalogue folder not found")
    regions = load_regions(folder)
    return Vocabulary(
        catalogue_dir=folder,
        fingerprint=catalogue_fingerprint(folder),
        indicators=IndicatorMatcher(load_indicator_catalogue(folder)),
        departments=DepartmentNormalizer(load_department_vocabulary(folder)),
        regions=regions,
        headers=load_header_vocabulary(folder),
        read_fingerprint=read_fingerprint(folder),
        decisions=load_review_decisions(folder, regions),
        assessments=load_assessment_words(folder),
        labels=load_metadata_labels(folder),
        doc_types=load_doc_type_words(folder),
    )


@lru_cache(maxsize=4)
def _cached(folder: str, fingerprint: str) -> Vocabulary:
    return load_vocabulary(folder)


def get_vocabulary(catalogue_dir: str | os.PathLike | None = None) -> Vocabulary:
    """The vocabulary of a folder, loaded once per process (reloaded when a file changes)."""
    folder = default_catalogue_dir(catalogue_dir)
    return _cached(str(folder), catalogue_fingerprint(folder))
