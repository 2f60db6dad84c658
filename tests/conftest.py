"""The cast every test module shares.

client_a is in therapist_a's care; client_b and therapist_b are outsiders to that pair;
therapist_ended once cared for client_a and no longer does; staff runs the admin.
"""

import os

import pytest
from rest_framework.test import APIClient

from tests.factories import PASSWORD, CareFactory, ClientFactory, StaffFactory, TherapistFactory

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
HAS_REDIS = bool(os.environ.get("REDIS_URL"))


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def therapist_a(db):
    return TherapistFactory(email="therapist.a@example.test", display_name="Dr. Ada")


@pytest.fixture
def therapist_b(db):
    return TherapistFactory(email="therapist.b@example.test", display_name="Dr. Bo")


@pytest.fixture
def client_a(db, therapist_a):
    client = ClientFactory(email="client.a@example.test", display_name="Alex")
    CareFactory(therapist=therapist_a, client=client)
    return client


@pytest.fixture
def client_b(db, therapist_b):
    client = ClientFactory(email="client.b@example.test", display_name="Blair")
    CareFactory(therapist=therapist_b, client=client)
    return client


@pytest.fixture
def therapist_ended(db, client_a):
    from datetime import timedelta

    from django.utils import timezone

    therapist = TherapistFactory(email="therapist.ended@example.test", display_name="Dr. Former")
    now = timezone.now()
    CareFactory(
        therapist=therapist,
        client=client_a,
        started_at=now - timedelta(days=60),
        ended_at=now - timedelta(days=1),
        ended_by="client",
    )
    return therapist


@pytest.fixture
def staff(db):
    return StaffFactory(email="staff@example.test", display_name="Sam Staff")


@pytest.fixture
def api():
    """An API client; call api.as_(user) to authenticate as someone (None: anonymous)."""

    class Api(APIClient):
        def as_(self, user):
            self.force_authenticate(user=user)
            return self

    return Api()


@pytest.fixture
def api_for():
    def make(user):
        api = APIClient()
        if user is not None:
            api.force_authenticate(user=user)
        return api

    return make
