"""Lists that must have one source, and the copies that would let them drift (#19).

- The six symptom items: journal.daily.SYMPTOM_KEYS. The model columns, the API fields,
  the form labels and the admin derive from it; no other app module spells an item out.
- The ClientDay mapping: ClientDay.columns_from / as_day. Every column a day summary
  fills is mapped, and the round trip is exact.
- Celery task names: accounts.task_names. Each constant names a registered task, every
  project task has a constant, and no app module writes a task name as a literal.
"""

import re
from datetime import date
from pathlib import Path

from celery import current_app
from django.apps import apps

from accounts import task_names
from journal.daily import SYMPTOM_KEYS, CheckinPoint, EmotionPoint, summarize_day
from journal.forms.checkins import SYMPTOM_QUESTIONS
from journal.models import SYMPTOM_FIELDS, CheckIn, ClientDay

ROOT = Path(__file__).resolve().parents[1]
APP_CODE = [
    path
    for app in ("accounts", "journal", "therapists", "companion")
    for path in (ROOT / app).rglob("*.py")
    if "migrations" not in path.parts
]


def test_symptom_items_have_one_source():
    assert list(SYMPTOM_FIELDS) == list(SYMPTOM_KEYS)
    columns = {f.name for f in CheckIn._meta.get_fields() if f.name.startswith("symptom_")}
    assert columns == set(SYMPTOM_FIELDS.values())
    assert list(SYMPTOM_QUESTIONS) == list(SYMPTOM_KEYS)
    source = ROOT / "journal" / "daily.py"
    spelled = [
        f"{path.relative_to(ROOT)}: {key}"
        for path in APP_CODE
        if path != source
        for key in SYMPTOM_KEYS
        if re.search(rf"[\"']{key}[\"']", path.read_text())
    ]
    # The form's labels are keyed by item (checked against SYMPTOM_KEYS above).
    spelled = [s for s in spelled if not s.startswith("journal/forms/checkins.py")]
    assert not spelled, f"symptom items spelled out outside journal/daily.py: {spelled}"


def test_the_clientday_mapping_is_complete_and_round_trips():
    summary = summarize_day(
        date(2026, 6, 1),
        [
            CheckinPoint(
                date(2026, 6, 1),
                4,
                (EmotionPoint("calm", 6, "pleasant"), EmotionPoint("sad", 3, "unpleasant")),
                {"fatigue": 2},
            ),
            CheckinPoint(date(2026, 6, 1), 2, (), {}),
        ],
    )
    columns = ClientDay.columns_from(summary)
    derived_elsewhere = {"id", "client", "date", "distinct_emotions_7d", "blunting_index"}
    stamps = {"created_at", "updated_at"}
    all_columns = {f.name for f in ClientDay._meta.concrete_fields}
    assert set(columns) == all_columns - derived_elsewhere - stamps
    row = ClientDay(date=summary.date, **columns)
    assert row.as_day() == summary


def test_task_names_have_one_source():
    constants = {
        value for name, value in vars(task_names).items() if name.isupper() and "." in value
    }
    registered = {name for name in current_app.tasks if name.split(".")[0] in apps.app_configs}
    assert constants == registered
    literal = re.compile(r"[\"'](?:accounts|journal|therapists)\.tasks\.\w+[\"']")
    source = ROOT / "accounts" / "task_names.py"
    found = [
        str(p.relative_to(ROOT)) for p in APP_CODE if p != source and literal.search(p.read_text())
    ]
    assert not found, f"task names written out outside accounts/task_names.py: {found}"
