"""Reads for homework: adherence (a pure core over plans and completions), what is due,
and the lists a client or their therapist sees.

Every selector takes the viewer (or clients the caller reached through an access
function) and never returns a row the viewer may not see.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Case, ExpressionWrapper, F, Q, QuerySet, Value, When

from accounts.fields import EncryptedTextField
from accounts.models import Role, User

from ..models import (
    Frequency,
    HomeworkAssignment,
    HomeworkLog,
    HomeworkStatus,
    HomeworkTemplate,
)
from ..models.homework import HomeworkPause

ADHERENCE_WINDOW_DAYS = 14


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
    today_by_client = {c.pk: c.local_today(now) for c in clients}
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
    today = client.local_today(now)
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
    elif viewer.role != Role.CLIENT:
        # A therapist: scoped to their active caseload in the query itself (no rows else).
        queryset = queryset.filter(assignment__client__in=User.objects.clients_of(viewer))
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


def homework_template_list(*, viewer: User) -> QuerySet[HomeworkTemplate]:
    """The shared library plus the therapist's own private templates; never another's."""
    if not viewer.is_authenticated or not viewer.is_therapist:
        return HomeworkTemplate.objects.none()
    return HomeworkTemplate.objects.filter(is_active=True).filter(
        Q(owner__isnull=True) | Q(owner=viewer)
    )
