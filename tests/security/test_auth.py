"""Authentication: TOTP enrolment and backup codes, the second factor on the API and in the
portal, lockout and staff unlock, session lifetimes, and what ends sessions and tokens."""

import time
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.models import AuditEvent
from tests.conftest import token_for, verified_login

TOKEN = "/api/v1/auth/token/"
pytestmark = pytest.mark.django_db


def current_code(device: TOTPDevice, at: float | None = None) -> str:
    """The code an authenticator app would show now, computed from the device key."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def password_login(client: Client, user, password: str):
    return client.post("/accounts/login/", {"username": user.email, "password": password})


def open_enrolment_link(client: Client, user) -> None:
    """Open a fresh one-time set-up link (as create_therapist prints or approval emails)."""
    from accounts.twofactor import enrolment_link_create

    _link, url = enrolment_link_create(user=user)
    response = client.get(url.removeprefix(settings.SITE_URL))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/"


def enrol(client: Client, user, password: str) -> tuple[TOTPDevice, list[str]]:
    """Log in with the password, open the set-up link and enrol a TOTP device as a person
    would."""
    password_login(client, user, password)
    open_enrolment_link(client, user)
    page = client.get("/accounts/2fa/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert device.key in page.content.decode()  # the secret is shown for manual entry
    response = client.post("/accounts/2fa/", {"code": current_code(device), "next": "/dashboard/"})
    assert response.status_code == 200
    codes = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    return TOTPDevice.objects.get(pk=device.pk), codes


# --- two-factor ------------------------------------------------------------------------------


class TestTwoFactor:
    def test_enrolment_with_a_real_totp_code(self, client, therapist_a, client_a, password):
        device, codes = enrol(client, therapist_a, password)
        assert device.confirmed
        assert len(codes) == 10
        assert client.get("/dashboard/").status_code == 200

    def test_wrong_code_does_not_enrol(self, client, therapist_a, password):
        password_login(client, therapist_a, password)
        open_enrolment_link(client, therapist_a)
        client.get("/accounts/2fa/")
        response = client.post("/accounts/2fa/", {"code": "000000"})
        assert response.status_code == 200
        assert "did not match" in response.content.decode()
        assert not TOTPDevice.objects.filter(user=therapist_a, confirmed=True).exists()
        assert client.get("/dashboard/").status_code == 302

    def test_unverified_therapist_is_kept_away_from_client_pages(
        self, client, therapist_a, client_a, password
    ):
        password_login(client, therapist_a, password)
        for path in ("/dashboard/", f"/dashboard/clients/{client_a.pk}/", "/"):
            response = client.get(path)
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/2fa/?next=")
            assert "Alex" not in response.content.decode()
        # Session auth on the API is not a way around it.
        assert client.get("/api/v1/clients/").status_code == 403

    def test_unverified_staff_is_kept_away_from_the_admin(self, client, staff, password):
        password_login(client, staff, password)
        response = client.get("/admin/")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/2fa/?next=/admin/"
        response = client.get("/admin/accounts/auditevent/")
        assert response["Location"].startswith("/accounts/2fa/")

    def test_backup_code_works_once(self, client, therapist_a, password):
        _device, codes = enrol(client, therapist_a, password)
        client.post("/accounts/logout/")
        password_login(client, therapist_a, password)
        response = client.post("/accounts/2fa/", {"code": codes[0], "next": "/dashboard/"})
        assert response.status_code == 302
        assert response["Location"] == "/dashboard/"
        assert client.get("/dashboard/").status_code == 200
        client.post("/accounts/logout/")
        password_login(client, therapist_a, password)
        response = client.post("/accounts/2fa/", {"code": codes[0]})
        assert response.status_code == 200
        assert "did not match" in response.content.decode()
        assert client.get("/dashboard/").status_code == 302
        # Another, unused code still works (after django-otp's back-off for the failure).
        with time_machine.travel(timezone.now() + timedelta(seconds=30), tick=False):
            assert client.post("/accounts/2fa/", {"code": codes[1]}).status_code == 302

    def test_api_token_requires_the_second_factor(self, client, therapist_a, password):
        api = APIClient()
        body = {"email": therapist_a.email, "password": password}
        not_enrolled = api.post(TOKEN, body, format="json")
        assert not_enrolled.status_code == 400
        assert "otp" in not_enrolled.json()
        device, codes = enrol(client, therapist_a, password)
        missing = api.post(TOKEN, body, format="json")
        assert missing.status_code == 400
        assert "otp" in missing.json()
        assert "token" not in missing.json()
        wrong = api.post(TOKEN, {**body, "otp": "123456"}, format="json")
        assert wrong.status_code == 400
        # The enrolment used the current step's code; TOTP refuses a replay, so take the next.
        with time_machine.travel(timezone.now() + timedelta(seconds=device.step), tick=False):
            code = current_code(device, at=time.time())
            ok = api.post(TOKEN, {**body, "otp": code}, format="json")
            assert ok.status_code == 200, ok.json()
            api.credentials(HTTP_AUTHORIZATION=f"Token {ok.json()['token']}")
            assert api.get("/api/v1/clients/").status_code == 200
        with time_machine.travel(timezone.now() + timedelta(seconds=3 * device.step), tick=False):
            backup = APIClient().post(TOKEN, {**body, "otp": codes[2]}, format="json")
            assert backup.status_code == 200
            again = APIClient().post(TOKEN, {**body, "otp": codes[2]}, format="json")
            assert again.status_code == 400  # single use

    def test_clients_need_no_second_factor(self, client_a, password):
        response = APIClient().post(
            TOKEN, {"email": client_a.email, "password": password}, format="json"
        )
        assert response.status_code == 200


# --- lockout ---------------------------------------------------------------------------------


class TestLockout:
    def lock_out(self, settings, email: str) -> None:
        api = APIClient()
        for _ in range(settings.AXES_FAILURE_LIMIT):
            api.post(TOKEN, {"email": email, "password": "not-the-password"}, format="json")

    def test_lockout_message_is_clear(self, settings, client_a, password):
        self.lock_out(settings, client_a.email)
        response = APIClient().post(
            TOKEN, {"email": client_a.email, "password": password}, format="json"
        )
        assert response.status_code == 429
        detail = response.json()["detail"]
        assert "locked" in detail
        assert "therapist" in detail  # says who can help
        portal = Client().post(
            "/accounts/login/", {"username": client_a.email, "password": password}
        )
        assert portal.status_code == 429

    def test_staff_can_see_and_lift_a_lockout_in_the_admin(
        self, settings, client_a, staff, password
    ):
        from axes.models import AccessAttempt

        self.lock_out(settings, client_a.email)
        attempt = AccessAttempt.objects.get(username=client_a.email)
        admin = Client()
        verified_login(admin, staff)
        listing = admin.get("/admin/axes/accessattempt/")
        assert listing.status_code == 200
        assert client_a.email in listing.content.decode()
        assert admin.get(f"/admin/axes/accessattempt/{attempt.pk}/change/").status_code == 200
        confirm = admin.get(f"/admin/axes/accessattempt/{attempt.pk}/delete/")
        assert confirm.status_code == 200
        done = admin.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
        assert done.status_code == 302
        assert not AccessAttempt.objects.filter(pk=attempt.pk).exists()
        response = APIClient().post(
            TOKEN, {"email": client_a.email, "password": password}, format="json"
        )
        assert response.status_code == 200

    def test_lockout_is_audited_without_the_password(self, settings, client_a):
        self.lock_out(settings, client_a.email)
        events = AuditEvent.objects.filter(action__in=["login_failed", "lockout"])
        assert events.filter(action="lockout").exists()
        assert not any("not-the-password" in str(vars(e)) for e in events)

    def test_non_staff_cannot_reach_the_axes_admin(self, client, therapist_a):
        verified_login(client, therapist_a)
        response = client.get("/admin/axes/accessattempt/")
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


# --- sessions --------------------------------------------------------------------------------


class TestSessions:
    def test_idle_timeout(self, settings, client, client_a, password):
        with time_machine.travel(timezone.now(), tick=False) as traveller:
            password_login(client, client_a, password)
            assert client.get("/history/").status_code == 200
            traveller.shift(timedelta(seconds=settings.SESSION_IDLE_SECONDS - 60))
            assert client.get("/history/").status_code == 200  # still active: resets the clock
            traveller.shift(timedelta(seconds=settings.SESSION_IDLE_SECONDS + 1))
            response = client.get("/history/")
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/")

    def test_absolute_lifetime_even_when_active(self, settings, client, client_a, password):
        step = timedelta(seconds=settings.SESSION_IDLE_SECONDS - 60)
        with time_machine.travel(timezone.now(), tick=False) as traveller:
            password_login(client, client_a, password)
            assert client.get("/history/").status_code == 200
            elapsed = timedelta()
            while elapsed + step < timedelta(seconds=settings.SESSION_COOKIE_AGE):
                traveller.shift(step)
                elapsed += step
                assert client.get("/history/").status_code == 200
            traveller.shift(step)
            response = client.get("/history/")
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/")

    def test_password_change_ends_other_sessions(self, client, client_a, password):
        password_login(client, client_a, password)
        assert client.get("/history/").status_code == 200
        client_a.set_password("a-completely-new-passphrase-9")
        client_a.save()
        assert client.get("/history/")["Location"].startswith("/accounts/login/")

    def test_deactivation_ends_sessions(self, client, client_a, password):
        password_login(client, client_a, password)
        client_a.is_active = False
        client_a.save()
        assert client.get("/history/")["Location"].startswith("/accounts/login/")


# --- API tokens ------------------------------------------------------------------------------


class TestTokens:
    def test_password_change_revokes_api_tokens(self, client_a, therapist_a):
        token = token_for(client_a)
        token_for(client_a)
        other = token_for(therapist_a)
        client_a.set_password("a-completely-new-passphrase-9")
        client_a.save()
        assert not AuthToken.objects.filter(user=client_a).exists()
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert api.get("/api/v1/me/").status_code == 401
        api.credentials(HTTP_AUTHORIZATION=f"Token {other}")
        assert api.get("/api/v1/me/").status_code == 200  # nobody else's

    def test_staff_cannot_set_a_password_in_the_admin(self, client, client_a, staff, password):
        token_for(client_a)
        verified_login(client, staff)
        response = client.post(
            f"/admin/accounts/user/{client_a.pk}/password/",
            {
                "password1": "a-completely-new-passphrase-9",
                "password2": "a-completely-new-passphrase-9",
                "usable_password": "true",
            },
        )
        assert response.status_code == 403
        client_a.refresh_from_db()
        assert client_a.check_password(password)
        assert AuthToken.objects.filter(user=client_a).exists()

    def test_a_password_change_revokes_tokens(self, client_a):
        token_for(client_a)
        client_a.set_password("a-completely-new-passphrase-9")
        client_a.save()
        assert not AuthToken.objects.filter(user=client_a).exists()

    def test_deactivation_revokes_api_tokens(self, client_a):
        token = token_for(client_a)
        client_a.is_active = False
        client_a.save(update_fields=["is_active"])
        assert not AuthToken.objects.filter(user=client_a).exists()
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert api.get("/api/v1/me/").status_code == 401

    def test_ordinary_saves_keep_tokens(self, client_a):
        token_for(client_a)
        client_a.display_name = "Still Alex"
        client_a.save()
        client_a.save(update_fields=["last_login"])
        assert AuthToken.objects.filter(user=client_a).count() == 1

    def test_tokens_expire(self, settings, client_a):
        token = token_for(client_a)
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        ttl = settings.REST_KNOX["TOKEN_TTL"]
        with time_machine.travel(timezone.now() + ttl - timedelta(hours=1), tick=False):
            assert api.get("/api/v1/me/").status_code == 200  # use refreshes (AUTO_REFRESH)
        with time_machine.travel(timezone.now() + 2 * ttl, tick=False):
            assert api.get("/api/v1/me/").status_code == 401

    def test_unused_token_expires_after_its_ttl(self, settings, client_a):
        token = token_for(client_a)
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        ttl = settings.REST_KNOX["TOKEN_TTL"]
        with time_machine.travel(timezone.now() + ttl + timedelta(minutes=1), tick=False):
            assert api.get("/api/v1/me/").status_code == 401

    def test_logout_revokes_the_token(self, client_a):
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(client_a)}")
        assert api.post("/api/v1/auth/logout/").status_code == 204
        assert api.get("/api/v1/me/").status_code == 401
