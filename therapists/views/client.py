"""Therapist portal: one client's page (the chart, the flag explanation, medication events
and notes)."""

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.access import access_client
from accounts.audit import audit_record
from accounts.models import AuditAction
from accounts.portal import therapist_required

from ..charts import Band, Line, Marker, Panel, small_multiples
from ..forms.brief import SessionForm
from ..forms.flags import AcknowledgeForm
from ..forms.notes import MedicationNoteForm
from ..selectors.assessments import score_histories
from ..selectors.caseload import caseload_rows
from ..selectors.flags import client_flag_history
from ..selectors.notes import medication_note_list
from ..trends.inputs import window_day_rows
from ..trends.store import client_trend
from .scores import score_panels

CHART_DAYS = 90
PHONE_DAYS = 28  # the newest four weeks: what a phone shows without sideways scrolling


def _markers(events) -> list[Marker]:
    """Medication events numbered in time order; the page lists them beside the chart."""
    return [
        Marker(
            number,
            e.occurred_on,
            f"{date_format(e.occurred_on, 'j M')}: {e.medication} — {e.get_kind_display()}"
            + (f" ({e.dose})" if e.dose else ""),
        )
        for number, e in enumerate(events, start=1)
    ]


def _bands(flags, end) -> list[Band]:
    return [
        Band(
            f.onset or f.raised_at.date(),
            f.resolved_at.date() if f.resolved_at else end,
            f"{f.get_kind_display()}: {f.get_level_display()}",
        )
        for f in flags
        if f.kind in ("blunting", "safety", "worsening")
    ]


def _panels(days, affect: dict) -> list[Panel]:
    busiest = max((d.distinct_emotions_7d or 0 for d in days), default=0)
    feelings_max = max(10, 5 * -(-busiest // 5))  # the busiest week, rounded up to 5
    return [
        Panel(
            _("Felt intensity (0–10)"),
            10,
            (0, 5, 10),
            [Line(_("Felt intensity"), "tc-felt", [(d.date, d.felt_intensity) for d in days])],
        ),
        Panel(
            _("Pleasant and unpleasant (0–10)"),
            10,
            (0, 5, 10),
            [
                Line(_("Pleasant"), "tc-pleasant", [(d, v[0]) for d, v in affect.items()]),
                Line(_("Unpleasant"), "tc-unpleasant", [(d, v[1]) for d, v in affect.items()]),
            ],
        ),
        Panel(
            _("Distinct feelings named in 7 days"),
            feelings_max,
            (0, feelings_max // 2, feelings_max),
            [
                Line(
                    _("Distinct feelings"),
                    "tc-range",
                    [(d.date, d.distinct_emotions_7d) for d in days],
                )
            ],
        ),
        Panel(
            _("Numbness symptoms (0–18)"),
            18,
            (0, 9, 18),
            [
                Line(
                    _("Numbness symptoms"), "tc-symptoms", [(d.date, d.symptom_score) for d in days]
                )
            ],
        ),
        Panel(
            _("Blunting index (0 = usual)"),
            3,
            (-1, 0, 1, 2, 3),
            [Line(_("Blunting index"), "tc-index", [(d.date, d.index) for d in days])],
            y_min=-1,
        ),
    ]


def trend_charts(*, assessment, affect: dict, flags, events, today) -> dict:
    """The 90-day chart for wide screens and the 4-week one for phones, same panels."""
    bands, markers = _bands(flags, today), _markers(events)
    charts = {}
    for name, days, width, step in (("wide", CHART_DAYS, 720, 14), ("narrow", PHONE_DAYS, 360, 7)):
        start = today - timedelta(days=days - 1)
        shown = [d for d in assessment.days if d.date >= start]
        charts[name] = small_multiples(
            chart_id=f"trend-{name}",
            title=_("Last %(days)d days") % {"days": days},
            description=_(
                "Five panels on one time axis: felt intensity, pleasant and unpleasant "
                "feelings, distinct feelings in 7 days, numbness symptoms and the blunting "
                "index. Shaded periods are flags; numbered markers are medication changes, "
                "listed below the chart. The numbers are in the table below."
            ),
            start=start,
            end=today,
            panels=_panels(shown, {d: v for d, v in affect.items() if d >= start}),
            bands=bands,
            markers=markers,
            width=width,
            step_days=step,
        )
    return charts


@therapist_required
def client_page(request: HttpRequest, client_id: int) -> HttpResponse:
    client = access_client(request.user, client_id)
    today = client.local_today()
    start = today - timedelta(days=CHART_DAYS - 1)
    trend = client_trend(client.pk, today, viewer=request.user)
    assessment = trend.assessment
    flags = list(
        client_flag_history(viewer=request.user, client=client, since=start).prefetch_related(
            "notes__therapist"
        )
    )
    shown_events = [e for e in trend.events if e.occurred_on >= start]
    affect = {
        day: (pleasant, unpleasant)
        for day, pleasant, unpleasant in window_day_rows(client.pk, today, viewer=request.user)
        .filter(date__gte=start)
        .values_list("date", "positive_affect", "negative_affect")
    }
    histories = score_histories(viewer=request.user, client=client)
    row = caseload_rows(viewer=request.user, client_id=client.pk)[0]
    audit_record(
        request=request, action=AuditAction.READ, subject=client, object_type="client_page"
    )
    context = {
        "client": client,
        "row": row,
        "flags": flags,
        "current_flags": [f for f in flags if f.is_current],
        "closed_flags": sorted(
            (f for f in flags if not f.is_current),
            key=lambda f: f.resolved_at or f.raised_at,
            reverse=True,
        ),
        # Formatted here: the date filter would show it in the viewer's own time zone.
        "client_time": client.local_now().strftime("%H:%M"),
        "charts": trend_charts(
            assessment=assessment, affect=affect, flags=flags, events=shown_events, today=today
        ),
        "markers": _markers(shown_events),
        "table": [
            (d, affect.get(d.date, (None, None)))
            for d in assessment.days
            if d.date >= start and d.checkins
        ][::-1],
        "events": shown_events[::-1],
        "scores": score_panels(histories, today),
        "notes": medication_note_list(viewer=request.user, client=client)[:20],
        "ack_form": AcknowledgeForm(),
        "note_form": MedicationNoteForm(events=shown_events[::-1]),
        "session_form": SessionForm(),
        "assessment": assessment,
    }
    return render(request, "therapists/client.html", context)


urlpatterns = [
    path("dashboard/clients/<id:client_id>/", client_page, name="client"),
]
