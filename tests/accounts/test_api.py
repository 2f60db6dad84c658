"""Accounts API: tokens, registration, profile, invitations, care team."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import AuditEvent, CareRelationship, Invitation, User
from accounts.services import invitation_create

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/auth/register/"
TOKEN = "/api/v1/auth/token/"


def register_body(**overrides):
    body = {
        "email": "new.person@example.test",
        "password": "quiet-harbour-lights-7",
        "display_name": "Nova",
        "timezone": "Europe/Berlin",
    }
    body.update(overrides)
    return body


class TestRegister:
    def test_creates_a_client(self, api):
        response = api.post(REGISTER, register_body(), format="json")
        assert response.status_code == 201, response.json()
        data = response.json()
        assert data["role"] == "client"
        assert data["email"] == "new.person@example.test"
        assert "password" not in data
        user = User.objects.get(pk=data["id"])
        assert user.check_password("quiet-harbour-lights-7")
        assert user.password.startswith(("argon2", "md5"))

    def test_with_invitation_links_the_therapist(self, api, therapist_a):
        invitation, code = invitation_create(therapist=therapist_a, email="New.Person@example.test")
        response = api.post(REGISTER, register_body(invitation_code=code), format="json")
        assert response.status_code == 201, response.json()
        user = User.objects.get(email="new.person@example.test")
        assert list(User.objects.clients_of(therapist_a)) == [user]
        invitation.refresh_from_db()
        assert invitation.accepted_by == user

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"role": "wizard"}, "role"),
            ({"role": "therapist"}, "role"),
            ({"password": "password1"}, "password"),
            ({"password": "short"}, "password"),
            ({"timezone": "Mars/Olympus"}, "timezone"),
            ({"email": "not-an-email"}, "email"),
            ({"display_name": ""}, "display_name"),
            ({"invitation_code": "made-up-code"}, "invitation_code"),
        ],
    )
    def test_bad_input_names_the_field_and_stores_nothing(self, api, overrides, field):
        before = User.objects.count()
        response = api.post(REGISTER, register_body(**overrides), format="json")
        assert response.status_code == 400
        assert field in response.json(), response.json()
        assert User.objects.count() == before

    def test_existing_email_answers_like_a_new_one(
        self, api, client_a, mailoutbox, django_capture_on_commit_callbacks
    ):
        """#14: registration must not tell who has an account; the owner is told instead."""
        with django_capture_on_commit_callbacks(execute=True):
            taken = api.post(REGISTER, register_body(email="CLIENT.A@example.test"), format="json")
            fresh = api.post(REGISTER, register_body(email="brand.new@example.test"), format="json")
        assert taken.status_code == fresh.status_code == 201
        assert set(taken.json()) == set(fresh.json())
        assert taken.json()["id"] != client_a.pk
        if connection.vendor == "postgresql":  # SQLite has no sequence to advance
            assert taken.json()["id"] != fresh.json()["id"]
        assert "already" not in taken.content.decode()
        assert User.objects.filter(email__iexact="client.a@example.test").count() == 1
        assert [m.to for m in mailoutbox] == [["client.a@example.test"]]
        assert "already have" in mailoutbox[0].body
        # A second attempt the same day sends the owner nothing more.
        with django_capture_on_commit_callbacks(execute=True):
            api.post(REGISTER, register_body(email="client.a@example.test"), format="json")
        assert len(mailoutbox) == 1

    def test_expired_invitation(self, api, therapist_a):
        invitation, code = invitation_create(therapist=therapist_a, email="new.person@example.test")
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
        response = api.post(REGISTER, register_body(invitation_code=code), format="json")
        assert response.status_code == 400
        assert "expired" in response.json()["invitation_code"][0]
        assert not User.objects.filter(email="new.person@example.test").exists()

    def test_used_invitation(self, api, therapist_a):
        _invitation, code = invitation_create(
            therapist=therapist_a, email="new.person@example.test"
        )
        assert (
            api.post(REGISTER, register_body(invitation_code=code), format="json").status_code
            == 201
        )
        response = api.post(
            REGISTER, register_body(email="other@example.test", invitation_code=code), format="json"
        )
        assert response.status_code == 400
        assert "already been used" in response.json()["invitation_code"][0]
        assert not User.objects.filter(email="other@example.test").exists()

    def test_invitation_for_someone_else(self, api, therapist_a):
        _invitation, code = invitation_create(therapist=therapist_a, email="intended@example.test")
        response = api.post(REGISTER, register_body(invitation_code=code), format="json")
        assert response.status_code == 400
        assert "invitation_code" in response.json()
        assert not User.objects.filter(email="new.person@example.test").exists()

    def test_not_json(self, api):
        response = api.generic("POST", REGISTER, "email=x", content_type="application/json")
        assert response.status_code == 400
        response = api.generic(
            "POST", REGISTER, "email=x", content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 415


class TestTokens:
    def test_login_use_logout(self, api, client_a, password):
        response = api.post(
            TOKEN, {"email": "Client.A@example.test", "password": password}, format="json"
        )
        assert response.status_code == 200
        token = response.json()["token"]
        api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert api.get("/api/v1/me/").json()["email"] == "client.a@example.test"
        assert api.post("/api/v1/auth/logout/").status_code == 204
        assert api.get("/api/v1/me/").status_code == 401
        assert AuditEvent.objects.filter(actor=client_a, action="login").exists()

    def test_bad_credentials(self, api, client_a):
        response = api.post(
            TOKEN, {"email": "client.a@example.test", "password": "wrong-password"}, format="json"
        )
        assert response.status_code == 400
        assert "non_field_errors" in response.json()
        assert "token" not in response.json()

    def test_lockout_after_repeated_failures(self, api, client_a, password, settings):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert (
                api.post(
                    TOKEN,
                    {"email": "client.a@example.test", "password": "nope-nope"},
                    format="json",
                ).status_code
                == 400
            )
        assert (
            api.post(
                TOKEN, {"email": "client.a@example.test", "password": "nope-nope"}, format="json"
            ).status_code
            == 429
        )
        response = api.post(
            TOKEN, {"email": "client.a@example.test", "password": password}, format="json"
        )
        assert response.status_code == 429
        assert "locked" in response.json()["detail"]
        assert AuditEvent.objects.filter(action="lockout").exists()
        assert (
            AuditEvent.objects.filter(
                action="login_failed", actor_email="client.a@example.test"
            ).count()
            >= 5
        )

    def test_missing_fields(self, api):
        response = api.post(TOKEN, {}, format="json")
        assert response.status_code == 400
        assert set(response.json()) == {"email", "password"}

    def test_anonymous_gets_401(self, api):
        assert api.get("/api/v1/me/").status_code == 401


class TestMe:
    def test_get(self, api, client_a):
        data = api.as_(client_a).get("/api/v1/me/").json()
        assert data["id"] == client_a.pk
        assert data["role"] == "client"
        assert data["timezone"] == "Europe/Berlin"
        assert data["reminder_times"] == []

    def test_patch(self, api, client_a):
        response = api.as_(client_a).patch(
            "/api/v1/me/",
            {
                "display_name": "Alex R.",
                "reminder_times": ["20:30", "09:00"],
                "timezone": "America/New_York",
            },
            format="json",
        )
        assert response.status_code == 200, response.json()
        client_a.refresh_from_db()
        assert client_a.display_name == "Alex R."
        assert client_a.reminder_times == ["09:00", "20:30"]
        assert client_a.timezone == "America/New_York"

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"timezone": "Mars/Olympus"}, "timezone"),
            ({"reminder_times": ["25:00"]}, "reminder_times"),
            ({"reminder_times": "09:00"}, "reminder_times"),
            ({"reminder_times": ["09:00", "09:00"]}, "reminder_times"),
            ({"display_name": "x" * 81}, "display_name"),
        ],
    )
    def test_patch_bad_input(self, api, client_a, body, field):
        response = api.as_(client_a).patch("/api/v1/me/", body, format="json")
        assert response.status_code == 400
        assert field in response.json()
        client_a.refresh_from_db()
        assert client_a.timezone == "Europe/Berlin"
        assert client_a.reminder_times == []

    def test_role_and_email_are_read_only(self, api, client_a):
        api.as_(client_a).patch(
            "/api/v1/me/", {"role": "therapist", "email": "x@example.test"}, format="json"
        )
        client_a.refresh_from_db()
        assert client_a.role == "client"
        assert client_a.email == "client.a@example.test"

    def test_delete_needs_the_password(self, api, client_a):
        response = api.as_(client_a).delete("/api/v1/me/", {"password": "wrong"}, format="json")
        assert response.status_code == 400
        assert "password" in response.json()
        assert User.objects.filter(pk=client_a.pk).exists()

    def test_delete_removes_the_account_and_access(self, api, client_a, therapist_a, password):
        response = api.as_(client_a).delete("/api/v1/me/", {"password": password}, format="json")
        assert response.status_code == 204
        assert not User.objects.filter(pk=client_a.pk).exists()
        assert not User.objects.clients_of(therapist_a).exists()
        assert not CareRelationship.objects.filter(client_id=client_a.pk).exists()


class TestInvitations:
    def test_therapist_invites(self, api, therapist_a):
        response = api.as_(therapist_a).post(
            "/api/v1/invitations/", {"email": "future@example.test"}, format="json"
        )
        assert response.status_code == 201
        data = response.json()
        assert len(data["code"]) >= 32
        invitation = Invitation.objects.get()
        assert invitation.code_digest != data["code"]  # only the digest is stored
        assert invitation.expires_at - invitation.created_at >= timedelta(days=13, hours=23)

    def test_client_cannot_invite(self, api, client_a):
        response = api.as_(client_a).post(
            "/api/v1/invitations/", {"email": "x@example.test"}, format="json"
        )
        assert response.status_code == 403
        assert not Invitation.objects.exists()

    def test_bad_email(self, api, therapist_a):
        response = api.as_(therapist_a).post(
            "/api/v1/invitations/", {"email": "nope"}, format="json"
        )
        assert response.status_code == 400
        assert "email" in response.json()
        assert not Invitation.objects.exists()

    def test_existing_client_accepts(self, api, client_b, therapist_a):
        _invitation, code = invitation_create(therapist=therapist_a, email=client_b.email)
        response = api.as_(client_b).post(f"/api/v1/invitations/{code}/accept/")
        assert response.status_code == 200
        assert response.json()["therapist"]["id"] == therapist_a.pk
        assert client_b in User.objects.clients_of(therapist_a)
        again = api.as_(client_b).post(f"/api/v1/invitations/{code}/accept/")
        assert again.status_code == 400

    def test_unknown_code(self, api, client_b):
        response = api.as_(client_b).post("/api/v1/invitations/not-a-code/accept/")
        assert response.status_code == 400
        assert "invitation_code" in response.json()

    def test_therapist_cannot_accept(self, api, therapist_b, therapist_a):
        _invitation, code = invitation_create(therapist=therapist_a, email=therapist_b.email)
        assert api.as_(therapist_b).post(f"/api/v1/invitations/{code}/accept/").status_code == 403


class TestCareTeam:
    def test_list(self, api, client_a, therapist_a):
        data = api.as_(client_a).get("/api/v1/care-team/").json()
        assert data["next"] is None
        assert [(m["id"], m["display_name"]) for m in data["results"]] == [
            (therapist_a.pk, "Dr. Ada")
        ]
        assert data["results"][0]["since"]

    def test_end_stops_access_at_once(self, api, client_a, therapist_a):
        assert client_a in User.objects.clients_of(therapist_a)
        response = api.as_(client_a).delete(f"/api/v1/care-team/{therapist_a.pk}/")
        assert response.status_code == 204
        assert client_a not in User.objects.clients_of(therapist_a)
        relationship = CareRelationship.objects.get(client=client_a, therapist=therapist_a)
        assert relationship.ended_at is not None  # history kept
        assert relationship.ended_by == "client"
        assert api.as_(client_a).get("/api/v1/care-team/").json()["results"] == []

    def test_foreign_id_is_404(self, api, client_a, therapist_b):
        assert api.as_(client_a).delete(f"/api/v1/care-team/{therapist_b.pk}/").status_code == 404
        assert api.as_(client_a).delete("/api/v1/care-team/999999/").status_code == 404

    def test_therapist_gets_403(self, api, therapist_a):
        assert api.as_(therapist_a).get("/api/v1/care-team/").status_code == 403


class TestClientsOf:
    def test_only_active_relationships(
        self, client_a, client_b, therapist_a, therapist_b, therapist_ended
    ):
        assert list(User.objects.clients_of(therapist_a)) == [client_a]
        assert list(User.objects.clients_of(therapist_b)) == [client_b]
        assert list(User.objects.clients_of(therapist_ended)) == []

    def test_a_client_or_unapproved_therapist_reaches_no_one(self, client_a, client_b):
        assert not User.objects.clients_of(client_b).exists()


def test_changing_reminder_times_schedules_the_next_reminder(
    api, client_a, django_capture_on_commit_callbacks
):
    assert client_a.next_reminder_at is None
    with django_capture_on_commit_callbacks(execute=True):
        response = api.as_(client_a).patch(
            "/api/v1/me/", {"reminder_times": ["20:00"]}, format="json"
        )
    assert response.status_code == 200
    client_a.refresh_from_db()
    local = client_a.next_reminder_at.astimezone(client_a.tz)
    assert (local.hour, local.minute) == (20, 0)
