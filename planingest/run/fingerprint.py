"""A fingerprint of the running code, part of every read-cache key."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from planingest.core.version import __version__

#: the package folder: every stage's code counts, since any of them may change what a read yields
PACKAGE_DIR = Path(__file__).resolve().parents[1]


def source_fingerprint(package_dir: Path) -> str:
    """The version plus a hash of the Python sources under ``package_dir``."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(Path(package_dir).rglob("*.py")):
        digest.update(str(path.relative_to(package_dir)).encode())
        digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """The fingerprint of the running code.

    Cached reads are keyed by it, so a checkout updated in place (same version
    string, new code) reads its documents again instead of serving stale rows.
    """
    return source_fingerprint(PACKAGE_DIR)
