"""manage.py analyze_checkins: the engine offline on a JSONL export, writing nothing."""

import json
import random
from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from journal.models import CheckIn, ClientDay, Emotion

pytestmark = pytest.mark.django_db

SYMPTOMS = [
    "disconnected",
    "lost_interest",
    "fatigue",
    "misaligned",
    "autopilot",
    "others_concerned",
]
FEELINGS = [
    "joyful",
    "content",
    "hopeful",
    "anxious",
    "sad",
    "irritated",
    "lonely",
    "proud",
    "curious",
    "worried",
]


def _lines(client: str, start: date, stable: int, blunted: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    tz = dt_timezone(timedelta(hours=1))
    out = []
    for offset in range(stable + blunted):
        day = start + timedelta(days=offset)
        for hour in (9, 20):
            at = datetime(day.year, day.month, day.day, hour, 0, tzinfo=tz).isoformat()
            if offset < stable:
                emotions = [
                    {"emotion": s, "intensity": rng.randint(3, 9)} for s in rng.sample(FEELINGS, 3)
                ]
                out.append(
                    {
                        "client": client,
                        "occurred_at": at,
                        "emotions": emotions,
                        "felt_intensity": rng.randint(5, 8),
                        "symptoms": {k: rng.choice([0, 1]) for k in SYMPTOMS},
                    }
                )
            else:
                out.append(
                    {
                        "client": client,
                        "occurred_at": at,
                        "emotions": [],
                        "felt_intensity": rng.randint(1, 2),
                        "symptoms": {k: rng.choice([2, 3]) for k in SYMPTOMS},
                    }
                )
    return out


def _run(tmp_path, lines, *args) -> list[dict]:
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    out = StringIO()
    call_command("analyze_checkins", str(path), *args, stdout=out, stderr=StringIO())
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_flags_the_blunting_client_with_its_medication(tmp_path):
    start = date(2026, 8, 1)
    lines = _lines("numb", start, 60, 16, seed=1) + _lines("steady", start, 76, 0, seed=2)
    lines.append(
        {
            "client": "numb",
            "medication_event": {
                "id": "m1",
                "medication": "Sertraline",
                "kind": "increase",
                "dose": "100 mg",
                "occurred_on": "2026-09-25",
            },
        }
    )
    results = {r["client"]: r for r in _run(tmp_path, lines)}
    assert set(results) == {"numb", "steady"}
    numb = results["numb"]
    assert numb["level"] in {"flagged", "escalated"}
    assert abs((date.fromisoformat(numb["onset"]) - (start + timedelta(days=60))).days) <= 5
    assert numb["drivers"]
    assert [e["id"] for e in numb["related_medication_events"]] == ["m1"]
    steady = results["steady"]
    assert steady == {
        "client": "steady",
        "level": None,
        "onset": None,
        "drivers": [],
        "related_medication_events": [],
    }
    assert not CheckIn.objects.exists() and not ClientDay.objects.exists()


def test_today_moves_the_analysis(tmp_path):
    start = date(2026, 8, 1)
    lines = _lines("numb", start, 60, 16, seed=1)
    before = _run(tmp_path, lines, "--today", (start + timedelta(days=59)).isoformat())
    assert before[0]["level"] is None


def test_order_of_lines_and_client_ids_changes_nothing(tmp_path):
    start = date(2026, 8, 1)
    lines = _lines("a", start, 60, 16, seed=1) + _lines("b", start, 76, 0, seed=2)
    first = _run(tmp_path, lines)
    random.Random(5).shuffle(lines)
    assert _run(tmp_path, lines) == first


def test_bad_lines_are_reported_and_skipped(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(
        'not json\n{"client": "x", "occurred_at": "2026-11-01T10:00:00+00:00", "felt_intensity": 5, "emotions": []}\n'
    )
    out, err = StringIO(), StringIO()
    call_command("analyze_checkins", str(path), stdout=out, stderr=err)
    assert "line 1" in err.getvalue()
    assert json.loads(out.getvalue())["client"] == "x"


def test_bad_arguments(tmp_path):
    with pytest.raises(CommandError):
        call_command("analyze_checkins", str(tmp_path / "missing.jsonl"))
    with pytest.raises(CommandError):
        call_command("analyze_checkins", "-", "--today", "last tuesday")


def test_out_of_range_values_skip_the_line_not_the_run(tmp_path):
    path = tmp_path / "mixed.jsonl"
    lines = [
        {
            "client": "x",
            "occurred_at": "2026-11-01T10:00:00+00:00",
            "felt_intensity": 11,
            "emotions": [],
        },
        {
            "client": "x",
            "occurred_at": "2026-11-01T11:00:00+00:00",
            "felt_intensity": 5,
            "emotions": [{"emotion": "made-up", "intensity": 3}],
        },
        {
            "client": "x",
            "occurred_at": "2026-11-01T12:00:00+00:00",
            "felt_intensity": 5,
            "symptoms": {"sleep": 2},
        },
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines))
    out, err = StringIO(), StringIO()
    call_command("analyze_checkins", str(path), stdout=out, stderr=err)
    assert "line 1" in err.getvalue() and "felt_intensity" in err.getvalue()
    assert "line 3" in err.getvalue()
    assert "made-up" in err.getvalue()
    assert json.loads(out.getvalue())["client"] == "x"


def test_impossible_today(tmp_path):
    path = tmp_path / "one.jsonl"
    path.write_text(
        json.dumps({"client": "x", "occurred_at": "2026-11-01T10:00:00+00:00", "felt_intensity": 5})
        + "\n"
    )
    with pytest.raises(CommandError, match="--today"):
        call_command("analyze_checkins", str(path), "--today", "2026-13-01")


def test_without_a_seeded_vocabulary_the_wheel_still_gives_valences(tmp_path):
    """A machine with no migrated feelings (offline analysis) reads the wheel itself."""
    for level in (3, 2, 1):  # leaves first: parents are protected while children exist
        Emotion.objects.filter(level=level).delete()
    path = tmp_path / "export.jsonl"
    path.write_text(
        "\n".join(json.dumps(line) for line in _lines("c1", date(2026, 1, 1), 20, 0, seed=3))
    )
    err = StringIO()
    call_command("analyze_checkins", str(path), stdout=StringIO(), stderr=err)
    # every feeling of the export but "irritated" is on the wheel (joyful, anxious, ...)
    assert err.getvalue().strip().endswith("counted as neutral: irritated")
    assert not Emotion.objects.exists()
