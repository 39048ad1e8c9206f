"""CJK text helpers: the CJK ranges and enumerator characters every stage shares, and the repairs
of debris that conversions leave in text (markup, LaTeX, PDF line-join spaces, site junk).

Each function takes and returns a string and does one thing, so a caller can apply
exactly the repairs its format needs (a web page has no PDF line-join spaces; a
table cell must keep its separating spaces).
"""
from __future__ import annotations

import re
import unicodedata

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# CJK characters plus the full-width punctuation that sits between them
CJK_OR_PUNCT = CJK + r"\u3000-\u303f\uff00-\uffef“”‘’—…"
#: the Chinese numerals enumerators use (一、 （三） 十二、), for regex character classes
CN_NUMERALS = "一二三四五六七八九十"
#: circled and negative circled numbers used as enumerators: ① … ⑳, ❶ … ❿
CIRCLED_NUMBERS = r"\u2460-\u2473\u2776-\u277f"

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_IMAGE = re.compile(r"\[image:[^\]]*\]")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_STRAY_BOLD = re.compile(r"\*\*")
_LATEX_INLINE = re.compile(r"\$([^$]{1,80})\$")
_LATEX_SUBSCRIPT = re.compile(r"_\{([^{}]{1,10})\}")
_LATEX_SUPERSCRIPT = re.compile(r"\^\{([^{}]{1,10})\}")
_LATEX_COMMANDS = {
    r"\geqslant": "≥", r"\leqslant": "≤", r"\geq": "≥", r"\leq": "≤", r"\ge": "≥", r"\le": "≤",
    r"\neq": "≠", r"\times": "×", r"\%": "%", r"\triangle": "△", r"\Delta": "△", r"\sim": "～",
    r"\mu": "μ", r"\cdot": "·", r"\pm": "±", r"\gt": ">", r"\lt": "<",
}
_LATEX_LEFTOVER = re.compile(r"\\(?:mathrm|text|rm|mathbf)\{([^{}]*)\}")
_SUBSCRIPT_DIGITS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{CJK_OR_PUNCT}])[ \u3000]+(?=[{CJK_OR_PUNCT}])")
_SPACE_CJK_DIGIT = re.compile(rf"(?<=[{CJK}])[ \u3000]+(?=[0-9])|(?<=[0-9])[ \u3000]+(?=[{CJK}])")

#: lines a saved web page leaves after the content (login boxes, footers)
WEB_JUNK = re.compile(
    r"^(账号\+?密码登录|还没有账号[?？]?|立即注册|登录|注册|扫一扫.*|分享到[:：]?.*|打印本页|关闭窗口|【打印】.*|"
    r"上一篇[:：].*|下一篇[:：].*|返回顶部|网站地图|版权所有.*|主办单位[:：].*|技术支持[:：].*)$"
)


def strip_markup(text: str) -> str:
    """Drop ``[bookmark: …]``/``[image: …]`` anchors and Markdown bold markers."""
    text = _BOOKMARK.sub("", text)
    text = _IMAGE.sub("", text)
    text = _BOLD.sub(r"\1", text)
    return _STRAY_BOLD.sub("", text)


def latex_to_text(text: str) -> str:
    """``$\\geq 60\\%$`` → ``≥60%``; ``PM_{2.5}`` → ``PM2.5``; ``PM₂.₅`` → ``PM2.5``."""
    text = text.translate(_SUBSCRIPT_DIGITS)

    def inline(match: re.Match) -> str:
        body = match.group(1)
        for cmd, repl in sorted(_LATEX_COMMANDS.items(), key=lambda kv: -len(kv[0])):
            body = body.replace(cmd, repl)
        body = _LATEX_LEFTOVER.sub(r"\1", body)
        return re.sub(r"\s+", "", body)

    if "$" in text:
        text = _LATEX_INLINE.sub(inline, text)
    text = _LATEX_SUBSCRIPT.sub(r"\1", text)
    text = _LATEX_SUPERSCRIPT.sub(r"\1", text)
    if "\\" in text:
        for cmd, repl in sorted(_LATEX_COMMANDS.items(), key=lambda kv: -len(kv[0])):
            text = text.replace(cmd, repl)
    return text


def remove_cjk_spaces(text: str) -> str:
    """Remove spaces a PDF line join put between CJK characters ("城 镇" → "城镇")."""
    return _SPACE_BETWEEN_CJK.sub("", text)


def remove_cjk_digit_spaces(text: str) -> str:
    """"2021 年" → "2021年": Chinese prose never spaces a number from its measure word."""
    return _SPACE_CJK_DIGIT.sub("", text)


def count_cjk_spaces(text: str) -> int:
    """How many CJK-space-CJK joins a text holds: evidence of PDF line-join damage."""
    return len(_SPACE_BETWEEN_CJK.findall(text))


def is_web_junk(line: str) -> bool:
    return bool(WEB_JUNK.match(line.strip()))


def clean_prose(text: str, cjk_spaces: bool) -> str:
    """All prose repairs; ``cjk_spaces`` says whether the document shows line-join damage."""
    text = remove_cjk_digit_spaces(latex_to_text(strip_markup(text)))
    if cjk_spaces:
        text = remove_cjk_spaces(text)
    return text.strip()


def display_width(text: str) -> int:
    """Columns ``text`` takes in a spreadsheet or terminal: a CJK (wide/full-width) character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))
