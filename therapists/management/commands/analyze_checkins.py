"""Offline run of the blunting engine on a JSON Lines export. Writes nothing to the database.

Each line is a check-in (``{"client": ..., "occurred_at": ..., "felt_intensity": ..., ...}``,
the API's check-in fields) or a medication event (``{"client": ..., "medication_event":
{...}}``). The local date of a check-in is the date of ``occurred_at`` in the offset it
was written with; the 30-day limit of the API does not apply. Emotion valences come from
the feelings vocabulary (the database, or the wheel's data migration when there is no
migrated database); unknown slugs count as neutral and are named on stderr. A line that
cannot be read, or holds a value out of range, is reported on stderr and skipped; the run
goes on. Prints one JSON object per client, ordered by client id.
"""

import importlib
import json
import sys
from collections import defaultdict
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.dateparse import parse_date, parse_datetime

from journal.daily import SYMPTOM_KEYS, CheckinPoint, EmotionPoint, summarize
from journal.models import Emotion
from therapists import trends


def _whole(value: object, low: int, high: int, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ValueError(f"{what} must be a whole number from {low} to {high}")
    return value


def _checkin(line: dict, valences: dict[str, str], unknown: set[str]) -> CheckinPoint:
    occurred = parse_datetime(str(line.get("occurred_at", "")))
    if occurred is None:
        raise ValueError("occurred_at is missing or not ISO 8601")
    felt = _whole(line.get("felt_intensity"), 0, 10, "felt_intensity")
    emotions = []
    for item in line.get("emotions") or []:
        slug = str(item["emotion"])
        if slug not in valences:
            unknown.add(slug)
        intensity = _whole(item.get("intensity"), 0, 10, f"intensity of {slug}")
        emotions.append(
            EmotionPoint(slug=slug, intensity=intensity, valence=valences.get(slug, "neutral"))
        )
    symptoms = {}
    for key, value in (line.get("symptoms") or {}).items():
        if key not in SYMPTOM_KEYS:
            raise ValueError(f"unknown symptom {key!r}")
        symptoms[key] = _whole(value, 0, 3, f"symptom {key}")
    return CheckinPoint(
        local_date=occurred.date(), felt_intensity=felt, emotions=tuple(emotions), symptoms=symptoms
    )


def _medication(client: str, line_no: int, raw: dict) -> trends.MedicationEvent:
    try:
        occurred = parse_date(str(raw.get("occurred_on", "")))
    except ValueError:
        occurred = None
    if occurred is None:
        raise ValueError("medication_event.occurred_on must be YYYY-MM-DD")
    return trends.MedicationEvent(
        id=str(raw.get("id", f"{client}:{line_no}")),
        medication=str(raw.get("medication", "")),
        kind=str(raw.get("kind", "")),
        dose=(str(raw["dose"]) if raw.get("dose") not in (None, "") else None),
        occurred_on=occurred,
    )


def _valences() -> dict[str, str]:
    """Valence of each feeling: from the database, or (no migrated database, e.g. a fresh
    machine running the analysis offline) from the feelings-wheel data migration itself."""
    try:
        found = dict(Emotion.objects.values_list("slug", "valence"))
        if found:
            return found
    except DatabaseError:
        pass
    wheel = importlib.import_module("journal.migrations.0002_seed_feelings_wheel_and_triggers")
    return dict(wheel.valences())


def _event_json(event: trends.MedicationEvent) -> dict:
    return {
        "id": event.id,
        "medication": event.medication,
        "kind": event.kind,
        "dose": event.dose,
        "occurred_on": event.occurred_on.isoformat(),
    }


class Command(BaseCommand):
    help = "Run the blunting engine offline on a JSONL export and print one JSON result per client."

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON Lines file ('-' for standard input)")
        parser.add_argument(
            "--today",
            help="the day the analysis stands on (YYYY-MM-DD); default: the last day in the file",
        )

    def handle(self, *args, file: str, today: str | None, **options):
        today_date: date | None = None
        if today:
            try:
                today_date = parse_date(today)
            except ValueError:
                today_date = None
            if today_date is None:
                raise CommandError("--today must be a real date, YYYY-MM-DD")
        valences = _valences()
        unknown: set[str] = set()
        checkins: dict[str, list[CheckinPoint]] = defaultdict(list)
        events: dict[str, list[trends.MedicationEvent]] = defaultdict(list)
        try:
            handle = sys.stdin if file == "-" else open(file, encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}") from exc
        with handle:
            for line_no, text in enumerate(handle, start=1):
                if not text.strip():
                    continue
                try:
                    line = json.loads(text)
                    client = str(line["client"])
                    if "medication_event" in line:
                        events[client].append(
                            _medication(client, line_no, line["medication_event"])
                        )
                    else:
                        checkins[client].append(_checkin(line, valences, unknown))
                except (ValueError, KeyError, TypeError, AttributeError) as exc:
                    self.stderr.write(f"line {line_no}: skipped ({exc})")
        if unknown:
            self.stderr.write(
                f"feelings not in the vocabulary, counted as neutral: {', '.join(sorted(unknown))}"
            )
        last_day = max((c.local_date for points in checkins.values() for c in points), default=None)
        stand_on = today_date or last_day
        for client in sorted(set(checkins) | set(events)):
            result = {
                "client": client,
                "level": None,
                "onset": None,
                "drivers": [],
                "related_medication_events": [],
            }
            if stand_on is not None:
                assessment = trends.assess(
                    summarize(checkins.get(client, [])), events.get(client, []), today=stand_on
                )
                result.update(
                    level=assessment.level,
                    onset=assessment.onset.isoformat() if assessment.onset else None,
                    drivers=list(assessment.drivers),
                    related_medication_events=[
                        _event_json(e) for e in assessment.related_medication_events
                    ],
                )
            self.stdout.write(json.dumps(result))
