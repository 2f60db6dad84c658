"""The client's journal as spreadsheets for their data export (accounts.exports).

One sheet per kind of record, with the words the portal shows (feeling names, "Dose
decreased", "Moderately severe"), never ids or internal codes, and times in the client's
own time zone. Registered in JournalConfig.ready(); accounts never imports journal.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from accounts.exports import Sheet, local_time, yes_no
from accounts.models import User

from .forms.checkins import SYMPTOM_QUESTIONS, SYMPTOM_SCALE
from .instruments import SEVERITY_LABELS
from .models import (
    SYMPTOM_FIELDS,
    Assessment,
    CheckIn,
    EmotionRating,
    HomeworkAssignment,
    HomeworkLog,
    MedicationEvent,
    SafetySignal,
)


def journal_sheets(client: User) -> list[Sheet]:
    return [
        _checkins(client),
        _homework(client),
        _homework_log(client),
        _medications(client),
        _questionnaires(client),
        _safety(client),
    ]


def _checkins(client: User) -> Sheet:
    words = dict(SYMPTOM_SCALE)
    ratings = EmotionRating.objects.select_related("emotion").order_by(
        "-intensity", "emotion__name"
    )
    rows = (
        CheckIn.objects.filter(client=client)
        .prefetch_related(Prefetch("ratings", queryset=ratings), "triggers")
        .order_by("occurred_at", "pk")
    )

    def row(checkin: CheckIn) -> list:
        feelings = "; ".join(f"{r.emotion.name} ({r.intensity})" for r in checkin.ratings.all())
        answers = [
            "" if getattr(checkin, column) is None else str(words[getattr(checkin, column)])
            for column in SYMPTOM_FIELDS.values()
        ]
        return [
            local_time(checkin.occurred_at, client),
            checkin.felt_intensity,
            feelings or _("none named"),
            *answers,
            "; ".join(t.name for t in checkin.triggers.all()),
            checkin.note,
            yes_no(checkin.shared),
        ]

    return Sheet(
        "checkins.csv",
        _("Every check-in: how much you could feel (0-10), your feelings with their strength "
          "(0-10), the six questions about the last 24 hours, what was going on, your note."),
        [
            _("When"),
            _("How much you could feel (0-10)"),
            _("Feelings (strength 0-10)"),
            *[str(SYMPTOM_QUESTIONS[key]) for key in SYMPTOM_FIELDS],
            _("Going on"),
            _("Note"),
            _("Note shared with care team"),
        ],
        (row(c) for c in rows),
    )  # fmt: skip


def _homework(client: User) -> Sheet:
    rows = HomeworkAssignment.objects.filter(client=client).select_related("therapist")
    return Sheet(
        "homework.csv",
        _("The homework your therapist set: what, how often, from when, and where it stands."),
        [_("Homework"), _("How often"), _("Times a week"), _("From"), _("Due"), _("Status"),
         _("Ended"), _("Set by")],
        (
            [a.title, a.get_frequency_display(), a.times_per_week or "", a.starts_on,
             a.due_on or "", a.get_status_display(), a.ended_on or "",
             a.therapist.display_name if a.therapist else ""]
            for a in rows.order_by("starts_on", "pk")
        ),
    )  # fmt: skip


def _homework_log(client: User) -> Sheet:
    rows = (
        HomeworkLog.objects.filter(assignment__client=client)
        .select_related("assignment")
        .order_by("completed_at", "pk")
    )
    return Sheet(
        "homework_done.csv",
        _("Each time you did a piece of homework, with how you felt before and after (0-10)."),
        [_("When"), _("Homework"), _("Before (0-10)"), _("After (0-10)"), _("Reflection"),
         _("Reflection shared with therapist")],
        (
            [local_time(log.completed_at, client), log.assignment.title,
             "" if log.before_feeling is None else log.before_feeling,
             "" if log.after_feeling is None else log.after_feeling,
             log.reflection, yes_no(log.shared)]
            for log in rows
        ),
    )  # fmt: skip


def _medications(client: User) -> Sheet:
    rows = MedicationEvent.objects.filter(client=client).order_by("occurred_on", "pk")
    return Sheet(
        "medications.csv",
        _("Your medication changes: starts, dose changes, stops and side effects you noted."),
        [_("Date"), _("Medication"), _("What happened"), _("Dose"), _("Side effect"),
         _("Private note")],
        (
            [e.occurred_on, e.medication, e.get_kind_display(), e.dose,
             e.get_side_effect_display() if e.side_effect else "", e.note]
            for e in rows
        ),
    )  # fmt: skip


def _questionnaires(client: User) -> Sheet:
    rows = Assessment.objects.filter(client=client).order_by("taken_at", "pk")
    return Sheet(
        "questionnaires.csv",
        _("Your PHQ-9 and GAD-7 results: the score, its band, and your answer to each question "
          "(0-3) in order."),
        [_("When"), _("Questionnaire"), _("Score"), _("Band"), _("Answers (0-3, in order)")],
        (
            [local_time(a.taken_at, client), a.get_instrument_display(), a.score,
             str(SEVERITY_LABELS.get(a.severity, a.severity)),
             " ".join(str(v) for v in a.answers or [])]
            for a in rows
        ),
    )  # fmt: skip


def _safety(client: User) -> Sheet:
    rows = SafetySignal.objects.filter(client=client).order_by("created_at", "pk")
    return Sheet(
        "safety.csv",
        _("Times you told Companion you did not feel safe, and how."),
        [_("When"), _("How")],
        ([local_time(s.created_at, client), s.get_source_display()] for s in rows),
    )
