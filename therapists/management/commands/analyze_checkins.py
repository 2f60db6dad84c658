"""Offline run of the blunting engine on a JSON Lines export. Writes nothing to the database.

Each line is a check-in (``{"client": ..., "occurred_at": ..., "felt_intensity": ..., ...}``,
the API's check-in fields) or a medication event (``{"client": ..., "medication_event":
{...}}``). The local date of a check-in is the date of ``occurred_at`` in the offset it
was written with. Emotion valences come from the feelings vocabulary (read only);
unknown slugs count as neutral. Lines that cannot be read are reported on stderr and
skipped. Prints one JSON object per client, ordered by client id.
"""

import json
import sys
from collections import defaultdict
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date, parse_datetime

from journal.daily import SYMPTOM_KEYS, CheckinPoint, EmotionPoint, summarize
from journal.models import Emotion
from therapists import trends


def _checkin(line: dict, valences: dict[str, str]) -> CheckinPoint:
    occurred = parse_datetime(str(line.get("occurred_at", "")))
    if occurred is None:
        raise ValueError("occurred_at is missing or not ISO 8601")
    felt = line.get("felt_intensity")
    if not isinstance(felt, int) or isinstance(felt, bool):
        raise ValueError("felt_intensity must be an integer 0-10")
    emotions = tuple(
        EmotionPoint(
            slug=str(e["emotion"]),
            intensity=int(e["intensity"]),
            valence=valences.get(str(e["emotion"]), "neutral"),
        )
        for e in line.get("emotions") or []
    )
    symptoms = {k: int(v) for k, v in (line.get("symptoms") or {}).items() if k in SYMPTOM_KEYS}
    return CheckinPoint(
        local_date=occurred.date(), felt_intensity=felt, emotions=emotions, symptoms=symptoms
    )


def _medication(client: str, line_no: int, raw: dict) -> trends.MedicationEvent:
    occurred = parse_date(str(raw.get("occurred_on", "")))
    if occurred is None:
        raise ValueError("medication_event.occurred_on must be YYYY-MM-DD")
    return trends.MedicationEvent(
        id=str(raw.get("id", f"{client}:{line_no}")),
        medication=str(raw.get("medication", "")),
        kind=str(raw.get("kind", "")),
        dose=(str(raw["dose"]) if raw.get("dose") not in (None, "") else None),
        occurred_on=occurred,
    )


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
            today_date = parse_date(today)
            if today_date is None:
                raise CommandError("--today must be a date, YYYY-MM-DD")
        valences = dict(Emotion.objects.values_list("slug", "valence"))
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
                        checkins[client].append(_checkin(line, valences))
                except (ValueError, KeyError, TypeError) as exc:
                    self.stderr.write(f"line {line_no}: skipped ({exc})")
        last_day = max((c.local_date for points in checkins.values() for c in points), default=None)
        stand_on = today_date or last_day
        for client in sorted(set(checkins) | set(events)):
            days = summarize(checkins.get(client, []))
            if stand_on is None:
                result = {
                    "client": client,
                    "level": None,
                    "onset": None,
                    "drivers": [],
                    "related_medication_events": [],
                }
            else:
                assessment = trends.assess(days, events.get(client, []), today=stand_on)
                result = {
                    "client": client,
                    "level": assessment.level,
                    "onset": assessment.onset.isoformat() if assessment.onset else None,
                    "drivers": list(assessment.drivers),
                    "related_medication_events": [
                        _event_json(e) for e in assessment.related_medication_events
                    ],
                }
            self.stdout.write(json.dumps(result))
