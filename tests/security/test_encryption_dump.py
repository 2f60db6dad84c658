"""Encryption at rest: canaries in every encrypted field of every model, then a raw read
of every table (and a pg_dump on PostgreSQL), the audit trail, sent mail and the logs
must not contain one of them."""

import logging
import os
import shutil
import subprocess
from datetime import UTC, datetime
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.db import connection

from accounts.fields import EncryptedTextField, encrypted_fields
from accounts.models import AuditEvent
from tests.conftest import ON_POSTGRES

from .flows import all_canaries, write_canaries_through_the_api
from .world import build_world

MONDAY_MORNING_BERLIN = datetime(2026, 11, 30, 7, 30, tzinfo=UTC)


class Capture(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        text = record.getMessage()
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        self.lines.append(text)


@pytest.fixture
def captured_logs():
    handler = Capture()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(old_level)


def raw_cells() -> list[tuple[str, str, str]]:
    """(table, column, text) of every cell of every table, read with plain SQL."""
    cells = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if value is None:
                        continue
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("utf-8", errors="replace")
                    cells.append((table, column, str(value)))
    return cells


def pg_dump() -> str:
    settings_dict = connection.settings_dict
    url = urlparse(os.environ["DATABASE_URL"])
    env = {**os.environ, "PGPASSWORD": settings_dict.get("PASSWORD") or url.password or ""}
    result = subprocess.run(
        [
            "pg_dump",
            "--data-only",
            "-h",
            settings_dict.get("HOST") or "127.0.0.1",
            "-p",
            str(settings_dict.get("PORT") or 5432),
            "-U",
            settings_dict.get("USER") or "postgres",
            settings_dict["NAME"],
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.django_db(transaction=True)
def test_no_canary_in_the_database_audit_mail_or_logs(
    client_a, client_b, therapist_a, therapist_b, therapist_ended, staff, captured_logs
):
    world = build_world(
        client_a=client_a,
        client_b=client_b,
        therapist_a=therapist_a,
        therapist_b=therapist_b,
        therapist_ended=therapist_ended,
        staff=staff,
    )
    client_a.weekly_summary_opt_in = True
    client_a.reminder_times = ["08:00"]
    client_a.save()
    write_canaries_through_the_api(world)
    # The jobs that write mail about A: safety alert (sent on commit), digest, summaries.
    from journal.tasks import send_care_reminders, send_due_reminders, send_weekly_summaries
    from therapists.tasks import send_weekly_digests

    now = MONDAY_MORNING_BERLIN.isoformat()
    send_weekly_digests(now)
    send_due_reminders(now)
    send_care_reminders(now)
    send_weekly_summaries(datetime(2026, 11, 29, 16, 30, tzinfo=UTC).isoformat())
    canaries = all_canaries()

    # Every encrypted field holds a canary (so a new encrypted field cannot go untested) ...
    for model, names in encrypted_fields():
        for name in names:
            values = list(model.objects.values_list(name, flat=True))
            assert any(any(c in (v or "") for c in canaries) for v in values), (
                f"{model._meta.label}.{name} is encrypted but this test wrote no canary into it"
            )
    # ... and the columns hold Fernet tokens, not the text.
    for model, names in encrypted_fields():
        assert all(isinstance(model._meta.get_field(n), EncryptedTextField) for n in names)

    cells = raw_cells()
    assert len(cells) > 100
    leaks = [(t, c) for t, c, text in cells for canary in canaries if canary in text]
    assert not leaks, f"plain clinical text in the database: {leaks}"
    encrypted_columns = {
        (m._meta.db_table, m._meta.get_field(n).column) for m, ns in encrypted_fields() for n in ns
    }
    tokens = [text for t, c, text in cells if (t, c) in encrypted_columns and text]
    assert tokens and all(text.startswith("gAAAA") for text in tokens)

    audit = [str(vars(e)) for e in AuditEvent.objects.all()]
    assert audit, "the reads above were audited"
    assert not [a for a in audit for c in canaries if c in a]

    assert mail.outbox, "the jobs above sent mail"
    for message in mail.outbox:
        parts = [message.subject, message.body] + [a[0] for a in message.alternatives]
        for part in parts:
            assert not [c for c in canaries if c in part], (message.subject, message.to)

    assert captured_logs.lines, "something was logged"
    assert not [line for line in captured_logs.lines for c in canaries if c in line]

    if ON_POSTGRES and shutil.which("pg_dump"):
        dump = pg_dump()
        assert "journal_checkin" in dump
        assert not [c for c in canaries if c in dump]
