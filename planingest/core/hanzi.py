"""Traditional characters folded to simplified, for matching only.

Pages from Hong Kong, Taiwan or older county sites, and text pasted through a
converter, come in traditional characters (國家生態文明建設示範縣) or a mix of
both.  Every vocabulary we match against (place names, indicator names, header
words, document-type words) is simplified, so the text is folded before any
matching; the text *as written* is what the output keeps (titles, name_raw, …).

The fold is OpenCC's maintained ``t2s`` conversion (phrases first, then
characters), applied line by line, and only to a line written at least partly
in traditional characters: one with a hanzi outside GB 2312, the simplified
standard set.  A line of simplified text is left exactly as it is; that matters
for the few characters that are simplified *and* traditional (乾 of 乾县 and
乾安县, which ``t2s`` alone turns into 干), while in a traditional line the
phrase tables settle them (乾縣 → 乾县, 於都縣 → 于都县).  The fold keeps the
length of the text, so positions found in the folded text point at the same
characters of the text as written.
"""
from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=1)
def _gb2312() -> frozenset[str]:
    """Every character of GB 2312 (rows 16–87 hold the hanzi)."""
    chars = set()
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return frozenset(chars)


@lru_cache(maxsize=1)
def _converter():
    from opencc import OpenCC  # opencc-python-reimplemented: pure Python, Apache-2.0 data of OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=1)
def _outside_gb2312() -> re.Pattern[str]:
    """One character class of every CJK character outside GB 2312, as runs of code points, so the
    test is a single regex search in C (it runs on every line of every document)."""
    simplified = _gb2312()
    runs: list[tuple[int, int]] = []
    for lo, hi in ((0x3400, 0x9FFF), (0xF900, 0xFAFF)):
        for code in range(lo, hi + 1):
            if chr(code) in simplified:
                continue
            if runs and runs[-1][1] == code - 1:
                runs[-1] = (runs[-1][0], code)
            else:
                runs.append((code, code))
    return re.compile("[" + "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in runs) + "]")


def has_traditional(text: str) -> bool:
    """Whether ``text`` holds a hanzi outside GB 2312 (a traditional form, or a rare character)."""
    return bool(text) and _outside_gb2312().search(text) is not None



@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    out = _converter().convert(ch)
    return out if len(out) == 1 else ch


def _fold_line(line: str) -> str:
    if not has_traditional(line):
        return line
    converted = _converter().convert(line)
    if len(converted) != len(line):  # a phrase rule changed the length: fold character by character
        converted = "".join(_fold_char(ch) for ch in line)
    return converted


def to_simplified(text: str) -> str:
    """``text`` with its traditional lines folded to simplified; same length, same line breaks.

    Simplified text comes back unchanged (and cheaply: nothing is converted
    unless a character outside GB 2312 is present).
    """
    if not text or not has_traditional(text):
        return text or ""
    return "".join(_fold_line(line) for line in text.splitlines(keepends=True))
