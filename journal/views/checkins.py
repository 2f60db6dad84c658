"""Client portal: check in, see what was saved, look back (history) and see patterns (insights).

Server-rendered and complete without JavaScript; htmx only boosts the forms (hx-boost)
so a submit swaps the page in place. Every check-in is fetched through
journal.access.access_checkin; pages read from selectors.
"""

import uuid
from datetime import date

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from accounts.limits import EARLIEST_DATE
from accounts.portal import apply_service_errors, client_required
from accounts.selectors import care_team_list
from journal import charts
from journal.access.checkins import access_checkin
from journal.forms.checkins import (
    SYMPTOM_QUESTIONS,
    SYMPTOM_SCALE,
    CheckInForm,
    HistoryFilterForm,
    checkin_initial,
    feelings_step,
    update_kwargs,
)
from journal.selectors.checkins import (
    INSIGHT_RANGES,
    checkin_calendar,
    checkin_list,
    emotion_quick_list,
    emotion_tree,
    emotion_tree_flat,
    insights_get,
    trigger_list,
)
from journal.services.checkins import (
    EDIT_WINDOW_DAYS,
    checkin_create,
    checkin_create_once,
    checkin_delete,
    checkin_editable,
    checkin_update,
)

HISTORY_PAGE_SIZE = 30


def _team_names(request: HttpRequest) -> list[str]:
    return [rel.therapist.display_name for rel in care_team_list(viewer=request.user)]


def _checkin_page(request, *, checkin=None) -> HttpResponse:
    """The check-in form, new (``checkin`` None) or changing a stored one."""
    tree = emotion_tree()
    vocabulary = emotion_tree_flat(tree)
    form = CheckInForm(
        request.POST or None,
        initial=checkin_initial(checkin) if checkin else {"client_uuid": uuid.uuid4()},
        emotions=vocabulary,
        triggers=list(trigger_list()),
    )
    if request.method == "POST" and form.is_valid():
        try:
            if checkin is None:
                fields = form.service_kwargs()
                if "client_uuid" in fields:
                    saved, _created = checkin_create_once(client=request.user, **fields)
                else:
                    saved = checkin_create(client=request.user, **fields)
            else:
                saved = checkin_update(checkin=checkin, **update_kwargs(form, checkin))
        except ValidationError as exc:
            apply_service_errors(form, exc, on_form=("symptom",))
        else:
            if checkin is not None:
                messages.success(request, _("Your changes are saved."))
            return redirect("journal:checkin-saved", pk=saved.pk)
    return render(
        request,
        "journal/checkin.html",
        {
            "form": form,
            "checkin": checkin,
            "edit_window_days": EDIT_WINDOW_DAYS,
            "feelings": feelings_step(
                tree, emotion_quick_list(viewer=request.user, vocabulary=vocabulary), form
            ),
            "team": _team_names(request),
        },
    )


@client_required
@require_http_methods(["GET", "POST"])
def checkin_view(request: HttpRequest) -> HttpResponse:
    return _checkin_page(request)


@require_http_methods(["GET"])
def checkin_shell_view(request: HttpRequest) -> HttpResponse:
    """The check-in form as anyone sees it, for the service worker to keep on the device
    (companion/pwa.py): the starter feelings, no one's recent ones, no care team, no name.
    Its script keeps a check-in in the device's outbox; nothing is posted from here."""
    anyone = AnonymousUser()
    tree = emotion_tree()
    vocabulary = emotion_tree_flat(tree)
    form = CheckInForm(emotions=vocabulary, triggers=list(trigger_list()))
    return render(
        request,
        "journal/checkin.html",
        {
            "form": form,
            "checkin": None,
            "shell": True,
            "user": anyone,
            "feelings": feelings_step(
                tree, emotion_quick_list(viewer=anyone, vocabulary=vocabulary), form
            ),
            "team": [],
        },
    )


def _editable_checkin(request: HttpRequest, pk: int):
    """The viewer's own check-in while it may still be changed; 404 otherwise (another
    client's, missing, or past the window: History no longer offers it either)."""
    checkin = access_checkin(request.user, pk)
    if not checkin_editable(checkin):
        raise Http404
    return checkin


@client_required
@require_http_methods(["GET", "POST"])
def checkin_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _checkin_page(request, checkin=_editable_checkin(request, pk))


@client_required
@require_http_methods(["GET", "POST"])
def checkin_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    checkin = _editable_checkin(request, pk)
    if request.method == "POST":
        checkin_delete(checkin=checkin)
        messages.success(request, _("That check-in is removed."))
        return redirect("journal:history")
    return render(request, "journal/checkin_delete.html", {"checkin": checkin})


@client_required
def checkin_saved_view(request: HttpRequest, pk: int) -> HttpResponse:
    checkin = access_checkin(request.user, pk)
    symptoms = [(SYMPTOM_QUESTIONS[key], value) for key, value in checkin.symptoms.items()]
    scale = dict(SYMPTOM_SCALE)
    return render(
        request,
        "journal/checkin_saved.html",
        {
            "checkin": checkin,
            "editable": checkin_editable(checkin),
            "symptoms": [(question, value, scale[value]) for question, value in symptoms],
            "team": _team_names(request),
        },
    )


@client_required
def history_view(request: HttpRequest) -> HttpResponse:
    # Only the dates bind the filter: ?month= alone moves the calendar, it filters nothing.
    filtering = {"since", "until"} & set(request.GET)
    form = HistoryFilterForm(request.GET if filtering else None)
    since = until = None
    if form.is_bound and form.is_valid():
        since, until = form.cleaned_data["since"], form.cleaned_data["until"]
    checkins = checkin_list(viewer=request.user, since=since, until=until)
    page = Paginator(checkins, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    for checkin in rows:
        checkin.editable = checkin_editable(checkin)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("month", None)
    today = request.user.local_today()
    return render(
        request,
        "journal/history.html",
        {
            "form": form,
            "page": page,
            "checkins": rows,
            "query": query.urlencode(),
            "calendar": checkin_calendar(
                viewer=request.user,
                month=_month(request.GET.get("month"), until, today),
                today=today,
            ),
            "edit_window_days": EDIT_WINDOW_DAYS,
            "weekdays": WEEKDAYS,
        },
    )


# Monday first, as the calendar's weeks are: (short, full) names.
WEEKDAYS = [
    (_lazy("Mon"), _lazy("Monday")),
    (_lazy("Tue"), _lazy("Tuesday")),
    (_lazy("Wed"), _lazy("Wednesday")),
    (_lazy("Thu"), _lazy("Thursday")),
    (_lazy("Fri"), _lazy("Friday")),
    (_lazy("Sat"), _lazy("Saturday")),
    (_lazy("Sun"), _lazy("Sunday")),
]


def _month(raw: str | None, until: date | None, today: date) -> date:
    """The calendar's month: ?month=YYYY-MM when it is a real month not in the future,
    else the month of the "To" filter, else this month."""
    try:
        year, month = (int(part) for part in (raw or "").split("-"))
        chosen = date(year, month, 1)
    except (ValueError, OverflowError):  # OverflowError: a year past what C can hold
        chosen = (until or today).replace(day=1)
    return min(chosen, today.replace(day=1)) if chosen >= EARLIEST_DATE else today.replace(day=1)


@client_required
def insights_view(request: HttpRequest) -> HttpResponse:
    try:
        days = int(request.GET.get("days", INSIGHT_RANGES[0]))
    except ValueError:
        days = INSIGHT_RANGES[0]
    if days not in INSIGHT_RANGES:
        days = INSIGHT_RANGES[0]
    data = insights_get(viewer=request.user, days=days, today=request.user.local_now().date())
    return render(
        request,
        "journal/insights.html",
        {"insights": data, "ranges": INSIGHT_RANGES, "charts": _insight_charts(data)},
    )


def _described(values: list[float], unit: str) -> str:
    if not values:
        return _("No check-ins in this period yet.")
    return _("%(count)d values, from %(low)s to %(high)s %(unit)s; average %(mean)s.") % {
        "count": len(values),
        "low": f"{min(values):g}",
        "high": f"{max(values):g}",
        "unit": unit,
        "mean": f"{sum(values) / len(values):.1f}",
    }


def _insight_charts(data) -> dict:
    felt = [charts.Point(d.date, d.felt_intensity) for d in data.days]
    symptoms = [charts.Point(d.date, d.symptom_score) for d in data.days]
    weeks = [charts.Point(w.start, w.distinct_emotions) for w in data.weeks]
    felt_values = [p.value for p in felt if p.value is not None]
    symptom_values = [p.value for p in symptoms if p.value is not None]
    week_values = [p.value for p in weeks if p.value is not None]
    range_max = max([10, *week_values])
    gaps = _("Days without a check-in are left as gaps.")
    return {
        "felt": charts.line_chart(
            chart_id="chart-felt",
            title=_("How much you could feel, day by day"),
            desc=f"{_described(felt_values, _('out of 10'))} {gaps}",
            points=felt,
            y_max=10,
            y_ticks=[0, 5, 10],
            css="j-felt",
        ),
        "range": charts.bar_chart(
            chart_id="chart-range",
            title=_("Different feelings you named, week by week"),
            desc=f"{_described(week_values, _('feelings'))} {_('Weeks without a check-in show a short dash.')}",
            points=weeks,
            y_max=range_max,
            y_ticks=[0, range_max // 2, range_max],
            css="j-range",
        ),
        "symptoms": charts.line_chart(
            chart_id="chart-symptoms",
            title=_("Numbness questions, day by day"),
            desc=f"{_described(symptom_values, _('out of 18'))} {gaps}",
            points=symptoms,
            y_max=18,
            y_ticks=[0, 9, 18],
            css="j-symptoms",
        ),
    }


urlpatterns = [
    path("checkin/", checkin_view, name="checkin"),
    path("checkin/shell/", checkin_shell_view, name="checkin-shell"),
    path("checkin/saved/<id:pk>/", checkin_saved_view, name="checkin-saved"),
    path("history/<id:pk>/edit/", checkin_edit_view, name="checkin-edit"),
    path("history/<id:pk>/delete/", checkin_delete_view, name="checkin-delete"),
    path("history/", history_view, name="history"),
    path("insights/", insights_view, name="insights"),
]
