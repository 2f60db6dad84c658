"""Server-side SVG charts for the therapist's pages: no JavaScript, no chart library.

- ``small_multiples``: several panels on one shared time axis, each with its own labelled
  y-axis (felt intensity, pleasant and unpleasant feeling, distinct feelings, numbness
  symptoms, blunting index). Flag periods are shaded on every panel; medication events
  are numbered markers through all panels, explained by a list the page prints beside
  the chart (so labels never overlap). A line bridges one day without a check-in and
  breaks for longer gaps.
- ``score_chart``: PHQ-9 or GAD-7 results over time against their severity bands.
- ``sparkline``: a client's felt intensity over four weeks, for a caseload row.

Every chart is an ``<svg role="img">`` with a title and a description; the pages carry a
table with the same numbers. Colours come from CSS classes (therapists.css): no inline
styles under the CSP.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString

from journal.svg import num as _fmt
from journal.svg import stretches, svg, trace, y_grid

# A missing day or two is bridged; a longer silence is a gap in the line.
MAX_BRIDGED_GAP_DAYS = 2

PANEL_HEIGHT = 92
PLOT_TOP, PLOT_BOTTOM = 20, 84  # within a panel: room for its title, then the plot
LEFT, RIGHT = 38, 10
AXIS_HEIGHT = 26
MARKER_ROW = 18


@dataclass(frozen=True)
class Line:
    label: str
    css: str
    points: Sequence[tuple[date, float | None]]


@dataclass(frozen=True)
class Panel:
    title: str
    y_max: float
    ticks: Sequence[float]
    lines: Sequence[Line]
    y_min: float = 0.0
    tick_format: str = "{:g}"


@dataclass(frozen=True)
class Band:
    start: date
    end: date
    label: str


@dataclass(frozen=True)
class Marker:
    number: int
    on: date
    label: str


@dataclass
class _Frame:
    start: date
    end: date
    width: int
    parts: list[str] = field(default_factory=list)

    @property
    def span(self) -> int:
        return (self.end - self.start).days + 1

    def x(self, day: date) -> float:
        return LEFT + (self.width - LEFT - RIGHT) * (
            (day - self.start).days / max(self.span - 1, 1)
        )


def _y(panel: Panel, top: float, value: float) -> float:
    low, high = panel.y_min, panel.y_max
    value = min(max(value, low), high)
    return top + PLOT_TOP + (PLOT_BOTTOM - PLOT_TOP) * (1 - (value - low) / (high - low))


def runs(points: Sequence[tuple[date, float | None]]) -> list[list[tuple[date, float]]]:
    """Unbroken stretches: consecutive observed points at most MAX_BRIDGED_GAP_DAYS apart."""
    observed = sorted((p for p in points if p[1] is not None), key=lambda p: p[0])
    return stretches(observed, lambda a, b: (b - a).days <= MAX_BRIDGED_GAP_DAYS)


def _line(frame: _Frame, panel: Panel, top: float, line: Line) -> None:
    shown = runs([p for p in line.points if frame.start <= p[0] <= frame.end])
    coords = [[(frame.x(d), _y(panel, top, v)) for d, v in stretch] for stretch in shown]
    frame.parts.append(trace(coords, f"tc-line {line.css}", radius=2.5))


def _panel(frame: _Frame, panel: Panel, top: float, bands: Sequence[Band]) -> None:
    plot_top, plot_bottom = top + PLOT_TOP, top + PLOT_BOTTOM
    frame.parts.append(
        f'<text class="tc-panel-title" x="{LEFT}" y="{_fmt(top + 13)}">{escape(panel.title)}</text>'
    )
    for band in bands:
        first, last = max(band.start, frame.start), min(band.end, frame.end)
        if first > last:
            continue
        x1, x2 = frame.x(first), frame.x(last)
        frame.parts.append(
            f'<rect class="tc-band" x="{_fmt(x1)}" y="{_fmt(plot_top)}" width="{_fmt(max(x2 - x1, 3))}" '
            f'height="{_fmt(plot_bottom - plot_top)}"><title>{escape(band.label)}</title></rect>'
        )
    frame.parts.append(
        y_grid(
            panel.ticks,
            lambda tick: _y(panel, top, tick),
            left=LEFT,
            right=frame.width - RIGHT,
            line_css="tc-grid",
            text_css="tc-tick",
            label=panel.tick_format.format,
        )
    )
    for line in panel.lines:
        _line(frame, panel, top, line)


def _date_axis(frame: _Frame, y: float, step_days: int) -> None:
    frame.parts.append(
        f'<line class="tc-axis" x1="{LEFT}" x2="{frame.width - RIGHT}" y1="{_fmt(y)}" y2="{_fmt(y)}"/>'
    )
    tick = frame.end
    while tick >= frame.start:  # from the newest day back, so today always has a label
        x = frame.x(tick)
        anchor = "end" if x > frame.width - 40 else "start" if x < LEFT + 20 else "middle"
        frame.parts.append(
            f'<text class="tc-tick" x="{_fmt(x)}" y="{_fmt(y + 16)}" text-anchor="{anchor}">'
            f"{escape(date_format(tick, 'j M'))}</text>"
        )
        tick -= timedelta(days=step_days)


def small_multiples(
    *,
    chart_id: str,
    title: str,
    description: str,
    start: date,
    end: date,
    panels: Sequence[Panel],
    bands: Sequence[Band] = (),
    markers: Sequence[Marker] = (),
    width: int = 720,
    step_days: int = 14,
) -> SafeString:
    frame = _Frame(start=start, end=end, width=width)
    top = MARKER_ROW
    for panel in panels:
        _panel(frame, panel, top, bands)
        top += PANEL_HEIGHT
    for marker in markers:
        if not start <= marker.on <= end:
            continue
        x = frame.x(marker.on)
        frame.parts.append(
            f'<line class="tc-marker" x1="{_fmt(x)}" x2="{_fmt(x)}" y1="{MARKER_ROW - 2}" y2="{_fmt(top)}"/>'
            f'<circle class="tc-marker-dot" cx="{_fmt(x)}" cy="9" r="8"/>'
            f'<text class="tc-marker-number" x="{_fmt(x)}" y="13" text-anchor="middle">{marker.number}'
            f"<title>{escape(marker.label)}</title></text>"
        )
    _date_axis(frame, top, step_days)
    return _chart(frame, chart_id, title, description, width, top + AXIS_HEIGHT)


def _chart(
    frame: _Frame, chart_id: str, title: str, description: str, width: int, height: float
) -> SafeString:
    return svg(
        "".join(frame.parts),
        width=width,
        height=height,
        css="tc-chart",
        chart_id=chart_id,
        title=title,
        description=description,
    )


@dataclass(frozen=True)
class SeverityBand:
    low: int
    high: int
    label: str
    css: str


def score_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    points: Sequence[tuple[date, int]],
    max_score: int,
    bands: Sequence[SeverityBand],
    start: date,
    end: date,
    width: int = 420,
) -> SafeString:
    """Scores as dots joined by a line, over shaded severity bands named on the right.

    Narrow on purpose (the page caps its width), so its text stays readable on a phone."""
    height = 200
    plot_top, plot_bottom = 10, height - AXIS_HEIGHT
    label_room = 136
    frame = _Frame(start=start, end=end, width=width - label_room)

    def y(score: float) -> float:
        return plot_top + (plot_bottom - plot_top) * (1 - score / max_score)

    for band in bands:
        y1, y2 = y(band.high + 1 if band.high < max_score else max_score), y(band.low)
        frame.parts.append(
            f'<rect class="tc-severity {band.css}" x="{LEFT}" y="{_fmt(y1)}" '
            f'width="{frame.width - LEFT - RIGHT}" height="{_fmt(y2 - y1)}"/>'
            f'<text class="tc-severity-label" x="{frame.width - RIGHT + 6}" y="{_fmt((y1 + y2) / 2 + 4)}">'
            f"{escape(band.label)}</text>"
        )
    for tick in range(0, max_score + 1, 5 if max_score > 21 else 3):
        frame.parts.append(
            f'<text class="tc-tick" x="{LEFT - 5}" y="{_fmt(y(tick) + 4)}" text-anchor="end">{tick}</text>'
        )
    coords = [(frame.x(d), y(s)) for d, s in points if start <= d <= end]
    if len(coords) > 1:
        joined = " ".join(f"{_fmt(a)},{_fmt(b)}" for a, b in coords)
        frame.parts.append(f'<polyline class="tc-line tc-score" points="{joined}"/>')
    for (x, yy), (_day, score) in zip(
        coords, [p for p in points if start <= p[0] <= end], strict=True
    ):
        frame.parts.append(
            f'<circle class="tc-score-dot" cx="{_fmt(x)}" cy="{_fmt(yy)}" r="4"><title>{score}</title></circle>'
        )
    _date_axis(frame, plot_bottom, max(7, ((end - start).days + 1) // 3))
    return _chart(frame, chart_id, title, description, width, height)


def sparkline(
    points: Sequence[tuple[date, float | None]], start: date, end: date, label: str
) -> SafeString:
    """Felt intensity (0–10) over a few weeks, 120 × 28, for a caseload row."""
    width, height, pad = 120, 28, 3
    span = max((end - start).days, 1)

    def xy(day: date, value: float) -> tuple[float, float]:
        x = pad + (width - 2 * pad) * (day - start).days / span
        return x, pad + (height - 2 * pad) * (1 - value / 10)

    shown = runs([p for p in points if start <= p[0] <= end])
    base = f'<line class="tc-spark-base" x1="{pad}" x2="{width - pad}" y1="{height - pad}" y2="{height - pad}"/>'
    line = trace([[xy(d, v) for d, v in stretch] for stretch in shown], "tc-spark", radius=1.8)
    return svg(
        base + line, width=width, height=height, css="tc-sparkline", label=label, fixed_size=True
    )
