"""What of a government web page is site chrome, not the notice.

Three classes of chrome, each recognised by what it is rather than by one site's markup:

* elements that never carry a notice's text (scripts, forms, ``<nav>``, ``<footer>``, hidden elements);
* elements whose ``class``/``id`` names a chrome role (navigation, breadcrumbs, share bars,
  footers, headers, side bars) — the tokens below are what CMSs used by Chinese government
  sites (TRS, 政府网站集约化平台 templates, 博达) call them;
* link lists: a block that is mostly link text (menus, "相关链接", friend-site lists);

and lines that are chrome by their words (当前位置, ICP备案号, 打印/关闭, 分享到) wherever they sit.
"""
from __future__ import annotations

import re

from planingest.core.text import is_web_junk

#: elements whose content is never part of a notice
DROPPED_TAGS = frozenset({
    "script", "style", "noscript", "iframe", "frame", "frameset", "form", "button", "select", "input",
    "textarea", "nav", "footer", "aside", "template", "svg", "canvas", "object", "embed", "map",
    "head", "title", "link", "meta", "base", "audio", "video", "dialog", "menu",
})

#: class/id tokens (split on - _ and case) that name a chrome role
_CHROME_TOKENS = frozenset({
    "nav", "navbar", "navigation", "menu", "menus", "breadcrumb", "breadcrumbs", "crumb", "crumbs",
    "dqwz", "position", "location", "share", "sharebox", "bdshare", "jiathis", "footer", "foot", "bottom",
    "copyright", "header", "head", "banner", "top", "topbar", "toolbar", "sidebar", "side", "aside",
    "login", "search", "sitemap", "friendlink", "links", "yqlj", "qrcode", "ewm", "print", "close",
    "fontsize", "zoomsize", "prevnext", "pagenav", "gotop", "backtop", "skip", "wza", "accessibility",
})
_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")
#: substrings that name a chrome role even inside a longer token ("bdsharebuttonbox", "gov-footer2")
_CHROME_PARTS = ("breadcrumb", "bdshare", "jiathis", "footer", "navbar", "copyright", "sharebtn", "friendlink")

#: roles that are chrome at the page level but hold the notice's title inside an article
#: (``<article><header><h1>``, ``<div class="article-head">``)
HEADER_TAG = "header"
_HEADER_TOKENS = frozenset({"head", "header", "top", "banner"})
#: containers of the notice: a header inside one of these is the notice's own head
_ARTICLE_TAGS = frozenset({"article", "main"})
_ARTICLE_TOKENS = frozenset({"article", "content", "detail", "zwnr", "zw", "xl", "text", "news", "wzxq", "trs"})

#: lines that are chrome by their words
_CHROME_LINE = re.compile(
    r"^(?:当前位置|您(?:现在)?的位置|您所在(?:的)?位置|所在位置)[:：]"
    r"|ICP[备证]|公网安备|网站标识码|网站识别码"
    r"|^(?:[【\[［]?\s*(?:打印|关闭|收藏|纠错|分享|返回顶部|关闭窗口|打印本页|打印文章|加入收藏|我要纠错)\s*[】\]］]?\s*)+$"
    r"|^【?字体[:：]|^字号[:：]|^\[?\s*字体\s*[:：]?\s*大\s*中\s*小"
    r"|^分享到|^扫一扫|^(?:浏览|访问|阅读|点击)(?:次数|量|数)[:：]?\s*\d*\s*次?$"
    r"|^(?:首页\s*[>＞›»/]\s*)"
)
#: a block whose links make up this share of its text, with at least MIN_LINKS links, is a link list
LINK_SHARE = 0.7
MIN_LINKS = 3


def _tokens(value: str) -> set[str]:
    return {token for token in _TOKEN_SPLIT.split(value.lower()) if token}


def is_chrome_name(class_or_id: str) -> bool:
    """Whether a ``class`` or ``id`` value names a chrome role."""
    value = class_or_id.lower()
    if any(part in value for part in _CHROME_PARTS):
        return True
    return bool(_tokens(value) & _CHROME_TOKENS)


def is_header_name(class_or_id: str) -> bool:
    """A name of the header role only (head, header, top, banner): chrome unless inside the article."""
    tokens = _tokens(class_or_id)
    return bool(tokens & _HEADER_TOKENS) and not (tokens & (_CHROME_TOKENS - _HEADER_TOKENS)) \
        and not any(part in class_or_id.lower() for part in _CHROME_PARTS)


def inside_article(element) -> bool:
    """Whether an ancestor is the notice's container (``<article>``, ``<main>``, a content/detail div)."""
    for ancestor in element.iterancestors():
        tag = ancestor.tag.lower() if isinstance(ancestor.tag, str) else ""
        if tag in _ARTICLE_TAGS:
            return True
        names = " ".join(ancestor.get(name) or "" for name in ("class", "id"))
        if _tokens(names) & _ARTICLE_TOKENS:
            return True
    return False


def is_hidden(style: str | None, element_attrs) -> bool:
    if "hidden" in element_attrs or element_attrs.get("aria-hidden") == "true":
        return True
    if not style:
        return False
    compact = style.replace(" ", "").lower()
    return "display:none" in compact or "visibility:hidden" in compact


def is_chrome_line(text: str) -> bool:
    """A line of site chrome by its words (breadcrumbs, ICP numbers, print/close, share)."""
    return bool(_CHROME_LINE.search(text)) or is_web_junk(text)


def is_link_list(element) -> bool:
    """A block that is mostly links: a menu, a related-links or friend-sites list."""
    links = element.findall(".//a")
    if len(links) < MIN_LINKS:
        return False
    text = "".join("".join(element.itertext()).split())
    if not text:
        return False
    linked = sum(len("".join("".join(a.itertext()).split())) for a in links)
    return linked / len(text) >= LINK_SHARE
