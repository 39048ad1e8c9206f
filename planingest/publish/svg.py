"""Charts as inline SVG strings, drawn in Python so the report needs no network and no JavaScript.

Two shapes cover the report: a horizontal bar chart and a heat map.  Every
element carries a class (``bar``, ``heat-row``, ``heat-cell``) so tests and CSS
can find it, and a ``<title>`` so a viewer can hover for the exact figure.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

FONT = "font-family: 'Noto Sans CJK SC', 'Noto Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif"


def _text(x: float, y: float, content: str, *, anchor: str = "start", size: int = 12, cls: str = "",
          extra: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"{klass}{extra}>'
            f"{escape(content)}</text>")


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 10 or value == int(value) else f"{value:,.1f}"


def bar_chart(items: Sequence[tuple[str, float]], *, chart_id: str, title: str, unit: str = "",
              color: str = "#2b8cbe", label_width: int = 170, bar_width: int = 360) -> str:
    """Horizontal bars, one per (label, value), in the order given."""
    row_h, top = 24, 30
    height = top + row_h * max(len(items), 1) + 10
    width = label_width + bar_width + 110
    peak = max((v for _, v in items), default=0) or 1
    parts = [f'<svg id="{escape(chart_id)}" class="chart bar-chart" xmlns="http://www.w3.org/2000/svg" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" style="{FONT}">',
             f"<title>{escape(title)}</title>", _text(0, 18, title, size=14, cls="chart-title")]
    if not items:
        parts.append(_text(label_width, top + 16, "(nothing to show)", cls="empty"))
    for i, (label, value) in enumerate(items):
        y = top + i * row_h
        length = max(bar_width * value / peak, 1 if value else 0)
        shown = f"{_fmt(value)}{(' ' + unit) if unit else ''}"
        parts.append(_text(label_width - 6, y + 16, label, anchor="end", cls="bar-label"))
        parts.append(f'<rect class="bar" x="{label_width}" y="{y + 4}" width="{length:.1f}" height="{row_h - 8}" '
                     f'fill="{color}"><title>{escape(label)}: {escape(shown)}</title></rect>')
        parts.append(_text(label_width + length + 6, y + 16, shown, cls="bar-value"))
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class HeatRow:
    key: str  # admin_code, or a stand-in for a document whose region is unknown
    label: str


@dataclass(frozen=True)
class HeatColumn:
    key: str  # indicator ID
    group: str  # its domain, drawn as a band above the columns


@dataclass(frozen=True)
class HeatCell:
    state: str  # a key of the legend
    tooltip: str


def heat_map(rows: Sequence[HeatRow], columns: Sequence[HeatColumn], cells: Mapping[tuple[str, str], HeatCell],
             legend: Mapping[str, tuple[str, str]], group_colors: Mapping[str, str], *, chart_id: str,
             empty_state: str, label_width: int = 230, cell: int = 20) -> str:
    """One row per region, one column per indicator; ``legend`` maps a state to (colour, words)."""
    top = 78
    width = label_width + cell * len(columns) + 20
    height = top + cell * len(rows) + 40
    parts = [f'<svg id="{escape(chart_id)}" class="chart heat-map" xmlns="http://www.w3.org/2000/svg" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" style="{FONT}">',
             "<title>coverage of the catalogue indicators by region</title>"]
    x = label_width
    for i, (color, words) in enumerate(legend.values()):
        parts.append(f'<rect class="legend" x="{x + i * 150}" y="4" width="12" height="12" fill="{color}"/>')
        parts.append(_text(x + i * 150 + 16, 14, words, size=11))
    for j, column in enumerate(columns):
        cx = label_width + j * cell
        color = group_colors.get(column.group, "#999")
        parts.append(f'<rect class="group-band" x="{cx}" y="26" width="{cell}" height="6" fill="{color}">'
                     f"<title>{escape(column.group)}</title></rect>")
        parts.append(_text(cx + cell / 2 + 4, top - 6, column.key, size=10, anchor="start",
                           extra=f' transform="rotate(-90 {cx + cell / 2 + 4:.1f} {top - 6:.1f})"'))
    for i, row in enumerate(rows):
        y = top + i * cell
        parts.append(f'<g class="heat-row" data-key="{escape(row.key)}">')
        parts.append(_text(label_width - 6, y + cell - 4, row.label, anchor="end", size=11, cls="heat-label"))
        for j, column in enumerate(columns):
            found = cells.get((row.key, column.key))
            state = found.state if found else empty_state
            tip = found.tooltip if found else f"{row.label} · {column.key}: not listed"
            parts.append(f'<rect class="heat-cell {escape(state)}" x="{label_width + j * cell}" y="{y}" '
                         f'width="{cell - 1}" height="{cell - 1}" fill="{legend[state][0]}">'
                         f"<title>{escape(tip)}</title></rect>")
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)
