"""Property-based API fuzzing with schemathesis: every operation of the OpenAPI schema, as a
client, as a therapist (whose token exists only after the second step) and anonymously,
with valid and invalid data, then the stateful phase (chains of calls that reuse the ids
the API hands out). Four checks on every answer: not a server error, a status the schema
documents, a body that matches its schema, the content type it declares.

A fresh seed every run (printed in pytest's header and in any failure; replay with
``FUZZ_SEED=<n> make test``). ``FUZZ_EXAMPLES`` examples per operation and role (default
100 in CI, as issue #15 asks, half valid and half invalid data: about 11,000 cases, in one
of the suite's two processes); ``make fuzz`` runs the nightly 1,000.
Runs in-process against the WSGI app. ``CASES`` counts what ran (docs/SECURITY.md quotes it).
"""

import os
from datetime import timedelta

import pytest
import schemathesis
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable
from hypothesis.stateful import get_state_machine_test
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from companion.wsgi import application
from tests.conftest import FUZZ_SEED, token_for
from tests.journal.factories import AssignmentFactory, MedicationEventFactory, make_checkin

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))
STATEFUL_EXAMPLES = int(os.environ.get("FUZZ_STATEFUL_EXAMPLES", str(max(10, EXAMPLES // 4))))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
]
CASES: dict[str, int] = {}
# Calls that end the token they are made with; each gets a throwaway token.
TOKEN_ENDING = {("POST", "/api/v1/auth/logout/")}


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Calls go straight to the WSGI app, not through Django's test client, so do what the
    test client does: keep request signals from closing the test's connection (on
    PostgreSQL it sits inside the test transaction and would be closed as "obsolete")."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def data(client_a, therapist_a, settings):
    # The fuzzer is one address making thousands of calls: the per-address throttles
    # would answer most of them 429 and hide what is behind.
    settings.COMPANION_THROTTLE_RATES = dict.fromkeys(
        settings.COMPANION_THROTTLE_RATES, "1000000/minute"
    )
    make_checkin(client_a, note="a note", shared=True, emotions={"numb": 3})
    AssignmentFactory(client=client_a, therapist=therapist_a)
    MedicationEventFactory(client=client_a)
    from therapists.models import Flag

    Flag.objects.create(
        client=client_a,
        kind="blunting",
        level="watch",
        raised_at=timezone.now() - timedelta(days=1),
        summary="watch",
    )


class Caller:
    """Authorization headers for one role, with one token kept across calls."""

    def __init__(self, user):
        self.user = user
        self.token = token_for(user) if user is not None else None

    def headers(self, case) -> dict:
        if self.user is None:
            return {}
        if (case.method.upper(), case.path) in TOKEN_ENDING:
            return {"Authorization": f"Token {token_for(self.user)}"}
        return {"Authorization": f"Token {self.token}"}


def _failure(label: str, exc: Exception) -> str:
    return f"{label}: {str(exc)[:700]}"


def run_operation(operation, caller: Caller, mode: GenerationMode, examples: int):
    count = 0
    failures: list[str] = []

    @seed(FUZZ_SEED)
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        nonlocal count
        count += 1
        response = case.call(headers=caller.headers(case))
        try:
            case.validate_response(response, checks=CHECKS)
        except (Failure, FailureGroup) as exc:  # collect: one run reports every operation
            failures.append(_failure(f"{case.operation.label} {mode.value}", exc))

    try:
        run()
    except Unsatisfiable:
        # Negative mode on an operation with nothing to get wrong (no body, no parameters).
        if mode is not GenerationMode.NEGATIVE:
            raise
    return count, failures


def is_public(operation) -> bool:
    return "security" not in operation.definition.raw


def fuzz_every_operation(caller: Caller, examples: int) -> tuple[int, list[str]]:
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    total, failures = 0, []
    for result in schema.get_all_operations():
        operation = result.ok()
        share = examples
        if caller.user is None and not is_public(operation):
            # Anonymous calls to an operation that needs a token stop at the 401; a tenth
            # of the examples shows that for any input.
            share = max(2, examples // 10)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            count, problems = run_operation(operation, caller, mode, max(1, share // 2))
            total += count
            failures.extend(problems)
    return total, failures


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["client_a", "therapist_a", "anonymous"])
def test_api_fuzzing_finds_nothing(role, request, data):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    total, failures = fuzz_every_operation(Caller(user), EXAMPLES)
    CASES[role] = total
    print(f"schemathesis: {total} cases as {role}, seed {FUZZ_SEED}")
    assert total > 0
    assert not failures, f"seed {FUZZ_SEED}\n\n" + "\n\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["client_a", "therapist_a"])
def test_stateful_sequences_find_nothing(role, request, data):
    """Chains of calls linked by the ids the API returns (schemathesis infers the links)."""
    caller = Caller(request.getfixturevalue(role))
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    failures: list[str] = []
    steps = 0

    class Workflow(schema.as_state_machine()):
        # Each sequence starts from the same data and leaves nothing behind: the ids later
        # steps draw from must not depend on what an earlier example created.
        def setup(self):
            self._savepoint = transaction.atomic()
            self._savepoint.__enter__()

        def teardown(self):
            transaction.set_rollback(True)
            self._savepoint.__exit__(None, None, None)

        def get_call_kwargs(self, case):
            return {"headers": caller.headers(case)}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            nonlocal steps
            steps += 1
            try:
                case.validate_response(response, checks=CHECKS)
            except (Failure, FailureGroup) as exc:
                failures.append(_failure(f"stateful {case.operation.label}", exc))

    test = get_state_machine_test(
        Workflow,
        settings=settings(
            max_examples=STATEFUL_EXAMPLES,
            stateful_step_count=8,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
        _min_steps=2,
    )
    seed(FUZZ_SEED)(test)()
    CASES[f"stateful {role}"] = steps
    print(f"schemathesis stateful: {steps} calls as {role}, seed {FUZZ_SEED}")
    assert steps > 0
    assert not failures, f"seed {FUZZ_SEED}\n\n" + "\n\n".join(failures)


@pytest.mark.django_db
def test_the_harness_does_report_a_server_error(client_a, monkeypatch):
    """Guard against a silent harness: a view that crashes must show up as a failure."""
    from accounts import api as accounts_api

    def explode(self, request):
        raise RuntimeError("boom")

    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    operation = schema["/api/v1/me/"]["GET"]
    monkeypatch.setattr(accounts_api.MeApi, "get", explode)
    count, failures = run_operation(operation, Caller(client_a), GenerationMode.POSITIVE, 5)
    assert count > 0
    assert failures


@pytest.mark.django_db
def test_the_harness_does_report_an_undocumented_status(client_a, monkeypatch):
    """…and a status the schema does not name (a 418 from /me/)."""
    from rest_framework.response import Response

    from accounts import api as accounts_api

    monkeypatch.setattr(accounts_api.MeApi, "get", lambda self, request: Response({}, 418))
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    count, failures = run_operation(
        schema["/api/v1/me/"]["GET"], Caller(client_a), GenerationMode.POSITIVE, 5
    )
    assert count > 0
    assert any("418" in f for f in failures)
