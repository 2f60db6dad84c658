"""Regression tests for what the outside attack of issue #14 found (docs/SECURITY.md names
each test against its finding). Every test here failed on the code before its fix.

The lockout tests run through real HTTP (the live server, `requests`) with the production
proxy-header setting: one trusted proxy that appends the connecting address to
X-Forwarded-For, as the documented TLS proxy does.
"""

import io
from datetime import timedelta

import pytest
import requests
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from accounts.models import AuditAction, AuditEvent, EnrolmentLink
from accounts.twofactor import enrolment_link_create
from tests.conftest import token_for, verified_login
from tests.factories import PASSWORD, CareFactory, ClientFactory, TherapistFactory
from tests.security.test_auth import current_code, enrol, password_login
from therapists.models import MedicationNote

TOKEN = "/api/v1/auth/token/"
REGISTER = "/api/v1/auth/register/"
ME = "/api/v1/me/"
LOCKED_EMAIL = "lockme@x.test"
pytestmark = pytest.mark.django_db

# Spellings of LOCKED_EMAIL that sign-in resolves to the same account: letter case, stray
# spaces, and the Kelvin sign (U+212A), which lower-cases to an ASCII "k".
SPELLINGS = [
    "LOCKME@X.TEST",
    "lOckme@x.test",
    "Lockme@X.Test",
    "  lockme@x.test ",
    "loc\u212ame@x.test",
    "LOC\u212aME@X.TEST",
]


def proxied(address: str) -> dict:
    """Headers as the trusted proxy sends them: the connecting address appended."""
    return {"X-Forwarded-For": address}


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The lockout under test, not the request-rate throttle, must be what answers 429.
    settings.COMPANION_THROTTLE_RATES = {
        **settings.COMPANION_THROTTLE_RATES,
        "sign-in": "10000/minute",
    }
    return settings


@pytest.fixture
def lockme(db):
    return ClientFactory(email=LOCKED_EMAIL, display_name="Lock Me")


def token(base: str, email: str, password: str, address: str) -> requests.Response:
    return requests.post(
        base + TOKEN,
        json={"email": email, "password": password},
        headers=proxied(address),
        timeout=10,
    )


def portal_login(base: str, email: str, password: str, address: str) -> requests.Response:
    session = requests.Session()
    page = session.get(base + "/accounts/login/", headers=proxied(address), timeout=10)
    assert page.status_code == 200
    return session.post(
        base + "/accounts/login/",
        data={
            "username": email,
            "password": password,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={**proxied(address), "Referer": base + "/accounts/login/"},
        allow_redirects=False,
        timeout=10,
    )


# --- 1. the lockout holds for every spelling of the email ------------------------------


@pytest.mark.django_db(transaction=True)
class TestLockoutOverHttp:
    def lock(self, base: str, address: str) -> None:
        for _ in range(5):
            token(base, LOCKED_EMAIL, "not-the-password", address)

    def test_every_spelling_is_locked_on_the_api_and_the_portal(
        self, live_server, behind_proxy, lockme
    ):
        base = live_server.url
        self.lock(base, "198.51.100.7")
        assert token(base, LOCKED_EMAIL, PASSWORD, "198.51.100.7").status_code == 429
        for spelling in SPELLINGS:
            api = token(base, spelling, PASSWORD, "198.51.100.7")
            assert api.status_code == 429, spelling
            assert "locked" in api.json()["detail"]
            portal = portal_login(base, spelling, PASSWORD, "198.51.100.7")
            assert portal.status_code == 429, spelling
            assert "locked" in portal.text
            assert "sessionid" not in portal.cookies

    def test_a_stranger_elsewhere_cannot_lock_the_owner_out(
        self, live_server, behind_proxy, lockme
    ):
        base = live_server.url
        self.lock(base, "198.51.100.7")
        # The attacker cannot pretend to be the owner's address: the proxy appends the real
        # one, and only that last entry is trusted.
        forged = token(base, LOCKED_EMAIL, PASSWORD, "203.0.113.9, 198.51.100.7")
        assert forged.status_code == 429
        owner = token(base, LOCKED_EMAIL, PASSWORD, "203.0.113.9")
        assert owner.status_code == 200, owner.text
        assert portal_login(base, LOCKED_EMAIL, PASSWORD, "203.0.113.9").status_code == 302

    def test_one_address_spraying_many_accounts_is_stopped(self, live_server, behind_proxy, lockme):
        behind_proxy.AXES_ADDRESS_FAILURE_LIMIT = 6
        base = live_server.url
        for n in range(6):  # one guess each at six different accounts
            token(base, f"someone{n}@x.test", "guess-123456", "198.51.100.50")
        blocked = token(base, LOCKED_EMAIL, PASSWORD, "198.51.100.50")
        assert blocked.status_code == 429
        assert "network" in blocked.json()["detail"]
        assert token(base, LOCKED_EMAIL, PASSWORD, "198.51.100.51").status_code == 200


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    print_blob=True,
)
@given(
    st.lists(st.sampled_from(["lower", "upper", "kelvin"]), min_size=13, max_size=13),
    st.sampled_from(["", " ", "\t"]),
)
def test_no_spelling_gets_fresh_guesses(lockme, settings, case, pad):
    """Property: any spelling that sign-in resolves to the account shares its lockout."""
    from axes.models import AccessAttempt
    from django.core.cache import cache

    settings.TRUSTED_PROXY_COUNT = 0
    AccessAttempt.objects.all().delete()
    cache.clear()  # per example: the request-rate throttle must not be what answers
    api = APIClient(REMOTE_ADDR="192.0.2.44")
    for _ in range(5):
        api.post(TOKEN, {"email": LOCKED_EMAIL, "password": "wrong-guess"}, format="json")
    chars = []
    for ch, how in zip(LOCKED_EMAIL, case, strict=True):
        if how == "upper":
            ch = ch.upper()
        elif how == "kelvin" and ch == "k":
            ch = "\u212a"
        chars.append(ch)
    spelling = pad + "".join(chars) + pad
    response = api.post(TOKEN, {"email": spelling, "password": PASSWORD}, format="json")
    assert response.status_code == 429, spelling
    assert "locked" in response.json()["detail"]


# --- 3. the second step is required for any API use by session ------------------------


class TestUnverifiedSessions:
    @pytest.mark.parametrize("who", ["therapist_a", "staff"])
    def test_password_only_session_is_refused_by_every_api_call(
        self, request, who, client_a, password
    ):
        user = request.getfixturevalue(who)
        browser = Client()
        assert password_login(browser, user, password).status_code == 302
        assert browser.get(ME).status_code == 403
        assert browser.patch(ME, {"display_name": "X"}, "application/json").status_code == 403
        gone = browser.delete(ME, {"password": password}, "application/json")
        assert gone.status_code == 403
        assert get_user_model().objects.filter(pk=user.pk).exists()
        assert browser.get("/api/v1/clients/").status_code == 403

    def test_verified_session_and_clients_are_not_affected(self, client_a, therapist_a):
        browser = Client()
        verified_login(browser, therapist_a)
        assert browser.get(ME).status_code == 200
        client_browser = Client()
        client_browser.force_login(client_a)
        assert client_browser.get(ME).status_code == 200


# --- 4a. a successful API sign-in resets the failure count -----------------------------


def test_api_sign_in_resets_the_failure_count(client_a, password):
    api = APIClient(REMOTE_ADDR="192.0.2.10")
    wrong = {"email": client_a.email, "password": "not-it-at-all"}
    for _ in range(4):
        assert api.post(TOKEN, wrong, format="json").status_code == 400
    right = {"email": client_a.email, "password": password}
    assert api.post(TOKEN, right, format="json").status_code == 200
    assert api.post(TOKEN, wrong, format="json").status_code == 400  # was 429
    assert api.post(TOKEN, right, format="json").status_code == 200


# --- 4b. enrolling the second step needs the one-time link -----------------------------


class TestEnrolment:
    def test_password_alone_cannot_enrol(self, password, monkeypatch):
        monkeypatch.setenv("COMPANION_PASSWORD", password)
        out = io.StringIO()
        call_command("create_therapist", "new.t@example.test", stdout=out)
        therapist = get_user_model().objects.get(email="new.t@example.test")
        browser = Client()
        password_login(browser, therapist, password)
        page = browser.get("/accounts/2fa/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "<svg" not in html and "one-time link" in html
        assert not TOTPDevice.objects.filter(user=therapist).exists()
        # The printed link is what lets the real person in.
        url = next(w for w in out.getvalue().split() if "/accounts/2fa/enrol/" in w)
        assert browser.get(url.split("8000", 1)[-1])["Location"] == "/accounts/2fa/"
        assert "<svg" in browser.get("/accounts/2fa/").content.decode()

    def test_a_link_works_once_for_its_own_account_until_it_expires(
        self, therapist_a, therapist_b, password
    ):
        _link, url = enrolment_link_create(user=therapist_a)
        path = url.split("8000", 1)[-1]
        other = Client()
        password_login(other, therapist_b, password)
        assert other.get(path).status_code == 404  # not theirs
        owner = Client()
        password_login(owner, therapist_a, password)
        assert owner.get(path).status_code == 302
        assert owner.get(path).status_code == 404  # used
        link, late = enrolment_link_create(user=therapist_a)
        EnrolmentLink.objects.filter(pk=link.pk).update(expires_at=timezone.now())
        assert owner.get(late.split("8000", 1)[-1]).status_code == 404

    def test_staff_approval_emails_a_link(self, client, staff, django_capture_on_commit_callbacks):
        pending = TherapistFactory(email="waiting@example.test", therapist_approved_at=None)
        verified_login(client, staff)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/admin/accounts/user/",
                {"action": "approve_therapists", "_selected_action": [pending.pk]},
            )
        assert response.status_code == 302
        assert EnrolmentLink.objects.filter(user=pending).count() == 1
        (message,) = [m for m in mail.outbox if m.to == ["waiting@example.test"]]
        assert "/accounts/2fa/enrol/" in message.body


# --- 4c. a wrong code is followed by a wait, and the page says so ----------------------


class TestCodeWait:
    def test_right_code_after_a_wrong_one_is_told_to_wait(self, client, therapist_a, password):
        device, _codes = enrol(client, therapist_a, password)
        client.post("/accounts/logout/")
        password_login(client, therapist_a, password)
        with time_machine.travel(timezone.now() + timedelta(seconds=60), tick=False):
            client.post("/accounts/2fa/", {"code": "000000"})
            right = current_code(device)
            page = client.post("/accounts/2fa/", {"code": right}).content.decode()
            assert "short wait" in page and "1 second" in page
            assert "did not match" not in page
        with time_machine.travel(timezone.now() + timedelta(seconds=62), tick=False):
            assert client.post("/accounts/2fa/", {"code": right})["Location"] == "/"

    def test_the_api_says_the_same(self, client, therapist_a, password):
        device, _codes = enrol(client, therapist_a, password)
        body = {"email": therapist_a.email, "password": password}
        with time_machine.travel(timezone.now() + timedelta(seconds=60), tick=False):
            APIClient().post(TOKEN, {**body, "otp": "000000"}, format="json")
            right = current_code(device)
            answer = APIClient().post(TOKEN, {**body, "otp": right}, format="json")
            assert answer.status_code == 400
            assert "short wait" in answer.json()["otp"][0]


# --- 4d. registration tells no one who has an account, and is throttled ----------------


def register_body(email: str) -> dict:
    return {
        "email": email,
        "password": "a-long-enough-passphrase-1",
        "display_name": "Someone",
        "timezone": "Europe/Berlin",
    }


class TestRegistration:
    def test_portal_answers_alike_for_new_and_taken_emails(self, client_a):
        taken = Client().post(
            "/accounts/register/", {**register_body(client_a.email), "display_name": "A"}
        )
        fresh = Client().post("/accounts/register/", register_body("fresh.one@example.test"))
        assert taken.status_code == fresh.status_code == 302
        assert taken["Location"].split("?")[0] == fresh["Location"].split("?")[0]
        follow = Client().get(taken["Location"]).content.decode()
        assert "already exists" not in follow

    def test_register_is_throttled_per_address(self, settings):
        settings.COMPANION_THROTTLE_RATES = {
            **settings.COMPANION_THROTTLE_RATES,
            "register": "3/hour",
        }
        near = APIClient(REMOTE_ADDR="192.0.2.20")
        answers = [
            near.post(REGISTER, register_body(f"r{n}@example.test"), format="json").status_code
            for n in range(4)
        ]
        assert answers == [201, 201, 201, 429]
        limited = near.post(REGISTER, register_body("r9@example.test"), format="json")
        assert int(limited["Retry-After"]) > 0
        assert not get_user_model().objects.filter(email="r9@example.test").exists()
        far = APIClient(REMOTE_ADDR="192.0.2.21")
        assert (
            far.post(REGISTER, register_body("r5@example.test"), format="json").status_code == 201
        )
        portal = Client(REMOTE_ADDR="192.0.2.20")
        assert (
            portal.post("/accounts/register/", register_body("r6@example.test")).status_code == 429
        )

    def test_sign_in_and_invitations_are_throttled(self, settings, client_a, therapist_a):
        settings.COMPANION_THROTTLE_RATES = {
            **settings.COMPANION_THROTTLE_RATES,
            "sign-in": "2/minute",
            "invitation": "2/hour",
        }
        api = APIClient(REMOTE_ADDR="192.0.2.30")
        body = {"email": "nobody@example.test", "password": "x"}
        statuses = [api.post(TOKEN, body, format="json").status_code for _ in range(3)]
        assert statuses == [400, 400, 429]
        inviter = APIClient(REMOTE_ADDR="192.0.2.31")
        inviter.credentials(HTTP_AUTHORIZATION=f"Token {token_for(therapist_a)}")
        invites = [
            inviter.post(
                "/api/v1/invitations/", {"email": f"i{n}@example.test"}, format="json"
            ).status_code
            for n in range(3)
        ]
        assert invites == [201, 201, 429]


# --- 4e. a therapist's medication notes are theirs unless shared -----------------------


def test_co_therapist_sees_only_notes_shared_with_the_care_team(client_a, therapist_a, api_for):
    colleague = TherapistFactory(email="colleague@example.test", display_name="Dr. Cole")
    CareFactory(therapist=colleague, client=client_a)
    MedicationNote.objects.create(therapist=therapist_a, client=client_a, text="private-mn-1")
    MedicationNote.objects.create(
        therapist=therapist_a, client=client_a, text="shared-mn-2", shared_with_care_team=True
    )
    url = f"/api/v1/clients/{client_a.pk}/medication-notes/"
    seen = api_for(colleague).get(url).json()["results"]
    assert [n["text"] for n in seen] == ["shared-mn-2"]
    own = api_for(therapist_a).get(url).json()["results"]
    assert sorted(n["text"] for n in own) == ["private-mn-1", "shared-mn-2"]
    page = Client()
    verified_login(page, colleague)
    html = page.get(f"/dashboard/clients/{client_a.pk}/").content.decode()
    assert "shared-mn-2" in html and "private-mn-1" not in html
    created = api_for(colleague).post(
        url, {"text": "mine", "shared_with_care_team": True}, format="json"
    )
    assert created.status_code == 201 and created.json()["shared_with_care_team"] is True


# --- 4f. an export names who read the data, not their addresses ------------------------


def test_export_keeps_only_the_clients_own_addresses(client_a, therapist_a):
    from accounts.exports import _rows

    AuditEvent.objects.create(
        actor=therapist_a,
        actor_email=therapist_a.email,
        action=AuditAction.READ,
        subject=client_a,
        ip_address="198.51.100.99",
        user_agent="TherapistBrowser/1.0",
    )
    AuditEvent.objects.create(
        actor=client_a,
        action=AuditAction.EXPORT,
        subject=client_a,
        ip_address="203.0.113.5",
        user_agent="ClientPhone/2.0",
    )
    rows = _rows("accounts.auditevent", "subject", client_a)
    by_actor = {row["actor_id"]: row for row in rows}
    assert by_actor[therapist_a.pk]["actor_email"] == therapist_a.email  # who and when: yes
    assert by_actor[therapist_a.pk]["ip_address"] is None
    assert by_actor[therapist_a.pk]["user_agent"] is None
    assert by_actor[client_a.pk]["ip_address"] == "203.0.113.5"


# --- 4g. names are one line of plain text, everywhere ----------------------------------

HOSTILE_NAME = "Eve\r\nBcc: victim@example.test\r\n\r\nClick http://evil.example"


class TestOneLineNames:
    def test_refused_on_every_way_in(self, api, client_a):
        response = api.post(
            REGISTER,
            {**register_body("eve@example.test"), "display_name": HOSTILE_NAME},
            format="json",
        )
        assert response.status_code == 400 and "display_name" in response.json()
        assert not get_user_model().objects.filter(email="eve@example.test").exists()
        patched = api.as_(client_a).patch(ME, {"display_name": "A\u2028B"}, format="json")
        assert patched.status_code == 400 and "display_name" in patched.json()
        form = Client().post(
            "/accounts/register/",
            {**register_body("eve2@example.test"), "display_name": "Eve\nBcc: x"},
        )
        assert form.status_code == 200 and "one line" in form.content.decode()
        assert not get_user_model().objects.filter(email="eve2@example.test").exists()

    def test_a_stored_name_cannot_add_lines_to_an_alert(self, client_a, therapist_a, mailoutbox):
        from journal.models import SafetySignal
        from therapists.tasks import raise_safety_flag

        get_user_model().objects.filter(pk=client_a.pk).update(display_name=HOSTILE_NAME)
        signal = SafetySignal.objects.create(client=client_a, source="button")
        raise_safety_flag(signal.pk)
        (message,) = mailoutbox
        assert "\n" not in message.subject
        lines = message.body.splitlines()
        assert not any(line.startswith(("Bcc:", "Click")) for line in lines)
        assert any(
            "Eve Bcc: victim@example.test Click http://evil.example" in line for line in lines
        )

    def test_every_email_template_prints_names_through_oneline(self):
        import re
        from pathlib import Path

        folder = Path(__file__).resolve().parents[2] / "companion" / "templates" / "emails"
        bare = [
            f"{path.name}: {m.group(0)}"
            for path in folder.iterdir()
            for m in re.finditer(r"display_name(?!\|oneline)", path.read_text())
        ]
        assert not bare
