"""Every message journal sends: check-in reminders at each client's local times, the daily
homework-and-questionnaire reminder, and the opt-in weekly summary.

The reminders go as a notification to the client's devices instead of an email when
they turned notifications on (accounts.push) and a push service takes it; the email is
the fallback. The same idempotency key covers both, so one slot sends one message. The
daily nudge keeps quiet hours (QUIET_FROM to QUIET_UNTIL local): check-in reminders come
at times the client chose, so they go at those times whatever the hour.

Each is sent at most once per idempotency key (``reminder:<client>:<slot>``,
``care:<client>:<local date>``, ``summary:<client>:<ISO week>``) and holds counts and
links only: no titles, scores or notes, because email is not a secure channel. A
reminder slot is sent only if the client has not checked in since the previous slot.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, Prefetch, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.messaging import send_once
from accounts.models import Role, SentMessage, User
from accounts.push import Notification

from .models import CheckIn, ClientDay, HomeworkAssignment, HomeworkLog, HomeworkStatus
from .reminders import previous_slot_before, reminder_key, reminder_schedule
from .selectors.assessments import assessments_due
from .selectors.homework import homework_progress

CARE_REMINDER_HOUR = 18  # local time: an evening nudge, after the day's chances to do it
QUIET_FROM, QUIET_UNTIL = 22, 7  # local hours with no nudge (a missed one is not sent late)
SUMMARY_WEEKDAY, SUMMARY_HOUR = 6, 17  # Sunday, 17:00 local


def _care_candidates(now: datetime):
    """Clients with something that could be due: active homework or a due-soon schedule."""
    horizon = (now + timedelta(days=1)).date()
    return (
        User.objects.filter(role=Role.CLIENT, is_active=True)
        .filter(
            Q(homework__status=HomeworkStatus.ACTIVE)
            | Q(
                assessment_schedules__is_active=True, assessment_schedules__next_due_on__lte=horizon
            )
        )
        .distinct()
        .order_by("pk")
    )


def care_reminders_send(*, now: datetime) -> int:
    """The evening nudge for every client with homework or a questionnaire due today.

    The job runs hourly and a client stays in the evening window for a few runs, so the
    clients already nudged today are found in one query and skipped without reading their
    homework; each remaining client's active assignments come with the candidates, and
    their progress and due questionnaires still cost three queries each.
    """
    evening = []
    for client in _care_candidates(now).prefetch_related(
        Prefetch(
            "homework",
            queryset=HomeworkAssignment.objects.filter(status=HomeworkStatus.ACTIVE),
            to_attr="active_homework",
        )
    ):
        local = now.astimezone(client.tz)
        if local.hour >= CARE_REMINDER_HOUR and not _quiet(local):
            evening.append((client, f"care:{client.pk}:{local.date().isoformat()}"))
    already = set(
        SentMessage.objects.filter(key__in=[key for _, key in evening]).values_list(
            "key", flat=True
        )
    )
    sent = 0
    for client, key in evening:
        if key in already:
            continue
        progress = homework_progress(client.active_homework, client=client, now=now)
        homework_due = sum(1 for p in progress.values() if p.due_today)
        questionnaires_due = len(assessments_due(client, client.local_today(now)))
        if not homework_due and not questionnaires_due:
            continue
        sent += send_once(
            key=key,
            kind="care_reminder",
            recipient=client,
            template="care-reminder",
            context={
                "client": client,
                "homework_due": homework_due,
                "questionnaires_due": questionnaires_due,
            },
            push=care_notification(homework_due, questionnaires_due),
        )
    return sent


def _quiet(local: datetime) -> bool:
    return local.hour >= QUIET_FROM or local.hour < QUIET_UNTIL


def checkin_notification() -> Notification:
    """A check-in reminder on a device: no streaks, no guilt, nothing clinical."""
    return Notification(
        title=_("Companion"),
        body=_("A moment to check in, if you like."),
        url="/checkin/",
        tag="checkin-reminder",
    )


def care_notification(homework_due: int, questionnaires_due: int) -> Notification:
    parts = []
    if homework_due:
        parts.append(
            ngettext("%(n)d homework task", "%(n)d homework tasks", homework_due)
            % {"n": homework_due}
        )
    if questionnaires_due:
        parts.append(
            ngettext("%(n)d questionnaire", "%(n)d questionnaires", questionnaires_due)
            % {"n": questionnaires_due}
        )
    return Notification(
        title=_("Companion"),
        body=_("When you have a moment: %(things)s for today.")
        % {"things": _(" and ").join(parts)},
        url="/",
        tag="care-reminder",
    )


def weekly_summaries_send(*, now: datetime) -> int:
    sent = 0
    for client in User.objects.filter(
        role=Role.CLIENT, is_active=True, weekly_summary_opt_in=True
    ).order_by("pk"):
        local = now.astimezone(client.tz)
        if local.weekday() != SUMMARY_WEEKDAY or local.hour < SUMMARY_HOUR:
            continue
        week_end = local.date()
        week_start = week_end - timedelta(days=6)
        days = ClientDay.objects.filter(client=client, date__range=(week_start, week_end))
        totals = days.aggregate(checkins=Sum("checkins"), days=Count("pk"))
        year, week, _ = local.isocalendar()
        context = {
            "client": client,
            "checkins": totals["checkins"] or 0,
            "days": totals["days"],
            "homework_done": HomeworkLog.objects.filter(
                assignment__client=client, local_date__range=(week_start, week_end)
            ).count(),
        }
        sent += send_once(
            key=f"summary:{client.pk}:{year}-W{week:02d}",
            kind="weekly_summary",
            recipient=client,
            template="weekly-summary",
            context=context,
        )
    return sent


GRACE = timedelta(hours=2)

BATCH = 500


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
                    push=checkin_notification(),
                )
            reminder_schedule(user=user, now=max(now, slot))
    return sent
