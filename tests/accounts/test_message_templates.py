"""Staff can reword emails in the admin; the override is used, previewed and validated."""

import pytest
from django.core import mail
from django.utils import timezone

from accounts.messaging import send_once
from accounts.models import MessageTemplate
from journal.models import CheckIn
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db


def test_an_active_override_is_used(client_a):
    MessageTemplate.objects.create(
        key="checkin-reminder",
        subject="Hello {{ client.display_name }}",
        body="A gentle nudge, {{ client.display_name }}.\n\n{{ site_url }}/checkin/",
    )
    send_once(
        key="t:1",
        kind="reminder",
        recipient=client_a,
        template="checkin-reminder",
        context={"client": client_a},
    )
    message = mail.outbox[0]
    assert message.subject == "Hello Alex"
    assert message.body.startswith("A gentle nudge, Alex.")
    assert "<p>A gentle nudge, Alex.</p>" in message.alternatives[0][0]


def test_an_override_cannot_reach_a_clients_records(client_a):
    """Staff wording sees names and ids only: no walking from the client to their notes."""
    now = timezone.now()
    CheckIn.objects.create(
        client=client_a,
        occurred_at=now,
        local_date=now.date(),
        felt_intensity=3,
        note="private words",
    )
    assert client_a.checkins.count() == 1
    MessageTemplate.objects.create(
        key="checkin-reminder",
        subject="Hi {{ client.display_name }}",
        body="{% for c in client.checkins.all %}{{ c.note }}{% endfor %}|{{ client.email }}|"
        "{{ client.pk }}",
    )
    send_once(
        key="t:3",
        kind="reminder",
        recipient=client_a,
        template="checkin-reminder",
        context={"client": client_a},
    )
    message = mail.outbox[0]
    assert message.subject == "Hi Alex"
    assert "private words" not in message.body and client_a.email not in message.body
    assert message.body.strip() == f"||{client_a.pk}"


def test_inactive_override_falls_back_to_the_built_in_wording(client_a):
    MessageTemplate.objects.create(key="checkin-reminder", subject="X", body="Y", is_active=False)
    send_once(
        key="t:2",
        kind="reminder",
        recipient=client_a,
        template="checkin-reminder",
        context={"client": client_a},
    )
    assert mail.outbox[0].subject == "A moment to check in"


def test_admin_validates_and_previews(client, staff):
    verified_login(client, staff)
    response = client.post(
        "/admin/accounts/messagetemplate/add/",
        {"key": "care-reminder", "subject": "{% if %}", "body": "ok", "is_active": "on"},
    )
    assert response.status_code == 200
    assert "not valid template syntax" in response.content.decode()
    assert not MessageTemplate.objects.exists()
    client.post(
        "/admin/accounts/messagetemplate/add/",
        {
            "key": "care-reminder",
            "subject": "For {{ client.display_name }}",
            "body": "{{ homework_due }} tasks today",
            "is_active": "on",
        },
    )
    template = MessageTemplate.objects.get()
    page = client.get(f"/admin/accounts/messagetemplate/{template.pk}/change/").content.decode()
    assert "For Sam" in page and "2 tasks today" in page
