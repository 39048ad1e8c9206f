"""Charts as inline SVG strings, drawn in Python so the report needs no network and no JavaScript.

Two shapes cover the report: a horizontal bar chart and a heat map.  Every
element carries a class (``bar``, ``heat-row``, ``heat-cell``) so tests and CSS
can find it, and a ``<title>`` so a viewer can hover for the exact figure.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from planingest.core.i18n import _
from planingest.core.text import display_width

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
        parts.append(_text(label_width, top + 16, _("(nothing to show)"), cls="empty"))
    for i, (label, value) in enumerate(items):
        y = top + i * row_h
        length = max(bar_width * value / peak, 1 if value else 0)
        shown = f"{_fmt(value)}{(' ' + unit) if unit else ''}"
        parts.append(_text(label_width - 6, y + 16, label, anchor="end", cls="bar-label"))
        tip = _("{label}: {value}").format(label=label, value=shown)
        parts.append(f'<rect class="bar" x="{label_width}" y="{y + 4}" width="{length:.1f}" height="{row_h - 8}" '
                     f'fill="{color}"><title>{escape(tip)}</title></rect>')
        parts.append(_text(label_width + length + 6, y + 16, shown, cls="bar-value"))
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class HeatRow:
    key: str  # admin_code, or a stand-in for a document whose region is unknown
    label: str
    empty_state: str | None = None  # the state of its cells without data (default: the chart's)


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
             empty_state: str, title: str, label_width: int = 300, cell: int = 20) -> str:
    """One row per region, one column per indicator; ``legend`` maps a state to (colour, words)."""
    top = 108
    width = max(label_width + cell * len(columns) + 20, 720)
    height = top + cell * len(rows) + 20
    parts = [f'<svg id="{escape(chart_id)}" class="chart heat-map" xmlns="http://www.w3.org/2000/svg" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" style="{FONT}">',
             f"<title>{escape(title)}</title>", _text(0, 16, title, size=14, cls="chart-title")]
    x = 0
    for color, words in legend.values():
        parts.append(f'<rect class="legend" x="{x}" y="26" width="12" height="12" fill="{color}" stroke="#999" '
                     f'stroke-width="0.5"/>')
        parts.append(_text(x + 16, 36, words, size=11))
        x += 16 + 6 * display_width(words) + 24
    for j, column in enumerate(columns):
        cx = label_width + j * cell
        color = group_colors.get(column.group, "#999")
        parts.append(f'<rect class="group-band" x="{cx}" y="{top - 48}" width="{cell}" height="6" fill="{color}">'
                     f"<title>{escape(column.group)}</title></rect>")
        parts.append(_text(cx + cell / 2 + 4, top - 4, column.key, size=10, anchor="start",
                           extra=f' transform="rotate(-90 {cx + cell / 2 + 4:.1f} {top - 4:.1f})"'))
    for i, row in enumerate(rows):
        y = top + i * cell
        parts.append(f'<g class="heat-row" data-key="{escape(row.key)}">')
        parts.append(_text(label_width - 6, y + cell - 5, row.label, anchor="end", size=11, cls="heat-label"))
        for j, column in enumerate(columns):
            found = cells.get((row.key, column.key))
            state = found.state if found else (row.empty_state or empty_state)
            tip = found.tooltip if found else f"{row.label} · {column.key}: {legend[state][1]}"
            parts.append(f'<rect class="heat-cell {escape(state)}" x="{label_width + j * cell}" y="{y}" '
                         f'width="{cell - 1}" height="{cell - 1}" fill="{legend[state][0]}">'
                         f"<title>{escape(tip)}</title></rect>")
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)
