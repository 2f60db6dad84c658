"""Therapist portal: acknowledging or resolving a flag."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.audit import audit_record
from accounts.models import AuditAction
from accounts.portal import therapist_required

from ..access.flags import access_flag
from ..forms.flags import AcknowledgeForm
from ..models import FlagStatus
from ..services.flags import flag_acknowledge as flag_acknowledge_service


@therapist_required
@require_POST
def flag_acknowledge(request: HttpRequest, flag_id: int) -> HttpResponse:
    form = AcknowledgeForm(request.POST)
    with transaction.atomic():
        flag = access_flag(request.user, flag_id)
        if form.is_valid():
            try:
                flag_acknowledge_service(flag=flag, therapist=request.user, **form.cleaned_data)
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
                closed = flag.status == FlagStatus.RESOLVED
                messages.success(
                    request,
                    _("Flag acknowledged and closed; your note is under “Closed flags”.")
                    if closed
                    else _("Flag acknowledged."),
                )
    return redirect("therapists:client", client_id=flag.client_id)


urlpatterns = [
    path("dashboard/flags/<id:flag_id>/acknowledge/", flag_acknowledge, name="flag-acknowledge"),
]
