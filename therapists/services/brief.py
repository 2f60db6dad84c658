"""Writes for the brief: the session dates it counts from."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User

from ..models import TherapySession


@transaction.atomic
def session_record(*, therapist: User, client: User, held_on: date) -> TherapySession:
    if held_on > client.local_now().date() + timedelta(days=1):
        raise ValidationError({"held_on": [_("A session date cannot be in the future.")]})
    session, _created = TherapySession.objects.get_or_create(
        therapist=therapist, client=client, held_on=held_on
    )
    return session
