"""seed_demo builds the four stories the dashboard must get right, and is idempotent."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from journal.models import CheckIn, ClientDay
from therapists.models import Flag

pytestmark = pytest.mark.django_db


def test_demo_stories():
    call_command("seed_demo")
    alex = User.objects.get(email="alex@demo.companion")
    flag = Flag.objects.get(client=alex, kind="blunting")
    assert flag.level in {"flagged", "escalated"}
    assert [e.medication for e in flag.related_medication_events.all()] == ["Sertraline"]
    assert any("Felt intensity" in d for d in flag.drivers)
    # Raised on the day the engine first said "flagged", within two weeks of the onset, as
    # the nightly run would have, not on the day the demo was written.
    raised = flag.raised_at.date()
    assert flag.onset <= raised <= flag.onset + timedelta(days=14), (flag.onset, raised)
    assert raised < timezone.localdate() - timedelta(days=3)
    sam = User.objects.get(email="sam@demo.companion")
    assert not Flag.objects.filter(
        client=sam, kind="blunting"
    ).exists()  # a sad week is not numbness
    rivka = User.objects.get(email="rivka@demo.companion")
    assert Flag.objects.filter(client=rivka, kind="missed_checkins").exists()
    jo = User.objects.get(email="jo@demo.companion")
    assert not Flag.objects.filter(client=jo, kind="blunting").exists()  # a 3-day dip passes
    assert CheckIn.objects.filter(client=alex).count() > 150
    assert set(ClientDay.objects.filter(client=alex).values_list("date", flat=True)) == set(
        CheckIn.objects.filter(client=alex).values_list("local_date", flat=True)
    )
    therapist = User.objects.get(email="therapist@demo.companion")
    assert set(User.objects.clients_of(therapist)) == {alex, sam, rivka, jo}
    assert rivka.next_reminder_at is not None
    editor = User.objects.get(email="content@demo.companion")
    assert editor.is_staff and not editor.is_superuser
    assert list(editor.groups.values_list("name", flat=True)) == ["content"]
    assert editor.has_perm("journal.change_emotion") and not editor.has_perm("accounts.view_user")


def test_demo_is_idempotent():
    call_command("seed_demo")
    count = CheckIn.objects.count()
    call_command("seed_demo")
    assert CheckIn.objects.count() == count
