"""Therapist portal: one client's page (the chart, the flag explanation, medication events
and notes)."""

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from accounts.access import access_client
from accounts.audit import audit_record
from accounts.models import AuditAction
from accounts.portal import therapist_required

from .. import trends
from ..charts import Band, Marker, Series, trend_chart
from ..forms.brief import SessionForm
from ..forms.flags import AcknowledgeForm
from ..forms.notes import MedicationNoteForm
from ..selectors.caseload import caseload_rows
from ..selectors.flags import client_flag_history
from ..selectors.notes import medication_note_list
from ..trends.cache import client_assessment

CHART_DAYS = 90


def _chart(assessment: trends.Assessment, flags, events, start, end) -> str:
    shown = [d for d in assessment.days if d.date >= start]
    series = [
        Series(
            _("Felt intensity (0–10)"), [(d.date, d.felt_intensity) for d in shown], "s-felt", 10
        ),
        Series(
            _("Distinct feelings, 7 days"),
            [(d.date, d.distinct_emotions_7d) for d in shown],
            "s-range",
            # Scaled to the busiest week (at least 20), so a wide range is never cut off.
            max(20, 10 * -(-max((d.distinct_emotions_7d or 0 for d in shown), default=0) // 10)),
        ),
        Series(
            _("Numbness symptoms (0–18)"),
            [(d.date, d.symptom_score) for d in shown],
            "s-symptoms",
            18,
        ),
        Series(
            _("Blunting index"),
            [(d.date, None if d.index is None else max(0.0, d.index) * 2) for d in shown],
            "s-index",
            10,
        ),
    ]
    bands = [
        Band(
            f.onset or f.raised_at.date(),
            (f.resolved_at.date() if f.resolved_at else end),
            f"{f.get_kind_display()}: {f.get_level_display()}",
        )
        for f in flags
        if f.kind in ("blunting", "safety", "worsening")
    ]
    markers = [
        Marker(e.occurred_on, f"{e.medication} {e.get_kind_display().lower()}") for e in events
    ]
    return trend_chart(
        title=_("Last %(days)d days") % {"days": CHART_DAYS},
        description=_(
            "Felt intensity, distinct feelings per week, numbness symptoms and the blunting index by day; shaded periods are flags, dotted lines are medication events. The same data is in the table below."
        ),
        start=start,
        end=end,
        series=series,
        bands=bands,
        markers=markers,
    )


@therapist_required
def client_page(request: HttpRequest, client_id: int) -> HttpResponse:
    client = access_client(request.user, client_id)
    today = client.local_now().date()
    start = today - timedelta(days=CHART_DAYS - 1)
    trend = client_assessment(client.pk, today, viewer=request.user)
    assessment = trend.assessment
    flags = list(client_flag_history(viewer=request.user, client=client, since=start))
    shown_events = [e for e in trend.events if e.occurred_on >= start]
    row = caseload_rows(viewer=request.user, client_id=client.pk)[0]
    audit_record(
        request=request, action=AuditAction.READ, subject=client, object_type="client_page"
    )
    context = {
        "client": client,
        "row": row,
        "flags": flags,
        "current_flags": [f for f in flags if f.is_current],
        "chart": _chart(assessment, flags, shown_events, start, today),
        "table": [d for d in assessment.days if d.date >= start and d.checkins][::-1],
        "events": shown_events[::-1],
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
