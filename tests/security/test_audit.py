"""The audit trail: every therapist read of a client's data, every export, every flag
acknowledgement, every login, failed login and lockout, with who, when and from where.
Staff browse and filter it in the admin but cannot change it."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import AuditEvent
from tests.conftest import token_for, verified_login

from .test_access_matrix import ROUTES
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


# Every route where A's therapist reads A's data, taken from the access matrix.
THERAPIST_READS = sorted(
    pattern
    for pattern, route in ROUTES.items()
    if "get" in route.methods
    and "client_id" in pattern
    and route.methods["get"].expect["therapist_a"] == 200
)


def test_the_list_of_therapist_reads_is_not_empty():
    assert len(THERAPIST_READS) >= 10


@pytest.mark.parametrize("pattern", THERAPIST_READS)
def test_every_therapist_read_of_a_client_is_audited(world, pattern):
    therapist = world.users["therapist_a"]
    client = world.users["client_a"]
    route = ROUTES[pattern]
    if route.api:
        agent = APIClient(REMOTE_ADDR="203.0.113.7")
        agent.credentials(HTTP_AUTHORIZATION=f"Token {token_for(therapist)}")
    else:
        agent = Client(REMOTE_ADDR="203.0.113.7")
        verified_login(agent, therapist)
    before = AuditEvent.objects.count()
    url = route.url(world)
    assert agent.get(url, HTTP_USER_AGENT="matrix-test").status_code == 200
    event = AuditEvent.objects.order_by("-pk").first()
    assert AuditEvent.objects.count() > before, f"GET {url} was not audited"
    assert event.actor_id == therapist.pk
    assert event.subject_id == client.pk
    assert event.action == "read"
    assert event.ip_address == "203.0.113.7"
    assert event.path == url
    assert event.user_agent == "matrix-test"


def test_refused_reads_are_not_recorded_as_reads(world):
    agent = APIClient()
    agent.credentials(HTTP_AUTHORIZATION=f"Token {token_for(world.users['therapist_b'])}")
    assert agent.get(f"/api/v1/clients/{world.users['client_a'].pk}/").status_code == 404
    assert not AuditEvent.objects.filter(subject=world.users["client_a"], action="read").exists()


def test_caseload_reads_are_audited_per_client(world):
    agent = APIClient()
    agent.credentials(HTTP_AUTHORIZATION=f"Token {token_for(world.users['therapist_a'])}")
    assert agent.get("/api/v1/clients/").status_code == 200
    assert AuditEvent.objects.filter(
        actor=world.users["therapist_a"], subject=world.users["client_a"], object_type="caseload"
    ).exists()


def test_flag_acknowledgement_is_audited(world):
    agent = APIClient()
    agent.credentials(HTTP_AUTHORIZATION=f"Token {token_for(world.users['therapist_a'])}")
    url = f"/api/v1/flags/{world.flag.pk}/acknowledge/"
    assert agent.post(url, {"note": "seen"}, format="json").status_code == 200
    event = AuditEvent.objects.get(action="acknowledge")
    assert event.subject_id == world.users["client_a"].pk
    assert event.object_id == str(world.flag.pk)


def test_exports_and_downloads_are_audited(world):
    agent = APIClient()
    agent.credentials(HTTP_AUTHORIZATION=f"Token {token_for(world.users['client_a'])}")
    assert agent.post("/api/v1/exports/").status_code == 202
    assert agent.get(f"/api/v1/exports/{world.export.pk}/download/").status_code == 200
    kinds = set(AuditEvent.objects.filter(action="export").values_list("object_type", flat=True))
    assert kinds == {"accounts.dataexport", "download"}


def test_logins_failures_and_lockouts_are_audited(client_a, password, settings):
    Client().post("/accounts/login/", {"username": client_a.email, "password": password})
    api = APIClient()
    api.post("/api/v1/auth/token/", {"email": client_a.email, "password": password}, format="json")
    assert AuditEvent.objects.filter(action="login", actor=client_a).count() == 2
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api.post(
            "/api/v1/auth/token/", {"email": client_a.email, "password": "nope"}, format="json"
        )
    assert AuditEvent.objects.filter(action="login_failed", actor_email=client_a.email).exists()
    assert AuditEvent.objects.filter(action="lockout", actor_email=client_a.email).exists()


def test_staff_can_filter_but_not_change_the_trail(client, world, staff):
    AuditEvent.objects.create(action="read", actor=staff, subject=world.users["client_a"])
    event = AuditEvent.objects.first()
    verified_login(client, staff)
    assert client.get("/admin/accounts/auditevent/?action__exact=read").status_code == 200
    assert (
        client.get(f"/admin/accounts/auditevent/?q={world.users['client_a'].pk}").status_code == 200
    )
    assert client.get(f"/admin/accounts/auditevent/{event.pk}/change/").status_code == 200
    client.post(f"/admin/accounts/auditevent/{event.pk}/change/", {"action": "delete"})
    event.refresh_from_db()
    assert event.action == "read"
    assert (
        client.post(f"/admin/accounts/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    response = client.post(
        "/admin/accounts/auditevent/",
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302, 403)
    assert AuditEvent.objects.filter(pk=event.pk).exists()
