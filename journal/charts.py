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
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 36, 12, 12, 28


@dataclass(frozen=True)
class Point:
    when: date
    value: float | None


def _n(value: float) -> str:
    return f"{value:.1f}"


def _x(index: int, count: int) -> float:
    inner = WIDTH - LEFT - RIGHT
    if count <= 1:
        return LEFT + inner / 2
    return LEFT + inner * index / (count - 1)


def _y(value: float, y_max: float) -> float:
    inner = HEIGHT - TOP - BOTTOM
    return TOP + inner * (1 - value / y_max)


def _frame(
    y_max: float, y_ticks: Sequence[float], points: Sequence[Point], x_labels: int = 4
) -> SafeString:
    parts = []
    for tick in y_ticks:
        y = _y(tick, y_max)
        parts.append(
            format_html(
                '<line class="grid-line" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>',
                LEFT,
                WIDTH - RIGHT,
                f"{y:.1f}",
                f"{y:.1f}",
                LEFT - 6,
                f"{y:.1f}",
                f"{tick:g}",
            )
        )
    count = len(points)
    if count:
        step = max(1, (count - 1) // x_labels)
        indexes = sorted({*range(0, count, step), count - 1})
        if len(indexes) > 1 and indexes[-1] - indexes[-2] < step / 2:
            indexes.pop(-2)
        for index in indexes:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle">{}</text>',
                    f"{_x(index, count):.1f}",
                    HEIGHT - 8,
                    date_format(points[index].when, "M j"),
                )
            )
    parts.append(
        format_html(
            '<line class="axis" x1="{}" x2="{}" y1="{}" y2="{}"/>',
            LEFT,
            WIDTH - RIGHT,
            HEIGHT - BOTTOM,
            HEIGHT - BOTTOM,
        )
    )
    return mark_safe("".join(parts))  # noqa: S308 - every part went through format_html


def _svg(chart_id: str, title: str, desc: str, body: SafeString) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{}-title {}-desc" focusable="false">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        WIDTH,
        HEIGHT,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        desc,
        body,
    )


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
    """A line over time that breaks where a value is missing; lone values are dots."""
    count = len(points)
    segments: list[list[tuple[float, float]]] = [[]]
    for index, point in enumerate(points):
        if point.value is None:
            if segments[-1]:
                segments.append([])
            continue
        segments[-1].append((_x(index, count), _y(min(point.value, y_max), y_max)))
    shapes = []
    for segment in segments:
        if len(segment) > 1:
            shapes.append(
                format_html(
                    '<polyline class="series {}" points="{}"/>',
                    css,
                    " ".join(f"{x:.1f},{y:.1f}" for x, y in segment),
                )
            )
    dots = format_html_join(
        "",
        '<circle class="dot {}" cx="{}" cy="{}" r="3.5"/>',
        ((css, _n(x), _n(y)) for segment in segments for x, y in segment),
    )
    body = mark_safe(_frame(y_max, y_ticks, points) + "".join(shapes) + dots)  # noqa: S308 - format_html parts
    return _svg(chart_id, title, desc, body)


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
    inner = WIDTH - LEFT - RIGHT
    slot = inner / max(count, 1)
    bar_width = slot * 0.6
    shapes = []
    base = HEIGHT - BOTTOM
    for index, point in enumerate(points):
        centre = LEFT + slot * (index + 0.5)
        if point.value is None:
            shapes.append(
                format_html(
                    '<line class="gap-mark" x1="{}" x2="{}" y1="{}" y2="{}"/>',
                    _n(centre - bar_width / 2),
                    _n(centre + bar_width / 2),
                    _n(base - 4),
                    _n(base - 4),
                )
            )
            continue
        top = _y(min(point.value, y_max), y_max)
        shapes.append(
            format_html(
                '<rect class="bar {}" x="{}" y="{}" width="{}" height="{}" rx="3"/>',
                css,
                _n(centre - bar_width / 2),
                _n(top),
                _n(bar_width),
                _n(max(base - top, 0)),
            )
        )
        shapes.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle">{}</text>',
                _n(centre),
                _n(top - 4),
                f"{point.value:g}",
            )
        )
    labels = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle">{}</text>',
        (
            (_n(LEFT + slot * (index + 0.5)), HEIGHT - 8, date_format(point.when, "M j"))
            for index, point in enumerate(points)
            if count <= 7 or index % 2 == (count - 1) % 2
        ),
    )
    frame = _frame(y_max, y_ticks, [])
    body = mark_safe(frame + "".join(shapes) + labels)  # noqa: S308 - format_html parts
    return _svg(chart_id, title, desc, body)
