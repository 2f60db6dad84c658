"""Privacy rights: account deletion leaves no readable clinical text; the consent pages
say truly who can see what, and ending access works at once. Plus bad input: oversized
bodies are refused and errors never echo internals."""

import json
import zipfile

import pytest
from django.db import models
from rest_framework.test import APIClient

from accounts.exports import export_build, export_dir
from accounts.fields import encrypted_fields
from accounts.models import DataExport, User
from tests.conftest import token_for, verified_login

from .flows import all_canaries, api_as, write_canaries_through_the_api
from .world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client_a, client_b, therapist_a, therapist_b, therapist_ended, staff):
    return build_world(
        client_a=client_a,
        client_b=client_b,
        therapist_a=therapist_a,
        therapist_b=therapist_b,
        therapist_ended=therapist_ended,
        staff=staff,
    )


def readable_canaries() -> list[str]:
    """Canaries still readable anywhere through the ORM (decrypting every encrypted field)."""
    found = []
    canaries = all_canaries()
    for model, names in encrypted_fields():
        for name in names:
            for value in model._default_manager.values_list(name, flat=True):
                found.extend(c for c in canaries if c in (value or ""))
    return found


def rows_about(user_id: int) -> dict[str, int]:
    """Rows in any model that point at the user (the audit trail keeps a bare id by design)."""
    from django.apps import apps

    left = {}
    for model in apps.get_models():
        if model._meta.label_lower == "accounts.auditevent":
            continue
        for f in model._meta.concrete_fields:
            if isinstance(f, models.ForeignKey) and f.related_model is User:
                count = model._default_manager.filter(**{f.attname: user_id}).count()
                if count:
                    left[f"{model._meta.label_lower}.{f.name}"] = count
    return left


def test_account_deletion_leaves_no_readable_clinical_text(
    world, client_a, therapist_a, password, django_capture_on_commit_callbacks
):
    write_canaries_through_the_api(world)
    export = DataExport.objects.create(client=client_a)
    export = export_build(export=export)
    path = export_dir() / export.file_name
    with zipfile.ZipFile(path) as archive:
        assert any(c in archive.read("data.json").decode() for c in all_canaries())
    assert readable_canaries()
    client_id = client_a.pk

    api = api_as(client_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.delete("/api/v1/me/", {"password": password}, format="json")
    assert response.status_code == 204

    assert readable_canaries() == []
    assert rows_about(client_id) == {}
    assert not path.exists(), "the export zip (decrypted text) outlived the account"
    assert not User.objects.filter(pk=client_id).exists()
    # The therapist's view of A is gone too.
    assert api_as(therapist_a).get(f"/api/v1/clients/{client_id}/").status_code == 404


def test_deletion_needs_the_password_and_keeps_everything_otherwise(world, client_a):
    api = api_as(client_a)
    response = api.delete("/api/v1/me/", {"password": "not-it"}, format="json")
    assert response.status_code == 400
    assert readable_canaries()
    assert User.objects.filter(pk=client_a.pk).exists()


class TestConsentPages:
    def test_privacy_page_names_exactly_the_active_care_team(
        self, client, world, client_a, therapist_a, therapist_ended
    ):
        verified_login(client, client_a)
        html = client.get("/accounts/privacy/").content.decode()
        assert therapist_a.display_name in html
        assert therapist_ended.display_name not in html  # ended: no longer "can see"
        assert "/accounts/care-team/" in html

    def test_care_team_page_offers_ending_access_and_it_ends_at_once(
        self, client, world, client_a, therapist_a
    ):
        verified_login(client, client_a)
        html = client.get("/accounts/care-team/").content.decode()
        end_url = f"/accounts/care-team/{therapist_a.pk}/end/"
        assert end_url in html
        as_therapist = api_as(therapist_a)
        assert as_therapist.get(f"/api/v1/clients/{client_a.pk}/checkins/").status_code == 200
        assert client.post(end_url).status_code == 302
        for path in (
            f"/api/v1/clients/{client_a.pk}/",
            f"/api/v1/clients/{client_a.pk}/checkins/",
            f"/api/v1/clients/{client_a.pk}/medication-notes/",
        ):
            assert as_therapist.get(path).status_code == 404
        listing = as_therapist.get("/api/v1/clients/").json()["results"]
        assert client_a.pk not in [row["id"] for row in listing]
        html = client.get("/accounts/privacy/").content.decode()
        assert "No one but you can see your data right now." in html

    def test_what_the_pages_promise_about_notes_holds(self, world, client_a, therapist_a):
        """ "Notes and reflections reach them only when you tick share": checked field by field."""
        as_therapist = api_as(therapist_a)
        checkins = as_therapist.get(f"/api/v1/clients/{client_a.pk}/checkins/").json()["results"]
        notes = {c["id"]: c["note"] for c in checkins}
        assert notes[world.checkin_shared.pk] == world.checkin_shared.note
        assert notes[world.checkin_private.pk] is None
        logs = as_therapist.get(
            f"/api/v1/clients/{client_a.pk}/homework/{world.assignment.pk}/logs/"
        ).json()["results"]
        reflections = {log["id"]: log["reflection"] for log in logs}
        assert reflections[world.log_shared.pk] == world.log_shared.reflection
        assert reflections.get(world.log_private.pk, "") in ("", None)


class TestBadInput:
    def test_oversized_json_body_is_refused_and_nothing_stored(self, client_a, settings):
        from journal.models import CheckIn

        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(client_a)}")
        body = json.dumps({"felt_intensity": 3, "note": "x" * (1024 * 1024)})
        assert len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        response = api.post("/api/v1/checkins/", body, content_type="application/json")
        assert response.status_code in (400, 413)
        assert CheckIn.objects.count() == 0

    def test_oversized_form_body_is_refused(self, client, client_a):
        verified_login(client, client_a)
        response = client.post("/checkin/", {"felt_intensity": "3", "note": "x" * (1024 * 1024)})
        assert response.status_code in (400, 413)

    def test_malformed_json_is_a_400_without_internals(self, client_a):
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(client_a)}")
        response = api.post("/api/v1/checkins/", "{not json", content_type="application/json")
        assert response.status_code == 400
        assert "Traceback" not in response.content.decode()

    def test_server_errors_do_not_echo_internals(self, client_a, settings, monkeypatch):
        from accounts import api as accounts_api

        assert settings.DEBUG is False

        def explode(self, request):
            raise RuntimeError(f"internal detail {settings.SECRET_KEY}")

        monkeypatch.setattr(accounts_api.MeApi, "get", explode)
        api = APIClient(raise_request_exception=False)
        api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(client_a)}")
        response = api.get("/api/v1/me/")
        assert response.status_code == 500
        text = response.content.decode()
        for secret in ("internal detail", settings.SECRET_KEY, "Traceback", "RuntimeError"):
            assert secret not in text

    def test_not_found_pages_do_not_echo_internals(self, client, settings):
        response = client.get("/no/such/page/")
        assert response.status_code == 404
        text = response.content.decode()
        assert "urlpatterns" not in text and "Traceback" not in text
        assert settings.SECRET_KEY not in text
