"""Doubts about an indicator row that its text alone cannot settle: OCR hesitated, or the number is absurd.

Each doubt is a (raw text, reason) pair for a review item; a row with any doubt is
``needs_review``.  Two sources:

* OCR scores: the name, target or departments cell read below
  ``interpret.confidence.LOW_OCR_SCORE`` (RawIndicator.low_confidence_cells);
* plausibility: a numeric target far outside what the indicator can take
  (``normalize.plausibility.implausible_target``), whatever the input format.
"""
from __future__ import annotations

from planingest.core.records import RawIndicator
from planingest.interpret.confidence import LOW_OCR_SCORE
from planingest.normalize.plausibility import implausible_target

_CELL_TEXT = {"name": lambda r: r.sub_name_raw or r.name_raw, "target": lambda r: r.target_raw,
              "departments": lambda r: r.departments_raw}


def row_doubts(raw: RawIndicator, target_value: float | None, unit: str | None,
               national_target: str | None) -> list[tuple[str, str]]:
    """(text to show, why) for each reason not to trust this row unseen."""
    doubts = []
    for item in raw.low_confidence_cells:  # "target 0.62"
        label, _, score = item.rpartition(" ")
        text = _CELL_TEXT.get(label, lambda r: r.name_raw)(raw) or raw.name_raw
        if label == "target":
            text = f"{raw.sub_name_raw or raw.name_raw}: {text}"
        doubts.append((text, f"OCR read the {label} cell with score {score} (below {LOW_OCR_SCORE:.2f}): "
                             f"check it against the original"))
    if raw.year_columns_doubt:  # one item per table (the review dedupes on the text)
        doubts.append((raw.year_columns_doubt, "year columns read as target years, but the document does not say "
                       "whether they hold targets or measured values: check them"))
    why = implausible_target(target_value, unit, national_target)
    if why:
        doubts.append((f"{raw.sub_name_raw or raw.name_raw}: {raw.target_raw}",
                       f"target not plausible for this indicator: {why}; check it against the original"))
    return doubts
