"""One OFD page's content: positioned text, ruling lines and images, in points.

OFD coordinates are millimetres from the page's top-left corner, y growing
downwards (the PDF path's convention, once scaled to points).  A ``TextObject``
has a ``Boundary`` ("x y w h") and a font ``Size``; each ``TextCode`` inside it
puts its first glyph's baseline at (X, Y) relative to the boundary and the next
glyphs ``DeltaX`` further on ("g 3 4.2" repeats 4.2 three times; ``DeltaY`` for
vertical text).  An optional ``CTM`` maps the object's space to its boundary.

Table rulings are ``PathObject`` lines (``AbbreviatedData`` "M x y L x y …") or
thin filled rectangles; both become the edge dicts the OCR path and pdfplumber's
lattice algorithm use.  A text run with a wide gap between two glyphs (text laid
out across table columns in one TextCode) is cut there, so each part lands in
its own cell.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from planingest.ingest.layout.lines import clean_line
from planingest.ingest.ocr import OcrBox
from planingest.ingest.ofd.package import children, first, local

MM_TO_PT = 72.0 / 25.4
#: a line thinner than this (mm) drawn as a filled rectangle is a ruling
THIN_MM = 0.8
#: a ruling shorter than this (mm) is a glyph stroke or a tick, not a table line
MIN_RULE_MM = 3.0
#: a gap between glyphs wider than this many font sizes splits a text run
GAP_SIZES = 2.5
#: share of the font size above the baseline (ascent) and below it (descent)
ASCENT, DESCENT = 0.88, 0.12
#: nesting of PageBlocks deeper than this is hostile
MAX_DEPTH = 50
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE]-?\d+)?")
_PATH_TOKEN = re.compile(r"[A-Za-z]|-?\d+(?:\.\d+)?(?:[eE]-?\d+)?")


@dataclass
class PageContent:
    boxes: list[OcrBox] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    #: (ResourceID, boundary in points) of every image on the page
    images: list[tuple[str, tuple[float, float, float, float]]] = field(default_factory=list)


def numbers(value: str | None) -> list[float]:
    return [float(n) for n in _NUMBER.findall(value or "")]


def deltas(value: str | None) -> list[float]:
    """A DeltaX/DeltaY list with its "g count value" repeats expanded (bounded by the glyph count)."""
    out: list[float] = []
    tokens = (value or "").split()
    i = 0
    while i < len(tokens) and len(out) < 100_000:
        if tokens[i] == "g" and i + 2 < len(tokens):
            try:
                count, step = int(float(tokens[i + 1])), float(tokens[i + 2])
            except ValueError:
                break
            out.extend([step] * max(0, min(count, 100_000 - len(out))))
            i += 3
            continue
        try:
            out.append(float(tokens[i]))
        except ValueError:
            break
        i += 1
    return out


def boundary(el) -> tuple[float, float, float, float] | None:
    values = numbers(el.get("Boundary"))
    return tuple(values[:4]) if len(values) >= 4 else None  # type: ignore[return-value]


def _ctm(el):
    values = numbers(el.get("CTM"))
    return tuple(values[:6]) if len(values) >= 6 else (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _apply(ctm, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = ctm
    return a * x + c * y + e, b * x + d * y + f


def _box(text: str, corners: list[tuple[float, float]], origin: tuple[float, float]) -> OcrBox | None:
    text = clean_line(text)
    if not text:
        return None
    xs = [origin[0] + x for x, _ in corners]
    ys = [origin[1] + y for _, y in corners]
    return OcrBox(text, min(xs) * MM_TO_PT, min(ys) * MM_TO_PT, max(xs) * MM_TO_PT, max(ys) * MM_TO_PT, 1.0)


def text_boxes(obj) -> list[OcrBox]:
    """Boxes of one TextObject: one per TextCode, split at wide gaps between glyphs."""
    bound = boundary(obj)
    if bound is None:
        return []
    size = (numbers(obj.get("Size")) or [3.5])[0]
    ctm = _ctm(obj)
    out: list[OcrBox] = []
    x, y = 0.0, 0.0
    for code in children(obj, "TextCode"):
        x = (numbers(code.get("X")) or [x])[0]
        y = (numbers(code.get("Y")) or [y])[0]
        glyphs = code.text or ""
        dx, dy = deltas(code.get("DeltaX")), deltas(code.get("DeltaY"))
        run, run_x, run_y = "", x, y
        cx, cy = x, y
        for i, ch in enumerate(glyphs):
            if i > 0:
                step_x = dx[i - 1] if i - 1 < len(dx) else (0.0 if dy else size)
                step_y = dy[i - 1] if i - 1 < len(dy) else 0.0
                if step_x > GAP_SIZES * size or step_y > GAP_SIZES * size:
                    out.extend(_run_box(run, run_x, run_y, cx, cy, size, ctm, bound))
                    run, run_x, run_y = "", cx + step_x, cy + step_y
                cx, cy = cx + step_x, cy + step_y
            run += ch
        out.extend(_run_box(run, run_x, run_y, cx, cy, size, ctm, bound))
        x, y = cx + size, cy
    return out


def _run_box(run: str, x0: float, y0: float, x1: float, y1: float, size: float, ctm, bound) -> list[OcrBox]:
    """The box of glyphs from baseline point (x0, y0) to the last glyph's origin (x1, y1)."""
    corners = [_apply(ctm, x0, y0 - ASCENT * size), _apply(ctm, x1 + size, y1 + DESCENT * size)]
    box = _box(run, corners, (bound[0], bound[1]))
    return [box] if box else []


def _edge(x0: float, top: float, x1: float, bottom: float) -> dict:
    x0, top, x1, bottom = (v * MM_TO_PT for v in (x0, top, x1, bottom))
    orientation = "h" if (x1 - x0) >= (bottom - top) else "v"
    if orientation == "h":
        top = bottom = (top + bottom) / 2
    else:
        x0 = x1 = (x0 + x1) / 2
    return {"orientation": orientation, "x0": x0, "x1": x1, "top": top, "bottom": bottom,
            "width": x1 - x0, "height": bottom - top}


def path_edges(obj) -> list[dict]:
    """Horizontal and vertical segments of a PathObject (lines, rectangles, thin filled bars)."""
    bound = boundary(obj)
    if bound is None:
        return []
    bx, by, bw, bh = bound
    if min(bw, bh) <= THIN_MM and max(bw, bh) >= MIN_RULE_MM:
        return [_edge(bx, by, bx + bw, by + bh)]
    data = first(obj, "AbbreviatedData")
    tokens = _PATH_TOKEN.findall(data.text or "") if data is not None else []
    ctm = _ctm(obj)
    segments: list[tuple[tuple[float, float], tuple[float, float]]] = []
    start = current = None
    i = 0
    args = {"M": 2, "S": 2, "L": 2, "Q": 4, "B": 6, "A": 7, "C": 0}
    while i < len(tokens) and len(segments) < 10_000:
        command = tokens[i]
        if command not in args:
            i += 1
            continue
        values = [float(t) for t in tokens[i + 1:i + 1 + args[command]] if not t.isalpha()]
        i += 1 + len(values)
        if len(values) < args[command]:
            break
        if command in ("M", "S"):
            start = current = _apply(ctm, *values[:2])
        elif command == "L" and current is not None:
            point = _apply(ctm, *values[:2])
            segments.append((current, point))
            current = point
        elif command == "C" and current is not None and start is not None:
            segments.append((current, start))
            current = start
        elif command in ("Q", "B", "A"):
            current = _apply(ctm, *values[-2:])  # curves are not rulings
    out = []
    for (x0, y0), (x1, y1) in segments:
        length = max(abs(x1 - x0), abs(y1 - y0))
        if length < MIN_RULE_MM or (abs(x1 - x0) > 0.2 and abs(y1 - y0) > 0.2):
            continue  # too short, or slanted
        out.append(_edge(bx + min(x0, x1), by + min(y0, y1), bx + max(x0, x1), by + max(y0, y1)))
    return out


def read_content(root, depth: int = 0, content: PageContent | None = None) -> PageContent:
    """Every text, path and image object of a page's Content (layers and page blocks, in order)."""
    content = content if content is not None else PageContent()
    if depth > MAX_DEPTH:
        return content
    for el in root:
        name = local(el)
        if name == "TextObject":
            content.boxes.extend(text_boxes(el))
        elif name == "PathObject":
            content.edges.extend(path_edges(el))
        elif name == "ImageObject":
            bound = boundary(el)
            if bound is not None and el.get("ResourceID"):
                x, y, w, h = (v * MM_TO_PT for v in bound)
                content.images.append((el.get("ResourceID"), (x, y, x + w, y + h)))
        elif name in ("Content", "Layer", "PageBlock"):
            read_content(el, depth + 1, content)
    return content
