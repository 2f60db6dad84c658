"""Client A's data, with a canary string in every piece of clinical free text.

Each canary says who may ever read it (``VISIBLE``); the security tests grep responses,
dumps, mails, logs and the audit trail for the ones the reader must not see.
"""

import zipfile
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from accounts.exports import export_dir
from accounts.models import DataExport, ExportStatus, PushSubscription, User
from accounts.services import invitation_create
from journal.models import AssessmentSchedule, SafetySignal
from tests.accounts.push_helpers import Browser
from tests.journal.factories import (
    AssessmentFactory,
    AssignmentFactory,
    LogFactory,
    MedicationEventFactory,
    make_checkin,
)
from therapists.models import Flag, FlagNote, MedicationNote, TherapySession

# One canary per piece of clinical free text, named after the encrypted field it lives in.
CANARY = {
    "checkin_shared": "canary-shared-note-5d1e",
    "checkin_private": "canary-private-note-9b2c",
    "reflection_shared": "canary-shared-reflection-4a7f",
    "reflection_private": "canary-private-reflection-8e3d",
    "medication_event_note": "canary-medication-event-note-2c6b",
    "medication_note": "canary-therapist-medication-note-7f1a",
    "flag_note": "canary-flag-note-3e9c",
}
# A's name: not clinical, but nobody outside A's care may learn that A exists.
IDENTITY = "Zephyrine Quillfeather"

ACTORS = (
    "anonymous",
    "client_a",
    "client_b",
    "therapist_a",
    "therapist_b",
    "therapist_ended",
    "staff",
)

# Who may ever read which canary. Everyone else: never, in any response.
VISIBLE: dict[str, set[str]] = {
    "client_a": {
        CANARY["checkin_shared"],
        CANARY["checkin_private"],
        CANARY["reflection_shared"],
        CANARY["reflection_private"],
        CANARY["medication_event_note"],
    },
    "therapist_a": {
        CANARY["checkin_shared"],
        CANARY["reflection_shared"],
        CANARY["medication_note"],
        CANARY["flag_note"],
    },
}
# Who may see that client A exists (name): A, A's therapist, staff (user admin).
KNOWS_A = {"client_a", "therapist_a", "staff"}


@dataclass
class World:
    users: dict[str, User | None]
    objects: dict[str, object] = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.objects[name]
        except KeyError:
            raise AttributeError(name) from None


def build_world(*, client_a, client_b, therapist_a, therapist_b, therapist_ended, staff) -> World:
    client_a.display_name = IDENTITY
    client_a.save(update_fields=["display_name"])
    now = timezone.now()
    objects: dict[str, object] = {}
    objects["checkin_shared"] = make_checkin(
        client_a,
        note=CANARY["checkin_shared"],
        shared=True,
        emotions={"numb": 3},
        days_ago=1,
    )
    objects["checkin_private"] = make_checkin(
        client_a, note=CANARY["checkin_private"], shared=False, days_ago=0.5
    )
    assignment = AssignmentFactory(client=client_a, therapist=therapist_a, title="Five senses")
    objects["assignment"] = assignment
    objects["log_shared"] = LogFactory(
        assignment=assignment, reflection=CANARY["reflection_shared"], shared=True
    )
    objects["log_private"] = LogFactory(
        assignment=assignment,
        reflection=CANARY["reflection_private"],
        shared=False,
        completed_at=now - timedelta(days=1),
    )
    event = MedicationEventFactory(client=client_a, note=CANARY["medication_event_note"])
    objects["medication_event"] = event
    objects["assessment"] = AssessmentFactory(client=client_a)
    objects["schedule"] = AssessmentSchedule.objects.create(
        client=client_a,
        therapist=therapist_a,
        instrument="gad7",
        every_days=14,
        next_due_on=timezone.localdate(),
    )
    flag = Flag.objects.create(
        client=client_a,
        kind="blunting",
        level="flagged",
        raised_at=now - timedelta(days=2),
        onset=timezone.localdate() - timedelta(days=10),
        summary="Distinct feelings per week fell from 9 to 3",
    )
    flag.related_medication_events.add(event)
    objects["flag"] = flag
    objects["flag_note"] = FlagNote.objects.create(
        flag=flag, therapist=therapist_a, action="acknowledge", note=CANARY["flag_note"]
    )
    objects["medication_note"] = MedicationNote.objects.create(
        therapist=therapist_a,
        client=client_a,
        medication_event=event,
        text=CANARY["medication_note"],
    )
    objects["session"] = TherapySession.objects.create(
        therapist=therapist_a, client=client_a, held_on=timezone.localdate() - timedelta(days=7)
    )
    objects["safety_signal"] = SafetySignal.objects.create(client=client_a, source="button")
    name = "security-matrix-export.zip"
    with zipfile.ZipFile(export_dir() / name, "w") as archive:
        archive.writestr("README.txt", "test export")
    objects["export"] = DataExport.objects.create(
        client=client_a,
        status=ExportStatus.DONE,
        progress=100,
        file_name=name,
        expires_at=now + timedelta(days=1),
    )
    keys = Browser("https://fcm.googleapis.com/fcm/send/matrix-a").to_json()
    objects["push_subscription"] = PushSubscription.objects.create(
        user=client_a, endpoint=keys["endpoint"], label="Firefox on Android", **keys["keys"]
    )
    # An invitation from B's therapist to A, so A can accept one (and B cannot use it).
    objects["invitation"], objects["invitation_code"] = invitation_create(
        therapist=therapist_b, email=client_a.email
    )
    users = {
        "anonymous": None,
        "client_a": client_a,
        "client_b": client_b,
        "therapist_a": therapist_a,
        "therapist_b": therapist_b,
        "therapist_ended": therapist_ended,
        "staff": staff,
    }
    return World(users=users, objects=objects)


def forbidden_strings(actor: str) -> list[str]:
    """Strings that must never appear in a response to ``actor``."""
    hidden = [c for c in CANARY.values() if c not in VISIBLE.get(actor, set())]
    if actor not in KNOWS_A:
        hidden.append(IDENTITY)
    return hidden
