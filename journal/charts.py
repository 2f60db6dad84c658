"""Server-side SVG charts for the client's own insights. No JavaScript, no library.

Each chart is an <svg role="img"> with a <title> and a <desc> that says in words what it
shows; the page adds a data table beside it. Missing values (days or weeks without a
check-in) are gaps: the line breaks, nothing is drawn at zero. Colours come from CSS
classes (journal/static/journal/journal.css): no inline styles under the CSP.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString

from .svg import num, stretches, svg, trace, y_grid

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 36, 12, 12, 28


@dataclass(frozen=True)
class Point:
    when: date
    value: float | None


def _x(index: int, count: int) -> float:
    inner = WIDTH - LEFT - RIGHT
    if count <= 1:
        return LEFT + inner / 2
    return LEFT + inner * index / (count - 1)


def _y(value: float, y_max: float) -> float:
    inner = HEIGHT - TOP - BOTTOM
    return TOP + inner * (1 - min(value, y_max) / y_max)


def _label(x: float, when: date) -> str:
    """A date under the axis, kept inside the picture at either end."""
    anchor = "end" if x > WIDTH - RIGHT - 24 else "start" if x < LEFT + 24 else "middle"
    text = escape(date_format(when, "M j"))
    return f'<text x="{num(x)}" y="{HEIGHT - 8}" text-anchor="{anchor}">{text}</text>'


def _frame(
    y_max: float, y_ticks: Sequence[float], points: Sequence[Point], x_labels: int = 4
) -> str:
    parts = [
        y_grid(
            y_ticks,
            lambda tick: _y(tick, y_max),
            left=LEFT + 1,
            right=WIDTH - RIGHT,
            line_css="grid-line",
        )
    ]
    count = len(points)
    if count:
        step = max(1, (count - 1) // x_labels)
        indexes = sorted({*range(0, count, step), count - 1})
        if len(indexes) > 1 and indexes[-1] - indexes[-2] < step / 2:
            indexes.pop(-2)
        parts.extend(_label(_x(index, count), points[index].when) for index in indexes)
    base = HEIGHT - BOTTOM
    parts.append(f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{base}" y2="{base}"/>')
    return "".join(parts)


def _chart(chart_id: str, title: str, desc: str, body: str) -> SafeString:
    return svg(body, width=WIDTH, height=HEIGHT, chart_id=chart_id, title=title, description=desc)


def line_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    points: Sequence[Point],
    y_max: float,
    y_ticks: Sequence[float],
    css: str,
) -> SafeString:
    """A line over time that breaks where a value is missing; every value is a dot."""
    count = len(points)
    runs = stretches((index, p.value) for index, p in enumerate(points))
    coords = [[(_x(i, count), _y(v, y_max)) for i, v in run] for run in runs]
    body = _frame(y_max, y_ticks, points) + trace(
        coords, f"series {css}", radius=3.5, every_dot=True
    )
    return _chart(chart_id, title, desc, body)


def bar_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    points: Sequence[Point],
    y_max: float,
    y_ticks: Sequence[float],
    css: str,
) -> SafeString:
    """One bar per period; a period without data gets a short dashed mark, not a zero bar."""
    count = len(points)
    slot = (WIDTH - LEFT - RIGHT) / max(count, 1)
    half = slot * 0.3
    base = HEIGHT - BOTTOM
    shapes = []
    for index, point in enumerate(points):
        centre = LEFT + slot * (index + 0.5)
        if point.value is None:
            shapes.append(
                f'<line class="gap-mark" x1="{num(centre - half)}" x2="{num(centre + half)}" '
                f'y1="{num(base - 4)}" y2="{num(base - 4)}"/>'
            )
        else:
            top = _y(point.value, y_max)
            shapes.append(
                f'<rect class="bar {css}" x="{num(centre - half)}" y="{num(top)}" '
                f'width="{num(2 * half)}" height="{num(max(base - top, 0))}" rx="3"/>'
                f'<text x="{num(centre)}" y="{num(max(top - 4, TOP + 10))}" '
                f'text-anchor="middle">{point.value:g}</text>'
            )
        if count <= 7 or index % 2 == (count - 1) % 2:
            shapes.append(_label(centre, point.when))
    return _chart(chart_id, title, desc, _frame(y_max, y_ticks, []) + "".join(shapes))
