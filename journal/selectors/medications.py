"""Reads for medication events, and what a client takes now (replayed from the events)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet

from accounts.models import Role, User

from ..models import (
    MedicationEvent,
    MedicationEventKind,
    SideEffect,
)


def medication_events_without_notes() -> QuerySet[MedicationEvent]:
    """Medication events as anyone but their client may load them: the client's private
    ``note`` is left out of the SELECT (never decrypted). For prefetches and joins on the
    therapist side; rows are still scoped by the caller's caseload query."""
    return MedicationEvent.objects.defer("note")


def medication_event_list(viewer: User, client: User) -> QuerySet[MedicationEvent]:
    """The client's medication events, newest first, for the client or their therapist.

    A therapist never receives the client's private ``note`` (events carry no sharing
    choice, so notes stay the client's own); it is not even selected.
    """
    queryset = MedicationEvent.objects.filter(client=client).order_by("-occurred_on", "-pk")
    if viewer.pk == client.pk and viewer.role == Role.CLIENT:
        return queryset
    if viewer.is_authenticated and viewer.is_therapist:
        return queryset.filter(client__in=User.objects.clients_of(viewer)).defer("note")
    return MedicationEvent.objects.none()


@dataclass
class CurrentMedication:
    medication: str
    dose: str
    since: date  # taking it since: the start (or the restart after a stop)
    last_change_on: date
    last_change: str
    dose_since: date  # the current dose since: the last start, increase or decrease that gave one
    side_effects: list[str] = field(default_factory=list)
    events: int = 0

    @property
    def last_change_label(self) -> str:
        return str(MedicationEventKind(self.last_change).label)

    @property
    def side_effect_labels(self) -> list[str]:
        return [str(SideEffect(code).label) for code in self.side_effects]


def _medication_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def current_medications(client: User, *, viewer: User | None = None) -> list[CurrentMedication]:
    """What the client takes now, derived from their events in one query (never stored).

    Events are replayed oldest first per medication (names compared without case or
    extra spaces): start, increase and decrease make it current with the latest dose
    given; stop removes it; a side effect attaches to it while it is current.
    """
    viewer = viewer or client
    events = (
        medication_event_list(viewer, client)
        .defer("note")
        .order_by("occurred_on", "created_at", "pk")
        .only("medication", "kind", "dose", "side_effect", "occurred_on")
    )
    current: dict[str, CurrentMedication] = {}
    for event in events:
        key = _medication_key(event.medication)
        if event.kind == MedicationEventKind.STOP:
            current.pop(key, None)
            continue
        entry = current.get(key)
        if event.kind == MedicationEventKind.SIDE_EFFECT:
            if (
                entry is not None
                and event.side_effect
                and event.side_effect not in entry.side_effects
            ):
                entry.side_effects.append(event.side_effect)
            continue
        if entry is None:
            entry = current[key] = CurrentMedication(
                medication=event.medication.strip(),
                dose=event.dose,
                since=event.occurred_on,
                last_change_on=event.occurred_on,
                last_change=event.kind,
                dose_since=event.occurred_on,
            )
        if event.dose:
            entry.dose = event.dose
            entry.dose_since = event.occurred_on
        entry.last_change_on = event.occurred_on
        entry.last_change = event.kind
        entry.events += 1
    return sorted(current.values(), key=lambda m: m.medication.casefold())


def medication_name_list(client: User) -> list[str]:
    """The names the client has used, latest spelling of each, for "pick an existing one"."""
    names: dict[str, str] = {}
    rows = (
        MedicationEvent.objects.filter(client=client)
        .order_by("occurred_on", "pk")
        .values_list("medication", flat=True)
    )
    for name in rows:
        names[_medication_key(name)] = name.strip()
    return sorted(names.values(), key=str.casefold)
