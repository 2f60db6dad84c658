"""Client portal pages: homework, medications, questionnaires. No JavaScript needed."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role

from .. import instruments
from ..access_care import access_own_homework, access_own_medication_event
from ..forms_care import AssessmentForm, HomeworkLogForm, MedicationEventForm
from ..markdown import render_markdown
from ..selectors import care as selectors
from ..services import care as services


def client_only(view: Callable) -> Callable:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.role != Role.CLIENT:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def apply_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        target = field if field in form.fields else None
        for error in errors:
            form.add_error(target, error)


# --- Homework ---------------------------------------------------------------------------


def _homework_context(request: HttpRequest, bound: dict | None = None) -> dict:
    assignments = list(selectors.homework_list(viewer=request.user))
    progress = selectors.homework_progress(assignments, client=request.user)
    today, week, other = [], [], []
    for assignment in assignments:
        assignment.progress = progress[assignment.pk]
        ratio = assignment.progress.adherence_14d
        assignment.adherence_pct = None if ratio is None else round(ratio * 100)
        assignment.instructions_html = render_markdown(assignment.instructions)
        prefix = f"hw{assignment.pk}"
        assignment.log_form = (bound or {}).get(assignment.pk) or HomeworkLogForm(prefix=prefix)
        if assignment.progress.due_today:
            today.append(assignment)
        elif assignment.progress.due_this_week:
            week.append(assignment)
        else:
            other.append(assignment)
    return {"due_today": today, "this_week": week, "other": other, "has_any": bool(assignments)}


@client_only
def homework_page(request: HttpRequest) -> HttpResponse:
    return render(request, "journal/homework.html", _homework_context(request))


@client_only
@require_POST
def homework_log(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = access_own_homework(request.user, assignment_id)
    form = HomeworkLogForm(request.POST, prefix=f"hw{assignment.pk}")
    if form.is_valid():
        try:
            services.homework_log_create(
                client=request.user, assignment=assignment, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Logged. Thank you for making time for this."))
            return redirect("journal:homework")
    context = _homework_context(request, bound={assignment.pk: form})
    return render(request, "journal/homework.html", context, status=400)


# --- Medications ------------------------------------------------------------------------


@client_only
def medications_page(request: HttpRequest) -> HttpResponse:
    form = MedicationEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.medication_event_create(client=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved to your medication history."))
            return redirect("journal:medications")
    context = {
        "current": selectors.current_medications(request.user),
        "events": selectors.medication_event_list(request.user, request.user)[:100],
        "form": form,
    }
    return render(request, "journal/medications.html", context, status=400 if form.errors else 200)


@client_only
def medication_edit(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_own_medication_event(request.user, event_id)
    initial = {
        f: getattr(event, f)
        for f in ("medication", "kind", "dose", "side_effect", "occurred_on", "note")
    }
    form = MedicationEventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.medication_event_update(event=event, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your change is saved."))
            return redirect("journal:medications")
    return render(
        request,
        "journal/medications_edit.html",
        {"form": form, "event": event},
        status=400 if form.errors else 200,
    )


@client_only
@require_POST
def medication_delete(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_own_medication_event(request.user, event_id)
    services.medication_event_delete(event=event)
    messages.success(request, _("That entry is removed."))
    return redirect("journal:medications")


# --- Questionnaires ---------------------------------------------------------------------


@client_only
def assessments_page(request: HttpRequest) -> HttpResponse:
    context = {
        "due": selectors.assessments_due(request.user),
        "instruments": list(instruments.INSTRUMENTS.values()),
        "recent": selectors.assessment_list(viewer=request.user)[:10],
    }
    return render(request, "journal/assessments.html", context)


@client_only
def assessment_take(request: HttpRequest, instrument: str) -> HttpResponse:
    if instrument not in instruments.INSTRUMENTS:
        raise Http404
    form = AssessmentForm(request.POST or None, instrument=instrument)
    if request.method == "POST" and form.is_valid():
        try:
            assessment, signal = services.assessment_submit(
                client=request.user, instrument=instrument, answers=form.answers()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if signal is not None:
                return redirect("/safety/?from=assessment")
            return redirect("journal:assessment-result", assessment_id=assessment.pk)
    return render(
        request,
        "journal/assessment_take.html",
        {"form": form, "spec": form.spec},
        status=400 if form.errors else 200,
    )


@client_only
def assessment_result(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = get_object_or_404(selectors.assessment_list(viewer=request.user), pk=assessment_id)
    spec = instruments.spec(assessment.instrument)
    return render(
        request,
        "journal/assessment_result.html",
        {
            "assessment": assessment,
            "spec": spec,
            "severity_label": instruments.SEVERITY_LABELS[assessment.severity],
            "gentle": instruments.SEVERITY_GENTLE[assessment.severity],
        },
    )


urlpatterns = [
    path("homework/", homework_page, name="homework"),
    path("homework/<id:assignment_id>/log/", homework_log, name="homework-log"),
    path("medications/", medications_page, name="medications"),
    path("medications/<id:event_id>/edit/", medication_edit, name="medication-edit"),
    path("medications/<id:event_id>/delete/", medication_delete, name="medication-delete"),
    path("assessments/", assessments_page, name="assessments"),
    path("assessments/results/<id:assessment_id>/", assessment_result, name="assessment-result"),
    path("assessments/<slug:instrument>/", assessment_take, name="assessment-take"),
]
