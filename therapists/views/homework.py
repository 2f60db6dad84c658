"""Therapist portal: a client's homework page (assign, pause, resume, end, adherence, shared
reflections) and the questionnaire schedule form it shows."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import access_client
from accounts.audit import audit_record
from accounts.models import AuditAction
from accounts.portal import apply_service_errors, therapist_required
from journal.access.homework import access_client_homework
from journal.selectors import assessments as assessment_selectors
from journal.selectors import homework as selectors
from journal.selectors.homework import homework_template_list
from journal.services import homework as services

from ..forms.assessments import AssessmentScheduleForm
from ..forms.homework import AssignHomeworkForm, HomeworkStatusForm


def homework_page(
    request: HttpRequest, client, form, schedule_form, status: int = 200
) -> HttpResponse:
    assignments = list(selectors.client_homework_list(viewer=request.user, client=client))
    progress = selectors.homework_progress(assignments, client=client)
    for assignment in assignments:
        assignment.progress = progress[assignment.pk]
        ratio = assignment.progress.adherence_14d
        assignment.adherence_pct = None if ratio is None else round(ratio * 100)
    overall = selectors.homework_adherence_14d([client])[client.pk]
    audit_record(
        request=request,
        action=AuditAction.READ,
        subject=client,
        object_type="journal.homeworkassignment",
    )
    context = {
        "client": client,
        "assignments": assignments,
        "overall_pct": None if overall is None else round(overall * 100),
        "reflections": selectors.homework_log_list(
            viewer=request.user, client=client, shared_only=True
        )[:20],
        "schedules": assessment_selectors.assessment_schedule_list(
            viewer=request.user, client=client
        ),
        "form": form,
        "schedule_form": schedule_form,
    }
    return render(request, "therapists/homework.html", context, status=status)


@therapist_required
def client_homework(request: HttpRequest, client_id: int) -> HttpResponse:
    client = access_client(request.user, client_id)
    templates = homework_template_list(viewer=request.user).order_by("category", "title")
    form = AssignHomeworkForm(request.POST or None, templates=templates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment = services.homework_assign(
                therapist=request.user,
                client=client,
                template_id=data["template"].pk if data["template"] else None,
                title=data["title"],
                instructions=data["instructions"],
                frequency=data["frequency"] or None,
                times_per_week=data["times_per_week"],
                due_on=data["due_on"],
                save_as_template=data["save_as_template"],
                category=data["category"] or "other",
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            audit_record(request=request, action=AuditAction.CREATE, subject=client, obj=assignment)
            messages.success(request, _("Homework assigned."))
            return redirect("therapists:client-homework", client_id=client.pk)
    status = 400 if form.errors else 200
    return homework_page(request, client, form, AssessmentScheduleForm(), status)


@therapist_required
@require_POST
def client_homework_status(
    request: HttpRequest, client_id: int, assignment_id: int
) -> HttpResponse:
    client = access_client(request.user, client_id)
    assignment = access_client_homework(request.user, client, assignment_id)
    form = HomeworkStatusForm(request.POST)
    if form.is_valid():
        try:
            services.homework_set_status(assignment=assignment, status=form.cleaned_data["status"])
        except ValidationError as exc:
            for errors in exc.message_dict.values():
                for error in errors:
                    messages.error(request, error)
        else:
            audit_record(request=request, action=AuditAction.UPDATE, subject=client, obj=assignment)
            messages.success(
                request,
                _("“%(title)s” is now %(status)s.")
                % {"title": assignment.title, "status": assignment.get_status_display().lower()},
            )
    else:
        messages.error(request, _("Choose active, paused or ended."))
    return redirect("therapists:client-homework", client_id=client.pk)


urlpatterns = [
    path("dashboard/clients/<id:client_id>/homework/", client_homework, name="client-homework"),
    path(
        "dashboard/clients/<id:client_id>/homework/<id:assignment_id>/status/",
        client_homework_status,
        name="client-homework-status",
    ),
]
