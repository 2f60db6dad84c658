"""Safety alerts on a therapist's devices (opt-in, #20): the email always goes too, and
the notification names no one."""

import json

import pytest
from django.core import mail

from accounts.models import PushSubscription, User
from journal.models import SafetySignal
from therapists.tasks import raise_safety_flag

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("vapid_keys")]


@pytest.mark.parametrize("opted_in", [True, False])
def test_a_safety_alert_by_push_when_chosen_and_always_by_email(
    client_a, therapist_a, push_service, opted_in
):
    User.objects.filter(pk=therapist_a.pk).update(push_safety_alerts=opted_in)
    laptop = push_service.browser("laptop")
    PushSubscription.objects.create(
        user=therapist_a, endpoint=laptop.endpoint, **laptop.to_json()["keys"]
    )
    signal = SafetySignal.objects.create(client=client_a, source="button")
    assert raise_safety_flag(signal.pk) == 1
    assert raise_safety_flag(signal.pk) == 0  # a duplicate delivery: nothing more
    assert [m.to for m in mail.outbox] == [[therapist_a.email]]
    assert len(push_service.received) == (1 if opted_in else 0)
    if opted_in:
        received = push_service.received[0]
        assert received.headers["urgency"] == "high"
        payload = json.loads(laptop.decrypt(received.body))
        assert payload["url"] == f"/dashboard/clients/{client_a.pk}/"
        assert client_a.display_name not in json.dumps(payload)
