"""planingest: plan documents of ecological civilisation demonstration zones in, clean tables out."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

__version__ = "0.1.0"

_CODE_PACKAGES = ("planingest", "ingest", "normalize", "catalogue")


def source_fingerprint(root: Path) -> str:
    """The version plus a hash of the Python sources of our packages under ``root``."""
    digest = hashlib.sha256(__version__.encode())
    for package in _CODE_PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """The fingerprint of the running code.

    Cached reads are keyed by it, so a checkout updated in place (same version
    string, new code) reads its documents again instead of serving stale rows.
    """
    return source_fingerprint(Path(__file__).resolve().parent.parent)
