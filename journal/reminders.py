"""When check-in reminders are due: each client's own local times, daylight-saving safe.

A reminder *slot* is one reminder time on one local date, as a UTC instant. The client's
``next_reminder_at`` column holds the next slot, so the scan (journal.emails) reads an
index and touches only clients who are due. Each slot has one idempotency key.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from accounts.models import Role, User


def local_slot(day: date, hhmm: str, tz: ZoneInfo) -> datetime:
    """The UTC instant of a local wall time; a time skipped by a DST jump moves forward.

    In the spring gap (02:30 in Berlin on the last Sunday of March) the wall time does
    not exist; Python maps it with the pre-jump offset, which lands an hour later on the
    wall clock (03:30): the reminder still comes, once. In the autumn overlap the first
    occurrence (fold=0) is used, so the repeated hour does not produce a second slot.
    """
    hour, minute = (int(part) for part in hhmm.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=tz).astimezone(UTC)


def slots_around(
    user: User, moment: datetime, days_before: int = 2, days_after: int = 2
) -> list[datetime]:
    if not user.reminder_times:
        return []
    tz = user.tz
    local_day = moment.astimezone(tz).date()
    slots = {
        local_slot(local_day + timedelta(days=offset), hhmm, tz)
        for offset in range(-days_before, days_after + 1)
        for hhmm in user.reminder_times
    }
    return sorted(slots)


def next_slot_after(user: User, moment: datetime) -> datetime | None:
    return next((slot for slot in slots_around(user, moment) if slot > moment), None)


def previous_slot_before(user: User, slot: datetime) -> datetime | None:
    earlier = [s for s in slots_around(user, slot) if s < slot]
    return earlier[-1] if earlier else None


def reminder_schedule(*, user: User, now: datetime) -> datetime | None:
    """Set the user's next_reminder_at from their reminder times (None: no reminders)."""
    nxt = next_slot_after(user, now) if user.role == Role.CLIENT and user.is_active else None
    User.objects.filter(pk=user.pk).update(next_reminder_at=nxt)
    user.next_reminder_at = nxt
    return nxt


def reminder_key(user: User, slot: datetime) -> str:
    return f"reminder:{user.pk}:{slot.astimezone(UTC):%Y-%m-%dT%H:%MZ}"
