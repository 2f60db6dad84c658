"""Writes for medication events: the client's own record of starts, dose changes, stops
and side effects.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.limits import EARLIEST_DATE, field_error, long_text, one_line_text
from accounts.models import Role, User

from ..models import (
    MedicationEvent,
    MedicationEventKind,
    SideEffect,
)

NOTE_MAX = 2000
DOSE_MAX = 60
DOSE_RULE = gettext_lazy(
    "Optional. When given: at most 60 characters, on one line, and including the amount as "
    "a number, for example “20 mg”, “0.5 mg twice a day” or “1 tablet”."
)


def validate_dose(value: str) -> str:
    """The dose rule (see DOSE_RULE): empty, or one short line containing a digit."""
    value = one_line_text("dose", value, max_length=DOSE_MAX, required=False)
    if value and not any(ch.isdigit() for ch in value):
        raise field_error("dose", _("Include the amount as a number, for example “20 mg”."))
    return value


def _medication_fields(
    *, client: User, medication: str, kind: str, dose: str, side_effect: str, occurred_on, note: str
) -> dict:
    if kind not in MedicationEventKind.values:
        raise field_error("kind", _("Choose start, increase, decrease, stop or side_effect."))
    if kind == MedicationEventKind.SIDE_EFFECT:
        if side_effect not in SideEffect.values:
            raise field_error("side_effect", _("Choose which side effect you noticed."))
    elif side_effect:
        raise field_error(
            "side_effect", _("A side effect goes with the “side effect noticed” kind.")
        )
    if not isinstance(occurred_on, date) or isinstance(occurred_on, datetime):
        raise field_error("occurred_on", _("Give the date as YYYY-MM-DD."))
    if occurred_on > client.local_today():
        raise field_error("occurred_on", _("This date is in the future."))
    if occurred_on < EARLIEST_DATE:
        raise field_error("occurred_on", _("This date is too far in the past."))
    return {
        "medication": one_line_text("medication", medication, max_length=120, required=True),
        "kind": kind,
        "dose": validate_dose(dose),
        "side_effect": side_effect,
        "occurred_on": occurred_on,
        "note": long_text("note", note, max_length=NOTE_MAX),
    }


@transaction.atomic
def medication_event_create(
    *,
    client: User,
    medication: str,
    kind: str,
    occurred_on: date,
    dose: str = "",
    side_effect: str = "",
    note: str = "",
) -> MedicationEvent:
    if client.role != Role.CLIENT:
        raise field_error("non_field_errors", _("Medication events are for client accounts."))
    fields = _medication_fields(
        client=client,
        medication=medication,
        kind=kind,
        dose=dose,
        side_effect=side_effect,
        occurred_on=occurred_on,
        note=note,
    )
    return MedicationEvent.objects.create(client=client, **fields)


@transaction.atomic
def medication_event_update(*, event: MedicationEvent, **changes: object) -> MedicationEvent:
    """Change some fields of the client's own event; the whole event is re-validated."""
    allowed = {"medication", "kind", "dose", "side_effect", "occurred_on", "note"}
    unknown = set(changes) - allowed
    if unknown:
        raise field_error(sorted(unknown)[0], _("This field cannot be changed."))
    current = {name: getattr(event, name) for name in allowed}
    current.update(changes)
    if (
        changes.get("kind") not in (None, MedicationEventKind.SIDE_EFFECT)
        and "side_effect" not in changes
    ):
        current["side_effect"] = ""  # changing away from a side effect clears it
    fields = _medication_fields(client=event.client, **current)
    for name, value in fields.items():
        setattr(event, name, value)
    event.save()
    return event


@transaction.atomic
def medication_event_delete(*, event: MedicationEvent) -> None:
    event.delete()
