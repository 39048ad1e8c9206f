"""Is a target number believable for its indicator?  A misread digit must not become a target.

OCR turns ≥60 into ≥260 and 95% into 9.5% or 995%; a typist's slip does the same.
Such a value is far outside what the indicator can take: a percentage above 100,
or a number several times larger or smaller than every number of the national
target (catalogue/data/indicators.csv ``target``).  :func:`implausible_target`
says why in words, or returns None; the row then goes to review instead of being
trusted.  A target that is stricter than the national one by less than
:data:`FAR_FACTOR` is normal (≥20 nationally, ≥30 locally).
"""
from __future__ import annotations

import re

#: a target more than this many times above the largest (or below the smallest) number of
#: the national target is taken for a misreading
FAR_FACTOR = 3.0
PERCENT_UNITS = frozenset({"%", "％", "百分比"})
_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?")


def national_numbers(national: str | None) -> tuple[float, ...]:
    """The positive numbers of a national target text: "山区≥60；丘陵地区≥40" → (60.0, 40.0)."""
    if not national:
        return ()
    return tuple(v for v in (float(m.group()) for m in _NUMBER.finditer(national)) if v > 0)


def implausible_target(value: float | None, unit: str | None, national: str | None) -> str | None:
    """Why ``value`` cannot be this indicator's target, or None when it may well be."""
    if value is None:
        return None
    if unit in PERCENT_UNITS and value > 100:
        return f"a percentage above 100 ({value:g}%)"
    numbers = national_numbers(national)
    if not numbers or value <= 0:
        return None
    high, low = max(numbers), min(numbers)
    if value > FAR_FACTOR * high:
        return f"{value:g} is more than {FAR_FACTOR:g} times the national target ({national})"
    if value * FAR_FACTOR < low:
        return f"{value:g} is less than a {FAR_FACTOR:g}th of the national target ({national})"
    return None
