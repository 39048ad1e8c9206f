"""Repairs of cell text that every table kind needs: wrapped lines, vertical text, numbering."""
from __future__ import annotations

import re

from planingest.core.text import CN_NUMERALS

_SENTENCE_END = "。；;！!？?"
#: the 2019/2021 lists' six domains, then the 2016 trial list's 生态环境 (its other five are the same words):
#: county tables copied from the older list still group indicators under it
DOMAINS = ("生态制度", "生态安全", "生态空间", "生态经济", "生态生活", "生态文化", "生态环境")
#: a row labelled with one of these adds up the rows above it (合计 of 总投资): it is not an item
TOTAL_LABELS = ("合计", "总计", "小计", "共计", "总合计")
_TASK_ENUM = re.compile(rf"^[（(]\s*([{CN_NUMERALS}]+)\s*[)）]")
_SEQ = re.compile(r"^\s*(\d{1,3})\s*[.、．]?\s*$")
_SPACE = re.compile(r"\s+")


def squash(text: str | None) -> str:
    """All whitespace removed: for short labels written vertically or wrapped (生\\n态\\n经\\n济)."""
    return _SPACE.sub("", text or "")


def join_wrapped(text: str | None) -> str:
    """Rejoin lines a narrow cell wrapped, keeping real line breaks after sentence ends.

    Between two CJK characters a wrap adds nothing; between Latin words or digits
    it was a space; after 。 or ； the break was the author's and is kept.
    """
    if not text:
        return ""
    lines = [x.strip() for x in text.split("\n") if x.strip()]
    if not lines:
        return ""
    out = lines[0]
    for line in lines[1:]:
        prev = out[-1]
        if prev in _SENTENCE_END:
            out += "\n" + line
        elif re.match(r"[A-Za-z0-9]", prev) and re.match(r"[A-Za-z0-9]", line[0]):
            out += " " + line
        else:
            out += line
    return out


def clean_domain(text: str | None) -> str | None:
    """The 领域 cell: vertical or wrapped text rejoined; a page-break duplicate collapsed."""
    flat = squash(text)
    if not flat:
        return None
    for domain in DOMAINS:
        if flat == domain or flat == domain * 2:
            return domain
    half = len(flat) // 2
    if len(flat) % 2 == 0 and flat[:half] == flat[half:]:
        return flat[:half]
    return flat


def is_total_label(text: str | None) -> bool:
    """True for a total row's label cell (``合计``, ``合 计``, ``小计``): the row sums, it names nothing."""
    return squash(text) in TOTAL_LABELS


def clean_task(text: str | None) -> str | None:
    """The 任务 cell, e.g. "（一）\\n目标责任体系与制度建设" → "(一)目标责任体系与制度建设"."""
    flat = squash(text).replace("（", "(").replace("）", ")")
    return flat or None


def is_national_task(task: str | None) -> bool:
    """True for the ten numbered tasks of the national catalogue ("(一)…" to "(十)…")."""
    return bool(task and _TASK_ENUM.match(task))


def parse_seq(text: str | None) -> int | None:
    match = _SEQ.match(text or "")
    return int(match.group(1)) if match else None


def is_blank(text: str | None) -> bool:
    return not squash(text) or squash(text) in ("—", "-", "/", "／", "——", "无")
