"""Therapist portal: scheduling a questionnaire for a client."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import access_client
from accounts.audit import audit_record
from accounts.models import AuditAction
from accounts.portal import apply_service_errors, therapist_required
from journal.selectors.homework import homework_template_list
from journal.services import assessments as assessment_services

from ..forms.assessments import AssessmentScheduleForm
from ..forms.homework import AssignHomeworkForm
from .homework import homework_page


@therapist_required
@require_POST
def client_assessment_schedule(request: HttpRequest, client_id: int) -> HttpResponse:
    client = access_client(request.user, client_id)
    form = AssessmentScheduleForm(request.POST)
    if form.is_valid():
        try:
            schedule = assessment_services.assessment_schedule_set(
                therapist=request.user, client=client, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            audit_record(request=request, action=AuditAction.CREATE, subject=client, obj=schedule)
            messages.success(request, _("Questionnaire scheduled."))
            return redirect("therapists:client-homework", client_id=client.pk)
    templates = homework_template_list(viewer=request.user).order_by("category", "title")
    return homework_page(request, client, AssignHomeworkForm(templates=templates), form, status=400)


urlpatterns = [
    path(
        "dashboard/clients/<id:client_id>/assessment-schedules/",
        client_assessment_schedule,
        name="client-assessment-schedule",
    ),
]
