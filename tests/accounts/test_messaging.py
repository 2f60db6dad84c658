"""Exactly-once email: a failed send leaves no claim, so the retry sends; a repeat sends nothing."""

import pytest
from django.core import mail

from accounts.messaging import send_once
from accounts.models import SentMessage
from journal.models import SafetySignal
from tests.slow_email import FlakyBackend
from therapists.tasks import raise_safety_flag

pytestmark = pytest.mark.django_db


def test_failed_send_is_retried_and_delivered_once(settings, client_a):
    settings.EMAIL_BACKEND = "tests.slow_email.FlakyBackend"
    FlakyBackend.failures_left = 1
    kwargs = {
        "key": "test:1",
        "kind": "test",
        "recipient": client_a,
        "template": "checkin-reminder",
        "context": {"client": client_a},
    }
    with pytest.raises(ConnectionError):
        send_once(**kwargs)
    assert not SentMessage.objects.filter(key="test:1").exists()  # the claim rolled back
    assert send_once(**kwargs) is True
    assert send_once(**kwargs) is False
    assert len(mail.outbox) == 1


def test_task_retries_with_backoff_and_sends_once(settings, client_a, therapist_a):
    """The alert task is set to retry on failure; run eagerly, the retry delivers exactly once."""
    settings.EMAIL_BACKEND = "tests.slow_email.FlakyBackend"
    FlakyBackend.failures_left = 1
    assert raise_safety_flag.autoretry_for == (Exception,)
    assert raise_safety_flag.max_retries == 5 and raise_safety_flag.retry_backoff
    signal = SafetySignal.objects.create(client=client_a, source="button")
    # Run eagerly, Celery re-applies the task at once when it asks for a retry.
    result = raise_safety_flag.apply(args=[signal.pk], throw=False)
    assert result.successful(), result.traceback
    assert result.get() == 1
    assert [m.to for m in mail.outbox] == [[therapist_a.email]]
    raise_safety_flag.apply(args=[signal.pk])
    assert len(mail.outbox) == 1
