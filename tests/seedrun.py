"""Run the pipeline on a sample in-process (read + normalise), shared by the seed and golden tests."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from planingest.core.records import DocumentResult
from planingest.ingest.archive.members import read_archive
from planingest.run.containers import container_rows, member_path, parent_ids, replace_parent
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


@dataclass(frozen=True)
class ContainerRow:
    """One row of a container sample: where it sits inside the container ("" for the container itself)."""

    member: str
    parent: str  # the member path of the container it is in ("" for the submitted container, None above it)
    result: DocumentResult


@cache
def run_container(name: str) -> tuple[ContainerRow, ...] | None:
    """A container sample as the batch makes it: its row, its nested containers' and each member's
    (members read in-process here, in the order of the container); None when ``name`` is no container."""
    path = SAMPLES / name
    data = path.read_bytes()
    read = read_document(path, data)
    listing = read.container
    if listing is None:
        return None
    doc_id = hashlib.sha256(data).hexdigest()
    shown = str(path.relative_to(ROOT))
    payload = {m.path: m.data for m in read_archive(data, name=path.name).members}
    parents = parent_ids(doc_id, listing)
    by_path = {ref.path: ref for ref in listing.members}
    results: dict[str, DocumentResult] = {}
    rows: list[ContainerRow] = []
    for ref in listing.members:
        if ref.container or ref.doc_id in results:
            continue
        member = normalise_document(ref.doc_id, member_path(shown, ref.path),
                                    read_document(Path(ref.path), payload[ref.path]))
        results[ref.doc_id] = member = replace(member, document=replace_parent(member.document, parents[ref.path]))
        rows.append(ContainerRow(ref.path, ref.parent or "", member))
    own = container_rows(doc_id, shown, read, results)
    inner = [ContainerRow(r.document.source_path.removeprefix(shown + "!/"), "", r) for r in own[1:]]
    inner = [replace(row, parent=by_path[row.member].parent or "") for row in inner]
    return (ContainerRow("", "", own[0]), *sorted(inner + rows, key=lambda row: row.member))
