"""Run the pipeline on a sample in-process (read + normalise), shared by the seed and golden tests."""
from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from planingest.core.records import DocumentResult
from planingest.run.process import normalise_document, read_document

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SEEDS = {
    "jingzhou": "000_2b96e2d222b5f3b3.txt",
    "changde": "001_3cc5f4b2954152b3.txt",
    "luzhai": "002_4f08802adbea22bb.txt",
    "anhua": "003_7e95036d21f61a58.txt",
    "lushi": "004_b1e58e9430650c30.txt",
}


def run_path(path: Path) -> DocumentResult:
    data = path.read_bytes()
    doc_id = hashlib.sha256(data).hexdigest()
    read = read_document(path, data)
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    return normalise_document(doc_id, str(shown), read)


@cache
def run_sample(name: str) -> DocumentResult:
    return run_path(SAMPLES / name)


def seed(key: str) -> DocumentResult:
    return run_sample(SEEDS[key])
