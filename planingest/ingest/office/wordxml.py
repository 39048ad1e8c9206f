"""WordprocessingML vocabulary: element names and the text of one paragraph.

Element names are compared as ``prefix:local`` strings after mapping both the
transitional and the Strict (ISO 29500) namespaces onto the same prefix, so one
walker reads both flavours (python-docx raises KeyError on Strict files).
"""
from __future__ import annotations

from lxml import etree

_PREFIXES = {
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main": "w",
    "http://purl.oclc.org/ooxml/wordprocessingml/main": "w",
    "http://schemas.openxmlformats.org/markup-compatibility/2006": "mc",
    "http://schemas.openxmlformats.org/officeDocument/2006/math": "m",
    "http://purl.oclc.org/ooxml/officeDocument/math": "m",
}


def tag(el) -> str:
    """``w:p``-style name of an element ('' for comments and processing instructions)."""
    if not isinstance(el.tag, str):
        return ""
    qname = etree.QName(el)
    prefix = _PREFIXES.get(qname.namespace or "")
    return f"{prefix}:{qname.localname}" if prefix else qname.localname


def attr(el, local: str) -> str | None:
    """The value of ``w:local`` on ``el`` in whichever namespace the file uses."""
    for key, value in el.attrib.items():
        if key == local or key.endswith("}" + local):
            return value
    return None


def child(el, name: str):
    for c in el:
        if tag(c) == name:
            return c
    return None


def path(el, *names: str):
    """Follow direct children by name, e.g. ``path(tc, "w:tcPr", "w:vMerge")``."""
    for name in names:
        if el is None:
            return None
        el = child(el, name)
    return el


#: subtrees whose text is not part of the accepted document view
_SKIP = {
    "w:del", "w:moveFrom",  # tracked deletions: the accepted view drops them
    "mc:Fallback",  # the same content as mc:Choice in an older encoding
    "w:pPr", "w:rPr", "w:sdtPr", "w:fldData", "w:instrText",
}
#: elements that stand for a character
_CHARS = {"w:tab": "\t", "w:ptab": "\t", "w:br": "\n", "w:cr": "\n", "w:noBreakHyphen": "-"}


def paragraph_text(p) -> tuple[str, list]:
    """Text of paragraph ``p`` and the text-box contents anchored in it.

    Reads ``w:t`` (never ``w:delText``) outside tracked deletions, so tracked
    insertions are accepted and deletions dropped; OMML math text (``m:t``)
    is kept because plans write "≥60%" with the equation editor.  Text boxes
    (``w:txbxContent``) are block containers of their own: they are returned
    for the caller to read as paragraphs instead of being glued into this text.
    """
    parts: list[str] = []
    boxes: list = []
    stack = [iter(p)]
    while stack:
        el = next(stack[-1], None)
        if el is None:
            stack.pop()
            continue
        name = tag(el)
        if name in _SKIP:
            continue
        if name == "w:txbxContent":
            boxes.append(el)
            continue
        if name in ("w:t", "m:t"):
            parts.append(el.text or "")
        elif name in _CHARS:
            parts.append(_CHARS[name])
        elif name == "mc:AlternateContent":
            choice = child(el, "mc:Choice")
            if choice is not None:
                stack.append(iter(choice))
            continue
        if len(el):
            stack.append(iter(el))
    return "".join(parts), boxes
