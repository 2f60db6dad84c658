"""Therapist portal: adding a medication note."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import access_client
from accounts.audit import audit_record
from accounts.models import AuditAction
from accounts.portal import therapist_required
from journal.selectors.medications import medication_event_list

from ..access.notes import access_client_medication_event
from ..forms.notes import MedicationNoteForm
from ..services.notes import medication_note_create


@therapist_required
@require_POST
def medication_note_add(request: HttpRequest, client_id: int) -> HttpResponse:
    client = access_client(request.user, client_id)
    form = MedicationNoteForm(request.POST, events=medication_event_list(request.user, client))
    if form.is_valid():
        event_id = form.cleaned_data["medication_event"]
        event = access_client_medication_event(request.user, client, event_id) if event_id else None
        note = medication_note_create(
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


urlpatterns = [
    path(
        "dashboard/clients/<id:client_id>/medication-notes/",
        medication_note_add,
        name="medication-note-add",
    ),
]
