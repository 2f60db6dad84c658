"""Bulk, realistic data for benchmarks: therapists, their clients and years of check-ins.

    python manage.py seed_scale --therapists 1 --clients-per-therapist 200 --days 365

Creates therapists ``{prefix}-therapist-{i}@example.test`` (i from 1; prefix "scale"
unless ``--prefix`` says otherwise), their clients ``{prefix}-client-{i}-{j}@example.test``,
and ``--days`` days of check-ins per client ending today (in the client's time zone):
about two a day with missed days and the odd week away, feelings from the Emotion table
with varied intensity, felt intensity, the six symptom items, some triggers and notes, a
share of clients (``--blunting-share``) drifting into emotional blunting after starting or
raising a medication, other clients' medication events, and one daily homework assignment
with logs for about half of them. ClientDay rows are built with journal.daily.summarize_day
(the product's own summarizer) and distinct_emotions_7d in Python, exactly as the check-in
service would have left them.

Every account gets the password ``$COMPANION_PASSWORD`` (default "scale-password-1234"),
hashed once and reused, so seeding 100,000 users costs one Argon2 hash.

Re-running with the same prefix refuses (nothing is written); ``--replace`` first deletes
the users of that prefix and everything of theirs (slow for large sets: for benchmarks a
fresh database is quicker, which is what bench/run_all.sh does). Seeded with ``--seed``,
so the same arguments give the same data.
"""

from __future__ import annotations

import os
import random
import time
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from accounts.models import CareRelationship, Role, User
from journal.daily import CheckinPoint, EmotionPoint, summarize_day
from journal.models import (
    SYMPTOM_FIELDS,
    CheckIn,
    ClientDay,
    Emotion,
    EmotionRating,
    Frequency,
    HomeworkAssignment,
    HomeworkLog,
    MedicationEvent,
    MedicationEventKind,
    SideEffect,
    Trigger,
)
from journal.reminders import next_slot_after

DEFAULT_PASSWORD = "scale-password-1234"
TIMEZONES = [
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/Los_Angeles",
    "Europe/Madrid",
    "Australia/Sydney",
    "Asia/Tokyo",
    "UTC",
]
MEDICATIONS = [
    ("sertraline", "50 mg", "100 mg"),
    ("escitalopram", "10 mg", "20 mg"),
    ("fluoxetine", "20 mg", "40 mg"),
    ("venlafaxine", "75 mg", "150 mg"),
]
NOTES = [
    "Long day at work.",
    "Went for a walk after dinner.",
    "Talked to my sister.",
    "Hard to say how I feel today.",
    "Slept badly.",
    "Tried the breathing exercise.",
]
SYMPTOM_KEYS = list(SYMPTOM_FIELDS)
CLIENT_GROUP = 50  # clients generated and written per transaction: bounds memory
TRAILING = 7


class Command(BaseCommand):
    help = "Bulk benchmark data: therapists, clients, days of realistic check-ins (see module docstring)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--therapists", type=int, required=True)
        parser.add_argument("--clients-per-therapist", type=int, required=True)
        parser.add_argument(
            "--days", type=int, required=True, help="Days of history per client (0: accounts only)."
        )
        parser.add_argument("--prefix", default="scale", help='Email prefix (default "scale").')
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--blunting-share", type=float, default=0.15)
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument(
            "--replace", action="store_true", help="Delete this prefix's users first."
        )

    def handle(self, *args, **opts) -> None:
        started = time.monotonic()
        prefix: str = opts["prefix"]
        n_therapists, per, days = opts["therapists"], opts["clients_per_therapist"], opts["days"]
        if n_therapists < 1 or per < 0 or days < 0:
            raise CommandError("--therapists must be ≥ 1, --clients-per-therapist and --days ≥ 0.")
        existing = User.objects.filter(
            email__startswith=f"{prefix}-", email__endswith="@example.test"
        )
        if existing.exists():
            if not opts["replace"]:
                raise CommandError(
                    f"Users with the prefix {prefix!r} already exist. Pass --replace to delete "
                    "them and seed again, use another --prefix, or start from a fresh database."
                )
            deleted = existing.delete()[0]
            self.stdout.write(f"Deleted {deleted} rows of the previous {prefix!r} data.")

        self.batch = opts["batch_size"]
        self.blunting_share = opts["blunting_share"]
        self.rng = random.Random(opts["seed"])
        self.password_hash = make_password(os.environ.get("COMPANION_PASSWORD") or DEFAULT_PASSWORD)
        self.now = timezone.now()
        self.emotions = self._vocabulary()
        self.triggers = list(Trigger.objects.filter(is_active=True).values_list("pk", flat=True))

        therapists, clients = self._accounts(prefix, n_therapists, per, days)
        totals: dict[str, int] = defaultdict(int)
        if days:
            for start in range(0, len(clients), CLIENT_GROUP):
                group = clients[start : start + CLIENT_GROUP]
                with transaction.atomic():
                    for key, n in self._history(group, days).items():
                        totals[key] += n
                self.stdout.write(
                    f"  {min(start + CLIENT_GROUP, len(clients))}/{len(clients)} clients",
                    ending="\r",
                )
                self.stdout.flush()
        if days:
            self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {prefix!r}: {len(therapists)} therapists, {len(clients)} clients, "
                f"{totals['checkins']} check-ins, {totals['ratings']} emotion ratings, "
                f"{totals['days']} client days, {totals['medication_events']} medication events, "
                f"{totals['homework_logs']} homework logs in {time.monotonic() - started:.1f} s."
            )
        )

    # --- Accounts ----------------------------------------------------------------------------

    def _vocabulary(self) -> dict[str, list[tuple[int, str, str]]]:
        """Specific (level 3, else level 2) feelings by valence: (pk, slug, valence)."""
        by_valence: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
        for pk, slug, valence in Emotion.objects.filter(is_active=True, level__gte=2).values_list(
            "pk", "slug", "valence"
        ):
            by_valence[valence].append((pk, slug, valence))
        if not by_valence.get("pleasant") or not by_valence.get("unpleasant"):
            raise CommandError(
                "The Emotion table is empty: run migrate first (it seeds the feelings wheel)."
            )
        return by_valence

    def _accounts(
        self, prefix: str, n_therapists: int, per: int, days: int
    ) -> tuple[list[User], list[User]]:
        rng = self.rng
        therapists = User.objects.bulk_create(
            [
                User(
                    email=f"{prefix}-therapist-{i}@example.test",
                    display_name=f"Dr. Scale {i}",
                    role=Role.THERAPIST,
                    # One practice time zone, so a benchmark can pick a moment when every
                    # therapist's weekly digest is due; clients are spread over the world.
                    timezone="Europe/Berlin",
                    therapist_approved_at=self.now,
                    password=self.password_hash,
                )
                for i in range(1, n_therapists + 1)
            ],
            batch_size=self.batch,
        )
        clients: list[User] = []
        for i in range(1, n_therapists + 1):
            for j in range(1, per + 1):
                client = User(
                    email=f"{prefix}-client-{i}-{j}@example.test",
                    display_name=f"Client {i}-{j}",
                    role=Role.CLIENT,
                    timezone=rng.choice(TIMEZONES),
                    reminder_times=["09:00", "20:00"] if rng.random() < 0.8 else [],
                    password=self.password_hash,
                )
                client.next_reminder_at = next_slot_after(client, self.now)
                clients.append(client)
        clients = User.objects.bulk_create(clients, batch_size=self.batch)
        started_at = self.now - timedelta(days=days + 30)
        CareRelationship.objects.bulk_create(
            [
                CareRelationship(
                    therapist=therapists[k // per], client=client, started_at=started_at
                )
                for k, client in enumerate(clients)
            ]
            if per
            else [],
            batch_size=self.batch,
        )
        return therapists, clients

    # --- History -----------------------------------------------------------------------------

    def _history(self, clients: list[User], days: int) -> dict[str, int]:
        checkins: list[CheckIn] = []
        ratings_of: list[list[tuple[int, int]]] = []  # per check-in: (emotion pk, intensity)
        triggers_of: list[list[int]] = []
        points: dict[int, dict[date, list[CheckinPoint]]] = {}
        events: list[MedicationEvent] = []
        homework: list[tuple[HomeworkAssignment, list[date]]] = []
        for client in clients:
            plan = self._client_plan(client, days)
            events.extend(plan["events"])
            client_points: dict[date, list[CheckinPoint]] = defaultdict(list)
            for local_dt, blunted in plan["moments"]:
                checkin, ratings, point = self._checkin(client, local_dt, blunted, plan)
                checkins.append(checkin)
                ratings_of.append(ratings)
                triggers_of.append(
                    self.rng.sample(self.triggers, 1)
                    if self.triggers and self.rng.random() < 0.25
                    else []
                )
                client_points[point.local_date].append(point)
            points[client.pk] = client_points
            if plan["homework"] is not None:
                homework.append(plan["homework"])

        CheckIn.objects.bulk_create(checkins, batch_size=self.batch)
        ratings = [
            EmotionRating(checkin_id=checkin.pk, emotion_id=emotion_id, intensity=intensity)
            for checkin, pairs in zip(checkins, ratings_of, strict=True)
            for emotion_id, intensity in pairs
        ]
        EmotionRating.objects.bulk_create(ratings, batch_size=self.batch)
        through = CheckIn.triggers.through
        through.objects.bulk_create(
            [
                through(checkin_id=checkin.pk, trigger_id=trigger_id)
                for checkin, trigger_ids in zip(checkins, triggers_of, strict=True)
                for trigger_id in trigger_ids
            ],
            batch_size=self.batch,
        )
        day_rows = [row for client in clients for row in client_days(client.pk, points[client.pk])]
        ClientDay.objects.bulk_create(day_rows, batch_size=self.batch)
        MedicationEvent.objects.bulk_create(events, batch_size=self.batch)
        logs = self._homework(homework)
        return {
            "checkins": len(checkins),
            "ratings": len(ratings),
            "days": len(day_rows),
            "medication_events": len(events),
            "homework_logs": logs,
        }

    def _client_plan(self, client: User, days: int) -> dict:
        """When this client checks in, and whether (and from when) they are blunted."""
        rng = self.rng
        tz = ZoneInfo(client.timezone)
        today = self.now.astimezone(tz).date()
        first = today - timedelta(days=days - 1)
        repertoire = rng.sample(
            self.emotions["pleasant"], min(len(self.emotions["pleasant"]), rng.randint(4, 9))
        ) + rng.sample(
            self.emotions["unpleasant"], min(len(self.emotions["unpleasant"]), rng.randint(5, 12))
        )
        if self.emotions.get("neutral"):
            repertoire.append(rng.choice(self.emotions["neutral"]))
        med, dose, higher = rng.choice(MEDICATIONS)
        events: list[MedicationEvent] = []
        onset = None
        if rng.random() < self.blunting_share_for(days):
            onset = first + timedelta(days=int(days * rng.uniform(0.55, 0.85)))
            start = onset - timedelta(days=rng.randint(21, 35))
            events.append(
                self._event(client, med, MedicationEventKind.START, dose, max(first, start))
            )
            if rng.random() < 0.5:
                events.append(
                    self._event(
                        client,
                        med,
                        MedicationEventKind.INCREASE,
                        higher,
                        max(first, onset - timedelta(days=7)),
                    )
                )
            if rng.random() < 0.4:
                events.append(
                    self._event(
                        client,
                        med,
                        MedicationEventKind.SIDE_EFFECT,
                        "",
                        min(today, onset + timedelta(days=14)),
                        SideEffect.BLUNTING,
                    )
                )
        elif rng.random() < 0.4:
            events.append(
                self._event(
                    client,
                    med,
                    MedicationEventKind.START,
                    dose,
                    first + timedelta(days=rng.randrange(days)),
                )
            )
            if rng.random() < 0.3:
                events.append(
                    self._event(
                        client,
                        med,
                        MedicationEventKind.DECREASE,
                        dose,
                        first + timedelta(days=rng.randrange(days)),
                    )
                )

        miss = rng.uniform(0.03, 0.2)
        moments: list[tuple[datetime, bool]] = []
        away_until = first - timedelta(days=1)
        for offset in range(days):
            day = first + timedelta(days=offset)
            if day <= away_until:
                continue
            if rng.random() < 0.01:  # a week or so away: a gap in the data, not a row of zeros
                away_until = day + timedelta(days=rng.randint(3, 9))
                continue
            if rng.random() < miss:
                continue
            n = rng.choices([1, 2, 3], weights=[15, 45, 40])[0]
            hours = sorted(rng.sample([8, 9, 12, 13, 18, 20, 21, 22], n))
            for hour in hours:
                local = datetime.combine(day, dtime(hour, rng.randrange(60)), tzinfo=tz)
                if local > self.now:
                    continue
                # A gradual slide over two weeks rather than a switch.
                blunted = (
                    onset is not None
                    and day >= onset
                    and rng.random() < min(1.0, 0.3 + (day - onset).days / 14)
                )
                moments.append((local, blunted))
        assignment = None
        if days >= 14 and rng.random() < 0.5:
            starts_on = max(first, today - timedelta(days=rng.randint(14, 60)))
            assignment = HomeworkAssignment(
                client=client,
                title="Five-minute grounding",
                instructions="Name five things you can see.",
                frequency=Frequency.DAILY,
                starts_on=starts_on,
            )
            done_share = rng.uniform(0.3, 0.95)
            done = [
                starts_on + timedelta(days=k)
                for k in range((today - starts_on).days + 1)
                if rng.random() < done_share
            ]
            assignment = (assignment, done)
        return {
            "moments": moments,
            "events": events,
            "repertoire": repertoire,
            "baseline": rng.randint(4, 7),
            "tz": tz,
            "homework": assignment,
        }

    def blunting_share_for(self, days: int) -> float:
        # Blunting needs a baseline before it; with too little history nobody is blunted.
        return self.blunting_share if days >= 28 else 0.0

    def _event(
        self, client: User, medication: str, kind: str, dose: str, on: date, side_effect: str = ""
    ) -> MedicationEvent:
        return MedicationEvent(
            client=client,
            medication=medication,
            kind=kind,
            dose=dose,
            side_effect=side_effect,
            occurred_on=on,
        )

    def _checkin(
        self, client: User, local: datetime, blunted: bool, plan: dict
    ) -> tuple[CheckIn, list[tuple[int, int]], CheckinPoint]:
        rng = self.rng
        if blunted:
            named = (
                []
                if rng.random() < 0.6
                else [rng.choice([e for e in plan["repertoire"] if e[2] != "pleasant"])]
            )
            emotions = [(e, rng.randint(1, 3)) for e in named]
            felt = rng.randint(0, 3)
            symptoms = {k: rng.choice([2, 2, 3]) for k in SYMPTOM_KEYS}
        else:
            named = rng.sample(
                plan["repertoire"], rng.choices([0, 1, 2, 3, 4], weights=[4, 25, 35, 25, 11])[0]
            )
            emotions = [(e, rng.randint(2, 9)) for e in named]
            felt = max(0, min(10, plan["baseline"] + rng.randint(-3, 3)))
            symptoms = {k: rng.choice([0, 0, 0, 1, 1, 2]) for k in SYMPTOM_KEYS}
        answered = rng.random()
        if answered < 0.1:
            symptoms = {}
        elif answered < 0.2:
            symptoms = dict(rng.sample(sorted(symptoms.items()), rng.randint(1, 5)))
        note = rng.choice(NOTES) if rng.random() < 0.1 else ""
        checkin = CheckIn(
            client=client,
            occurred_at=local.astimezone(UTC),
            local_date=local.date(),
            felt_intensity=felt,
            note=note,
            shared=bool(note) and rng.random() < 0.5,
        )
        for key, value in symptoms.items():
            setattr(checkin, SYMPTOM_FIELDS[key], value)
        point = CheckinPoint(
            local_date=local.date(),
            felt_intensity=felt,
            emotions=tuple(
                EmotionPoint(slug, intensity, valence)
                for (_pk, slug, valence), intensity in emotions
            ),
            symptoms=symptoms,
        )
        return checkin, [(pk, intensity) for (pk, _slug, _valence), intensity in emotions], point

    def _homework(self, homework: list[tuple[HomeworkAssignment, list[date]]]) -> int:
        if not homework:
            return 0
        HomeworkAssignment.objects.bulk_create([a for a, _ in homework], batch_size=self.batch)
        logs = [
            HomeworkLog(
                assignment=assignment,
                completed_at=datetime.combine(
                    day, dtime(19, 0), tzinfo=ZoneInfo(assignment.client.timezone)
                ),
                local_date=day,
                after_feeling=self.rng.randint(3, 8),
            )
            for assignment, done in homework
            for day in done
        ]
        HomeworkLog.objects.bulk_create(logs, batch_size=self.batch)
        return len(logs)


def client_days(client_id: int, points: dict[date, list[CheckinPoint]]) -> list[ClientDay]:
    """ClientDay rows for one client, as journal.services.checkins.clientday_rebuild keeps them."""
    summaries = [summarize_day(day, points[day]) for day in sorted(points)]
    rows = []
    for k, day in enumerate(summaries):
        window: set[str] = set()
        j = k
        while j >= 0 and (day.date - summaries[j].date).days < TRAILING:
            window.update(slug for slug, _n in summaries[j].emotion_counts)
            j -= 1
        rows.append(
            ClientDay(
                client_id=client_id,
                date=day.date,
                distinct_emotions_7d=len(window),
                **ClientDay.columns_from(day),
            )
        )
    return rows
