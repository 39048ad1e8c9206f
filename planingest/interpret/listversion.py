"""Which national indicator list a text cites: "2016", "2019", "2021", "2024".

The lists are cited by 文号 (环生态〔2016〕4号, 环生态〔2019〕76号, 环办生态函〔2021〕353号)
and by title, with or without "（修订版）"/"（试行）"/"（2021年修订版）"; the 2024 lists
are titled 《生态文明建设示范区（市）建设指标》 and 《…（县）建设指标》, without 国家.
Traditional text is folded first; spaces and line breaks are ignored.
"""
from __future__ import annotations

import re

from planingest.core.hanzi import to_simplified

_BR_OPEN, _BR_CLOSE = r"[〔\[［【(（]", r"[〕\]］】)）]"
# Citations of the national indicator list, newest first: (version, pattern), on text without spaces.
_CATALOGUE_CITATIONS = (
    ("2024", re.compile(r"2024年?修订|生态文明建设示范区[（(][市县、]{1,3}[）)]建设指标")),
    ("2021", re.compile(rf"环办生态函{_BR_OPEN}2021{_BR_CLOSE}353号|2021年?修订版"
                        r"|(?:指标|规程)[（(]2021年?修订[）)]|国家生态文明建设示范区(?:建设指标|管理规程)[（(]修订版?[）)]"
                        r"|国家生态文明建设示范区建设指标")),
    ("2019", re.compile(rf"环生态{_BR_OPEN}2019{_BR_CLOSE}76号"
                        r"|国家生态文明建设示范市县建设指标.{0,30}?2019|2019.{0,30}?国家生态文明建设示范市县建设指标")),
    ("2016", re.compile(rf"国家生态文明建设示范县、?市指标|环生态{_BR_OPEN}2016{_BR_CLOSE}4号"
                        r"|国家生态文明建设示范区管理规程[（(]试行[）)]")),
)
_NAMED_2019 = re.compile(r"国家生态文明建设示范市县(?:建设指标|管理规程)")


def cited_catalogue_version(text: str) -> str | None:
    """Which national indicator list the text cites: "2024", "2021", "2019", "2016" or None.

    Only explicit citations count: a list's 文号 (环生态〔2016〕4号, 环生态〔2019〕76号,
    环办生态函〔2021〕353号), the 2021 revision's titles (…示范区建设指标（2021年修订版）,
    …（修订版）, 国家生态文明建设示范区建设指标), the 2019 list's name with 2019 beside
    it, the 2016 trial list's name, the 2024 lists' titles (生态文明建设示范区（市）建设指标,
    without 国家).  The 2019 name alone is still used loosely for later lists (see
    :func:`named_catalogue_version`).  When several are cited the newest wins:
    older lists are cited to say what changed.
    """
    flat = _flat(text)
    for version, pattern in _CATALOGUE_CITATIONS:
        if pattern.search(flat):
            return version
    return None


def named_catalogue_version(text: str) -> str | None:
    """A weak hint: the 2019 list named without its 文号 or year ("2019" or None).

    Plans citing 《国家生态文明建设示范市县建设指标》 often follow the 2021 revision in
    their tables, so this counts only when the indicator names decide nothing.
    """
    return "2019" if _NAMED_2019.search(_flat(text)) else None


def _flat(text: str) -> str:
    return to_simplified(re.sub(r"\s+", "", text or ""))
