"""Reading a client's stored aggregates into the engine's plain records.

The engine never sees the database; this module is the one translation between
journal rows and `journal.daily.Day` / `therapists.trends` records.
"""

from datetime import date, timedelta

from django.db.models import QuerySet

from accounts.models import User
from journal.daily import Day
from journal.models import Assessment, ClientDay, Instrument, MedicationEvent
from journal.selectors.medications import medication_events_without_notes
from therapists import trends

# How far back the engine looks: enough for a personal baseline before a long episode,
# and a fixed bound, so a refresh costs the same after 2 weeks or 3 years of history.
WINDOW_DAYS = 180


def day_from_row(row: ClientDay) -> Day:
    return row.as_day()


def medication_record(event: MedicationEvent) -> trends.MedicationEvent:
    return trends.MedicationEvent(
        id=str(event.pk),
        medication=event.medication,
        kind=event.kind,
        dose=event.dose or None,
        occurred_on=event.occurred_on,
    )


def window_start(today: date) -> date:
    """The engine reads dates after this one (exclusive) up to today."""
    return today - timedelta(days=WINDOW_DAYS)


def _scoped(rows: QuerySet, viewer: User | None) -> QuerySet:
    """Rows of the viewer's active caseload only; `None` for jobs that act for nobody."""
    return rows if viewer is None else rows.filter(client__in=User.objects.clients_of(viewer))


def window_events(client_id: int, today: date, viewer: User | None = None) -> list[MedicationEvent]:
    """The client's medication events in the window, oldest first (one indexed query)."""
    since = window_start(today)
    rows = medication_events_without_notes().filter(
        client_id=client_id, occurred_on__gt=since, occurred_on__lte=today
    )
    return list(_scoped(rows, viewer).order_by("occurred_on", "pk"))


def window_day_rows(client_id: int, today: date, viewer: User | None = None) -> QuerySet[ClientDay]:
    """The client's daily aggregates the engine reads; the cache fingerprints the same rows."""
    since = window_start(today)
    rows = ClientDay.objects.filter(client_id=client_id, date__gt=since, date__lte=today)
    return _scoped(rows, viewer)


def window_screen_rows(
    client_id: int, today: date, viewer: User | None = None
) -> QuerySet[Assessment]:
    """The client's PHQ-9 results the engine reads; the cache fingerprints the same rows."""
    since = window_start(today)
    rows = Assessment.objects.filter(
        client_id=client_id, instrument=Instrument.PHQ9, taken_at__date__gt=since
    )
    return _scoped(rows, viewer)


def window_days(client_id: int, today: date, viewer: User | None = None) -> list[Day]:
    rows = window_day_rows(client_id, today, viewer).order_by("date")
    return [day_from_row(row) for row in rows]


def window_screens(
    client_id: int, today: date, viewer: User | None = None
) -> list[trends.ScreenResult]:
    rows = window_screen_rows(client_id, today, viewer).values_list("taken_at", "score")
    return [trends.ScreenResult(taken_on=taken_at.date(), score=score) for taken_at, score in rows]
