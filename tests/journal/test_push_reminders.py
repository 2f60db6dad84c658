"""Reminders by notification (#20): one push and no email for a client with a device, the
same idempotency as email, quiet hours for the nudge, nothing clinical in a payload."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from accounts.models import PushSubscription, SentMessage, User
from journal.models import HomeworkAssignment
from journal.reminders import reminder_schedule
from journal.tasks import send_care_reminders, send_due_reminders

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("vapid_keys")]

EVENING_BERLIN = datetime(2026, 11, 25, 17, 30, tzinfo=UTC)  # 18:30 in Berlin


def _device(client, push_service, name="phone"):
    browser = push_service.browser(name)
    PushSubscription.objects.create(
        user=client, endpoint=browser.endpoint, **browser.to_json()["keys"]
    )
    return browser


def _due_reminder(client, at: datetime) -> datetime:
    """A reminder time of the client's that falls just before ``at``."""
    local = (at - timedelta(minutes=5)).astimezone(client.tz)
    User.objects.filter(pk=client.pk).update(reminder_times=[local.strftime("%H:%M")])
    client.refresh_from_db()
    reminder_schedule(user=client, now=at - timedelta(minutes=10))
    client.refresh_from_db()
    return client.next_reminder_at


def test_a_due_reminder_with_a_device_is_one_push_and_no_email(client_a, push_service):
    phone = _device(client_a, push_service)
    now = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    slot = _due_reminder(client_a, now)
    assert slot is not None and slot <= now
    assert send_due_reminders(now.isoformat()) == 1
    assert mail.outbox == []
    (received,) = push_service.received
    payload = json.loads(phone.decrypt(received.body))
    assert payload["url"] == "/checkin/"
    assert payload["body"] == "A moment to check in, if you like."
    assert SentMessage.objects.get(kind="reminder").channel == "push"
    # a duplicate delivery of the same job, and the beat's next run, send nothing more
    assert send_due_reminders(now.isoformat()) == 0
    assert len(push_service.received) == 1 and mail.outbox == []


def test_without_a_device_the_reminder_is_an_email(client_a):
    now = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    _due_reminder(client_a, now)
    assert send_due_reminders(now.isoformat()) == 1
    assert len(mail.outbox) == 1
    assert SentMessage.objects.get(kind="reminder").channel == "email"


def test_the_nudge_by_push_counts_without_naming(client_a, therapist_a, push_service):
    phone = _device(client_a, push_service)
    HomeworkAssignment.objects.create(
        client=client_a,
        therapist=therapist_a,
        title="Write to my sister about the funeral",
        frequency="daily",
        starts_on=EVENING_BERLIN.date() - timedelta(days=3),
    )
    assert send_care_reminders(EVENING_BERLIN.isoformat()) == 1
    payload = json.loads(phone.decrypt(push_service.received[0].body))
    assert payload["body"] == "When you have a moment: 1 homework task for today."
    assert "sister" not in json.dumps(payload) and "funeral" not in json.dumps(payload)
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("utc_hour", "sent"),
    [(17, 1), (20, 1), (21, 0), (22, 0), (5, 0)],  # Berlin is UTC+1: 18, 21, 22, 23, 06
)
def test_the_nudge_keeps_quiet_hours(client_a, therapist_a, utc_hour, sent):
    HomeworkAssignment.objects.create(
        client=client_a,
        therapist=therapist_a,
        title="Five senses",
        frequency="daily",
        starts_on=EVENING_BERLIN.date() - timedelta(days=3),
    )
    now = EVENING_BERLIN.replace(hour=utc_hour, minute=30)
    assert send_care_reminders(now.isoformat()) == sent


def test_a_reminder_the_client_chose_late_still_comes(client_a, push_service):
    """Quiet hours are for nudges; a reminder time the client chose is theirs."""
    _device(client_a, push_service)
    now = datetime(2026, 11, 25, 22, 40, tzinfo=UTC)  # 23:40 in Berlin
    _due_reminder(client_a, now)
    assert send_due_reminders(now.isoformat()) == 1
    assert len(push_service.received) == 1
