"""Health, schema, docs, settings guard, commands, portal shell and admin."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from accounts.models import AuditEvent, Invitation, User
from tests.conftest import ON_POSTGRES, verified_login

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] in {"ok", "down"}
    if os.environ.get("REDIS_URL"):
        assert body["broker"] == "ok"


@pytest.mark.django_db
def test_schema_describes_the_contract(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    for path in [
        "/api/v1/auth/token/",
        "/api/v1/auth/register/",
        "/api/v1/me/",
        "/api/v1/invitations/",
        "/api/v1/care-team/{therapist_id}/",
    ]:
        assert path in schema["paths"], path


@pytest.mark.django_db
def test_docs_load_their_assets_locally(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower()


def _run_manage(env_overrides, *args):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "COMPANION_TESTING", "FIELD_ENCRYPTION_KEYS"}
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    result = _run_manage({"DEBUG": "0"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
    result = _run_manage({"DEBUG": "0", "SECRET_KEY": "dev-insecure-secret-key-change-me"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_refuses_to_start_without_encryption_keys_when_debug_is_off():
    result = _run_manage({"DEBUG": "0", "SECRET_KEY": "x" * 50}, "check")
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS" in result.stderr


@pytest.mark.django_db
def test_create_therapist(monkeypatch):
    monkeypatch.setenv("COMPANION_PASSWORD", "gentle-orchard-path-3")
    call_command("create_therapist", "New.Therapist@example.test")
    therapist = User.objects.get(email="new.therapist@example.test")
    assert therapist.is_therapist
    assert therapist.check_password("gentle-orchard-path-3")


@pytest.mark.django_db
def test_create_therapist_rejects_weak_password(monkeypatch):
    from django.core.management.base import CommandError

    monkeypatch.setenv("COMPANION_PASSWORD", "123")
    with pytest.raises(CommandError, match="password"):
        call_command("create_therapist", "t@example.test")
    assert not User.objects.filter(email="t@example.test").exists()


@pytest.mark.django_db
class TestPortalShell:
    def test_login_page_has_labelled_fields(self, client):
        html = client.get("/accounts/login/").content.decode()
        assert '<label for="id_username">Email</label>' in html
        assert '<label for="id_password">Password</label>' in html

    def test_login_and_role_homes(self, client, client_a, therapist_a, staff, password):
        response = client.post(
            "/accounts/login/", {"username": "client.a@example.test", "password": password}
        )
        assert response.status_code == 302
        home = client.get("/")
        assert home.status_code == 200
        assert "Hello, Alex" in home.content.decode()
        client.post("/accounts/logout/")
        client.post("/accounts/login/", {"username": therapist_a.email, "password": password})
        assert (
            client.get("/").url == "/accounts/2fa/?next=/"
        )  # no client data before the second factor
        verified_login(client, therapist_a)
        assert client.get("/").url == "/dashboard/"
        assert "Alex" in client.get("/dashboard/").content.decode()
        client.post("/accounts/logout/")
        verified_login(client, staff)
        assert client.get("/").url == "/admin/"

    def test_anonymous_home_redirects_to_login(self, client):
        response = client.get("/")
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")

    def test_wrong_password_shows_a_message(self, client, client_a):
        response = client.post(
            "/accounts/login/", {"username": "client.a@example.test", "password": "nope"}
        )
        assert response.status_code == 200
        assert "correct" in response.content.decode()

    def test_portal_lockout(self, client, client_a, password, settings):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post(
                "/accounts/login/", {"username": "client.a@example.test", "password": "nope"}
            )
        response = client.post(
            "/accounts/login/", {"username": "client.a@example.test", "password": password}
        )
        assert response.status_code == 429
        assert "Too many sign-in attempts" in response.content.decode()
        # Locked out or not signed in, the crisis lines are one link away.
        assert 'href="/safety/"' in response.content.decode()
        assert 'href="/safety/"' in client.get("/accounts/login/").content.decode()
        assert client.get("/safety/").status_code == 200

    def test_register_page(self, client):
        response = client.post(
            "/accounts/register/",
            {
                "display_name": "Robin",
                "email": "robin@example.test",
                "password": "soft-morning-rain-9",
                "timezone": "Europe/Berlin",
            },
        )
        assert response.status_code == 302
        assert User.objects.get(email="robin@example.test").role == "client"

    def test_register_page_bad_timezone(self, client):
        response = client.post(
            "/accounts/register/",
            {
                "display_name": "Robin",
                "email": "robin@example.test",
                "password": "soft-morning-rain-9",
                "timezone": "Mars/Olympus",
            },
        )
        assert response.status_code == 200
        assert "not a known time zone" in response.content.decode()
        assert not User.objects.filter(email="robin@example.test").exists()

    def test_client_ends_care_from_portal(self, client, client_a, therapist_a, password):
        client.force_login(client_a)
        page = client.get("/accounts/care-team/").content.decode()
        assert "Dr. Ada" in page
        client.post(f"/accounts/care-team/{therapist_a.pk}/end/")
        assert not User.objects.clients_of(therapist_a).exists()
        assert client.post(f"/accounts/care-team/{therapist_a.pk}/end/").status_code == 404

    def test_therapist_invites_from_portal(
        self, client, therapist_a, mailoutbox, django_capture_on_commit_callbacks
    ):
        verified_login(client, therapist_a)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/accounts/invite/", {"email": "future@example.test"})
        assert (response.status_code, response["Location"]) == (302, "/accounts/invite/")
        html = client.get("/accounts/invite/").content.decode()
        assert "We have emailed an invitation to future@example.test" in html
        assert "<code>" in html  # the code, shown once
        (message,) = mailoutbox
        assert message.to == ["future@example.test"] and "/accounts/join/" in message.body
        # A reload of the page after it sends nothing and no longer shows the code.
        again = client.get("/accounts/invite/").content.decode()
        assert "We have emailed" not in again and "<code>" not in again
        assert len(mailoutbox) == 1

    def test_inviting_again_withdraws_the_earlier_invitation(self, client, therapist_a):
        verified_login(client, therapist_a)
        client.post("/accounts/invite/", {"email": "future@example.test"})
        client.post("/accounts/invite/", {"email": "Future@Example.test"})
        states = [i.state for i in Invitation.objects.order_by("pk")]
        assert states == ["revoked", "pending"]

    def test_inviting_someone_already_in_the_caseload_is_refused(
        self, client, therapist_a, client_a, mailoutbox
    ):
        verified_login(client, therapist_a)
        response = client.post("/accounts/invite/", {"email": client_a.email.upper()})
        assert response.status_code == 200
        assert "is already in your caseload" in response.content.decode()
        assert not Invitation.objects.exists() and mailoutbox == []

    def test_security_headers(self, client):
        response = client.get("/accounts/login/")
        assert response["Cache-Control"] == "no-store"
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert "unsafe-inline" not in response["Content-Security-Policy"]


@pytest.mark.django_db
class TestAdmin:
    def test_user_changelist_filters_and_search(self, client, staff, client_a, therapist_a):
        verified_login(client, staff)
        response = client.get("/admin/accounts/user/?role__exact=therapist&q=ada")
        assert response.status_code == 200
        html = response.content.decode()
        assert "therapist.a@example.test" in html
        assert "client.a@example.test" not in html

    def test_care_and_invitations_pages(self, client, staff, client_a):
        verified_login(client, staff)
        assert client.get("/admin/accounts/carerelationship/").status_code == 200
        assert client.get("/admin/accounts/invitation/").status_code == 200

    def test_audit_log_is_read_only(self, client, staff, client_a):
        AuditEvent.objects.create(action="read", actor=staff, subject=client_a)
        verified_login(client, staff)
        event = AuditEvent.objects.first()
        assert client.get("/admin/accounts/auditevent/").status_code == 200
        assert client.get("/admin/accounts/auditevent/add/").status_code == 403
        assert (
            client.post(
                f"/admin/accounts/auditevent/{event.pk}/delete/", {"post": "yes"}
            ).status_code
            == 403
        )
        assert AuditEvent.objects.filter(pk=event.pk).exists()

    def test_approve_therapist_action(self, client, staff):
        from tests.factories import TherapistFactory

        pending = TherapistFactory(therapist_approved_at=None)
        assert not pending.is_therapist
        verified_login(client, staff)
        client.post(
            "/admin/accounts/user/",
            {"action": "approve_therapists", "_selected_action": [pending.pk]},
        )
        pending.refresh_from_db()
        assert pending.is_therapist


@pytest.mark.django_db
def test_audit_events_are_append_only_in_python(client_a):
    event = AuditEvent.objects.create(action="read", subject=client_a)
    event.action = "delete"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()


@pytest.mark.skipif(not ON_POSTGRES, reason="the append-only trigger exists on PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_audit_events_are_append_only_in_the_database(client_a):
    from django.db import DatabaseError, transaction

    event = AuditEvent.objects.create(action="read", subject=client_a)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="delete")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM accounts_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk, action="read").exists()


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_unreachable(client, monkeypatch):
    from django.db import OperationalError
    from django.db.backends.base.base import BaseDatabaseWrapper

    def unreachable(self, *args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", unreachable)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"
    assert "connection refused" not in response.content.decode()  # no internals echoed


@pytest.mark.django_db
class TestErrorPages:
    """#16: outside /api/ every error is a calm page with a way back, in the site's style."""

    def test_not_found(self, client, client_a):
        client.force_login(client_a)
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        assert "Back to the start page" in response.content.decode()

    def test_wrong_role(self, client, client_a):
        client.force_login(client_a)
        response = client.get("/dashboard/")
        assert response.status_code == 403
        assert "Back to your start page" in response.content.decode()

    def test_server_error(self, client, client_a, monkeypatch):
        from accounts import views

        def explode(*args, **kwargs):
            raise RuntimeError("boom")

        monkeypatch.setattr(views, "DeleteAccountForm", explode)
        client.raise_request_exception = False
        client.force_login(client_a)
        response = client.get("/accounts/privacy/")
        body = response.content.decode()
        assert response.status_code == 500
        assert "Back to the start page" in body and "boom" not in body
        assert "companion/css/site.css" in body
