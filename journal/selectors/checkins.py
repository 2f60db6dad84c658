"""Reads for check-ins, the feelings vocabulary and the client's own insights.

Check-in reads take the viewer and only ever return the viewer's own rows; the
therapist side has its own selectors behind its own access checks. Insights read the
ClientDay aggregates, never raw check-ins, so their cost does not grow with history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case, Count, F, Max, Prefetch, QuerySet, Value, When

from accounts.fields import EncryptedTextField
from accounts.models import Role, User
from journal.models import CheckIn, ClientDay, Emotion, EmotionRating, Trigger

INSIGHT_RANGES = (30, 90)


def emotion_list() -> QuerySet[Emotion]:
    """The active feelings vocabulary, core feelings first. Not per-viewer: it is shared content."""
    return (
        Emotion.objects.filter(is_active=True)
        .select_related("parent")
        .order_by("level", "position", "name")
    )


@dataclass
class EmotionNode:
    emotion: Emotion
    children: list[EmotionNode]

    @property
    def slug(self) -> str:
        return self.emotion.slug

    @property
    def name(self) -> str:
        return self.emotion.name


def emotion_tree() -> list[EmotionNode]:
    """The wheel as core → secondary → specific nodes (one query). Inactive branches drop out."""
    nodes: dict[int, EmotionNode] = {}
    roots: list[EmotionNode] = []
    for emotion in emotion_list():  # ordered by level, so parents come first
        node = EmotionNode(emotion=emotion, children=[])
        nodes[emotion.pk] = node
        if emotion.parent_id is None:
            roots.append(node)
        elif emotion.parent_id in nodes:
            nodes[emotion.parent_id].children.append(node)
    return roots


def emotion_tree_flat(tree: list[EmotionNode]) -> list[Emotion]:
    """Every emotion of a tree, each parent before its children."""
    flat: list[Emotion] = []
    for node in tree:
        flat.append(node.emotion)
        flat.extend(emotion_tree_flat(node.children))
    return flat


# Offered first to someone who has not named feelings yet: broad words from each part of
# the wheel, with the numb end ("Numb", "Empty", "Tired") in plain sight rather than three
# levels down under Angry or Sad.
STARTER_FEELINGS = ("happy", "peaceful", "sad", "anxious", "angry", "tired", "numb", "empty")
QUICK_FEELINGS = 8
QUICK_RECENT = 3
QUICK_WINDOW_DAYS = 60


@dataclass(frozen=True)
class QuickFeelings:
    emotions: list[Emotion]
    personal: bool  # some of them come from the viewer's own check-ins


def emotion_quick_list(
    *, viewer: User, vocabulary: list[Emotion], today: date | None = None
) -> QuickFeelings:
    """The feelings to offer first on the check-in: the viewer's most recent three, then
    their most used over the last 60 days, then starter words, eight in all (one query).

    ``vocabulary`` is the active wheel already loaded by the page, so an emotion that was
    retired since it was used is not offered.
    """
    by_id = {e.pk: e for e in vocabulary}
    chosen: list[Emotion] = []
    if viewer.is_authenticated and viewer.role == Role.CLIENT:
        since = (today or viewer.local_today()) - timedelta(days=QUICK_WINDOW_DAYS)
        usage = list(
            EmotionRating.objects.filter(checkin__client=viewer, checkin__local_date__gte=since)
            .values("emotion_id")
            .annotate(n=Count("id"), last=Max("checkin__occurred_at"))
        )
        recent = sorted(usage, key=lambda u: u["last"], reverse=True)[:QUICK_RECENT]
        common = sorted(usage, key=lambda u: (-u["n"], -u["last"].timestamp()))
        for row in [*recent, *common]:
            emotion = by_id.get(row["emotion_id"])
            if emotion is not None and emotion not in chosen:
                chosen.append(emotion)
    personal = bool(chosen)
    by_slug = {e.slug: e for e in vocabulary}
    for slug in STARTER_FEELINGS:
        emotion = by_slug.get(slug)
        if emotion is not None and emotion not in chosen:
            chosen.append(emotion)
    return QuickFeelings(emotions=chosen[:QUICK_FEELINGS], personal=personal)


def trigger_list() -> QuerySet[Trigger]:
    """Active trigger/context tags, in their display order. Shared content, like the wheel."""
    return Trigger.objects.filter(is_active=True).order_by("position", "name")


def _with_details(qs: QuerySet[CheckIn]) -> QuerySet[CheckIn]:
    ratings = EmotionRating.objects.select_related("emotion").order_by(
        "-intensity", "emotion__name"
    )
    return qs.prefetch_related(Prefetch("ratings", queryset=ratings), "triggers")


def checkin_with_details(
    checkin: CheckIn, *, ratings: list[EmotionRating], triggers: list[Trigger]
) -> CheckIn:
    """A just-written check-in with its lists in hand, as `_with_details` would read them.

    The same order as the prefetch above (ratings by intensity then feeling name; triggers
    in their model order), so a write can answer without reading the rows back.
    """
    _set_prefetched(
        checkin, "ratings", sorted(ratings, key=lambda r: (-r.intensity, r.emotion.name))
    )
    _set_prefetched(checkin, "triggers", sorted(triggers, key=lambda t: (t.position, t.name)))
    return checkin


def _set_prefetched(instance: CheckIn, name: str, objects: list) -> None:
    """Fill a related manager's prefetch cache, as prefetch_related would have."""
    queryset = getattr(instance, name).get_queryset()
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


def checkin_list(
    *, viewer: User, since: date | None = None, until: date | None = None
) -> QuerySet[CheckIn]:
    """The viewer's own check-ins, newest first; ``since``/``until`` are local dates, inclusive.

    Three queries however many rows: the check-ins, their ratings with emotions, their triggers.
    """
    if not viewer.is_authenticated or viewer.role != Role.CLIENT:
        return CheckIn.objects.none()
    qs = CheckIn.objects.filter(client=viewer)
    if since is not None:
        qs = qs.filter(local_date__gte=since)
    if until is not None:
        qs = qs.filter(local_date__lte=until)
    return _with_details(qs).order_by("-occurred_at", "-pk")


def shared_note() -> Case:
    """The note where the client shared it, else "": the database picks, so an unshared note
    is never selected (or decrypted) for a therapist."""
    return Case(
        When(shared=True, then=F("note")), default=Value(""), output_field=EncryptedTextField()
    )


def checkin_list_for_therapist(*, viewer: User, client: User) -> QuerySet[CheckIn]:
    """A caseload client's check-ins as their therapist sees them, newest first.

    ``note`` is not selected; ``visible_note`` carries the shared ones (``shared_note``).
    A client outside the viewer's active caseload gives an empty list.
    """
    qs = CheckIn.objects.filter(client=client, client__in=User.objects.clients_of(viewer))
    return _with_details(qs.defer("note").annotate(visible_note=shared_note())).order_by(
        "-occurred_at", "-pk"
    )


def checkin_latest(*, viewer: User) -> CheckIn | None:
    """The viewer's most recent check-in (felt intensity and time only), or None."""
    if not viewer.is_authenticated or viewer.role != Role.CLIENT:
        return None
    return (
        CheckIn.objects.filter(client=viewer)
        .only("felt_intensity", "occurred_at", "local_date")
        .order_by("-occurred_at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class CalendarDay:
    date: date
    in_month: bool
    checkins: int
    is_today: bool


@dataclass(frozen=True)
class CalendarMonth:
    first: date
    weeks: list[list[CalendarDay]]
    days_with_checkins: int
    previous: date
    next: date | None  # None: the month after is still in the future


def checkin_calendar(*, viewer: User, month: date, today: date) -> CalendarMonth:
    """A month as weeks Monday to Sunday, each day with the viewer's check-in count (one
    query, from the daily aggregates)."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    start = first - timedelta(days=first.weekday())
    end = following + timedelta(days=(7 - following.weekday()) % 7 - 1)
    counts: dict[date, int] = {}
    if viewer.is_authenticated and viewer.role == Role.CLIENT:
        counts = dict(
            ClientDay.objects.filter(
                client=viewer, date__gte=first, date__lt=following
            ).values_list("date", "checkins")
        )
    days = [
        CalendarDay(
            date=day,
            in_month=first <= day < following,
            checkins=counts.get(day, 0),
            is_today=day == today,
        )
        for day in (start + timedelta(days=i) for i in range((end - start).days + 1))
    ]
    return CalendarMonth(
        first=first,
        weeks=[days[i : i + 7] for i in range(0, len(days), 7)],
        days_with_checkins=sum(1 for n in counts.values() if n),
        previous=(first - timedelta(days=1)).replace(day=1),
        next=following if following <= today else None,
    )


# --- Insights ------------------------------------------------------------------------------


@dataclass(frozen=True)
class InsightDay:
    date: date
    checkins: int
    felt_intensity: float | None
    distinct_emotions: int | None
    symptom_score: float | None


@dataclass(frozen=True)
class InsightWeek:
    start: date
    end: date
    days_with_checkins: int
    distinct_emotions: int | None  # None: no check-in that week (a gap, not a zero)


@dataclass(frozen=True)
class Insights:
    range_days: int
    start: date
    end: date
    days: list[InsightDay]
    weeks: list[InsightWeek]

    @property
    def days_with_checkins(self) -> int:
        return sum(1 for d in self.days if d.checkins)


def insights_get(*, viewer: User, days: int, today: date) -> Insights:
    """The viewer's own daily and weekly measures for the last ``days`` days (one query).

    Every calendar day is listed; a day without check-ins carries None, so charts show a
    gap rather than a misleading zero. Weeks are whole 7-day blocks counted back from
    ``today``; the few oldest days that do not fill a week are left out of them, because
    feelings named over two or three days would read as a narrower week.
    """
    start = today - timedelta(days=days - 1)
    rows: dict[date, ClientDay] = {}
    if viewer.is_authenticated and viewer.role == Role.CLIENT:
        rows = {
            row.date: row
            for row in ClientDay.objects.filter(
                client=viewer, date__gte=start, date__lte=today
            ).only(
                "date",
                "checkins",
                "felt_intensity",
                "distinct_emotions",
                "symptom_score",
                "emotion_counts",
            )
        }
    series = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        row = rows.get(day)
        series.append(
            InsightDay(
                date=day,
                checkins=row.checkins if row else 0,
                felt_intensity=round(row.felt_intensity, 2) if row else None,
                distinct_emotions=row.distinct_emotions if row else None,
                symptom_score=round(row.symptom_score, 2)
                if row and row.symptom_score is not None
                else None,
            )
        )
    weeks = []
    week_end = today
    while week_end - timedelta(days=6) >= start:
        week_start = week_end - timedelta(days=6)
        week_rows = [rows[d] for d in rows if week_start <= d <= week_end]
        names = {slug for row in week_rows for slug in (row.emotion_counts or {})}
        weeks.append(
            InsightWeek(
                start=week_start,
                end=week_end,
                days_with_checkins=len(week_rows),
                distinct_emotions=len(names) if week_rows else None,
            )
        )
        week_end = week_start - timedelta(days=1)
    weeks.reverse()
    return Insights(range_days=days, start=start, end=today, days=series, weeks=weeks)
