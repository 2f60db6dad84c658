"""Therapist portal pages: caseload, client page (chart, drivers, flags, notes), brief."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import access_client
from accounts.audit import audit_reads, audit_record
from accounts.models import AuditAction

from . import services, trends
from .access import access_client_medication_event, access_flag
from .brief import brief_since_last_session
from .charts import Band, Marker, Series, trend_chart
from .forms.brief import SessionForm
from .forms.flags import AcknowledgeForm
from .forms.notes import MedicationNoteForm
from .selectors import caseload_rows, client_flag_history, medication_note_list
from .trend_cache import client_assessment

CHART_DAYS = 90


def therapist_required(view):
    @login_required
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_therapist:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@therapist_required
def dashboard(request: HttpRequest) -> HttpResponse:
    rows = caseload_rows(viewer=request.user)
    audit_reads(request=request, subject_ids=[row.id for row in rows], object_type="caseload_page")
    return render(request, "therapists/dashboard.html", {"rows": rows})


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


@therapist_required
@require_POST
def flag_acknowledge(request: HttpRequest, flag_id: int) -> HttpResponse:
    form = AcknowledgeForm(request.POST)
    with transaction.atomic():
        flag = access_flag(request.user, flag_id)
        if form.is_valid():
            try:
                services.flag_acknowledge(flag=flag, therapist=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for errors in exc.message_dict.values():
                    for error in errors:
                        messages.error(request, error)
            else:
                audit_record(
                    request=request,
                    action=AuditAction.ACKNOWLEDGE,
                    subject=flag.client_id,
                    obj=flag,
                )
                messages.success(request, _("Flag acknowledged."))
    return redirect("therapists:client", client_id=flag.client_id)


@therapist_required
@require_POST
def medication_note_add(request: HttpRequest, client_id: int) -> HttpResponse:
    client = access_client(request.user, client_id)
    form = MedicationNoteForm(request.POST, events=client.medication_events.all())
    if form.is_valid():
        event_id = form.cleaned_data["medication_event"]
        event = access_client_medication_event(request.user, client, event_id) if event_id else None
        note = services.medication_note_create(
            therapist=request.user,
            client=client,
            text=form.cleaned_data["text"],
            medication_event=event,
            shared_with_care_team=form.cleaned_data["shared_with_care_team"],
        )
        audit_record(request=request, action=AuditAction.CREATE, subject=client, obj=note)
        messages.success(request, _("Note added to the timeline."))
    else:
        messages.error(request, _("The note was not saved: write some text first."))
    return redirect("therapists:client", client_id=client.pk)


@therapist_required
@require_POST
def session_add(request: HttpRequest, client_id: int) -> HttpResponse:
    client = access_client(request.user, client_id)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            services.session_record(
                therapist=request.user, client=client, held_on=form.cleaned_data["held_on"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Session recorded."))
    else:
        messages.error(request, _("Give the session date."))
    return redirect("therapists:brief", client_id=client.pk)


@therapist_required
def brief(request: HttpRequest, client_id: int) -> HttpResponse:
    client = access_client(request.user, client_id)
    audit_record(request=request, action=AuditAction.READ, subject=client, object_type="brief")
    context = {
        "client": client,
        "brief": brief_since_last_session(viewer=request.user, client=client),
        "session_form": SessionForm(),
    }
    return render(request, "therapists/brief.html", context)


urlpatterns = [
    path("dashboard/", dashboard, name="dashboard"),
    path("dashboard/clients/<id:client_id>/", client_page, name="client"),
    path("dashboard/clients/<id:client_id>/brief/", brief, name="brief"),
    path(
        "dashboard/clients/<id:client_id>/medication-notes/",
        medication_note_add,
        name="medication-note-add",
    ),
    path("dashboard/clients/<id:client_id>/sessions/", session_add, name="session-add"),
    path("dashboard/flags/<id:flag_id>/acknowledge/", flag_acknowledge, name="flag-acknowledge"),
]
