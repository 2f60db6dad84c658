"""Inviting a client by email through to sign-up, and each role's own settings (#16)."""

import re
from datetime import timedelta
from urllib.parse import unquote

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Invitation, User
from accounts.services import invitation_create, invitation_link, invitation_resend
from tests.conftest import verified_login
from tests.factories import PASSWORD
from tests.security.test_auth import current_code
from therapists.emails import therapists_due_for_digest

pytestmark = pytest.mark.django_db


def link_in(message) -> str:
    url = re.search(r"https?://\S+/accounts/join/\S+/", message.body).group(0)
    return url.removeprefix(settings.SITE_URL)


class TestInvitationByEmail:
    def test_invite_email_sign_up_and_linked(
        self, client, therapist_a, mailoutbox, django_capture_on_commit_callbacks
    ):
        verified_login(client, therapist_a)
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/accounts/invite/", {"email": "New.Person@Example.test"})
        (message,) = mailoutbox
        assert message.to == ["new.person@example.test"]
        assert "Dr. Ada invites you" in message.subject
        newcomer = Client()
        landing = newcomer.get(link_in(message))
        assert (
            landing.status_code == 302 and "/accounts/register/?invitation=" in landing["Location"]
        )
        page = newcomer.get(landing["Location"]).content.decode()
        assert "Dr. Ada invited you" in page
        assert 'value="new.person@example.test"' in page and "disabled" in page
        token = unquote(landing["Location"].split("invitation=")[1])
        response = newcomer.post(
            "/accounts/register/",
            {
                "invitation": token,
                "email": "someone.else@example.test",  # ignored: the field is fixed
                "display_name": "Newcomer",
                "password": "a-fresh-passphrase-7",
                "timezone": "Europe/Berlin",
            },
        )
        assert response.status_code == 302
        person = User.objects.get(email="new.person@example.test")
        assert list(User.objects.clients_of(therapist_a)) == [person]
        assert not User.objects.filter(email="someone.else@example.test").exists()
        assert newcomer.get(link_in(message)).status_code == 404  # used

    def test_a_signed_in_client_accepts_from_the_link(
        self, client, client_b, therapist_a, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            invitation_create(therapist=therapist_a, email=client_b.email)
        client.force_login(client_b)
        path = link_in(mailoutbox[0])
        assert "Dr. Ada invites you" in client.get(path).content.decode()
        assert client.post(path)["Location"] == "/accounts/care-team/"
        assert User.objects.clients_of(therapist_a).filter(pk=client_b.pk).exists()

    def test_resend_replaces_the_code_and_link_and_sends_once(
        self, therapist_a, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            invitation, _code = invitation_create(therapist=therapist_a, email="x@example.test")
        old_link = link_in(mailoutbox[0])
        with django_capture_on_commit_callbacks(execute=True):
            invitation_resend(invitation=invitation)
        assert len(mailoutbox) == 2
        assert Client().get(old_link).status_code == 404
        assert Client().get(link_in(mailoutbox[1])).status_code == 302
        from accounts.tasks import send_invitation_task

        assert send_invitation_task(invitation.pk) is False  # a retry sends nothing twice
        assert len(mailoutbox) == 2

    def test_pending_list_withdraw_and_expiry(self, client, therapist_a, therapist_b):
        invitation, code = invitation_create(therapist=therapist_a, email="y@example.test")
        other, _ = invitation_create(therapist=therapist_b, email="z@example.test")
        verified_login(client, therapist_a)
        page = client.get("/accounts/invite/").content.decode()
        assert "y@example.test" in page and "Waiting" in page and "z@example.test" not in page
        assert client.post(f"/accounts/invitations/{other.pk}/revoke/").status_code == 404
        client.post(f"/accounts/invitations/{invitation.pk}/revoke/")
        invitation.refresh_from_db()
        assert invitation.state == "revoked"
        assert (
            Client().get(invitation_link(invitation).removeprefix(settings.SITE_URL)).status_code
            == 404
        )
        register = Client().post(
            "/api/v1/auth/register/",
            {
                "email": "y@example.test",
                "password": "a-fresh-passphrase-7",
                "display_name": "Y",
                "invitation_code": code,
            },
            content_type="application/json",
        )
        assert register.status_code == 400 and "withdrawn" in register.json()["invitation_code"][0]
        later, _ = invitation_create(therapist=therapist_a, email="w@example.test")
        with time_machine.travel(timezone.now() + timedelta(days=15)):
            assert Invitation.objects.get(pk=later.pk).state == "expired"
            assert (
                Client().get(invitation_link(later).removeprefix(settings.SITE_URL)).status_code
                == 404
            )

    def test_a_tampered_link_is_404(self):
        assert Client().get("/accounts/join/not-a-real-token/").status_code == 404


class TestSettings:
    def test_client_sets_reminders_with_time_pickers(self, client, client_a):
        client.force_login(client_a)
        page = client.get("/accounts/profile/").content.decode()
        assert page.count('type="time"') == 4 and "<select" in page
        response = client.post(
            "/accounts/profile/",
            {
                "display_name": "Alex",
                "timezone": "Europe/Lisbon",
                "reminder_1": "20:30",
                "reminder_2": "08:15",
                "reminder_3": "20:30",
                "reminder_4": "",
            },
        )
        assert response.status_code == 302
        client_a.refresh_from_db()
        assert (
            client_a.reminder_times == ["08:15", "20:30"] and client_a.timezone == "Europe/Lisbon"
        )
        bad = client.post(
            "/accounts/profile/", {"display_name": "Alex", "timezone": "Mars/Olympus"}
        )
        assert bad.status_code == 400 and "not a known time zone" in bad.content.decode()

    def test_therapist_settings_are_their_own(self, client, therapist_a):
        verified_login(client, therapist_a)
        page = client.get("/accounts/profile/").content.decode()
        assert "Reminder" not in page and "weekly summary" not in page
        assert "weekly caseload digest" in page and "Make new backup codes" in page
        client.post(
            "/accounts/profile/",
            {"display_name": "Dr. Ada", "timezone": "Europe/Berlin", "weekly_digest_opt_in": ""},
        )
        therapist_a.refresh_from_db()
        assert therapist_a.weekly_digest_opt_in is False
        monday = timezone.now().replace(year=2026, month=11, day=23, hour=9)
        assert therapist_a.pk not in therapists_due_for_digest(now=monday)

    def test_replace_the_authenticator(self, client, therapist_a):
        verified_login(client, therapist_a)
        old = TOTPDevice.objects.get(user=therapist_a, confirmed=True)
        page = client.get("/accounts/2fa/replace/")
        assert page.status_code == 200 and "<svg" in page.content.decode()
        new = TOTPDevice.objects.get(user=therapist_a, confirmed=False)
        wrong = client.post("/accounts/2fa/replace/", {"code": "000000"})
        assert "did not match" in wrong.content.decode()
        assert TOTPDevice.objects.filter(pk=old.pk).exists()  # still works until confirmed
        with time_machine.travel(timezone.now() + timedelta(seconds=60), tick=False):
            done = client.post("/accounts/2fa/replace/", {"code": current_code(new)})
        assert done["Location"] == "/accounts/profile/"
        assert list(TOTPDevice.objects.filter(user=therapist_a)) == [new]

    def test_an_unverified_session_cannot_replace_it(self, client, therapist_a):
        client.post("/accounts/login/", {"username": therapist_a.email, "password": PASSWORD})
        assert client.get("/accounts/2fa/replace/")["Location"].startswith("/accounts/2fa/")


def test_the_time_zone_list_leaves_out_old_names_and_keeps_a_stored_one(client, client_a):
    from accounts.forms import time_zone_choices

    listed = {v for _area, zones in time_zone_choices()[1:] for v, _label in zones}
    assert {"Asia/Kolkata", "Europe/Kyiv", "Europe/Istanbul", "Australia/Sydney"} <= listed
    # Zones the IANA data now links to a neighbour are still countries' own zones.
    assert {"Europe/Oslo", "Europe/Stockholm", "Europe/Amsterdam", "Asia/Kuwait"} <= listed
    for alias in ("Asia/Calcutta", "Europe/Kiev", "Asia/Istanbul", "Australia/ACT", "US/Eastern"):
        assert alias not in listed
    # Still a valid zone: someone who has it keeps it, and sees it chosen.
    type(client_a).objects.filter(pk=client_a.pk).update(timezone="Asia/Calcutta")
    client.force_login(client_a)
    html = client.get("/accounts/profile/").content.decode()
    assert '<option value="Asia/Calcutta" selected>' in html
