"""Reads for care between sessions: homework, medications, assessments, crisis resources.

Every selector takes the viewer (or is handed clients the caller has already reached
through an access function) and never returns a row the viewer may not see.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Case, ExpressionWrapper, F, Q, QuerySet, Value, When
from django.utils import timezone

from accounts.fields import EncryptedTextField
from accounts.models import Role, User

from .. import instruments
from ..models import (
    Assessment,
    AssessmentSchedule,
    Frequency,
    HomeworkAssignment,
    HomeworkLog,
    HomeworkStatus,
    MedicationEvent,
    MedicationEventKind,
)
from ..models.homework import HomeworkPause

logger = logging.getLogger(__name__)

ADHERENCE_WINDOW_DAYS = 14


# --- Homework adherence (pure core) -----------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """What an assignment asked for, and when it was not asking (paused, ended)."""

    frequency: str
    times_per_week: int | None
    starts_on: date
    due_on: date | None
    ended_on: date | None
    pauses: tuple[tuple[date, date | None], ...] = ()

    def is_active_on(self, day: date) -> bool:
        if day < self.starts_on:
            return False
        if self.ended_on is not None and day >= self.ended_on:
            return False
        return not any(start <= day and (end is None or day < end) for start, end in self.pauses)


def adherence_counts(plan: Plan, completions: Counter[date], today: date) -> tuple[float, float]:
    """(done, expected) over the 14 days ending ``today``, in the client's own dates.

    - A day is expected only while the assignment is active on it: not before it starts,
      not on or after the day it ended, not on a paused day. Today is expected only once
      it is done, so a morning view does not count the evening's walk as missed.
    - once: done at least once by the due date counts 1 of 1 (when the due date or the
      completion falls in the window); a due date that passed in the window undone
      counts 0 of 1; without a due date it counts only once done.
    - daily: distinct days done / expected days.
    - n per week: the window is two 7-day blocks; each block expects n * (expected
      days / 7), and completions count up to that, so a busy week does not make up
      for an empty one.
    """
    window_start = today - timedelta(days=ADHERENCE_WINDOW_DAYS - 1)
    done_days = {d for d, n in completions.items() if n > 0 and d <= today}

    if plan.frequency == Frequency.ONCE:
        if plan.due_on is None:
            first = min(done_days, default=None)
            return (1.0, 1.0) if first is not None and first >= window_start else (0.0, 0.0)
        on_time = [d for d in done_days if d <= plan.due_on]
        if on_time:
            counted = max(min(on_time), plan.due_on) >= window_start
            return (1.0, 1.0) if counted else (0.0, 0.0)
        if window_start <= plan.due_on < today and plan.is_active_on(plan.due_on):
            return (0.0, 1.0)
        return (0.0, 0.0)

    def expected_day(day: date) -> bool:
        return plan.is_active_on(day) and (day < today or day in done_days)

    days = [window_start + timedelta(days=i) for i in range(ADHERENCE_WINDOW_DAYS)]
    if plan.frequency == Frequency.DAILY:
        expected = [d for d in days if expected_day(d)]
        return float(sum(1 for d in expected if d in done_days)), float(len(expected))

    per_week = plan.times_per_week or 1
    done_total = expected_total = 0.0
    for block in (days[:7], days[7:]):
        expected_days = [d for d in block if expected_day(d)]
        block_expected = per_week * len(expected_days) / 7
        block_done = sum(completions[d] for d in expected_days)
        done_total += min(block_done, block_expected)
        expected_total += block_expected
    return done_total, expected_total


def _ratio(done: float, expected: float) -> float | None:
    return round(done / expected, 4) if expected > 0 else None


def _client_today(client: User, now: datetime | None) -> date:
    return timezone.localdate(now or timezone.now(), timezone=client.tz)


def _plans_and_completions(
    assignment_rows: Sequence[dict], earliest: date
) -> tuple[dict[int, Plan], dict[int, Counter[date]]]:
    """Two queries for any number of assignments: their pauses and their completions."""
    ids = [row["id"] for row in assignment_rows]
    pauses: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    completions: dict[int, Counter[date]] = defaultdict(Counter)
    if ids:
        for assignment_id, starts_on, ends_on in HomeworkPause.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gt=earliest), assignment_id__in=ids
        ).values_list("assignment_id", "starts_on", "ends_on"):
            pauses[assignment_id].append((starts_on, ends_on))
        # "once" needs completions from before the window too (done early, due inside it).
        for assignment_id, local_date in HomeworkLog.objects.filter(
            Q(local_date__gte=earliest) | Q(assignment__frequency=Frequency.ONCE),
            assignment_id__in=ids,
        ).values_list("assignment_id", "local_date"):
            completions[assignment_id][local_date] += 1
    plans = {
        row["id"]: Plan(
            frequency=row["frequency"],
            times_per_week=row["times_per_week"],
            starts_on=row["starts_on"],
            due_on=row["due_on"],
            ended_on=row["ended_on"],
            pauses=tuple(pauses[row["id"]]),
        )
        for row in assignment_rows
    }
    return plans, completions


PLAN_FIELDS = ("id", "client_id", "frequency", "times_per_week", "starts_on", "due_on", "ended_on")


def homework_adherence_14d(
    clients: Iterable[User], *, now: datetime | None = None
) -> dict[int, float | None]:
    """{client id: done/expected over each client's last 14 local days, or None}.

    For many clients at once in three queries (assignments, pauses, completions),
    whatever the number of clients. Callers pass clients they have already reached
    through ``User.objects.clients_of`` (the caseload) or the client themself.
    None means nothing was expected in the window (no homework, all paused, all new).
    """
    clients = list(clients)
    if not clients:
        return {}
    today_by_client = {c.pk: _client_today(c, now) for c in clients}
    earliest = min(today_by_client.values()) - timedelta(days=ADHERENCE_WINDOW_DAYS - 1)
    latest = max(today_by_client.values())
    rows = list(
        HomeworkAssignment.objects.filter(client_id__in=today_by_client, starts_on__lte=latest)
        .exclude(ended_on__lte=earliest)
        .values(*PLAN_FIELDS)
    )
    plans, completions = _plans_and_completions(rows, earliest)
    totals: dict[int, list[float]] = {pk: [0.0, 0.0] for pk in today_by_client}
    for row in rows:
        done, expected = adherence_counts(
            plans[row["id"]], completions[row["id"]], today_by_client[row["client_id"]]
        )
        totals[row["client_id"]][0] += done
        totals[row["client_id"]][1] += expected
    return {pk: _ratio(done, expected) for pk, (done, expected) in totals.items()}


@dataclass(frozen=True)
class HomeworkProgress:
    """Where one assignment stands today, for the client's list and the therapist's page."""

    adherence_14d: float | None
    done_today: bool
    done_this_week: int
    due_today: bool
    due_this_week: bool
    remaining_this_week: int | None


def homework_progress(
    assignments: Sequence[HomeworkAssignment], *, client: User, now: datetime | None = None
) -> dict[int, HomeworkProgress]:
    """Adherence and what is due today / this week (Monday to Sunday) for one client's
    assignments. Two queries, whatever the number of assignments."""
    today = _client_today(client, now)
    week_start = today - timedelta(days=today.weekday())
    week_end = week_start + timedelta(days=6)
    rows = [{f: getattr(a, f) for f in PLAN_FIELDS} for a in assignments]
    plans, completions = _plans_and_completions(
        rows, min(week_start, today - timedelta(days=ADHERENCE_WINDOW_DAYS - 1))
    )
    result = {}
    for assignment in assignments:
        plan, done = plans[assignment.pk], completions[assignment.pk]
        done_today = done[today] > 0
        done_this_week = sum(n for d, n in done.items() if week_start <= d <= today)
        active_now = assignment.status == HomeworkStatus.ACTIVE and plan.is_active_on(today)
        remaining = None
        if not active_now:
            due_today = due_this_week = False
        elif plan.frequency == Frequency.DAILY:
            due_today, due_this_week = not done_today, True
        elif plan.frequency == Frequency.WEEKLY:
            remaining = max(0, (plan.times_per_week or 1) - done_this_week)
            due_today, due_this_week = remaining > 0 and not done_today, remaining > 0
        else:
            open_task = not any(n > 0 for n in done.values())
            due_today = open_task and (plan.due_on is None or plan.due_on <= today)
            due_this_week = open_task and (plan.due_on is None or plan.due_on <= week_end)
        result[assignment.pk] = HomeworkProgress(
            adherence_14d=_ratio(*adherence_counts(plan, done, today)),
            done_today=done_today,
            done_this_week=done_this_week,
            due_today=due_today,
            due_this_week=due_this_week,
            remaining_this_week=remaining,
        )
    return result


# --- Homework reads ---------------------------------------------------------------------


def homework_list(*, viewer: User, include_ended: bool = False) -> QuerySet[HomeworkAssignment]:
    """The client's own assignments, newest first; ended ones only when asked for."""
    if viewer.role != Role.CLIENT:
        return HomeworkAssignment.objects.none()
    queryset = HomeworkAssignment.objects.filter(client=viewer).select_related("therapist")
    if not include_ended:
        queryset = queryset.exclude(status=HomeworkStatus.ENDED)
    return queryset.order_by("-created_at", "-pk")


def client_homework_list(*, viewer: User, client: User) -> QuerySet[HomeworkAssignment]:
    """A client's assignments as their therapist sees them (caseload only)."""
    return (
        HomeworkAssignment.objects.filter(client=client, client__in=User.objects.clients_of(viewer))
        .select_related("template")
        .order_by("-created_at", "-pk")
    )


def homework_log_list(
    *,
    viewer: User,
    assignment: HomeworkAssignment | None = None,
    client: User | None = None,
    shared_only: bool = False,
) -> QuerySet[HomeworkLog]:
    """Completions of one assignment (or of all a client's), newest first.

    Each row carries ``visible_reflection``: the client sees their own reflection; a
    therapist of the client sees it only where the client shared it. The unshared text
    is never selected for a therapist (the database returns an empty string instead),
    so it cannot leak through a serializer mistake.
    """
    client_id = assignment.client_id if assignment is not None else client.pk
    queryset = HomeworkLog.objects.filter(assignment__client_id=client_id).select_related(
        "assignment"
    )
    if assignment is not None:
        queryset = queryset.filter(assignment=assignment)
    if viewer.pk == client_id and viewer.role == Role.CLIENT:
        visible = ExpressionWrapper(F("reflection"), output_field=EncryptedTextField())
    elif User.objects.clients_of(viewer).filter(pk=client_id).exists():
        visible = Case(
            When(shared=True, then=F("reflection")),
            default=Value(""),
            output_field=EncryptedTextField(),
        )
    else:
        return HomeworkLog.objects.none()
    if shared_only:
        queryset = queryset.filter(shared=True)
    return (
        queryset.defer("reflection")
        .annotate(visible_reflection=visible)
        .order_by("-completed_at", "-pk")
    )


# --- Medications ------------------------------------------------------------------------


def medication_event_list(viewer: User, client: User) -> QuerySet[MedicationEvent]:
    """The client's medication events, newest first, for the client or their therapist.

    A therapist never receives the client's private ``note`` (events carry no sharing
    choice, so notes stay the client's own); it is not even selected.
    """
    queryset = MedicationEvent.objects.filter(client=client).order_by("-occurred_on", "-pk")
    if viewer.pk == client.pk and viewer.role == Role.CLIENT:
        return queryset
    if viewer.is_authenticated and viewer.is_therapist:
        return queryset.filter(client__in=User.objects.clients_of(viewer)).defer("note")
    return MedicationEvent.objects.none()


@dataclass
class CurrentMedication:
    medication: str
    dose: str
    since: date
    last_change_on: date
    last_change: str
    side_effects: list[str] = field(default_factory=list)
    events: int = 0


def _medication_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def current_medications(client: User, *, viewer: User | None = None) -> list[CurrentMedication]:
    """What the client takes now, derived from their events in one query (never stored).

    Events are replayed oldest first per medication (names compared without case or
    extra spaces): start, increase and decrease make it current with the latest dose
    given; stop removes it; a side effect attaches to it while it is current.
    """
    viewer = viewer or client
    events = (
        medication_event_list(viewer, client)
        .defer("note")
        .order_by("occurred_on", "created_at", "pk")
        .only("medication", "kind", "dose", "side_effect", "occurred_on")
    )
    current: dict[str, CurrentMedication] = {}
    for event in events:
        key = _medication_key(event.medication)
        if event.kind == MedicationEventKind.STOP:
            current.pop(key, None)
            continue
        entry = current.get(key)
        if event.kind == MedicationEventKind.SIDE_EFFECT:
            if (
                entry is not None
                and event.side_effect
                and event.side_effect not in entry.side_effects
            ):
                entry.side_effects.append(event.side_effect)
            continue
        if entry is None:
            entry = current[key] = CurrentMedication(
                medication=event.medication.strip(),
                dose=event.dose,
                since=event.occurred_on,
                last_change_on=event.occurred_on,
                last_change=event.kind,
            )
        entry.dose = event.dose or entry.dose
        entry.last_change_on = event.occurred_on
        entry.last_change = event.kind
        entry.events += 1
    return sorted(current.values(), key=lambda m: m.medication.casefold())


# --- Assessments ------------------------------------------------------------------------


def assessment_list(*, viewer: User, client: User | None = None) -> QuerySet[Assessment]:
    """The client's own assessments, or a caseload client's for their therapist."""
    client = client or viewer
    queryset = Assessment.objects.filter(client=client).order_by("-taken_at", "-pk")
    if viewer.pk == client.pk and viewer.role == Role.CLIENT:
        return queryset
    return queryset.filter(client__in=User.objects.clients_of(viewer))


def assessment_is_worsening(assessment: Assessment) -> bool:
    """Whether this assessment worsened against the client's previous one of the same kind."""
    previous = (
        Assessment.objects.filter(client_id=assessment.client_id, instrument=assessment.instrument)
        .filter(
            Q(taken_at__lt=assessment.taken_at)
            | Q(taken_at=assessment.taken_at, pk__lt=assessment.pk)
        )
        .order_by("-taken_at", "-pk")
        .values_list("score", flat=True)
        .first()
    )
    return instruments.is_worsening(assessment.instrument, assessment.score, previous)


@dataclass(frozen=True)
class DueAssessment:
    instrument: str
    name: str
    due_on: date


def assessments_due(client: User, today: date | None = None) -> list[DueAssessment]:
    """Questionnaires the client's active care team has asked for that are due by today.

    One prompt per instrument even when two therapists schedule the same one, and a
    schedule stops prompting as soon as its therapist's care relationship ends.
    """
    today = today or _client_today(client, None)
    due: dict[str, date] = {}
    for instrument, next_due_on in (
        AssessmentSchedule.objects.filter(
            client=client,
            is_active=True,
            next_due_on__lte=today,
            therapist__care_as_therapist__client=client,
            therapist__care_as_therapist__ended_at__isnull=True,
        )
        .values_list("instrument", "next_due_on")
        .order_by("next_due_on")
    ):
        due.setdefault(instrument, next_due_on)
    return [
        DueAssessment(instrument=code, name=instruments.INSTRUMENTS[code].name, due_on=due_on)
        for code, due_on in sorted(due.items())
    ]


def assessment_schedule_list(*, viewer: User, client: User) -> QuerySet[AssessmentSchedule]:
    return AssessmentSchedule.objects.filter(
        client=client, client__in=User.objects.clients_of(viewer), is_active=True
    ).order_by("instrument", "pk")


# --- Crisis resources -------------------------------------------------------------------

CrisisResourcesProvider = Callable[[User], list[dict]]
_crisis_resources_provider: CrisisResourcesProvider | None = None

# Shown when no provider is registered or it fails: a safety path must never come back
# empty. Accurate everywhere; the site's own admin-managed list normally replaces it.
FALLBACK_CRISIS_RESOURCES: tuple[dict, ...] = (
    {
        "locale": "",
        "name": "Emergency services",
        "description": "If you might act on thoughts of harming yourself, or are in danger now, "
        "call your local emergency number (112 in the EU, 911 in the US/Canada, 999 in the UK).",
        "phone": "",
        "sms": "",
        "url": "",
        "available_hours": "24 hours, every day",
    },
    {
        "locale": "",
        "name": "Find A Helpline",
        "description": "Free, confidential helplines in your country, by phone, text or chat.",
        "phone": "",
        "sms": "",
        "url": "https://findahelpline.com",
        "available_hours": "",
    },
)


def crisis_resources_provider_register(provider: CrisisResourcesProvider) -> None:
    """Set how crisis resources are read (the site registers its admin-managed list).

    Crisis resources live with the site's content in ``companion``, which imports
    journal, never the reverse; so journal asks whoever registered, and falls back to
    a built-in international list.
    """
    global _crisis_resources_provider
    _crisis_resources_provider = provider


def crisis_resources_for_client(client: User) -> list[dict]:
    """Crisis resources for the client's locale with the default fallback. Never empty."""
    if _crisis_resources_provider is not None:
        try:
            resources = _crisis_resources_provider(client)
        except Exception:  # showing help matters more than the error; log and fall back
            logger.exception("crisis resources provider failed; showing the built-in list")
        else:
            if resources:
                return resources
    return [dict(r) for r in FALLBACK_CRISIS_RESOURCES]
