"""Writes for safety: a client says they may not be safe. The signal and the therapist's
alert are written in one transaction (the alert through the outbox).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import task_names
from accounts.limits import field_error
from accounts.models import Role, User
from accounts.outbox import outbox_enqueue

from ..models import (
    Assessment,
    SafetySignal,
    SafetySource,
)

SAFETY_TASK = task_names.RAISE_SAFETY_FLAG


# A press of the safety button this close after an earlier signal (a press, or a PHQ-9
# answer) is the same request for help: the therapist is alerted once, and the first
# alert is already safely in the outbox.
SAFETY_BUTTON_DEDUP = timedelta(minutes=5)


@transaction.atomic
def safety_signal_raise(
    *, client: User, source: str = SafetySource.BUTTON, assessment: Assessment | None = None
) -> tuple[SafetySignal, bool]:
    """A client may not be safe: record it and alert their therapist, in one transaction.

    The outbox row is written with the signal, so the alert survives a broker outage
    and is sent once the transaction commits (the therapist side makes the flag and the
    single email idempotently). Button presses within a few minutes of an earlier one
    return that signal instead of alerting again. Returns (signal, created).
    """
    if client.role != Role.CLIENT:
        raise field_error("non_field_errors", _("This is for client accounts."))
    if source not in SafetySource.values:
        raise field_error("source", _("Unknown source."))
    # Serialise concurrent presses by the same client so the de-duplication holds.
    User.objects.select_for_update().filter(pk=client.pk).first()
    if source == SafetySource.BUTTON:
        recent = SafetySignal.objects.filter(
            client=client, created_at__gte=timezone.now() - SAFETY_BUTTON_DEDUP
        ).first()
        if recent is not None:
            return recent, False
    signal = SafetySignal.objects.create(client=client, source=source, assessment=assessment)
    outbox_enqueue(SAFETY_TASK, signal_id=signal.pk)
    return signal, True
