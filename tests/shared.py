"""The workplace folder beside the repository (../shared): the hostile corpus, seeds and contract checker.

CI has it at the same place, so a missing file is a broken set-up and fails the test
loudly; it is never a reason to skip.
"""
from __future__ import annotations

from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus" / "foreign"
SEEDS = SHARED / "seeds"
CHECK_CONTRACT = SHARED / "tools" / "check_contract.py"


def require(path: Path) -> Path:
    """``path`` itself; fails the test with a clear message when it is missing."""
    assert path.exists(), f"{path} not found: the tests need ../shared beside the repository (as CI has it)"
    return path
