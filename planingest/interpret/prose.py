"""Work tasks written as prose: numbered paragraphs that end in （责任单位：…）.

Text from PDFs and text dumps breaks paragraphs at page ends, so paragraphs are
first rejoined: a paragraph that does not end a sentence continues in the next,
and a （责任单位：…） standing alone belongs to the paragraph before it.  Headings
(short, unpunctuated, or a numbered line without a full stop) give each task its
section.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from planingest.core.hanzi import to_simplified
from planingest.core.records import Locator, Paragraph, RawTask
from planingest.core.text import CN_NUMERALS
from planingest.interpret.tables.headers import active_header_vocabulary

_UNITS = re.compile(
    r"[（(]\s*((?:责任|牵头|配合|协同|主责|实施)(?:单位|部门|主体)[^（()）]*?)\s*[)）]\s*[。.；;]?\s*$"
)
_UNIT_LABEL = re.compile(r"(?:责任|牵头|配合|协同|主责|实施)(?:单位|部门|主体)\s*[:：]?\s*")
#: （县委宣传部牵头，县生态环境分局配合）: units with their roles after them, no label
_ROLE_UNITS = re.compile(
    r"[（(]\s*((?![^（()）]*(?:由|以上))[^（()）]*?(?:局|委|办|部|府|院|中心|镇|街道|公司|会|所|站|队|室)(?:等)?(?:牵头|负责)[^（()）]*?)"
    r"\s*[)）]\s*[。.；;]?\s*$"
)
#: 。责任单位：县生态环境分局 closing a paragraph without brackets
_BARE_UNITS = re.compile(
    r"(?<=[。；;])\s*((?:责任|牵头)(?:单位|部门)\s*[:：][^。；;（()）]+?"
    r"(?:[；;，,]\s*[\u4e00-\u9fff]{2,4}\s*[:：][^。；;（()）]+?){0,2})\s*[。.]?\s*$"
)  # then 配合单位：… or 完成时间：… as further labelled parts
#: （以上工作由县发展改革局统筹负责）: one note for the numbered items above it
_SCOPE_UNITS = re.compile(
    r"[（(]\s*以上(?:各项)?(?:工作|任务|措施)?均?由\s*(?P<units>[^（()）:：]+?)\s*"
    r"(?:统筹|共同|具体|负责)?(?:牵头)?(?:负责|落实|实施)?(?:落实|实施)?\s*[)）]\s*[。.；;]?\s*$"
)
_SENTENCE_END = tuple("。；;！!？?）)”\"：:")
# enumerators, outermost first: 一、  （一）  1.  （1）  ①
_LEVELS = (
    (1, re.compile(rf"^([{CN_NUMERALS}]+、)")),
    (2, re.compile(rf"^([（(][{CN_NUMERALS}]+[)）])")),
    (3, re.compile(r"^(\d{1,2}\s*[.、．](?!\d))")),
    (4, re.compile(r"^([（(]\d{1,2}[)）])")),
    (5, re.compile(r"^([①-⑳])")),
)


@dataclass(frozen=True)
class _Para:
    text: str
    locator: Locator


def enumerator(text: str) -> tuple[int, str, int] | None:
    """(level, printed number, end offset) of a paragraph's leading enumerator, if any."""
    for level, pattern in _LEVELS:
        match = pattern.match(text)
        if match:
            return level, match.group(1).replace(" ", ""), match.end()
    return None


def is_heading(text: str) -> bool:
    """Short and unpunctuated, or numbered and without a sentence inside."""
    stripped = text.strip()
    if len(stripped) > 40 or "。" in stripped[:-1] or _UNITS.search(stripped):
        return False
    if stripped.endswith("。"):
        return False
    return enumerator(stripped) is not None or (len(stripped) <= 25 and not re.search(r"[，,；;]", stripped))


def rejoin(paragraphs: list[Paragraph]) -> list[_Para]:
    """Paragraphs with page-break splits mended."""
    out: list[_Para] = []
    for para in paragraphs:
        text = para.text.strip()
        if not text:
            continue
        if out:
            prev = out[-1]
            standalone_units = _UNITS.match(text) is not None
            continues = (
                not prev.text.endswith(_SENTENCE_END)
                and not is_heading(prev.text)
                and enumerator(text) is None
                and not is_heading(text)
            )
            if standalone_units or continues:
                out[-1] = _Para(prev.text + text, prev.locator)
                continue
        out.append(_Para(text, para.locator))
    return out


def split_units(text: str) -> tuple[str, str | None]:
    """(task text, responsible units as written) of a paragraph ending in （责任单位：…）.

    Matched on the simplified fold (（責任單位：…） too); both parts are cut from the text as written."""
    simple = to_simplified(text)
    match = _UNITS.search(simple) or _ROLE_UNITS.search(simple) or _BARE_UNITS.search(simple)
    if not match:
        return text, None
    written = text[match.start(1): match.end(1)]
    pieces, last = [], 0
    for label in _UNIT_LABEL.finditer(match.group(1)):
        pieces.append(written[last: label.start()])
        last = label.end()
    units = ("".join(pieces) + written[last:]).strip(" ；;，,")
    return text[: match.start()].rstrip(), units or None


def split_deadline(units: str | None, labels: tuple[str, ...]) -> tuple[str | None, str | None]:
    """(units, deadline as written) of a units note that also gives the deadline:
    ``县委组织部，完成时限：2024年6月底`` → (县委组织部, 2024年6月底).  ``labels`` are the header
    words of the deadline role (完成时限, 完成时间, 时间节点 … in table_headers.csv)."""
    if not units or not labels:
        return units, None
    alternatives = "|".join(re.escape(w) for w in sorted(labels, key=len, reverse=True))
    match = re.search(rf"[，,；;\s]*(?:{alternatives})\s*[:：]\s*(?P<when>[^，,；;]+)\s*[，,；;]?\s*$", units)
    if not match:
        return units, None
    return units[: match.start()].strip(" ，,；;") or None, match.group("when").strip()


def _deadline_labels() -> tuple[str, ...]:
    vocab = active_header_vocabulary()
    return tuple(word for word, role in vocab.exact.items() if role == "deadline")


def _title(body: str) -> str | None:
    """A task's name: the short first sentence of "（一）收集复核材料。按照…"."""
    head, sep, _ = body.partition("。")
    return head.strip() if sep and 2 <= len(head.strip()) <= 30 else None


def split_scope_units(text: str) -> tuple[str, str | None]:
    """(task text, units as written) of a numbered item closing with a note for the items above
    it: ``（以上工作由县发展改革局统筹负责）`` → 县发展改革局; (text, None) otherwise."""
    match = _SCOPE_UNITS.search(to_simplified(text))
    if not match or enumerator(text) is None:
        return text, None
    units = text[match.start("units"): match.end("units")].strip(" ；;，,")
    return text[: match.start()].rstrip(), units or None


def prose_tasks(paragraphs: list[Paragraph]) -> list[RawTask]:
    """Tasks of numbered paragraphs that name their responsible units.

    A note ``（以上工作由X负责）`` closing a numbered item gives X to that item and to the
    items of the same level right above it that name no units of their own (back to the
    previous item with units, or a heading): what 以上 covers, and no further."""
    tasks: list[RawTask] = []
    headings: list[tuple[int, str]] = []  # open headings, outermost first; unnumbered ones count as level 1
    waiting: list[tuple[_Para, str, tuple[int, str, int]]] = []  # numbered items without units, same level
    for para in rejoin(paragraphs):
        text = para.text
        enum = enumerator(text)
        body, units = split_units(text)
        covered: list[tuple[_Para, str, tuple[int, str, int]]] = []
        if units is None:
            body, units = split_scope_units(text)
            if units is not None and enum is not None:
                covered = [w for w in waiting if w[2][0] == enum[0]]
        if units is None:
            if is_heading(text):
                level = enum[0] if enum else 1
                headings = [h for h in headings if h[0] < level] + [(level, text)]
                waiting = []
            elif enum is not None:
                waiting = [w for w in waiting if w[2][0] == enum[0]] + [(para, body, enum)]
            continue
        waiting = []
        units, deadline = split_deadline(units, _deadline_labels())
        for item, item_body, item_enum in [*covered, (para, body, enum)]:
            level = item_enum[0] if item_enum else 99
            if item_enum:
                item_body = item_body[item_enum[2]:].lstrip()
            section = next((t for lv, t in reversed(headings) if lv < level), None)
            tasks.append(RawTask(
                content=item_body.strip(), locator=item.locator, seq=item_enum[1] if item_enum else None,
                section=section, title=_title(item_body), departments_raw=units, deadline_raw=deadline,
            ))
    return tasks
