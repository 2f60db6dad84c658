"""Writes of a therapist's medication notes."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from journal.models import MedicationEvent

from ..models import MedicationNote


@transaction.atomic
def medication_note_create(
    *,
    therapist: User,
    client: User,
    text: str,
    medication_event: MedicationEvent | None = None,
    shared_with_care_team: bool = False,
) -> MedicationNote:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write a note.")]})
    if len(text) > 5000:
        raise ValidationError({"text": [_("Keep the note under 5,000 characters.")]})
    if medication_event is not None and medication_event.client_id != client.pk:
        raise ValidationError(
            {"medication_event": [_("That medication event belongs to someone else.")]}
        )
    return MedicationNote.objects.create(
        therapist=therapist,
        client=client,
        medication_event=medication_event,
        text=text,
        shared_with_care_team=shared_with_care_team,
    )
