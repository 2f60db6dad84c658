"""Client-side jobs. Thin wrappers: they take ids and an optional ``now`` (ISO 8601)."""

from celery import shared_task

from accounts import task_names
from accounts.jobs import RETRY, parse_now
from accounts.models import User

from . import emails, reminders


@shared_task(name=task_names.SEND_DUE_REMINDERS, **RETRY)
def send_due_reminders(now: str | None = None) -> int:
    return emails.reminders_send_due(now=parse_now(now))


@shared_task(name=task_names.SCHEDULE_NEXT_REMINDER, **RETRY)
def schedule_next_reminder(user_id: int, now: str | None = None) -> str | None:
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return None
    nxt = reminders.reminder_schedule(user=user, now=parse_now(now))
    return nxt.isoformat() if nxt else None


@shared_task(name=task_names.SEND_CARE_REMINDERS, **RETRY)
def send_care_reminders(now: str | None = None) -> int:
    """Homework and questionnaires due: one bundled evening message per client per day."""
    return emails.care_reminders_send(now=parse_now(now))


@shared_task(name=task_names.SEND_WEEKLY_SUMMARIES, **RETRY)
def send_weekly_summaries(now: str | None = None) -> int:
    """The opt-in, gentle weekly summary (Sunday late afternoon, local time)."""
    return emails.weekly_summaries_send(now=parse_now(now))
