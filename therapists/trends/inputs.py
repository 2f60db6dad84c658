"""Reading a client's stored rows into the engine's plain records.

The engine never sees the database; this module and ``store`` are the one translation
between journal rows and `journal.daily.Day` / `therapists.trends` records.
"""

from datetime import date, timedelta

from django.db.models import QuerySet

from accounts.models import User
from journal.models import ClientDay, MedicationEvent
from journal.selectors.medications import medication_events_without_notes
from therapists import trends

# How far back the pages read medication events and daily affect (the chart shows 90
# days; related medication events are those up to 28 days before a flag's onset).
WINDOW_DAYS = 180


def medication_record(event: MedicationEvent) -> trends.MedicationEvent:
    return trends.MedicationEvent(
        id=str(event.pk),
        medication=event.medication,
        kind=event.kind,
        dose=event.dose or None,
        occurred_on=event.occurred_on,
    )


def window_start(today: date) -> date:
    """The window holds dates after this one (exclusive) up to today."""
    return today - timedelta(days=WINDOW_DAYS)


def scoped(rows: QuerySet, viewer: User | None) -> QuerySet:
    """Rows of the viewer's active caseload only; `None` for jobs that act for nobody."""
    return rows if viewer is None else rows.filter(client__in=User.objects.clients_of(viewer))


def window_events(client_id: int, today: date, viewer: User | None = None) -> list[MedicationEvent]:
    """The client's medication events in the window, oldest first (one indexed query)."""
    since = window_start(today)
    rows = medication_events_without_notes().filter(
        client_id=client_id, occurred_on__gt=since, occurred_on__lte=today
    )
    return list(scoped(rows, viewer).order_by("occurred_on", "pk"))


def window_day_rows(client_id: int, today: date, viewer: User | None = None) -> QuerySet[ClientDay]:
    """The client's daily aggregates in the window."""
    since = window_start(today)
    rows = ClientDay.objects.filter(client_id=client_id, date__gt=since, date__lte=today)
    return scoped(rows, viewer)
