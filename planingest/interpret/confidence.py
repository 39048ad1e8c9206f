"""How sure OCR was of a row's cells: the recognition scores that decide what a person checks.

RapidOCR gives every text box a score (the mean of its characters' probabilities).
Clean scans score 0.95-1.0 per cell; a cell whose weakest box scores below
:data:`LOW_OCR_SCORE` held a character the recogniser hesitated over (Ⅲ read as 川,
60 as 260), so the row it feeds is not trusted unseen.
"""
from __future__ import annotations

#: a cell's weakest OCR box scoring below this is a doubtful read.  Measured by
#: ``bench/ocr_engines.py --scores`` (BENCHMARKS.md): the misread cells of the scanned samples
#: score 0.93-0.96, while 99% of the correctly read cells score 0.97 or more
LOW_OCR_SCORE = 0.97
#: the cells of an indicator row whose misreading would write a wrong row: role → name in review
CHECKED_ROLES = {"indicator": "name", "target": "target", "departments": "departments"}


def weak_cells(scores: dict[str, float]) -> tuple[float | None, tuple[str, ...]]:
    """(lowest score of the checked cells, the checked cells below LOW_OCR_SCORE as "target 0.62")."""
    checked = {label: scores[role] for role, label in CHECKED_ROLES.items() if role in scores}
    if not checked:
        return None, ()
    low = tuple(f"{label} {score:.2f}" for label, score in checked.items() if score < LOW_OCR_SCORE)
    return min(checked.values()), low
