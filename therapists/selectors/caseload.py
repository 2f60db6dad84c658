"""The caseload: the viewer's active clients, most urgent first, with the figures a row shows.

Every query starts from User.objects.clients_of(viewer)."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from journal.models import CheckIn, ClientDay, MedicationEvent

from ..models import Flag, FlagKind, FlagStatus
from .assessments import LatestScore, latest_scores
from .flags import medication_events_prefetch

# Caseload order: what needs attention first.
PRIORITY = {
    ("safety", None): 0,
    ("blunting", "escalated"): 1,
    ("blunting", "flagged"): 2,
    ("worsening", None): 3,
    ("missed_checkins", None): 4,
    ("blunting", "watch"): 5,
}

NO_FLAG = 9


def flag_priority(flag: Flag) -> int:
    rank = PRIORITY.get((flag.kind, flag.level), PRIORITY.get((flag.kind, None), NO_FLAG))
    # An acknowledged flag still shows but sorts after unacknowledged ones of its rank.
    return rank * 2 + (1 if flag.status == FlagStatus.ACKNOWLEDGED else 0)


@dataclass
class CaseloadRow:
    client: User
    last_checkin_at: datetime | None
    checkins_7d: int | None  # None until caseload_figures has filled it
    homework_adherence_14d: float | None
    flags: list[Flag] = field(default_factory=list)
    # Filled by caseload_details, for the caseload page and the API's list.
    scores: list[LatestScore] = field(default_factory=list)
    felt_4w: list[tuple[date, float]] = field(default_factory=list)

    @property
    def priority(self) -> int:
        return min((flag_priority(f) for f in self.flags), default=NO_FLAG * 2)

    @property
    def id(self) -> int:
        return self.client.pk

    @property
    def display_name(self) -> str:
        return self.client.display_name

    @property
    def has_safety_flag(self) -> bool:
        return any(f.kind == FlagKind.SAFETY for f in self.flags)

    @property
    def blunting_medication(self) -> MedicationEvent | None:
        """The latest medication change the engine linked to a blunting flag (28 days
        before its onset), to show beside the flag."""
        for flag in self.flags:
            if flag.kind == FlagKind.BLUNTING:
                events = sorted(flag.related_medication_events.all(), key=lambda e: e.occurred_on)
                if events:
                    return events[-1]
        return None


def current_flags_prefetch() -> Prefetch:
    return Prefetch(
        "flags",
        queryset=Flag.objects.current()
        .prefetch_related(medication_events_prefetch())
        .order_by("raised_at"),
        to_attr="current_flags",
    )


# What a caseload row reads of the client: the name, and the time zone for homework days.
# Not the password hash, reminder settings or the other columns of the user row.
CASELOAD_USER_FIELDS = ("id", "display_name", "timezone")


def _week_window(today: date) -> tuple[date, date]:
    """The last 7 local dates, exclusive start and inclusive end."""
    return today - timedelta(days=7), today


def caseload_queryset(
    *, viewer: User, today: date | None = None, with_week: bool = True
) -> QuerySet[User]:
    """The viewer's active caseload with the per-client figures, in a fixed number of queries.

    ``with_week=False`` leaves out ``checkins_7d`` (then read by caseload_figures for
    only the rows shown).
    """
    today = today or timezone.localdate()
    last_checkin = (
        CheckIn.objects.filter(client=OuterRef("pk"))
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    annotations = {"last_checkin_at": Subquery(last_checkin)}
    if with_week:
        after, until = _week_window(today)
        week = (
            ClientDay.objects.filter(client=OuterRef("pk"), date__gt=after, date__lte=until)
            .values("client")
            .annotate(total=Sum("checkins"))
            .values("total")
        )
        annotations["checkins_7d"] = Coalesce(Subquery(week, output_field=IntegerField()), 0)
    return (
        User.objects.clients_of(viewer)
        .only(*CASELOAD_USER_FIELDS)
        .annotate(**annotations)
        .prefetch_related(current_flags_prefetch())
        .order_by("display_name", "pk")
    )


def caseload_rows(
    *, viewer: User, client_id: int | None = None, figures: bool = True
) -> list[CaseloadRow]:
    """Caseload rows, most urgent first (safety → escalated → flagged → worsening → missed → watch).

    The order needs only the flags and the last check-in. ``figures=False`` leaves
    ``checkins_7d`` and ``homework_adherence_14d`` to caseload_figures, so a caller that
    shows one page of a long caseload reads them for that page only.
    """
    clients = caseload_queryset(viewer=viewer, with_week=figures)
    if client_id is not None:
        clients = clients.filter(pk=client_id)
    clients = list(clients)
    rows = [
        CaseloadRow(
            client=c,
            last_checkin_at=c.last_checkin_at,
            checkins_7d=c.checkins_7d if figures else None,
            homework_adherence_14d=None,
            flags=sorted(c.current_flags, key=flag_priority),
        )
        for c in clients
    ]
    if figures:
        _fill_adherence(rows)
    rows.sort(
        key=lambda r: (
            r.priority,
            r.last_checkin_at is not None,
            r.client.display_name.lower(),
            r.client.pk,
        )
    )
    return rows


def _fill_adherence(rows: list[CaseloadRow]) -> None:
    from journal.selectors.homework import homework_adherence_14d

    adherence = homework_adherence_14d([r.client for r in rows]) if rows else {}
    for row in rows:
        row.homework_adherence_14d = adherence.get(row.client.pk)


def caseload_figures(rows: list[CaseloadRow], *, today: date | None = None) -> None:
    """Fill ``checkins_7d`` and ``homework_adherence_14d`` of these rows (4 queries at most)."""
    if not rows:
        return
    after, until = _week_window(today or timezone.localdate())
    totals = dict(
        ClientDay.objects.filter(
            client_id__in=[r.client.pk for r in rows], date__gt=after, date__lte=until
        )
        .values("client_id")
        .annotate(total=Sum("checkins"))
        .values_list("client_id", "total")
    )
    for row in rows:
        row.checkins_7d = totals.get(row.client.pk) or 0
    _fill_adherence(rows)


SPARK_DAYS = 28


def caseload_details(
    rows: list[CaseloadRow], *, viewer: User, today: date | None = None, felt: bool = True
) -> None:
    """The latest PHQ-9/GAD-7 with their change and (with ``felt``, for the page's
    sparklines) four weeks of felt intensity for each row, in one query each whatever the
    number of rows. Both queries are scoped to the viewer's active caseload."""
    ids = [row.id for row in rows]
    if not ids:
        return
    scores = latest_scores(viewer=viewer, client_ids=ids)
    by_client: dict[int, list[tuple[date, float]]] = {pk: [] for pk in ids}
    if felt:
        today = today or timezone.localdate()
        for client_id, day, value in (
            ClientDay.objects.filter(
                client_id__in=ids,
                client__in=User.objects.clients_of(viewer),
                date__gt=today - timedelta(days=SPARK_DAYS),
            )
            .order_by("date")
            .values_list("client_id", "date", "felt_intensity")
        ):
            by_client[client_id].append((day, value))
    for row in rows:
        row.scores = scores.get(row.id, [])
        row.felt_4w = by_client[row.id]
