"""Changing a password and setting a new one from an emailed link."""

import re

import pytest
from django.core import mail
from knox.models import AuthToken

from tests.conftest import verified_login

pytestmark = pytest.mark.django_db

NEW = "a-new-quiet-passphrase-4"


def _link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", message.body).group(1)


class TestChange:
    def test_change_keeps_this_session_and_ends_api_tokens(self, client, client_a, password):
        AuthToken.objects.create(user=client_a)
        client.force_login(client_a)
        assert "Change your password" in client.get("/accounts/profile/").content.decode()
        response = client.post(
            "/accounts/password/",
            {"old_password": password, "new_password1": NEW, "new_password2": NEW},
        )
        assert (response.status_code, response["Location"]) == (302, "/accounts/profile/")
        assert client.get("/accounts/profile/").status_code == 200  # still signed in
        client_a.refresh_from_db()
        assert client_a.check_password(NEW)
        assert not AuthToken.objects.filter(user=client_a).exists()

    @pytest.mark.parametrize(
        "data, field",
        [
            ({"old_password": "wrong", "new_password1": NEW, "new_password2": NEW}, "old_password"),
            ({"new_password1": NEW, "new_password2": NEW + "x"}, "new_password2"),
            ({"new_password1": "short", "new_password2": "short"}, "new_password2"),
        ],
    )
    def test_bad_input_names_the_field_and_changes_nothing(
        self, client, client_a, password, data, field
    ):
        data = {"old_password": password, **data}
        client.force_login(client_a)
        response = client.post("/accounts/password/", data)
        assert response.status_code == 200
        assert field in response.context["form"].errors
        client_a.refresh_from_db()
        assert client_a.check_password(password)

    def test_a_therapist_passes_the_second_step_first(self, client, therapist_a, password):
        client.post("/accounts/login/", {"username": therapist_a.email, "password": password})
        response = client.get("/accounts/password/")
        assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/")
        verified_login(client, therapist_a)
        assert client.get("/accounts/password/").status_code == 200


class TestReset:
    def test_link_sets_a_new_password_once(self, client, client_a, settings):
        settings.SITE_URL = "https://companion.example"
        AuthToken.objects.create(user=client_a)
        login_page = client.get("/accounts/login/").content.decode()
        assert 'href="/accounts/password/reset/"' in login_page
        response = client.post("/accounts/password/reset/", {"email": client_a.email.upper()})
        assert response["Location"] == "/accounts/password/reset/sent/"
        (message,) = mail.outbox
        assert message.to == [client_a.email]
        assert "https://companion.example/accounts/password/reset/" in message.body
        form_url = client.get(_link(message))["Location"]  # Django hides the token
        response = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
        assert (response.status_code, response["Location"]) == (302, "/accounts/login/")
        client_a.refresh_from_db()
        assert client_a.check_password(NEW)
        assert not AuthToken.objects.filter(user=client_a).exists()
        used = client.get(_link(message), follow=True).content.decode()
        assert "already been used or is too old" in used

    def test_the_answer_does_not_say_whether_an_account_exists(self, client, client_a):
        known = client.post("/accounts/password/reset/", {"email": client_a.email})
        unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.test"})
        assert known.status_code == unknown.status_code == 302
        assert known["Location"] == unknown["Location"]
        assert [m.to for m in mail.outbox] == [[client_a.email]]

    def test_asking_too_often_is_slowed_down(self, client, client_a, settings):
        settings.COMPANION_THROTTLE_RATES = {
            **settings.COMPANION_THROTTLE_RATES,
            "password-reset": "2/hour",
        }
        for _ in range(2):
            client.post("/accounts/password/reset/", {"email": client_a.email})
        response = client.post("/accounts/password/reset/", {"email": client_a.email})
        assert response.status_code == 429 and "Retry-After" in response
        assert len(mail.outbox) == 2

    @pytest.mark.parametrize("email", ["", "not-an-address", "a@b.c" * 100, "x\x00@example.test"])
    def test_bad_addresses_get_the_form_again_and_no_email(self, client, email):
        response = client.post("/accounts/password/reset/", {"email": email})
        assert response.status_code == 200 and "email" in response.context["form"].errors
        assert mail.outbox == []


def test_an_invitation_sign_up_form_shows_no_empty_label(client, therapist_a):
    from accounts.services import invitation_create, invitation_link

    invitation, _code = invitation_create(therapist=therapist_a, email="new@example.test")
    page = client.get(invitation_link(invitation), follow=True).content.decode()
    assert ">Invitation</label>" not in page and 'type="hidden" name="invitation"' in page
