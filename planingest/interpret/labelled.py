"""Label–value facts as government sites and document headers print them.

A county site shows a notice under a metadata block: ``索引号: | 1133…/2023-75840 |
主题分类: | 环境监测 |`` (a table flattened to ``|`` cells), ``[ 发文字号 ]
常政办发〔2023〕5号``, ``文号：常政办发〔2023〕5号 成文日期：2023-04-07``, or a label
on one line and its value on the next.  The labels are data
(``catalogue/data/metadata_labels.csv``); a label counts only as a whole word
before a colon, a closing bracket, a cell border or the end of its line, so the
value never carries its label and a label word inside prose is no label.

Positions are kept so that the caller can cut the value out of the text *as
written* (the matching runs on the simplified fold of the same length).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from planingest.catalogue.docwords import MetadataLabels

_OPEN = "[【［"
_CLOSE = "]】］"
_SEPARATORS = "：:|"
_NAV_LEAD = 2  # a navigation word may follow a short lead (网站首页, 返回首页) on a short line
_NAV_LINE = 16
_LABEL_START = re.compile(r"[\s|\[\]【】［］()（）:：，,。；;、\d号日]")
#: a breadcrumb: 首页 > 政务公开 > 通知公告 (two arrows at least)
_BREADCRUMB = re.compile(r"(?:[>＞»›→][^>＞»›→]*){2,}")


@dataclass(frozen=True)
class LabelValue:
    field: str  # doc_number · written_date · published_date · issuer · title · other
    label: str
    value: str  # as found in the (folded) line, stripped
    line: int  # index of the line the value is on
    start: int  # the value's span in that line
    end: int
    label_line: int = -1  # the line of the label, when the value is on the next line


@lru_cache(maxsize=4)
def _label_pattern(labels: tuple[str, ...]) -> re.Pattern:
    # a label may be spaced out (索 引 号, 发 文 字 号)
    alternation = "|".join("[ \t\u3000]*".join(map(re.escape, label)) for label in labels)
    return re.compile(
        rf"[{re.escape(_OPEN)}]?[ \t\u3000]*(?P<label>{alternation})[ \t\u3000]*"
        rf"(?P<close>[{re.escape(_CLOSE)}])?[ \t\u3000]*(?P<sep>[:：])?"
    )


def _is_whole(line: str, m: re.Match) -> bool:
    """A label that starts a word and is followed by a colon or a closing bracket, or stands alone
    in its cell or line.  It starts a word after the start of its line or cell, a space, a bracket,
    punctuation, a digit, or the 号/日 ending the value before it (…5号成文日期：…); 资金来源：
    and 截止日期： are words of their own."""
    if m.start("label") > 0 and not _LABEL_START.match(line[m.start("label") - 1]):
        return False
    if m["sep"] or m["close"]:
        return True
    before = line[: m.start()].rstrip()
    after = line[m.end():].lstrip()
    starts_cell = not before or before.endswith("|")
    return starts_cell and (not after or after.startswith("|"))


def label_values(lines: list[str], labels: MetadataLabels, line_numbers: range | list[int]) -> list[LabelValue]:
    """Every labelled fact on the given lines, in reading order.

    A label with nothing after it takes the next cell on its line, else the
    next line (a label and its value in two rows of a flattened table).
    """
    pattern = _label_pattern(labels.labels())
    out: list[LabelValue] = []
    for i in line_numbers:
        line = lines[i]
        found = [m for m in pattern.finditer(line) if _is_whole(line, m)]
        for k, m in enumerate(found):
            stop = found[k + 1].start() if k + 1 < len(found) else len(line)
            start, end = _value_span(line, m.end(), stop)
            if start < end:
                out.append(LabelValue(labels.by_label[_unspaced(m)], _unspaced(m), line[start:end], i, start, end))
            elif k + 1 == len(found) and i + 1 < len(lines) and not any(
                    _is_whole(lines[i + 1], n) for n in pattern.finditer(lines[i + 1])):
                nxt = lines[i + 1]
                start, end = _value_span(nxt, 0, len(nxt))
                if start < end:
                    out.append(LabelValue(labels.by_label[_unspaced(m)], _unspaced(m), nxt[start:end], i + 1, start, end,
                                          label_line=i))
    return out


def _unspaced(m: re.Match) -> str:
    return re.sub(r"[ \t\u3000]", "", m["label"])


def _value_span(line: str, start: int, stop: int) -> tuple[int, int]:
    """The first non-empty cell of ``line[start:stop]``, without separators and brackets around it."""
    cell_start = start
    for cell in line[start:stop].split("|"):
        stripped = cell.strip(" \t\u3000" + _SEPARATORS + _OPEN + _CLOSE)
        if stripped:
            s = line.index(stripped, cell_start)
            return s, s + len(stripped)
        cell_start += len(cell) + 1
    return start, start


def is_label_line(line: str, labels: MetadataLabels) -> bool:
    """A line of the metadata block: it starts with a whole label (索引号: …, [ 发文字号 ] …)."""
    pattern = _label_pattern(labels.labels())
    m = pattern.match(line.lstrip("| \t"))
    return bool(m) and _is_whole(line.lstrip("| \t"), m)


def is_navigation(line: str, labels: MetadataLabels) -> bool:
    """Site chrome: a breadcrumb (首页 > 政务公开 > …), or a line that starts with a navigation word
    (or, on a short line, right after a two-character lead: 网站首页 简体 繁体, 返回首页)."""
    flat = line.strip("| \t\u3000")
    if _BREADCRUMB.search(flat):
        return True
    return any(flat.startswith(word) or (0 <= flat.find(word) <= _NAV_LEAD and len(flat) <= _NAV_LINE)
               for word in labels.navigation)


def single_cell(line: str) -> str:
    """A line of a flattened table that holds one filled cell (a title padded with ``| ||||``): that cell;
    a line of cell borders only: empty."""
    if "|" not in line:
        return line
    cells = [c.strip() for c in line.split("|") if c.strip()]
    if not cells:
        return ""  # only cell borders
    return cells[0] if len(cells) == 1 else line
