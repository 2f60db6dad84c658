"""Outgoing therapist email: the weekly digest and immediate safety alerts.

No clinical free text ever goes into email (it is not a secure channel): names, flag
kinds and levels, counts, percentages and links only. Flag drivers stay in the portal.
"""

from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.messaging import notify_once, send_once
from accounts.models import Role, User
from accounts.push import Notification
from journal.models import SafetySignal

from .models import Flag
from .selectors.caseload import caseload_rows

DIGEST_WEEKDAY = 0  # Monday
DIGEST_HOUR = 7  # from 07:00 local time


def digest_key(therapist: User, now: datetime) -> str:
    year, week, _weekday = now.astimezone(therapist.tz).isocalendar()
    return f"digest:{therapist.pk}:{year}-W{week:02d}"


def therapists_due_for_digest(*, now: datetime) -> list[int]:
    """Therapists for whom it is Monday from 07:00 local time and this week's digest is unsent."""
    from accounts.models import SentMessage

    therapists = User.objects.filter(
        role=Role.THERAPIST,
        is_active=True,
        therapist_approved_at__isnull=False,
        weekly_digest_opt_in=True,
    ).only("pk", "timezone")
    due = []
    for therapist in therapists:
        local = now.astimezone(therapist.tz)
        if local.weekday() == DIGEST_WEEKDAY and local.hour >= DIGEST_HOUR:
            due.append(therapist)
    sent = set(
        SentMessage.objects.filter(key__in=[digest_key(t, now) for t in due]).values_list(
            "key", flat=True
        )
    )
    return [t.pk for t in due if digest_key(t, now) not in sent]


def weekly_digest_send(*, therapist_id: int, now: datetime) -> bool:
    therapist = User.objects.filter(pk=therapist_id, role=Role.THERAPIST, is_active=True).first()
    if therapist is None:
        return False
    rows = caseload_rows(viewer=therapist)
    adherence = [r.homework_adherence_14d for r in rows if r.homework_adherence_14d is not None]
    context = {
        "therapist": therapist,
        "week": digest_key(therapist, now).rsplit(":", 1)[1],
        "rows": rows,
        "client_count": len(rows),
        "flagged_count": sum(1 for r in rows if r.flags),
        "no_checkin_week": sum(1 for r in rows if r.checkins_7d == 0),
        "mean_adherence": round(100 * sum(adherence) / len(adherence)) if adherence else None,
    }
    return send_once(
        key=digest_key(therapist, now),
        kind="digest",
        recipient=therapist,
        template="weekly-digest",
        context=context,
    )


def safety_alerts_send(*, signal: SafetySignal, flag: Flag) -> int:
    therapists = User.objects.filter(
        role=Role.THERAPIST,
        is_active=True,
        care_as_therapist__client_id=signal.client_id,
        care_as_therapist__ended_at__isnull=True,
    )
    sent = 0
    for therapist in therapists:
        sent += send_once(
            key=f"safety:{signal.pk}:{therapist.pk}",
            kind="safety_alert",
            recipient=therapist,
            template="safety-alert",
            context={"client": signal.client, "flag": flag},
        )
        if therapist.push_safety_alerts:
            # Also on their devices (opt-in); the email above always goes: a safety alert
            # never rests on one channel. No name on a lock screen: the link says who.
            notify_once(
                key=f"safety-push:{signal.pk}:{therapist.pk}",
                kind="safety_alert",
                recipient=therapist,
                notification=Notification(
                    title=_("Companion: a safety alert"),
                    body=_("A client asked for help or answered a safety question. Open to see."),
                    url=reverse("therapists:client", args=[signal.client_id]),
                    tag="safety",
                    ttl_seconds=24 * 60 * 60,
                    urgency="high",
                ),
            )
    return sent
