"""Name normalisation shared by the matchers: one display form and one comparison key.

A name as a document writes it carries scars that say nothing about *which*
indicator (or department, or region) it is: full-width vs half-width forms,
line wraps inside a word, an enumerator such as ``（1）`` or ``①``, a trailing
colon before the sub-items, ``Ⅲ`` vs ``III``, ``PM₂.₅`` vs ``PM2.5``, ``、``
between two words.  :func:`clean_name` repairs the ones a reader would repair
and keeps the document's characters; :func:`name_key` goes further and yields
the key two wordings must share to be "the same name".  Both sides of every
comparison (catalogue and document) go through the same key function.
"""
from __future__ import annotations

import re
import unicodedata

from planingest.core.text import CIRCLED_NUMBERS, CJK, CN_NUMERALS

_CJK_OR_FULLWIDTH = CJK + r"\u3000-\u303f\uff00-\uffef“”‘’—…△≥≤/"

# Whitespace (incl. line breaks) with a CJK character or full-width mark on both sides: a wrap or a PDF join.
_SPACE_IN_CJK = re.compile(rf"(?<=[{_CJK_OR_FULLWIDTH}])\s+(?=[{_CJK_OR_FULLWIDTH}])")
# Whitespace between a number and its percent or per-mille sign: a narrow cell (or OCR's line split)
# wrapped "≤60\n%"; no document separates a number from its % on purpose.
_WRAPPED_PERCENT = re.compile(r"(?<=\d)\s+(?=[%‰％])")
# Any run of whitespace left over.
_SPACES = re.compile(r"\s+")

# A leading enumerator: （1） (2) ① 1. 1、 一、 （一）.  ``(?!\d)`` keeps "1.5倍".
_ENUMERATOR = re.compile(
    r"^\s*(?:"
    rf"[（(]\s*(?:\d{{1,2}}|[{CN_NUMERALS}]{{1,3}})\s*[)）]"
    rf"|[{CIRCLED_NUMBERS}]"
    r"|\d{1,2}\s*[.．、](?!\d)"
    rf"|[{CN_NUMERALS}]{{1,3}}\s*、"
    r")\s*"
)
# An enumerator anywhere (used to break a packed cell into its items).
ENUMERATOR_ANYWHERE = re.compile(
    rf"[（(]\s*(?:\d{{1,2}}|[{CN_NUMERALS}]{{1,3}})\s*[)）]|[{CIRCLED_NUMBERS}]"
)
_TRAILING_COLON = re.compile(r"[:：]\s*$")
# A parenthesised Latin abbreviation: (EQI) （EI） — it repeats the name, it is not part of it.
_ABBREVIATION = re.compile(r"[（(]\s*[A-Za-z]{1,6}\s*[)）]")
# A bracketed note at the very end of a name: "…提高幅度（鹿寨县属于…）".
_TRAILING_NOTE = re.compile(r"^(?P<core>.+?)\s*(?P<note>[（(][^（）()]*[)）])\s*$", re.S)
# Characters a key keeps although Unicode calls them punctuation: they change meaning.
_KEPT_PUNCTUATION = frozenset("%.")


def repair_spaces(text: str) -> str:
    """Remove wraps and spaces inside CJK text, collapse the rest to one space.

    ``"单位地区生产总\\n值能耗"`` → ``"单位地区生产总值能耗"``; ``"城 镇"`` → ``"城镇"``;
    ``"PM2.5 浓度"`` keeps its space (a Latin/CJK boundary may be a real gap).
    """
    return _SPACES.sub(" ", _SPACE_IN_CJK.sub("", rejoin_percent(text))).strip()


def rejoin_percent(text: str) -> str:
    """``"≤60\n%的地区"`` → ``"≤60%的地区"``: a wrap between a number and its % sign is no gap."""
    return _WRAPPED_PERCENT.sub("", text)


def strip_enumerator(text: str) -> str:
    """``"（1）化肥利用率"`` → ``"化肥利用率"``; ``"①…"``, ``"2."``, ``"三、"`` alike."""
    return _ENUMERATOR.sub("", text, count=1)


def strip_trailing_colon(text: str) -> str:
    """``"环境空气质量："`` → ``"环境空气质量"`` (the colon announces sub-items)."""
    return _TRAILING_COLON.sub("", text)


def clean_name(text: str) -> str:
    """The name as a reader would copy it: wraps repaired, enumerator and trailing colon gone.

    The document's own characters (full-width brackets, ``Ⅲ``) are kept.
    """
    return strip_trailing_colon(strip_enumerator(repair_spaces(text))).strip()


def split_trailing_note(text: str) -> tuple[str, str | None]:
    """Split a bracketed remark off the end of a name.

    ``"一般工业固体废物综合利用率提高幅度（鹿寨县属于综合利用率＞60%的地区）"`` →
    ``("一般工业固体废物综合利用率提高幅度", "（鹿寨县属于综合利用率＞60%的地区）")``.
    A bracket inside the name (``"近岸海域水质优良（一、二类）比例"``) is not at the end
    and stays.
    """
    match = _TRAILING_NOTE.match(text.strip())
    if not match or not match.group("core").strip():
        return text, None
    return match.group("core"), match.group("note")


def _is_dropped(char: str) -> bool:
    if char in _KEPT_PUNCTUATION:
        return False
    category = unicodedata.category(char)
    return category[0] in "PZC"  # punctuation, separators (spaces), control characters (\n, \t)


def name_key(text: str) -> str:
    """The comparison key: equal keys mean the same name.

    Full/half width, ``Ⅲ``/``III``, ``PM₂.₅``/``PM2.5`` and letter case fold (NFKC +
    lower case); whitespace, line breaks and punctuation (``、`` ``，`` brackets, colons,
    quotes) vanish; a leading enumerator and a parenthesised Latin abbreviation such
    as ``(EQI)`` are dropped.  ``%`` and ``.`` are kept because they carry meaning.
    Comparison signs (``≥ < >``) and ``△`` are symbols, not punctuation, and are kept.
    """
    text = strip_enumerator(text.strip())
    text = unicodedata.normalize("NFKC", text)
    text = _ABBREVIATION.sub("", text)
    return "".join(ch for ch in text.lower() if not _is_dropped(ch))
