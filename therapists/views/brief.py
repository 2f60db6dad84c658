"""Therapist portal: the "since last session" brief and recording a session date."""

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
from accounts.portal import therapist_required

from ..forms.brief import SessionForm
from ..selectors.brief import brief_since_last_session
from ..services.brief import session_record


@therapist_required
@require_POST
def session_add(request: HttpRequest, client_id: int) -> HttpResponse:
    client = access_client(request.user, client_id)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            session_record(
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
    path("dashboard/clients/<id:client_id>/brief/", brief, name="brief"),
    path("dashboard/clients/<id:client_id>/sessions/", session_add, name="session-add"),
]
