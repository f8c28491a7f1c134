"""Inline SVG charts for the HTML report: radar of levels, benchmark ranges, track gaps.

Plain SVG elements only (no scripts, no external fonts or images), sized by viewBox so
they scale on screen and print sharp.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from agent.reports.htmlkit import FILL, INK, el, esc, level_index

ACCENT = "#4f46e5"
MUTED = "#94a3b8"
GRID = "#e2e8f0"


@dataclass(frozen=True)
class Axis:
    label: str
    level: int | None


def _n(x: float) -> str:
    return f"{x:.1f}"


def _point(cx: float, cy: float, radius: float, angle: float) -> tuple[float, float]:
    return cx + radius * math.sin(angle), cy - radius * math.cos(angle)


def _ring(cx: float, cy: float, radius: float, count: int) -> str:
    points = [_point(cx, cy, radius, 2 * math.pi * i / count) for i in range(count)]
    return " ".join(f"{_n(x)},{_n(y)}" for x, y in points)


def radar(axes: Sequence[Axis], top: int, band: tuple[int, int] | None = None,
          title: str = "Level per dimension") -> str:
    """A radar of levels 1..top; ``band`` shades a typical range (min, max) behind it."""
    width, height, cx, cy, r = 560, 470, 280, 235, 178
    count = len(axes)
    step = r / top
    parts = [el("title", esc(title))]
    for level in range(top, 0, -1):  # outermost first, so the lighter bands alternate
        parts.append(el("polygon", points=_ring(cx, cy, level * step, count),
                        fill="#f8fafc" if level % 2 else "#ffffff", fill_opacity="0.6",
                        stroke=GRID, stroke_width="1"))
    if band:
        outer = _ring(cx, cy, band[1] * step, count)
        inner = _ring(cx, cy, (band[0] - 1) * step, count) if band[0] > 1 else ""
        path = f"M{outer.replace(' ', ' L')} Z" + (f" M{inner.replace(' ', ' L')} Z" if inner
                                                    else "")
        parts.append(el("path", d=path, fill="#fde68a", fill_opacity="0.45",
                        fill_rule="evenodd", stroke="none"))
    for level in range(1, top + 1):
        parts.append(el("text", esc(level), x=_n(cx + 4), y=_n(cy - level * step + 12),
                        class_="tick"))
    for i, axis in enumerate(axes):
        angle = 2 * math.pi * i / count
        x, y = _point(cx, cy, r, angle)
        parts.append(el("line", x1=_n(cx), y1=_n(cy), x2=_n(x), y2=_n(y), stroke=GRID))
        parts.append(_axis_label(cx, cy, r + 22, angle, axis.label))
    shape = [_point(cx, cy, (a.level or 0) * step, 2 * math.pi * i / count)
             for i, a in enumerate(axes)]
    parts.append(el("polygon", points=" ".join(f"{_n(x)},{_n(y)}" for x, y in shape),
                    fill=ACCENT, fill_opacity="0.18", stroke=ACCENT, stroke_width="2.5",
                    stroke_linejoin="round"))
    for (x, y), axis in zip(shape, axes, strict=True):
        i = level_index(axis.level, top)
        parts.append(el("circle", cx=_n(x), cy=_n(y), r="11", fill=FILL[i], stroke=ACCENT,
                        stroke_width="2"))
        parts.append(el("text", esc(axis.level if axis.level is not None else "–"), x=_n(x),
                        y=_n(y + 4), fill=INK[i], class_="dot"))
    return el("svg", *parts, viewBox=f"0 0 {width} {height}", class_="chart radar", role="img",
              aria_label=title)


def _axis_label(cx: float, cy: float, radius: float, angle: float, label: str) -> str:
    x, y = _point(cx, cy, radius, angle)
    sin = math.sin(angle)
    anchor = "middle" if abs(sin) < 0.3 else ("start" if sin > 0 else "end")
    lines = _wrap(label, 13)
    dy0 = 4 - 7 * (len(lines) - 1) if abs(math.cos(angle)) < 0.9 else (
        -7 * (len(lines) - 1) if math.cos(angle) > 0 else 8)
    spans = [el("tspan", esc(line), x=_n(x), dy=str(dy0 if n == 0 else 14))
             for n, line in enumerate(lines)]
    return el("text", *spans, x=_n(x), y=_n(y), text_anchor=anchor, class_="axis")


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def range_bars(rows: Sequence[tuple[str, list[int]]], top: int, low: int, high: int,
               leading: int, title: str) -> str:
    """One row per dimension: the typical range shaded, the leading edge marked, the level."""
    left, width, row_h = 200, 520, 36
    step = width / top
    height = 40 + row_h * len(rows)
    parts = [el("title", esc(title))]
    x0 = left + (low - 1) * step
    parts.append(el("rect", x=_n(x0), y="22", width=_n((high - low + 1) * step),
                    height=_n(row_h * len(rows)), fill="#fde68a", fill_opacity="0.5"))
    lx = left + (leading - 0.5) * step
    parts.append(el("line", x1=_n(lx), y1="18", x2=_n(lx), y2=_n(height - 14), stroke="#b45309",
                    stroke_dasharray="4 3"))
    parts.append(el("text", "leading edge", x=_n(lx), y="14", class_="tick", text_anchor="middle"))
    for level in range(1, top + 1):
        parts.append(el("text", esc(level), x=_n(left + (level - 0.5) * step),
                        y=_n(height - 2), class_="tick", text_anchor="middle"))
    for n, (label, levels) in enumerate(rows):
        y = 22 + n * row_h + row_h / 2
        parts.append(el("text", esc(label), x=_n(left - 10), y=_n(y + 4), class_="axis",
                        text_anchor="end"))
        parts.append(el("line", x1=_n(left), y1=_n(y), x2=_n(left + width), y2=_n(y),
                        stroke=GRID))
        if levels:
            a, b = left + (min(levels) - 0.5) * step, left + (max(levels) - 0.5) * step
            parts.append(el("line", x1=_n(a), y1=_n(y), x2=_n(b), y2=_n(y), stroke=ACCENT,
                            stroke_width="10", stroke_linecap="round", stroke_opacity="0.35"))
            for level in levels:
                parts.append(el("circle", cx=_n(left + (level - 0.5) * step), cy=_n(y), r="7",
                                fill=ACCENT))
    return el("svg", *parts, viewBox=f"0 0 {left + width + 20} {height}", class_="chart bars",
              role="img", aria_label=title)


def dumbbell(rows: Sequence[tuple[str, int | None, int | None]], top: int,
             names: tuple[str, str], title: str) -> str:
    """Two tracks per dimension joined by a line, so the gap between them stands out."""
    left, width, row_h = 200, 520, 36
    step = width / top
    height = 56 + row_h * len(rows)
    colours = (ACCENT, "#db2777")
    parts = [el("title", esc(title))]
    for k, name in enumerate(names):
        parts.append(el("circle", cx=_n(left + k * 200 + 6), cy="12", r="6", fill=colours[k]))
        parts.append(el("text", esc(name), x=_n(left + k * 200 + 16), y="16", class_="axis"))
    for level in range(1, top + 1):
        x = left + (level - 0.5) * step
        parts.append(el("line", x1=_n(x), y1="30", x2=_n(x), y2=_n(height - 18), stroke=GRID))
        parts.append(el("text", esc(level), x=_n(x), y=_n(height - 4), class_="tick",
                        text_anchor="middle"))
    for n, (label, a, b) in enumerate(rows):
        y = 38 + n * row_h + row_h / 2
        parts.append(el("text", esc(label), x=_n(left - 10), y=_n(y + 4), class_="axis",
                        text_anchor="end"))
        xs = [left + (v - 0.5) * step if v is not None else None for v in (a, b)]
        if xs[0] is not None and xs[1] is not None:
            parts.append(el("line", x1=_n(xs[0]), y1=_n(y), x2=_n(xs[1]), y2=_n(y),
                            stroke=MUTED, stroke_width="3"))
        level_with = a is not None and a == b  # equal levels: offset the dots to show both
        for k, pos in enumerate(xs):
            if pos is not None:
                dy = (k * 2 - 1) * 5 if level_with else 0
                parts.append(el("circle", cx=_n(pos), cy=_n(y + dy), r="8",
                                fill=colours[k], fill_opacity="0.9"))
    return el("svg", *parts, viewBox=f"0 0 {left + width + 20} {height}", class_="chart bars",
              role="img", aria_label=title)
