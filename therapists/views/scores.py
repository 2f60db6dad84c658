"""The score panel of the client page: PHQ-9 and GAD-7 over time against their severity
bands, the latest score and its change, and the measurement-based-care labels
(reliable change, response, remission; thresholds and sources in docs/MEASURES.md)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from journal import instruments

from ..charts import SeverityBand, score_chart
from ..selectors.assessments import ScoreHistory

# At least this much time on the axis, so two results a week apart do not fill the width.
MIN_SPAN_DAYS = 56


@dataclass(frozen=True)
class ScorePanel:
    name: str
    latest: int
    latest_label: str
    latest_on: date
    change_text: str
    labels: list[str]
    chart: SafeString
    bands_text: str
    rows: list[tuple[date, int, str, int | None]]  # newest first: day, score, band, change


def change_words(change: int | None) -> str:
    """A change as words a screen reader reads the same way a sighted reader sees it."""
    if change is None:
        return _("first result")
    if change == 0:
        return _("no change since the last result")
    if change > 0:
        return ngettext(
            "up %(n)d point since the last result",
            "up %(n)d points since the last result",
            change,
        ) % {"n": change}
    return ngettext(
        "down %(n)d point since the last result",
        "down %(n)d points since the last result",
        -change,
    ) % {"n": -change}


def course_labels(course: instruments.Course, name: str) -> list[str]:
    labels = []
    if course.reliable == "improved":
        labels.append(
            _("Reliable improvement since the first %(name)s (%(first)d → %(latest)d)")
            % {"name": name, "first": course.first, "latest": course.latest}
        )
    elif course.reliable == "worsened":
        labels.append(
            _("Reliable worsening since the first %(name)s (%(first)d → %(latest)d)")
            % {"name": name, "first": course.first, "latest": course.latest}
        )
    elif course.results > 1:
        labels.append(_("No reliable change since the first result"))
    if course.response:
        labels.append(_("Response: at least half the first score"))
    if course.remission:
        labels.append(_("Remission: below 5"))
    return labels


def score_panels(histories: list[ScoreHistory], today: date) -> list[ScorePanel]:
    panels = []
    for history in histories:
        spec = instruments.INSTRUMENTS[history.instrument]
        points = history.points
        start = min(points[0].day, today - timedelta(days=MIN_SPAN_DAYS))
        latest = points[-1]
        latest_label = str(instruments.SEVERITY_LABELS[latest.severity])
        bands = [
            SeverityBand(
                b.low, b.high, str(instruments.SEVERITY_LABELS[b.severity]), f"sev-{b.severity}"
            )
            for b in spec.bands
        ]
        chart = score_chart(
            chart_id=f"scores-{history.instrument}",
            title=_("%(name)s results") % {"name": spec.name},
            description=_(
                "%(name)s scores from %(first)s to %(last)s over the severity bands; the "
                "latest is %(score)d (%(band)s). Every result is in the table below."
            )
            % {
                "name": spec.name,
                "first": date_format(points[0].day, "j M Y"),
                "last": date_format(latest.day, "j M Y"),
                "score": latest.score,
                "band": latest_label,
            },
            points=[(p.day, p.score) for p in points],
            max_score=spec.max_score,
            bands=bands,
            start=start,
            end=today,
        )
        rows = []
        previous = None
        for p in points:
            change = None if previous is None else p.score - previous
            rows.append((p.day, p.score, str(instruments.SEVERITY_LABELS[p.severity]), change))
            previous = p.score
        panels.append(
            ScorePanel(
                name=spec.name,
                latest=latest.score,
                latest_label=latest_label,
                latest_on=latest.day,
                change_text=change_words(history.course.change),
                labels=course_labels(history.course, spec.name),
                chart=chart,
                bands_text=_("Bands: %(bands)s.")
                % {"bands": ", ".join(f"{b.label.lower()} {b.low}–{b.high}" for b in bands)},
                rows=rows[::-1],
            )
        )
    return panels
