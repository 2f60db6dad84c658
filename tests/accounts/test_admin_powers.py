"""What staff cannot do in the admin: give a therapist someone's records, see or reuse a
second step, or set a person's password (each found by an attacker run)."""

import pytest
from django.core import mail

from accounts.models import AuditEvent, CareRelationship
from tests.conftest import verified_login
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def test_staff_cannot_start_or_edit_a_care_relationship(client, staff, therapist_b, client_a):
    verified_login(client, staff)
    assert client.get("/admin/accounts/carerelationship/add/").status_code == 403
    response = client.post(
        "/admin/accounts/carerelationship/add/",
        {"therapist": therapist_b.pk, "client": client_a.pk, "started_at_0": "2026-12-01"},
    )
    assert response.status_code == 403
    assert not CareRelationship.objects.filter(therapist=therapist_b, client=client_a).exists()
    care = CareRelationship.objects.get(client=client_a)
    page = client.get(f"/admin/accounts/carerelationship/{care.pk}/change/").content.decode()
    assert 'name="therapist"' not in page  # shown, not editable
    assert client.post(f"/admin/accounts/carerelationship/{care.pk}/delete/").status_code == 403


def test_staff_end_a_care_relationship_through_the_service(client, staff, therapist_a, client_a):
    care = CareRelationship.objects.get(client=client_a, therapist=therapist_a)
    verified_login(client, staff)
    client.post(
        "/admin/accounts/carerelationship/",
        {"action": "end_selected", "_selected_action": [care.pk]},
    )
    care.refresh_from_db()
    assert care.ended_at is not None and care.ended_by == "staff"
    assert AuditEvent.objects.filter(action="care_end", actor=staff).exists()


def test_no_second_step_secrets_and_no_passwords_set_by_staff(client, staff, client_a):
    verified_login(client, staff)
    for path in ("/admin/otp_totp/totpdevice/", "/admin/otp_static/staticdevice/"):
        assert client.get(path).status_code == 404, path
    index = client.get("/admin/").content.decode()
    assert "TOTP" not in index and "Static devices" not in index
    assert client.get(f"/admin/accounts/user/{client_a.pk}/password/").status_code == 403
    page = client.get(f"/admin/accounts/user/{client_a.pk}/change/").content.decode()
    assert "/password/" not in page


def test_staff_can_email_a_link_to_set_a_new_password(client, staff):
    person = ClientFactory(email="locked.out@example.test")
    verified_login(client, staff)
    client.post(
        "/admin/accounts/user/", {"action": "send_password_links", "_selected_action": [person.pk]}
    )
    (message,) = mail.outbox
    assert message.to == [person.email] and "/accounts/password/reset/" in message.body
