"""What every chart draws the same way: the accessible <svg> around it, lines that break at
gaps (a lone value is a dot), gridlines with their numbers, all text escaped.

The client's insights and home page (journal.charts, journal.views.home) and the
therapist's pages (therapists.charts) build their charts from these, so a gap, a tick or a
title reads the same everywhere. No inline styles (the CSP): colours are CSS classes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

X = TypeVar("X")

Coords = list[tuple[float, float]]


def num(value: float) -> str:
    """A coordinate: one decimal is finer than any screen shows."""
    return f"{value:.1f}"


def stretches(
    points: Iterable[tuple[X, float | None]],
    joined: Callable[[X, X], bool] = lambda _a, _b: True,
) -> list[list[tuple[X, float]]]:
    """Unbroken runs of points, in the order given: a missing value (None) breaks the run,
    and so do two observed neighbours that ``joined`` says are too far apart."""
    runs: list[list[tuple[X, float]]] = []
    current: list[tuple[X, float]] = []
    for where, value in points:
        if value is None:
            if current:
                runs.append(current)
                current = []
            continue
        if current and not joined(current[-1][0], where):
            runs.append(current)
            current = []
        current.append((where, value))
    if current:
        runs.append(current)
    return runs


def trace(
    runs: Iterable[Coords],
    css: str,
    *,
    radius: float,
    every_dot: bool = False,
    dot_css: str | None = None,
) -> str:
    """A polyline per run of two or more points and a dot for a lone one (``every_dot``:
    a dot on every point, for charts where each value is a check-in worth seeing)."""
    dot_css = dot_css or css
    parts = []
    for coords in runs:
        if len(coords) > 1:
            joined = " ".join(f"{num(x)},{num(y)}" for x, y in coords)
            parts.append(f'<polyline class="{css}" points="{joined}"/>')
        if every_dot or len(coords) == 1:
            parts.extend(
                f'<circle class="{dot_css}" cx="{num(x)}" cy="{num(y)}" r="{radius:g}"/>'
                for x, y in coords
            )
    return "".join(parts)


def y_grid(
    ticks: Sequence[float],
    y_of: Callable[[float], float],
    *,
    left: float,
    right: float,
    line_css: str,
    text_css: str = "",
    label: Callable[[float], str] = lambda tick: f"{tick:g}",
) -> str:
    """A gridline per tick across the plot, its number to the left of the axis."""
    text_class = f' class="{text_css}"' if text_css else ""
    return "".join(
        f'<line class="{line_css}" x1="{num(left)}" x2="{num(right)}" y1="{num(y)}" y2="{num(y)}"/>'
        f'<text{text_class} x="{num(left - 5)}" y="{num(y + 4)}" text-anchor="end">'
        f"{escape(label(tick))}</text>"
        for tick in ticks
        for y in [y_of(tick)]
    )


def svg(
    body: str,
    *,
    width: float,
    height: float,
    css: str = "",
    chart_id: str | None = None,
    title: str = "",
    description: str = "",
    label: str = "",
    fixed_size: bool = False,
) -> SafeString:
    """The <svg> around a chart's ``body`` (markup built from escaped text and numbers).

    With ``chart_id``: role="img" named by its <title> and described by its <desc>. With
    ``label`` only: role="img" with that name. With neither: hidden from assistive
    technology, for a picture the page also says in words.
    """
    attrs = [f'viewBox="0 0 {width:g} {height:g}"', 'xmlns="http://www.w3.org/2000/svg"']
    if css:
        attrs.insert(0, f'class="{css}"')
    if fixed_size:
        attrs.append(f'width="{width:g}" height="{height:g}"')
    head = ""
    if chart_id:
        attrs.append(f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc"')
        head = (
            f'<title id="{chart_id}-title">{escape(title)}</title>'
            f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
        )
    elif label:
        attrs.append(f'role="img" aria-label="{escape(label)}"')
    else:
        attrs.append('aria-hidden="true"')
    attrs.append('focusable="false"')
    return mark_safe(f"<svg {' '.join(attrs)}>{head}{body}</svg>")  # noqa: S308 (escaped parts)
