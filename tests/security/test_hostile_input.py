"""Hostile input at every field of every write endpoint (#15).

Each write operation of the served OpenAPI schema starts from a valid body (``VALID``; a
new write endpoint without one fails ``test_every_write_endpoint_has_a_valid_body``).
Hypothesis, with the run's fresh seed, replaces one field (or adds one) with a value from
the classes an outside fuzzer used: JSON nested far too deep, unpaired surrogates, NUL,
digits that are not ASCII, dates the product cannot use, huge or odd numbers, huge
strings, wrong types. The answer is never a server error and always JSON; values no field
can hold are refused (4xx) and a refused write stores nothing.

The six causes of the outside fuzzer's server errors each also have a plain regression
test at the bottom (``TestTheSixCauses``).
"""

import json
import os
from datetime import date

import pytest
from django.apps import apps
from django.utils import timezone
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from accounts.models import Invitation, PushSubscription, User
from accounts.services import invitation_create
from tests.accounts.push_helpers import Browser
from tests.conftest import FUZZ_SEED, token_for, verified_login
from tests.journal.factories import AssignmentFactory, MedicationEventFactory, make_checkin
from therapists.models import Flag

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("FUZZ_HOSTILE_EXAMPLES", "40"))

# Rows that a refused write must not have added to (bookkeeping tables excluded: a failed
# sign-in is audited, and an attempt is counted, by design).
NOT_COUNTED = {"accounts.auditevent", "axes.accessattempt", "axes.accessfailurelog"}


def row_counts() -> dict[str, int]:
    return {
        m._meta.label_lower: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.label_lower not in NOT_COUNTED and m._meta.managed
    }


def schema() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def write_operations() -> list[tuple[str, str, dict]]:
    """(METHOD, path template, {field: its schema}) for every operation that takes a body."""
    spec = schema()
    components = spec["components"]["schemas"]
    found = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method not in ("post", "put", "patch", "delete"):
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            fields = {}
            if body:
                ref = body["schema"]["$ref"].rsplit("/", 1)[-1]
                fields = components[ref].get("properties", {})
            found.append((method.upper(), path, fields))
    return found


class World:
    """Client A in therapist A's care, and one of each thing a write can point at."""

    def __init__(self, client_a, therapist_a):
        self.client, self.therapist = client_a, therapist_a
        self.checkin = make_checkin(client_a, note="n", shared=True, emotions={"numb": 3})
        self.assignment = AssignmentFactory(client=client_a, therapist=therapist_a)
        self.event = MedicationEventFactory(client=client_a)
        self.flag = Flag.objects.create(
            client=client_a, kind="blunting", level="watch", raised_at=timezone.now()
        )
        _invitation, self.code = invitation_create(therapist=therapist_a, email=client_a.email)
        device = Browser("https://fcm.googleapis.com/fcm/send/hostile").to_json()
        self.device = PushSubscription.objects.create(
            user=client_a, endpoint=device["endpoint"], **device["keys"]
        )

    def path(self, template: str) -> str:
        return (
            template.replace("{client_id}", str(self.client.pk))
            .replace("{therapist_id}", str(self.therapist.pk))
            .replace("{assignment_id}", str(self.assignment.pk))
            .replace("{event_id}", str(self.event.pk))
            .replace("{flag_id}", str(self.flag.pk))
            .replace("{code}", self.code)
            .replace("{subscription_id}", str(self.device.pk))
            .replace("{id}", str(self.checkin.pk))
        )

    def caller(self, template: str):
        therapist_paths = ("/clients/", "/flags/", "/invitations/", "/homework-templates/")
        if any(part in template for part in therapist_paths) and "/accept/" not in template:
            return self.therapist
        if template.endswith(("/auth/token/", "/auth/register/")):
            return None
        return self.client


def today() -> str:
    return timezone.localdate().isoformat()


VALID = {
    ("POST", "/api/v1/assessments/"): lambda: {"instrument": "gad7", "answers": [1] * 7},
    ("POST", "/api/v1/auth/logout/"): lambda: {},
    ("POST", "/api/v1/auth/register/"): lambda: {
        "email": "someone.new@example.test",
        "password": "a-long-new-passphrase-3",
        "display_name": "New",
        "timezone": "Europe/Berlin",
    },
    ("POST", "/api/v1/auth/token/"): lambda: {
        "email": "client.a@example.test",
        "password": "calm-river-stone-42",
    },
    ("DELETE", "/api/v1/care-team/{therapist_id}/"): lambda: {},
    ("POST", "/api/v1/push-subscriptions/"): lambda: Browser(
        "https://fcm.googleapis.com/fcm/send/valid"
    ).to_json(),
    ("DELETE", "/api/v1/push-subscriptions/{subscription_id}/"): lambda: {},
    ("POST", "/api/v1/checkins/"): lambda: {
        "felt_intensity": 3,
        "emotions": [{"emotion": "numb", "intensity": 4}],
        "symptoms": {"fatigue": 2},
        "triggers": ["chronic_stress"],
        "note": "fine",
        "shared": False,
    },
    ("PATCH", "/api/v1/checkins/{id}/"): lambda: {"felt_intensity": 4, "note": "edited"},
    ("DELETE", "/api/v1/checkins/{id}/"): lambda: {},
    ("POST", "/api/v1/clients/{client_id}/assessment-schedules/"): lambda: {
        "instrument": "phq9",
        "every_days": 14,
        "first_due_on": today(),
    },
    ("POST", "/api/v1/clients/{client_id}/homework/"): lambda: {
        "title": "Walk",
        "instructions": "A short walk.",
        "frequency": "daily",
        "starts_on": today(),
    },
    ("PATCH", "/api/v1/clients/{client_id}/homework/{assignment_id}/"): lambda: {
        "status": "paused"
    },
    ("POST", "/api/v1/clients/{client_id}/medication-notes/"): lambda: {"text": "A note"},
    ("POST", "/api/v1/clients/{client_id}/sessions/"): lambda: {"held_on": today()},
    ("POST", "/api/v1/exports/"): lambda: {},
    ("POST", "/api/v1/flags/{flag_id}/acknowledge/"): lambda: {"note": "Seen."},
    ("POST", "/api/v1/homework-templates/"): lambda: {
        "title": "Breathe",
        "instructions": "Four in, six out.",
    },
    ("POST", "/api/v1/homework/{assignment_id}/logs/"): lambda: {
        "before_feeling": 3,
        "after_feeling": 5,
        "reflection": "ok",
    },
    ("POST", "/api/v1/invitations/"): lambda: {"email": "invitee@example.test"},
    ("POST", "/api/v1/invitations/{code}/accept/"): lambda: {},
    ("PATCH", "/api/v1/me/"): lambda: {"display_name": "Alex", "reminder_times": ["20:00"]},
    ("DELETE", "/api/v1/me/"): lambda: {"password": "not-the-password-at-all"},
    ("POST", "/api/v1/medication-events/"): lambda: {
        "medication": "Sertraline",
        "kind": "increase",
        "dose": "100 mg",
        "occurred_on": today(),
    },
    ("PATCH", "/api/v1/medication-events/{event_id}/"): lambda: {"dose": "75 mg"},
    ("DELETE", "/api/v1/medication-events/{event_id}/"): lambda: {},
    ("POST", "/api/v1/safety/"): lambda: {},
}


def deep(depth: int) -> str:
    return "[" * depth + "]" * depth


# Values no field of ours can hold: always refused. As raw JSON text, so they can be
# deeper than Python's own json module could write.
ALWAYS_REFUSED = st.sampled_from(
    [
        deep(40),
        deep(1_000),
        deep(100_000),
        '"\\ud800"',
        '"a\\udfffb"',
        '{"\\ud834": 1}',
        '"nul\\u0000inside"',
        '{"nul\\u0000key": 1}',
        '"' + "x" * 300_000 + '"',
    ]
)
# Odd values: a field may accept some (a note may say "①"), but never with a server error.
ODD = st.sampled_from(
    [
        '"²⁰"',
        '"١٢"',
        '"①"',
        '"0001-01-01"',
        '"9999-12-31"',
        '"0001-01-01T00:00:00+14:00"',
        '"9999-12-31T23:59:59-14:00"',
        "1e308",
        "-1e308",
        str(10**30),
        str(2**63),
        str(-(2**63) - 1),
        "-0.0",
        "null",
        "true",
        "[]",
        "{}",
        '"' + "y" * 100_000 + '"',
        '"' + "😶" * 3000 + '"',
    ]
)


def body_with(base: dict, field: str, raw_value: str) -> str:
    """``base`` as JSON with ``field`` set to the raw JSON text ``raw_value``."""
    rest = {k: v for k, v in base.items() if k != field}
    inner = json.dumps(rest)[1:-1]
    member = f"{json.dumps(field)}: {raw_value}"
    return "{" + (inner + ", " if inner else "") + member + "}"


WRITE_OPERATIONS = write_operations()


def test_every_write_endpoint_has_a_valid_body():
    missing = [(m, p) for m, p, _f in WRITE_OPERATIONS if (m, p) not in VALID]
    assert not missing, f"add a valid body to VALID for {missing}"


@pytest.fixture
def world(client_a, therapist_a, settings):
    settings.COMPANION_THROTTLE_RATES = dict.fromkeys(
        settings.COMPANION_THROTTLE_RATES, "1000000/minute"
    )
    return World(client_a, therapist_a)


@pytest.mark.parametrize(
    ("method", "template", "fields"),
    WRITE_OPERATIONS,
    ids=[f"{m} {p}" for m, p, _f in WRITE_OPERATIONS],
)
def test_hostile_values_never_break_a_write(api, world, method, template, fields):
    base = VALID[(method, template)]()
    names = sorted(set(fields) | set(base) | {"unexpected_field"})
    caller = world.caller(template)
    api.credentials(**({"HTTP_AUTHORIZATION": f"Token {token_for(caller)}"} if caller else {}))
    path = world.path(template)

    @seed(FUZZ_SEED)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        field=st.sampled_from(names),
        value=st.one_of(ALWAYS_REFUSED.map(lambda v: (v, True)), ODD.map(lambda v: (v, False))),
    )
    def attempt(field, value):
        raw, must_refuse = value
        if template.endswith("/auth/logout/"):  # each attempt signs out: a fresh token each
            api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(caller)}")
        before = row_counts()
        response = api.generic(
            method, path, body_with(base, field, raw), content_type="application/json"
        )
        where = f"{method} {path} {field}={raw[:60]!r} (seed {FUZZ_SEED})"
        assert response.status_code < 500, where
        if response.status_code != 204:
            assert response["Content-Type"].startswith("application/json"), where
            json.loads(response.content)  # a body any client can read
        oversized = len(raw) > 256 * 1024
        # An operation without a body never reads one, so only the size limit applies there.
        if oversized or (must_refuse and fields):
            assert 400 <= response.status_code < 500, where
        if response.status_code >= 400:
            assert row_counts() == before, where

    attempt()


# --- the six causes the outside fuzzer found, one regression test each ------------------


class TestTheSixCauses:
    def test_1_deep_nesting_is_a_400_not_a_recursion_error(self, api, client_a):
        caller = api.as_(client_a)
        before = row_counts()
        for path, body in [
            ("/api/v1/checkins/", '{"felt_intensity": 3, "note": ' + deep(1000) + "}"),
            ("/api/v1/auth/register/", '{"email": ' + deep(1000) + "}"),
        ]:
            response = caller.generic("POST", path, body, "application/json")
            assert response.status_code == 400
            assert "nested too deeply" in json.dumps(response.json())
        assert row_counts() == before

    def test_2_non_ascii_digit_keys_are_field_errors(self, api, client_a):
        for key in ("²", "¹", "①"):
            response = api.as_(client_a).post(
                "/api/v1/checkins/", {"felt_intensity": 3, "symptoms": {key: 1}}, format="json"
            )
            assert response.status_code == 400
            assert "symptoms" in response.json()

    @pytest.mark.parametrize(
        ("path", "field", "actor"),
        [
            ("/api/v1/auth/register/", "timezone", None),
            ("/api/v1/me/", "timezone", "client_a"),
            ("/api/v1/medication-events/", "kind", "client_a"),
            ("/api/v1/medication-events/", "side_effect", "client_a"),
            ("/api/v1/assessments/", "instrument", "client_a"),
        ],
    )
    def test_3_a_lone_surrogate_is_refused_by_name(self, request, api, path, field, actor):
        user = request.getfixturevalue(actor) if actor else None
        method = "PATCH" if path.endswith("/me/") else "POST"
        body = '{"' + field + '": "\\ud800"}'
        response = api.as_(user).generic(method, path, body, "application/json")
        assert response.status_code == 400
        assert field in response.json()

    @pytest.mark.parametrize("path", ["/api/v1/assessments/?instrument=%00", "/library/?tag=%00"])
    def test_4_nul_in_a_query_parameter(self, api, client, client_a, path):
        if path.startswith("/api/"):
            response = api.as_(client_a).get(path)
            assert response.status_code == 400
            assert "instrument" in response.json()
        else:
            client.force_login(client_a)
            response = client.get(path)
            assert response.status_code == 400
            assert "Back to the start page" in response.content.decode()

    @pytest.mark.parametrize("days", ["²⁰", "¹⁴", "①", "١٤"])
    def test_5_trend_days_in_other_digits(self, api, client_a, therapist_a, days):
        response = api.as_(therapist_a).get(f"/api/v1/clients/{client_a.pk}/trends/?days={days}")
        assert response.status_code == 400
        assert "days" in response.json()

    def test_6_a_session_date_the_product_cannot_use(self, api, client, client_a, therapist_a):
        from therapists.models import TherapySession

        response = api.as_(therapist_a).post(
            f"/api/v1/clients/{client_a.pk}/sessions/", {"held_on": "0001-01-01"}, format="json"
        )
        assert response.status_code == 400
        assert "1900-01-01" in response.json()["held_on"][0]
        assert not TherapySession.objects.exists()
        # A row that got in before the check (older data) must not break the brief either.
        TherapySession.objects.create(client=client_a, therapist=therapist_a, held_on=date(1, 1, 1))
        verified_login(client, therapist_a)
        assert client.get(f"/dashboard/clients/{client_a.pk}/brief/").status_code == 200


class TestFoundInReview:
    """Found reading the change again: each answered 500 before."""

    @pytest.mark.parametrize("charset", ["rot13", "hex", "base64", "zlib"])
    def test_a_charset_that_is_not_a_text_encoding(self, api, charset):
        response = api.generic(
            "POST",
            "/api/v1/auth/register/",
            b'{"email": "a@example.test"}',
            f"application/json; charset={charset}",
        )
        assert response.status_code == 400
        assert User.objects.filter(email="a@example.test").count() == 0

    @pytest.mark.parametrize("param", ["page", "page_size"])
    def test_more_digits_than_python_converts(self, api, client_a, param):
        response = api.as_(client_a).get(f"/api/v1/checkins/?{param}={'1' * 4400}")
        assert response.status_code in (200, 404)
        assert response["Content-Type"] == "application/json"

    def test_trend_days_with_more_digits_than_python_converts(self, api, client_a, therapist_a):
        response = api.as_(therapist_a).get(
            f"/api/v1/clients/{client_a.pk}/trends/?days={'1' * 4400}"
        )
        assert response.status_code == 400
        assert "days" in response.json()


class TestJsonEverywhereUnderTheApi:
    def test_unknown_path(self, api):
        response = api.get("/api/v1/no-such-thing/")
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}

    def test_oversized_body(self, api, client_a):
        big = '{"felt_intensity": 3, "note": "' + "x" * 400_000 + '"}'
        response = api.as_(client_a).generic("POST", "/api/v1/checkins/", big, "application/json")
        assert response.status_code == 413
        assert "KiB" in response.json()["detail"]

    def test_wrong_method(self, api, client_a):
        response = api.as_(client_a).put("/api/v1/checkins/", {}, format="json")
        assert response.status_code == 405
        assert "detail" in response.json()

    def test_server_error(self, api, client_a, monkeypatch, settings):
        from accounts import api as accounts_api

        def explode(self, request):
            raise RuntimeError("boom")

        monkeypatch.setattr(accounts_api.MeApi, "get", explode)
        api.raise_request_exception = False
        response = api.as_(client_a).get("/api/v1/me/")
        assert response.status_code == 500
        assert response["Content-Type"] == "application/json"
        assert "boom" not in response.content.decode()


def test_hostile_invitation_codes_are_unknown(api, client_a, therapist_a):
    """An invitation code with hostile characters is simply unknown (404/400, never 500)."""
    Invitation.objects.all().delete()
    for code in ("%00", "%ED%A0%80", "x" * 300, "..%2F..%2Fetc"):
        response = api.as_(client_a).post(f"/api/v1/invitations/{code}/accept/")
        assert response.status_code in (400, 404), code
