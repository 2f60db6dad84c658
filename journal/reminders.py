"""Check-in reminders at each client's own local times, daylight-saving safe.

A reminder *slot* is one reminder time on one local date, as a UTC instant. The client's
``next_reminder_at`` column holds the next slot, so the scan reads an index and touches
only clients who are due. A slot is sent at most once, ever (idempotency key), and only
if the client has not checked in since the previous slot.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

from accounts.messaging import send_once
from accounts.models import Role, User

from .models import CheckIn

# A slot missed by more than this (the worker was down) is skipped, not sent late.
GRACE = timedelta(hours=2)
BATCH = 500


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


def _checked_in_since(user: User, since: datetime | None, until: datetime) -> bool:
    checkins = CheckIn.objects.filter(client=user, occurred_at__lte=until)
    if since is not None:
        checkins = checkins.filter(occurred_at__gt=since)
    return checkins.exists()


def reminders_send_due(*, now: datetime) -> int:
    """Send every reminder due at ``now``; returns how many were sent.

    Reads only clients whose next_reminder_at has passed (an index range scan).
    """
    sent = 0
    due = list(
        User.objects.filter(next_reminder_at__lte=now, role=Role.CLIENT, is_active=True).order_by(
            "next_reminder_at"
        )[:BATCH]
    )
    for user in due:
        slot = user.next_reminder_at
        with transaction.atomic():
            if now - slot <= GRACE and not _checked_in_since(
                user, previous_slot_before(user, slot), now
            ):
                sent += send_once(
                    key=reminder_key(user, slot),
                    kind="reminder",
                    recipient=user,
                    template="checkin-reminder",
                    context={"client": user},
                )
            reminder_schedule(user=user, now=max(now, slot))
    return sent
