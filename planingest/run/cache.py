"""The per-document cache under ``OUT/.state``: read results and normalised results."""
from __future__ import annotations

import pickle
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planingest.run.fingerprint import code_fingerprint
from planingest.store.folder import atomic_write_bytes, remove_stale_temps

#: bump when the layout of cache files changes (a pipeline version bump also invalidates them)
CACHE_FORMAT = 1



@dataclass(frozen=True)
class _Entry:
    cache_format: int
    pipeline_version: str
    key: Any
    value: Any


class StateCache:
    """Per-document cache under ``OUT/.state``: read results and normalised results.

    Read results are keyed by doc_id (the content hash) and the pipeline version;
    normalised results also by the caller's key (vocabulary fingerprint and
    source path), since editing a vocabulary must re-normalise but not re-read.
    A cache file that cannot be loaded, for whatever reason, is a miss.
    """

    KINDS = ("read", "norm")

    def __init__(self, state_dir: Path) -> None:
        self.root = Path(state_dir)
        for kind in self.KINDS:
            (self.root / kind).mkdir(parents=True, exist_ok=True)
            remove_stale_temps(self.root / kind)

    def _path(self, kind: str, doc_id: str) -> Path:
        return self.root / kind / f"{doc_id}.pkl"

    def get(self, kind: str, doc_id: str, key: Any = None) -> Any | None:
        try:
            with open(self._path(kind, doc_id), "rb") as fh:
                entry = pickle.load(fh)
        except FileNotFoundError:
            return None
        except Exception:  # noqa: BLE001 - a corrupt or outdated cache file is a miss
            return None
        if (
            not isinstance(entry, _Entry)
            or entry.cache_format != CACHE_FORMAT
            or entry.pipeline_version != code_fingerprint()
            or entry.key != key
        ):
            return None
        return entry.value

    def put(self, kind: str, doc_id: str, value: Any, key: Any = None) -> None:
        entry = _Entry(CACHE_FORMAT, code_fingerprint(), key, value)
        atomic_write_bytes(self._path(kind, doc_id), pickle.dumps(entry, pickle.HIGHEST_PROTOCOL), durable=False)

    def prune(self, keep: Iterable[str]) -> int:
        """Drop entries of documents no longer among the inputs; returns how many files went."""
        keep = set(keep)
        removed = 0
        for kind in self.KINDS:
            for path in (self.root / kind).glob("*.pkl"):
                if path.stem not in keep:
                    path.unlink(missing_ok=True)
                    removed += 1
        return removed
