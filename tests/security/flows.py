"""Clinical free text written the way people write it: through the API, as A and A's therapist."""

from rest_framework.test import APIClient

from tests.conftest import token_for

from .world import CANARY, World


def api_as(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return api


def write_canaries_through_the_api(world: World) -> None:
    """Every encrypted field of every model gets a canary, through the public API."""
    client_a = world.users["client_a"]
    therapist_a = world.users["therapist_a"]
    as_a = api_as(client_a)
    as_t = api_as(therapist_a)
    writes = [
        as_a.post(
            "/api/v1/checkins/",
            {"felt_intensity": 2, "note": CANARY["checkin_shared"] + "-api", "shared": True},
            format="json",
        ),
        as_a.post(
            "/api/v1/checkins/",
            {"felt_intensity": 1, "note": CANARY["checkin_private"] + "-api", "shared": False},
            format="json",
        ),
        as_a.post(
            f"/api/v1/homework/{world.assignment.pk}/logs/",
            {"reflection": CANARY["reflection_shared"] + "-api", "shared": True},
            format="json",
        ),
        as_a.post(
            "/api/v1/medication-events/",
            {
                "medication": "Sertraline",
                "kind": "side_effect",
                "side_effect": "blunting",
                "occurred_on": str(world.medication_event.occurred_on),
                "note": CANARY["medication_event_note"] + "-api",
            },
            format="json",
        ),
        as_t.post(
            f"/api/v1/clients/{client_a.pk}/medication-notes/",
            {"text": CANARY["medication_note"] + "-api"},
            format="json",
        ),
        as_t.post(
            f"/api/v1/flags/{world.flag.pk}/acknowledge/",
            {"note": CANARY["flag_note"] + "-api"},
            format="json",
        ),
        as_a.post("/api/v1/safety/"),
    ]
    for response in writes:
        assert response.status_code in (200, 201), response.content
    # Reads, so that the audit trail and the logs have had every chance to see the text.
    for path in (
        f"/api/v1/clients/{client_a.pk}/checkins/",
        f"/api/v1/clients/{client_a.pk}/medication-notes/",
        f"/api/v1/clients/{client_a.pk}/homework/{world.assignment.pk}/logs/",
        f"/api/v1/clients/{client_a.pk}/trends/",
    ):
        assert as_t.get(path).status_code == 200
    assert as_a.get("/api/v1/checkins/").status_code == 200


def all_canaries() -> list[str]:
    return list(CANARY.values())
