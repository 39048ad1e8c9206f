"""The per-document cache under ``OUT/.state``: read results and normalised results.

Cache files are JSON, never pickle: a cache folder is data anyone who can write
to OUT may have crafted, and loading it must not be able to run code.  Values
are the frozen dataclasses of :mod:`planingest.core.records` (and the enums of
:mod:`planingest.core.enums`), encoded generically from their fields and
rebuilt only from the classes named in :data:`_CLASSES`; anything else in a
file makes it a miss.
"""
from __future__ import annotations

import contextlib
import dataclasses
import enum
import functools
import json
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from planingest.core import enums, records
from planingest.run.fingerprint import code_fingerprint
from planingest.store.folder import atomic_write_bytes, remove_stale_temps

#: bump when the layout of cache files changes (a pipeline version bump also invalidates them)
CACHE_FORMAT = 2
SUFFIX = ".json"


def _classes(module, kind) -> dict[str, type]:
    return {name: obj for name, obj in vars(module).items()
            if isinstance(obj, type) and obj.__module__ == module.__name__ and kind(obj)}


#: the only classes a cache file may name
_CLASSES: dict[str, type] = _classes(records, dataclasses.is_dataclass)
_ENUMS: dict[str, type] = _classes(enums, lambda c: issubclass(c, enum.Enum))


class CacheFormatError(ValueError):
    """A cache file holds something we do not rebuild (a miss, never code)."""


def encode(value: Any) -> Any:
    """``value`` as JSON-able data, with enums, tuples and dataclasses tagged."""
    if isinstance(value, enum.Enum):
        return {"$enum": type(value).__name__, "v": value.value}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, tuple):
        return {"$tuple": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if _CLASSES.get(name) is not type(value):
            raise TypeError(f"{name} is not a record the cache may hold")
        return {"$record": name,
                "f": {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}}
    if isinstance(value, dict):
        return {"$dict": [[encode(k), encode(v)] for k, v in value.items()]}
    raise TypeError(f"cannot cache a {type(value).__name__}")


@functools.cache
def _init_fields(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in dataclasses.fields(cls) if f.init)


def _rebuild(obj: dict) -> Any:
    """One tagged JSON object → its value (``json.loads`` object hook: objects arrive innermost
    first, so a record's fields are already rebuilt).  An untagged object stays a dict: it is a
    record's field mapping, data that no code can hide in."""
    if "$record" in obj:
        cls = _CLASSES.get(obj["$record"])
        fields = obj.get("f")
        if cls is None or not isinstance(fields, dict):
            raise CacheFormatError(f"unknown record {obj['$record']!r}")
        if not fields.keys() <= _init_fields(cls):
            raise CacheFormatError(f"{cls.__name__} has no field(s) {sorted(set(fields) - _init_fields(cls))}")
        return cls(**fields)
    if "$tuple" in obj:
        return tuple(obj["$tuple"])
    if "$enum" in obj:
        cls = _ENUMS.get(obj["$enum"])
        if cls is None:
            raise CacheFormatError(f"unknown enum {obj['$enum']!r}")
        return cls(obj["v"])
    if "$dict" in obj:
        return {_hashable(k): v for k, v in obj["$dict"]}
    return obj


def decode(data: Any) -> Any:
    """The inverse of :func:`encode` for already-parsed JSON; raises CacheFormatError for anything unexpected."""
    return loads(json.dumps(data).encode())


def _hashable(key: Any) -> Any:
    if isinstance(key, list):
        raise CacheFormatError("a list cannot be a key")
    return key


def dumps(value: Any) -> bytes:
    """JSON bytes; ASCII-only, so file names that are not UTF-8 (surrogates) survive."""
    return json.dumps(encode(value), ensure_ascii=True, separators=(",", ":")).encode("ascii")


def loads(data: bytes) -> Any:
    """The value of a cache file's bytes, rebuilt while parsing (one pass, no recursion of ours)."""
    value = json.loads(data, object_hook=_rebuild)
    if isinstance(value, dict):
        raise CacheFormatError("untagged object")
    return value


class StateCache:
    """Per-document cache under ``OUT/.state``: read results and normalised results.

    Read results are keyed by doc_id (the content hash) and the pipeline version;
    normalised results also by the caller's key (vocabulary fingerprint and
    source path), since editing a vocabulary must re-normalise but not re-read.
    A cache file that cannot be loaded, for whatever reason, is a miss.
    """

    KINDS = ("read", "norm")

    def __init__(self, state_dir: Path, mode: int | None = None) -> None:
        self.root = Path(state_dir)
        self.mode = mode
        for kind in self.KINDS:
            (self.root / kind).mkdir(parents=True, exist_ok=True)
            remove_stale_temps(self.root / kind)

    def _path(self, kind: str, doc_id: str) -> Path:
        return self.root / kind / f"{doc_id}{SUFFIX}"

    def get(self, kind: str, doc_id: str, key: Any = None) -> Any | None:
        try:
            with open(self._path(kind, doc_id), "rb") as fh:
                entry = json.loads(fh.read(), object_hook=_rebuild)  # the entry itself is an untagged dict
            if (
                not isinstance(entry, dict)
                or entry.get("cache_format") != CACHE_FORMAT
                or entry.get("pipeline_version") != code_fingerprint()
                or entry.get("key") != key
            ):
                return None
            return entry.get("value")
        except Exception:  # noqa: BLE001 - missing, a folder, corrupt, crafted or outdated: a miss
            return None

    def put(self, kind: str, doc_id: str, value: Any, key: Any = None) -> None:
        entry = {"cache_format": CACHE_FORMAT, "pipeline_version": code_fingerprint(),
                 "key": encode(key), "value": encode(value)}
        data = json.dumps(entry, ensure_ascii=True, separators=(",", ":")).encode("ascii")
        path = self._path(kind, doc_id)
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        _write_or_skip(path, data, self.mode)

    def prune(self, keep: Iterable[str]) -> int:
        """Drop entries of documents no longer among the inputs (and files of older
        cache formats, e.g. pickles, which are never loaded); returns how many went."""
        keep = set(keep)
        removed = 0
        for kind in self.KINDS:
            for path in (self.root / kind).iterdir():
                if path.name.startswith("."):
                    continue
                if path.suffix == SUFFIX and path.stem in keep and path.is_file():
                    continue
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
                removed += 1
        return removed


class LimitMemo:
    """Resource failures remembered per content (``OUT/.state/limits.json``).

    A document that ran out of memory or time is not damaged, so its failure is
    never cached as its verdict; but reading it again under the same limit would
    only pay the same price for the same failure.  The memo serves the failure
    again while the limits are not higher than when it happened; raising a limit
    the failure depends on (``--memory-mb``; ``--timeout`` or ``--ocr-page-timeout``)
    reads the document again.
    """

    FILE = "limits.json"
    #: the limits each resource's failure depends on (a timeout: the base and the per-OCR-page allowance)
    DEPENDS: dict[str, tuple[str, ...]] = {"memory": ("memory",), "timeout": ("timeout", "ocr_page_timeout")}

    def __init__(self, state_dir: Path, mode: int | None = None) -> None:
        self.path = Path(state_dir) / self.FILE
        self.mode = mode
        try:
            data = json.loads(self.path.read_bytes())
            self.entries: dict[str, dict] = data["entries"] if data.get("cache_format") == CACHE_FORMAT else {}
            if not isinstance(self.entries, dict):
                self.entries = {}
        except Exception:  # noqa: BLE001 - missing or damaged: nothing remembered
            self.entries = {}

    def get(self, doc_id: str, limits: dict[str, float]) -> records.ReadResult | None:
        entry = self.entries.get(doc_id)
        try:
            if entry is None:
                return None
            resource = entry["resource"]
            # an entry written before a limit existed had none of it (0): the new limit is higher
            had = dict(entry.get("limits") or {resource: entry["limit"]})
            if any(float(had.get(name, 0.0)) < limits[name]
                   for name in self.DEPENDS.get(resource, (resource,)) if name in limits):
                return None
            return records.ReadResult(str(entry["file_format"] or "unknown"), None, error=str(entry["error"]))
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, doc_id: str, resource: str, limits: dict[str, float], read: records.ReadResult) -> None:
        """Remember the failure with the run's ``limits`` it depends on."""
        had = {name: limits[name] for name in self.DEPENDS.get(resource, (resource,)) if name in limits}
        self.entries[doc_id] = {"resource": resource, "limit": limits[resource], "limits": had, "error": read.error,
                                "file_format": read.file_format}
        self._save()

    def forget(self, doc_id: str) -> None:
        if self.entries.pop(doc_id, None) is not None:
            self._save()

    def prune(self, keep: Iterable[str]) -> None:
        keep = set(keep)
        if set(self.entries) - keep:
            self.entries = {k: v for k, v in self.entries.items() if k in keep}
            self._save()

    def _save(self) -> None:
        data = json.dumps({"cache_format": CACHE_FORMAT, "entries": self.entries}, ensure_ascii=True)
        _write_or_skip(self.path, data.encode("ascii"), self.mode)


def _write_or_skip(path: Path, data: bytes, mode: int | None) -> None:
    """Write a cache file; a cache folder deleted during the run is made again, and a cache
    that cannot be written at all costs only speed next time, never this run."""
    for attempt in range(2):
        try:
            atomic_write_bytes(path, data, durable=False, mode=mode)
            return
        except FileNotFoundError:
            if attempt == 0:
                with contextlib.suppress(OSError):
                    path.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            return
