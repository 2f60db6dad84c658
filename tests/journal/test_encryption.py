"""Notes are unreadable in the database and in a dump; keys can be rotated."""

import os
import shutil
import subprocess
from urllib.parse import urlparse

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from accounts.fields import decrypt_text
from journal.models import CheckIn
from tests.conftest import ON_POSTGRES
from tests.journal.factories import make_checkin

CANARY = "canary-7f3a: I told no one about the river"


def raw_note(checkin_id: int) -> str:
    table = CheckIn._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT note FROM {table} WHERE id = %s", [checkin_id])
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_note_is_ciphertext_in_the_column_and_decrypts(client_a):
    checkin = make_checkin(client_a, note=CANARY)
    raw = raw_note(checkin.pk)
    assert CANARY not in raw
    assert "river" not in raw
    assert decrypt_text(raw) == CANARY
    assert CheckIn.objects.get(pk=checkin.pk).note == CANARY


@pytest.mark.django_db
def test_empty_note_stays_empty(client_a):
    checkin = make_checkin(client_a, note="")
    assert raw_note(checkin.pk) == ""


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not ON_POSTGRES, reason="pg_dump needs PostgreSQL")
@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed")
def test_pg_dump_does_not_contain_the_note(client_a):
    make_checkin(client_a, note=CANARY)
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
    assert "canary-7f3a" not in result.stdout
    assert "journal_checkin" in result.stdout  # the dump did include the table


@pytest.mark.django_db
def test_key_rotation(client_a, settings):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    checkin = make_checkin(client_a, note=CANARY)
    before = raw_note(checkin.pk)
    assert Fernet(old_key.encode()).decrypt(before.encode()).decode() == CANARY

    # The new key goes first; the old one still decrypts what was written under it.
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    assert CheckIn.objects.get(pk=checkin.pk).note == CANARY

    call_command("rotate_encryption_keys", "--chunk-size", "1")
    after = raw_note(checkin.pk)
    assert after != before
    assert CANARY not in after

    # Only the new key is needed now; the old one alone no longer reads it.
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert CheckIn.objects.get(pk=checkin.pk).note == CANARY
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    with pytest.raises(ValueError, match="cannot be decrypted"):
        CheckIn.objects.get(pk=checkin.pk)


@pytest.mark.django_db
def test_rotation_covers_many_rows_in_chunks_and_is_idempotent(client_a, settings):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    ids = [make_checkin(client_a, note=f"{CANARY} {i}").pk for i in range(7)]
    make_checkin(client_a, note="")  # nothing to rotate
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("rotate_encryption_keys", "--chunk-size", "3")
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert sorted(CheckIn.objects.filter(pk__in=ids).values_list("note", flat=True)) == sorted(
        f"{CANARY} {i}" for i in range(7)
    )
    rerun = raw_note(ids[0])
    call_command("rotate_encryption_keys")
    assert raw_note(ids[0]) == rerun  # already current: left alone


@pytest.mark.django_db
def test_rotation_dry_run_writes_nothing(client_a, settings):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    checkin = make_checkin(client_a, note=CANARY)
    before = raw_note(checkin.pk)
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("rotate_encryption_keys", "--dry-run")
    assert raw_note(checkin.pk) == before
