"""Server-side SVG charts for the therapist's client page: no JavaScript, no CDN.

A chart is a list of series on a shared date axis, with shaded periods (flags) and
labelled markers (medication events). Missing days break the line (gaps, never zeros).
Every chart carries a <title> and <desc>; pages add a data table as the text alternative.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 64


@dataclass(frozen=True)
class Series:
    label: str
    points: list[tuple[date, float | None]]
    css_class: str
    y_max: float


@dataclass(frozen=True)
class Band:
    start: date
    end: date
    label: str


@dataclass(frozen=True)
class Marker:
    on: date
    label: str


def _x(day: date, start: date, span: int) -> float:
    return LEFT + (WIDTH - LEFT - RIGHT) * ((day - start).days / max(span - 1, 1))


def _y(value: float, y_max: float) -> float:
    plot = HEIGHT - TOP - BOTTOM
    return TOP + plot * (1 - max(0.0, min(value, y_max)) / y_max)


def _paths(series: Series, start: date, span: int) -> list[str]:
    """One path per unbroken run of days with values: a missing day ends the run."""
    runs, current = [], []
    previous: date | None = None
    for day, value in series.points:
        if value is None or (previous is not None and (day - previous).days > 1):
            if current:
                runs.append(current)
            current = []
        if value is not None:
            current.append(f"{_x(day, start, span):.1f},{_y(value, series.y_max):.1f}")
        previous = day
    if current:
        runs.append(current)
    out = []
    for run in runs:
        if len(run) == 1:
            x, y = run[0].split(",")
            out.append(f'<circle class="series {series.css_class}" cx="{x}" cy="{y}" r="2.5"/>')
        else:
            out.append(f'<polyline class="series {series.css_class}" points="{" ".join(run)}"/>')
    return out


def trend_chart(
    *,
    title: str,
    description: str,
    start: date,
    end: date,
    series: list[Series],
    bands: list[Band] = (),
    markers: list[Marker] = (),
) -> str:
    span = (end - start).days + 1
    parts = [
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(description)}</desc>',
    ]
    for band in bands:
        x1 = _x(max(band.start, start), start, span)
        x2 = _x(min(band.end, end), start, span)
        parts.append(
            f'<rect class="flag-band" x="{x1:.1f}" y="{TOP}" width="{max(x2 - x1, 2):.1f}" height="{HEIGHT - TOP - BOTTOM}"><title>{escape(band.label)}</title></rect>'
        )
    for fraction in (0, 0.5, 1):
        y = TOP + (HEIGHT - TOP - BOTTOM) * (1 - fraction)
        parts.append(
            f'<line class="grid-line" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
    parts.append(
        f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{HEIGHT - BOTTOM}" y2="{HEIGHT - BOTTOM}"/>'
    )
    tick = start
    step = max(1, span // 6)
    while tick <= end:
        x = _x(tick, start, span)
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">{tick:%d %b}</text>'
        )
        tick += timedelta(days=step)
    for s in series:
        parts.extend(_paths(s, start, span))
    for i, marker in enumerate(markers):
        if not start <= marker.on <= end:
            continue
        x = _x(marker.on, start, span)
        label_y = HEIGHT - BOTTOM + 32 + 14 * (i % 2)
        parts.append(
            f'<line class="marker" x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{HEIGHT - BOTTOM}"><title>{escape(marker.label)}</title></line>'
        )
        # Keep labels near either edge inside the chart.
        anchor = "end" if x > WIDTH - 110 else "start" if x < LEFT + 110 else "middle"
        parts.append(
            f'<text class="marker-label" x="{x:.1f}" y="{label_y}" text-anchor="{anchor}">{escape(marker.label[:28])}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
