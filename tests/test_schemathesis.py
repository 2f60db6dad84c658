"""Property-based API fuzzing with schemathesis: every operation of the OpenAPI schema,
as a client and as a therapist, with valid and invalid data. No answer may be a server
error (5xx) and no answer may contradict the schema.

Runs in-process against the WSGI app (no server), bounded: MAX_EXAMPLES per operation,
mode and role. ``CASES`` counts what ran (docs/SECURITY.md quotes the figure).
"""

import os
from datetime import timedelta

import pytest
import schemathesis
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)
from schemathesis.core.failures import Failure, FailureGroup

from companion.wsgi import application
from tests.conftest import token_for
from tests.journal.factories_care import AssignmentFactory, MedicationEventFactory
from tests.journal.factories_checkins import make_checkin

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "10"))
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
# Each example gets a fresh token, so an example that logs out does not end the run.
CASES: dict[str, int] = {}


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
def data(client_a, therapist_a):
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


def run_operation(operation, user, mode: GenerationMode) -> tuple[int, list[str]]:
    count = 0
    failures: list[str] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        nonlocal count
        count += 1
        headers = {"Authorization": f"Token {token_for(user)}"}
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=CHECKS)
        except (Failure, FailureGroup) as exc:  # collect: one run reports every operation
            failures.append(f"{case.operation.label} {mode.value}: {str(exc)[:600]}")

    try:
        run()
    except Unsatisfiable:
        # Negative mode on an operation with nothing to get wrong (no body, no parameters).
        if mode is not GenerationMode.NEGATIVE:
            raise
    return count, failures


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["client_a", "therapist_a"])
def test_api_fuzzing_finds_no_server_errors(role, request, data):
    user = request.getfixturevalue(role)
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    total = 0
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            count, problems = run_operation(operation, user, mode)
            total += count
            failures.extend(problems)
    CASES[role] = total
    print(f"schemathesis: {total} cases as {role}")
    assert total > 0
    assert not failures, "\n\n".join(failures)


@pytest.mark.django_db
def test_the_harness_does_report_a_server_error(client_a, monkeypatch):
    """Guard against a silent harness: a view that crashes must show up as a failure."""
    from accounts import api as accounts_api

    def explode(self, request):
        raise RuntimeError("boom")

    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    operation = schema["/api/v1/me/"]["GET"]
    monkeypatch.setattr(accounts_api.MeApi, "get", explode)
    count, failures = run_operation(operation, client_a, GenerationMode.POSITIVE)
    assert count > 0
    assert failures
