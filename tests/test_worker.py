"""Background-job guarantees against a real Redis broker and a real Celery worker process.

Needs PostgreSQL (the worker must see committed rows in the test database) and a
redis-server binary: each test starts its own throwaway Redis on a spare port so it can
be stopped and started without touching anything else.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import current_app
from django.db import connection
from django.utils import timezone
from kombu import pools as kombu_pools

from accounts.models import OutboxMessage, SentMessage
from accounts.outbox import outbox_relay
from tests.conftest import ON_POSTGRES
from tests.factories import CareFactory, ClientFactory, TherapistFactory

ROOT = Path(__file__).resolve().parents[1]
REDIS = shutil.which("redis-server")

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        not (ON_POSTGRES and REDIS), reason="needs PostgreSQL and a redis-server binary"
    ),
    pytest.mark.django_db(transaction=True),
]


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


class Redis:
    def __init__(self, port: int):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"

    def start(self):
        subprocess.run(
            [
                REDIS,
                "--daemonize",
                "yes",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            check=True,
        )
        _wait(
            lambda: (
                subprocess.run(
                    ["redis-cli", "-p", str(self.port), "ping"], capture_output=True
                ).returncode
                == 0
            ),
            10,
            "redis",
        )

    def stop(self):
        subprocess.run(
            ["redis-cli", "-p", str(self.port), "shutdown", "nosave"], capture_output=True
        )
        _wait(
            lambda: (
                subprocess.run(
                    ["redis-cli", "-p", str(self.port), "ping"], capture_output=True
                ).returncode
                != 0
            ),
            10,
            "redis to stop",
        )


def _free_port() -> int:
    """A port nothing listens on now, so tests in parallel processes never share a Redis."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis():
    server = Redis(_free_port())
    server.start()
    yield server
    server.stop()


def _reset_connections():
    """Drop this process's broker connections so the next publish reconnects with current conf."""
    if current_app._pool is not None:
        current_app._pool.force_close_all()
    current_app._pool = None
    current_app.amqp._producer_pool = None
    kombu_pools.reset()


@pytest.fixture
def broker(redis):
    """Point this process's Celery app at the throwaway Redis, not eager."""
    conf = current_app.conf
    saved = (conf.broker_url, conf.task_always_eager, dict(conf.broker_transport_options))
    conf.broker_url = redis.url
    conf.task_always_eager = False
    conf.broker_transport_options = {**saved[2], "visibility_timeout": 8}
    _reset_connections()
    yield redis
    conf.broker_url, conf.task_always_eager, conf.broker_transport_options = saved
    _reset_connections()


@pytest.fixture
def worker(broker, tmp_path):
    """Start (and restart) real worker processes against the test database."""
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    procs = []
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": broker.url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CELERY_VISIBILITY_TIMEOUT": "8",
        "EMAIL_BACKEND": "tests.slow_email.SlowFileEmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "PYTHONPATH": str(ROOT),
    }

    def start():
        log = (tmp_path / f"worker{len(procs)}.log").open("w")  # closed when the worker exits
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "companion",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "--loglevel=WARNING",
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        procs.append(proc)
        return proc

    start.mail_dir = mail_dir
    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def _mails(mail_dir: Path) -> list[str]:
    return [p.read_text() for p in sorted(mail_dir.glob("*.log"))]


def test_duplicate_delivery_sends_one_email(worker):
    client = ClientFactory()
    therapist = TherapistFactory()
    CareFactory(client=client, therapist=therapist)
    from journal.models import SafetySignal
    from therapists.tasks import raise_safety_flag

    signal_row = SafetySignal.objects.create(client=client, source="button")
    worker()
    for _ in range(3):  # the same message delivered three times
        raise_safety_flag.delay(signal_row.pk)
    _wait(lambda: SentMessage.objects.filter(kind="safety_alert").exists(), 60, "the alert")
    time.sleep(2)  # let the duplicates run too
    assert SentMessage.objects.filter(kind="safety_alert").count() == 1
    assert len(_mails(worker.mail_dir)) == 1


def test_nothing_lost_while_the_broker_is_down(worker, broker, api):
    client = ClientFactory()
    therapist = TherapistFactory()
    CareFactory(client=client, therapist=therapist)
    broker.stop()
    started = time.monotonic()
    response = api.as_(client).post("/api/v1/safety/", {}, format="json")
    elapsed = time.monotonic() - started
    assert response.status_code == 201, response.content
    assert elapsed < 15, f"the request hung for {elapsed:.1f}s"
    pending = OutboxMessage.objects.filter(
        task_name="therapists.tasks.raise_safety_flag", dispatched_at__isnull=True
    )
    assert pending.count() == 1
    broker.start()
    _reset_connections()
    worker()
    assert outbox_relay(older_than=timezone.timedelta(0)) == 1
    _wait(lambda: len(_mails(worker.mail_dir)) == 1, 60, "the alert after the broker came back")
    assert not pending.exists()
    assert therapist.email in _mails(worker.mail_dir)[0]


def test_worker_killed_mid_digest_leaves_exactly_one_each(worker):
    therapists = [TherapistFactory(timezone="UTC") for _ in range(20)]
    from therapists.tasks import send_digest_chunk

    now = "2026-11-30T09:00:00+00:00"  # Monday morning
    first = worker()
    send_digest_chunk.delay([t.pk for t in therapists], now)
    _wait(lambda: len(list(worker.mail_dir.glob("*.log"))) >= 3, 60, "the first digests")
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    sent_before_restart = SentMessage.objects.filter(kind="digest").count()
    assert 3 <= sent_before_restart < 20
    worker()  # after the visibility timeout the unacknowledged chunk is redelivered
    _wait(lambda: SentMessage.objects.filter(kind="digest").count() == 20, 90, "every digest")
    time.sleep(1)
    mails = _mails(worker.mail_dir)
    recipients = [t.email for t in therapists]
    assert sorted(r for r in recipients for m in mails if f"To: {r}" in m) == sorted(recipients)
