"""Every 400 body has the contract's shape: {"field": ["message", ...]}."""

import pytest

from accounts.models import User
from journal.models import CheckIn

pytestmark = pytest.mark.django_db


def _assert_contract_shape(body: dict) -> None:
    assert isinstance(body, dict) and body
    for field, messages in body.items():
        assert isinstance(field, str)
        assert isinstance(messages, list) and all(isinstance(m, str) for m in messages), body


def test_a_body_that_is_not_json(api, client_a):
    response = api.as_(client_a).generic(
        "POST", "/api/v1/checkins/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    _assert_contract_shape(response.json())
    assert "not valid JSON" in response.json()["non_field_errors"][0]
    assert not CheckIn.objects.exists()


def test_an_error_inside_a_list_item_names_the_field_and_the_item(api, client_a):
    body = {
        "felt_intensity": 3,
        "emotions": [{"emotion": "anxious", "intensity": 4}, {"emotion": "sad", "intensity": 11}],
    }
    response = api.as_(client_a).post("/api/v1/checkins/", body, format="json")
    assert response.status_code == 400
    _assert_contract_shape(response.json())
    assert any(m.startswith("item 2") for m in response.json()["emotions"]), response.json()
    assert not CheckIn.objects.exists()


def test_register_errors_keep_the_shape(api):
    response = api.post(
        "/api/v1/auth/register/", {"email": "x", "timezone": "Mars/Olympus"}, format="json"
    )
    assert response.status_code == 400
    _assert_contract_shape(response.json())
    assert {"email", "password", "display_name", "timezone"} <= set(response.json())
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/no-such-thing/",
        "/api/v1/assessments/1/",
        "/api/v1/checkins/9999999999999999999/",
        "/api/v1/checkins/%C3%A9/",
    ],
)
def test_unknown_api_paths_answer_json_with_debug_on_too(api, client_a, settings, path):
    """`make run` has DEBUG on: Django's HTML debug page (listing every URL) must not be
    what an API client of the demo gets (found by an attacker run)."""
    settings.DEBUG = True
    response = api.as_(client_a).get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("path", ["/api/v1/insights/?format=x", "/api/v1/checkins/?format=csv"])
def test_a_format_parameter_changes_nothing(api, client_a, path):
    """JSON is the only answer; DRF's ?format= override answered an unknown one with 404
    (schemathesis, seed 3030242770)."""
    response = api.as_(client_a).get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
