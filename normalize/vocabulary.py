"""The vocabularies a run normalises against, loaded (and validated) once.

``load_vocabulary(catalogue_dir)`` reads every CSV under the catalogue folder and
raises :class:`planingest.errors.CatalogueError` naming file:line and cause for a
bad edit, before any document is read.  ``fingerprint`` changes whenever any
vocabulary file changes, so cached normalisations are redone after an edit.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from catalogue import catalogue_dir as default_catalogue_dir
from catalogue.decisions import ReviewDecisions, load_review_decisions
from catalogue.departments import load_department_vocabulary
from catalogue.indicators import load_indicator_catalogue
from catalogue.regions import RegionTable, load_regions
from normalize.departments import DepartmentNormalizer
from normalize.indicators import IndicatorMatcher
from planingest.errors import CatalogueError


@dataclass(frozen=True)
class Vocabulary:
    catalogue_dir: Path
    fingerprint: str
    indicators: IndicatorMatcher
    departments: DepartmentNormalizer
    regions: RegionTable
    decisions: ReviewDecisions = field(default_factory=ReviewDecisions)  # review_ignore.csv, region_aliases.csv


def catalogue_fingerprint(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.csv")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


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
        decisions=load_review_decisions(folder, regions),
    )


@lru_cache(maxsize=4)
def _cached(folder: str, fingerprint: str) -> Vocabulary:
    return load_vocabulary(folder)


def get_vocabulary(catalogue_dir: str | os.PathLike | None = None) -> Vocabulary:
    """The vocabulary of a folder, loaded once per process (reloaded when a file changes)."""
    folder = default_catalogue_dir(catalogue_dir)
    return _cached(str(folder), catalogue_fingerprint(folder))
