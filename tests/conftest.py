"""The cast every test module shares.

client_a is in therapist_a's care; client_b and therapist_b are outsiders to that pair;
therapist_ended once cared for client_a and no longer does; staff runs the admin.
"""

import os
import secrets
import shutil

import pytest
from rest_framework.test import APIClient

from tests.factories import PASSWORD, CareFactory, ClientFactory, StaffFactory, TherapistFactory

# Queries token authentication itself costs on every API request (knox: token + user).
AUTH_QUERIES = 2
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
HAS_REDIS = bool(os.environ.get("REDIS_URL"))
# One fresh seed per run for every fuzzer and property test that asks for it; printed in
# pytest's header so any failure can be replayed with FUZZ_SEED=<n>.
# Put back into the environment so pytest-xdist's workers (started after the controlling
# process loaded this module) fuzz with the same seed the header prints.
FUZZ_SEED = int(os.environ.get("FUZZ_SEED") or secrets.randbits(32))
os.environ["FUZZ_SEED"] = str(FUZZ_SEED)


def pytest_configure(config):
    """Under pytest-xdist each worker has its own test database (pytest-django adds the
    worker's name) and needs its own Redis database too: every test starts by clearing
    the cache, which is FLUSHDB. Worker gwN uses the configured database number minus N."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not (HAS_REDIS and worker.startswith("gw")):
        return
    from django.conf import settings

    base, _, number = settings.CACHES["default"]["LOCATION"].rpartition("/")
    own = (int(number or 0) - int(worker[2:])) % 16
    settings.CACHES["default"]["LOCATION"] = f"{base}/{own}"


def pytest_report_header(config):
    return f"fuzz seed: {FUZZ_SEED} (replay with FUZZ_SEED={FUZZ_SEED})"


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


def token_for(user) -> str:
    """A real API token, as POST /api/v1/auth/token/ would issue after any second factor."""
    from knox.models import AuthToken

    return AuthToken.objects.create(user)[1]


@pytest.fixture
def api():
    """An API client; api.as_(user) authenticates with a real token (None: anonymous)."""

    class Api(APIClient):
        def as_(self, user):
            if user is None:
                self.credentials()
            else:
                self.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
            return self

    return Api()


@pytest.fixture
def api_for():
    def make(user):
        api = APIClient()
        if user is not None:
            api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
        return api

    return make


def verified_login(client, user) -> None:
    """Portal login as someone who has passed the second factor where their role needs one."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    if user.role in ("therapist", "staff") or user.is_staff:
        device = TOTPDevice.objects.filter(
            user=user, confirmed=True
        ).first() or TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


@pytest.fixture
def portal(client):
    """The Django test client with .login_as(user) that also passes the second factor."""
    client.login_as = lambda user: verified_login(client, user)
    return client


SEED_MIGRATIONS = [
    # (app, migration, a model the migration fills)
    ("journal", "0002_seed_homework_templates", "journal.HomeworkTemplate"),
    ("journal", "0002_seed_feelings_wheel_and_triggers", "journal.Emotion"),
    ("companion", "0002_seed_default_crisis_resources", "companion.CrisisResource"),
    ("companion", "0004_seed_library_articles", "companion.Article"),
]


def restore_seed_data() -> None:
    """Re-run the data migrations whose rows a transactional test's flush removed.

    Live-server and worker tests are transactional; Django empties every table after
    each, taking the feelings wheel, triggers, templates, crisis resources and articles
    with it. The migrations' own forward functions put them back.
    """
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection)
    for app_label, name, sentinel in SEED_MIGRATIONS:
        if apps.get_model(sentinel).objects.exists():
            continue
        migration = loader.get_migration(app_label, name)
        with connection.schema_editor() as editor:
            for operation in migration.operations:
                if hasattr(operation, "code"):
                    operation.code(apps, editor)


@pytest.fixture(autouse=True)
def _seed_data_for_transactional_tests(request):
    """Transactional tests (live server, real worker) start with the seeded content too."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        request.getfixturevalue("_django_db_helper")
        restore_seed_data()


def pytest_sessionstart(session):
    """In CI (.ci/run sets COMPANION_REQUIRE_SERVICES=1) nothing may be skipped for want of a
    service: a missing PostgreSQL, Redis, redis-server binary or chromium fails the run."""
    if os.environ.get("COMPANION_REQUIRE_SERVICES") != "1":
        return

    missing = [
        name
        for name, present in [
            ("DATABASE_URL (PostgreSQL)", ON_POSTGRES),
            ("REDIS_URL", HAS_REDIS),
            ("redis-server", shutil.which("redis-server")),
            ("chromium", shutil.which("chromium")),
        ]
        if not present
    ]
    if missing:
        pytest.exit(f"CI needs these services and tools: {', '.join(missing)}", returncode=2)


@pytest.fixture
def vapid_keys(settings, tmp_path):
    """Web Push signing keys of the test's own, made under a temporary data directory."""
    from accounts import push

    settings.DATA_DIR = tmp_path
    push.vapid.cache_clear()
    yield
    push.vapid.cache_clear()


@pytest.fixture
def push_service():
    """A push service on 127.0.0.1 that records what it receives (tests/accounts/push_helpers)."""
    from tests.accounts.push_helpers import PushService

    with PushService() as running:
        yield running
