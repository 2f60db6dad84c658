"""The client's home (/): today's check-in, what is due, the last two weeks, the library.

Everything comes from selectors; the library arrives from companion (which journal must
not import) as ``extra`` context handed in by companion.views.home.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from accounts.selectors import care_team_list
from journal.models import CheckIn
from journal.selectors.assessments import assessments_due
from journal.selectors.checkins import InsightDay, checkin_latest, insights_get
from journal.selectors.homework import homework_list, homework_progress
from journal.svg import num, stretches, svg, trace, y_grid

SPARK_DAYS = 14
# The plot area inside the SVG's own units; the margins hold the axis labels (0, 5, 10 on
# the left, the first and last day below).
SPARK_W, SPARK_H, SPARK_PAD = 300, 96, 6
SPARK_LEFT, SPARK_BOTTOM = 26, 22


def _spark_xy(index: int, value: float) -> tuple[float, float]:
    x = SPARK_LEFT + (SPARK_W - SPARK_LEFT - SPARK_PAD) * index / (SPARK_DAYS - 1)
    y = SPARK_PAD + (SPARK_H - SPARK_BOTTOM - SPARK_PAD) * (1 - value / 10)
    return x, y


def felt_sparkline(days: list[InsightDay]) -> SafeString:
    """A small line of felt intensity (0–10), broken where a day has no check-in.

    Decorative for assistive technology (aria-hidden): the page states the same in words.
    """
    runs = stretches((index, day.felt_intensity) for index, day in enumerate(days))
    coords = [[_spark_xy(index, value) for index, value in run] for run in runs]
    grid = y_grid(
        (0, 5, 10),
        lambda value: _spark_xy(0, value)[1],
        left=SPARK_LEFT,
        right=SPARK_W - SPARK_PAD,
        line_css="spark-grid",
        text_css="spark-label",
    )
    first_x, last_x = _spark_xy(0, 0)[0], _spark_xy(SPARK_DAYS - 1, 0)[0]
    first_day = escape(date_format(days[0].date, "j M")) if days else ""
    dates = (
        f'<text class="spark-label" x="{num(first_x)}" y="{SPARK_H - 4}">{first_day}</text>'
        f'<text class="spark-label" x="{num(last_x)}" y="{SPARK_H - 4}" text-anchor="end">'
        f"{escape(_('today'))}</text>"
    )
    line = trace(coords, "spark-line", radius=3, every_dot=True, dot_css="spark-dot")
    return svg(grid + dates + line, width=SPARK_W, height=SPARK_H, css="sparkline")


def felt_summary(days: list[InsightDay], latest: CheckIn | None) -> str:
    """The sparkline in words. Days are averages; "most recently" is the last check-in
    itself, so the number just entered is the number read back."""
    values = [d.felt_intensity for d in days if d.felt_intensity is not None]
    if not values or latest is None:
        return _("No check-ins in the last two weeks yet. Whenever you are ready.")
    return _(
        "You checked in on %(count)d of the last 14 days. How much you could feel (the "
        "average of each day) ranged from %(low)s to %(high)s out of 10. Your latest "
        "check-in (%(date)s, %(time)s): %(last)d out of 10."
    ) % {
        "count": len(values),
        "low": f"{min(values):g}",
        "high": f"{max(values):g}",
        "last": latest.felt_intensity,
        "date": date_format(timezone.localtime(latest.occurred_at), "l j F"),
        "time": time_format(timezone.localtime(latest.occurred_at), "TIME_FORMAT"),
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
        "spark_summary": felt_summary(insights.days, checkin_latest(viewer=user)),
        "spark_days": insights.days,
        **(extra or {}),
    }
    return render(request, "journal/home.html", context)
