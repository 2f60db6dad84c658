"""The client's home (/): today's check-in, what is due, the last two weeks, the library.

Everything comes from selectors; the library arrives from companion (which journal must
not import) as ``extra`` context handed in by companion.views.home.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from accounts.selectors import care_team_list
from journal.selectors.assessments import assessments_due
from journal.selectors.checkins import InsightDay, insights_get
from journal.selectors.homework import homework_list, homework_progress

SPARK_DAYS = 14
SPARK_W, SPARK_H, SPARK_PAD = 280, 64, 6


def _spark_xy(index: int, value: float) -> tuple[float, float]:
    x = SPARK_PAD + (SPARK_W - 2 * SPARK_PAD) * index / (SPARK_DAYS - 1)
    y = SPARK_PAD + (SPARK_H - 2 * SPARK_PAD) * (1 - value / 10)
    return x, y


def felt_sparkline(days: list[InsightDay]) -> SafeString:
    """A small line of felt intensity (0–10), broken where a day has no check-in.

    Decorative for assistive technology (aria-hidden): the page states the same in words.
    """
    segments: list[list[tuple[float, float]]] = [[]]
    for index, day in enumerate(days):
        if day.felt_intensity is None:
            if segments[-1]:
                segments.append([])
            continue
        segments[-1].append(_spark_xy(index, day.felt_intensity))
    lines = format_html_join(
        "",
        '<polyline class="spark-line" points="{}"/>',
        ((" ".join(f"{x:.1f},{y:.1f}" for x, y in seg),) for seg in segments if len(seg) > 1),
    )
    dots = format_html_join(
        "",
        '<circle class="spark-dot" cx="{}" cy="{}" r="3"/>',
        ((f"{x:.1f}", f"{y:.1f}") for seg in segments for x, y in seg),
    )
    return format_html(
        '<svg class="sparkline" viewBox="0 0 {} {}" aria-hidden="true" focusable="false">'
        '<line class="spark-base" x1="{}" x2="{}" y1="{}" y2="{}"/>{}{}</svg>',
        SPARK_W,
        SPARK_H,
        SPARK_PAD,
        SPARK_W - SPARK_PAD,
        SPARK_H - SPARK_PAD,
        SPARK_H - SPARK_PAD,
        lines,
        dots,
    )


def felt_summary(days: list[InsightDay]) -> str:
    values = [d.felt_intensity for d in days if d.felt_intensity is not None]
    if not values:
        return _("No check-ins in the last two weeks yet. Whenever you are ready.")
    latest = next(d for d in reversed(days) if d.felt_intensity is not None)
    return _(
        "You checked in on %(count)d of the last 14 days. How much you could feel ranged "
        "from %(low)s to %(high)s out of 10; most recently %(last)s on %(date)s."
    ) % {
        "count": len(values),
        "low": f"{min(values):g}",
        "high": f"{max(values):g}",
        "last": f"{latest.felt_intensity:g}",
        "date": date_format(latest.date, "l j F"),
    }


@login_required
def client_home(request: HttpRequest, *, extra: dict | None = None) -> HttpResponse:
    user = request.user
    today = user.local_now().date()
    insights = insights_get(viewer=user, days=SPARK_DAYS, today=today)
    assignments = list(homework_list(viewer=user))
    progress = homework_progress(assignments, client=user)
    homework_due = [a for a in assignments if progress[a.pk].due_today]
    context = {
        "team": care_team_list(viewer=user),
        "today": today,
        "checked_in_today": insights.days[-1].checkins,
        "homework_due": homework_due,
        "assessments_due": assessments_due(user, today),
        "spark_svg": felt_sparkline(insights.days),
        "spark_summary": felt_summary(insights.days),
        "spark_days": insights.days,
        **(extra or {}),
    }
    return render(request, "journal/home.html", context)
