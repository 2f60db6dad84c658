"""Client portal pages for medications: current medications, history, add, edit, delete."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.portal import apply_service_errors, client_required

from ..access.medications import access_own_medication_event
from ..forms.medications import MedicationEventForm
from ..selectors import medications as selectors
from ..services import medications as services


@client_required
def medications_page(request: HttpRequest) -> HttpResponse:
    names = selectors.medication_name_list(request.user)
    initial = {"occurred_on": request.user.local_today()}
    if request.GET.get("medication") in names:  # "Note a change" beside a current medication
        initial["medication"] = request.GET["medication"]
    form = MedicationEventForm(request.POST or None, initial=initial, names=names)
    if request.method == "POST" and form.is_valid():
        try:
            services.medication_event_create(client=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Saved to your medication history."))
            return redirect("journal:medications")
    context = {
        "current": selectors.current_medications(request.user),
        "events": selectors.medication_event_list(request.user, request.user)[:100],
        "form": form,
        "names": names,
    }
    return render(request, "journal/medications.html", context, status=400 if form.errors else 200)


@client_required
def medication_edit(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_own_medication_event(request.user, event_id)
    initial = {
        f: getattr(event, f)
        for f in ("medication", "kind", "dose", "side_effect", "occurred_on", "note")
    }
    form = MedicationEventForm(
        request.POST or None,
        initial=initial,
        names=selectors.medication_name_list(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.medication_event_update(event=event, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your change is saved."))
            return redirect("journal:medications")
    return render(
        request,
        "journal/medications_edit.html",
        {"form": form, "event": event},
        status=400 if form.errors else 200,
    )


@client_required
@require_POST
def medication_delete(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_own_medication_event(request.user, event_id)
    services.medication_event_delete(event=event)
    messages.success(request, _("That entry is removed."))
    return redirect("journal:medications")


urlpatterns = [
    path("medications/", medications_page, name="medications"),
    path("medications/<id:event_id>/edit/", medication_edit, name="medication-edit"),
    path("medications/<id:event_id>/delete/", medication_delete, name="medication-delete"),
]
