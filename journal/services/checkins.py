"""Writing check-ins, and keeping each client's daily aggregates in step with them.

Every write runs in one transaction: the check-in, its ratings, the ClientDay rows of the
affected local dates, and an outbox row that asks the therapist side to refresh the
client's trend. Nothing here imports the therapist app; the task is named by string.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import task_names
from accounts.models import Role, User
from accounts.outbox import outbox_enqueue
from journal.daily import CheckinPoint, EmotionPoint, summarize_day
from journal.models import SYMPTOM_FIELDS, CheckIn, ClientDay, Emotion, EmotionRating, Trigger
from journal.selectors.checkins import checkin_list, checkin_with_details

REFRESH_TASK: Final = task_names.REFRESH_CLIENT_TREND
NOTE_MAX_LENGTH: Final = 5000
FUTURE_TOLERANCE: Final = timedelta(minutes=5)
PAST_LIMIT: Final = timedelta(days=30)
TRAILING_DAYS: Final = 7
# How long the portal lets a client change or remove a check-in after saving it: long
# enough to fix a slip or a wrong day, short enough that what a therapist read last week
# stays what was said. The portal states it on History and on the edit page.
EDIT_WINDOW_DAYS: Final = 7


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = _Unset()


@dataclass(frozen=True)
class RatingInput:
    """One feeling named in a check-in, by slug."""

    emotion: str
    intensity: int


# --- Validation ---------------------------------------------------------------------------


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_occurred_at(occurred_at: datetime, now: datetime) -> list[str]:
    if timezone.is_naive(occurred_at):
        return [_("Include a time zone offset, for example 2026-11-28T19:30:00+01:00.")]
    if occurred_at > now + FUTURE_TOLERANCE:
        return [_("This time is in the future. Check-ins are about now or the past.")]
    if occurred_at < now - PAST_LIMIT:
        return [_("Check-ins can be added for up to 30 days back.")]
    return []


def repeated(values: Iterable[str]) -> list[str]:
    """The values given more than once, sorted (one pass: a long list costs no more)."""
    return sorted(value for value, times in Counter(values).items() if times > 1)


def _resolve_emotions(
    ratings: Sequence[RatingInput], errors: dict[str, list[str]]
) -> dict[str, Emotion]:
    slugs = [r.emotion for r in ratings]
    duplicates = repeated(slugs)
    if duplicates:
        errors.setdefault("emotions", []).append(
            _("Each feeling can be named once per check-in: %(slugs)s.")
            % {"slugs": ", ".join(duplicates)}
        )
    for rating in ratings:
        if not _is_int(rating.intensity) or not 0 <= rating.intensity <= 10:
            errors.setdefault("emotions", []).append(
                _("The intensity of “%(slug)s” must be a whole number from 0 to 10.")
                % {"slug": rating.emotion}
            )
    known = (
        {e.slug: e for e in Emotion.objects.filter(slug__in=set(slugs), is_active=True)}
        if slugs
        else {}
    )
    unknown = sorted(set(slugs) - set(known))
    if unknown:
        errors.setdefault("emotions", []).append(
            _("Unknown feeling: %(slugs)s.") % {"slugs": ", ".join(unknown)}
        )
    return known


def _resolve_triggers(slugs: Sequence[str], errors: dict[str, list[str]]) -> list[Trigger]:
    if not slugs:
        return []
    known = {t.slug: t for t in Trigger.objects.filter(slug__in=set(slugs), is_active=True)}
    unknown = sorted(set(slugs) - set(known))
    if unknown:
        errors.setdefault("triggers", []).append(
            _("Unknown trigger: %(slugs)s.") % {"slugs": ", ".join(unknown)}
        )
    return [known[s] for s in dict.fromkeys(slugs) if s in known]


def _check_symptoms(symptoms: Mapping[str, int | None], errors: dict[str, list[str]]) -> None:
    for key, value in symptoms.items():
        if key not in SYMPTOM_FIELDS:
            errors.setdefault("symptoms", []).append(
                _("“%(key)s” is not one of the symptom items (%(keys)s).")
                % {"key": key, "keys": ", ".join(SYMPTOM_FIELDS)}
            )
        elif value is not None and (not _is_int(value) or not 0 <= value <= 3):
            errors.setdefault("symptoms", []).append(
                _("“%(key)s” must be a whole number from 0 to 3.") % {"key": key}
            )


def _check_felt(felt_intensity: object, errors: dict[str, list[str]]) -> None:
    if not _is_int(felt_intensity) or not 0 <= felt_intensity <= 10:  # type: ignore[operator]
        errors.setdefault("felt_intensity", []).append(_("Choose a whole number from 0 to 10."))


def _check_note(note: str, errors: dict[str, list[str]]) -> None:
    if len(note) > NOTE_MAX_LENGTH:
        errors.setdefault("note", []).append(
            _("Notes can be up to %(max)d characters; this one has %(n)d.")
            % {"max": NOTE_MAX_LENGTH, "n": len(note)}
        )


def _lock_client(client: User) -> None:
    """Serialize a client's check-in writes so their day aggregates are rebuilt one at a time."""
    list(User.objects.select_for_update().filter(pk=client.pk).values_list("pk", flat=True))


def checkin_editable(checkin: CheckIn, *, now: datetime | None = None) -> bool:
    """Whether the portal still offers to change or remove this check-in (EDIT_WINDOW_DAYS
    after it was saved)."""
    return checkin.created_at >= (now or timezone.now()) - timedelta(days=EDIT_WINDOW_DAYS)


# --- Writes ---------------------------------------------------------------------------------


@transaction.atomic
def checkin_create(*, client: User, **fields) -> CheckIn:
    """Store one check-in of the client's, with its ratings and triggers (the fields are
    ``_checkin_create``'s keywords).

    An empty ``emotions`` list is a valid answer ("I can't name anything right now").
    Raises ValidationError naming each bad field; nothing is stored then.
    """
    return _checkin_create(client=client, lock=True, **fields)


def _checkin_create(
    *,
    client: User,
    lock: bool,
    felt_intensity: int,
    emotions: Sequence[RatingInput] = (),
    symptoms: Mapping[str, int | None] | None = None,
    triggers: Sequence[str] = (),
    note: str = "",
    shared: bool = False,
    occurred_at: datetime | None = None,
    now: datetime | None = None,
    client_uuid: uuid.UUID | None = None,
) -> CheckIn:
    """``checkin_create``'s body, inside the caller's transaction; ``lock=False`` when the
    caller already holds the client's lock."""
    now = now or timezone.now()
    occurred_at = occurred_at or now
    symptoms = dict(symptoms or {})
    errors: dict[str, list[str]] = {}
    if client.role != Role.CLIENT:
        errors["non_field_errors"] = [_("Only client accounts can check in.")]
    _check_felt(felt_intensity, errors)
    _check_symptoms(symptoms, errors)
    _check_note(note, errors)
    if problems := _check_occurred_at(occurred_at, now):
        errors["occurred_at"] = problems
    emotion_map = _resolve_emotions(emotions, errors)
    trigger_objs = _resolve_triggers(triggers, errors)
    if errors:
        raise ValidationError(errors)

    if lock:
        _lock_client(client)
    checkin = CheckIn(
        client=client,
        occurred_at=occurred_at,
        local_date=occurred_at.astimezone(client.tz).date(),
        felt_intensity=felt_intensity,
        note=note,
        shared=shared,
        client_uuid=client_uuid,
    )
    for key, value in symptoms.items():
        setattr(checkin, SYMPTOM_FIELDS[key], value)
    checkin.save()
    ratings = EmotionRating.objects.bulk_create(
        [
            EmotionRating(checkin=checkin, emotion=emotion_map[r.emotion], intensity=r.intensity)
            for r in emotions
        ]
    )
    if trigger_objs:  # a new check-in has no triggers yet: insert the links, nothing to diff
        CheckIn.triggers.through.objects.bulk_create(
            [CheckIn.triggers.through(checkin=checkin, trigger=t) for t in trigger_objs]
        )
    _clientday_rebuild(client=client, dates=[checkin.local_date])
    outbox_enqueue(REFRESH_TASK, client_id=client.pk, since=checkin.local_date.isoformat())
    # Hand back the check-in with its lists in hand, so the caller can show it unread.
    return checkin_with_details(checkin, ratings=ratings, triggers=trigger_objs)


@transaction.atomic
def checkin_create_once(*, client: User, client_uuid: uuid.UUID, **fields) -> tuple[CheckIn, bool]:
    """``checkin_create`` keyed by a UUID the client's device made: the first is stored and
    any repeat from the same account answers with it (``False``: nothing new stored), so a
    check-in sent twice, retried by an outbox or double-tapped is stored once. A UUID
    another account used is refused (ValidationError on ``client_uuid``), and never
    answers with that account's check-in.
    """
    _lock_client(client)  # one writer per client: the lookup and the insert cannot interleave
    # Ids only: a UUID another account used must not load (and decrypt) their check-in.
    owner = CheckIn.objects.filter(client_uuid=client_uuid).values_list("pk", "client_id")
    existing = owner.first()
    if existing is None:
        try:
            with transaction.atomic():  # another account may take the same UUID this instant
                stored = _checkin_create(
                    client=client, lock=False, client_uuid=client_uuid, **fields
                )
                return stored, True
        except IntegrityError:
            existing = owner.first()
    if existing is None or existing[1] != client.pk:
        raise ValidationError(
            {"client_uuid": [_("This id belongs to another check-in. Make a new one.")]}
        )
    return checkin_list(viewer=client).get(pk=existing[0]), False


@transaction.atomic
def checkin_update(
    *,
    checkin: CheckIn,
    felt_intensity: int | _Unset = UNSET,
    emotions: Sequence[RatingInput] | _Unset = UNSET,
    symptoms: Mapping[str, int | None] | _Unset = UNSET,
    triggers: Sequence[str] | _Unset = UNSET,
    note: str | _Unset = UNSET,
    shared: bool | _Unset = UNSET,
    occurred_at: datetime | _Unset = UNSET,
    now: datetime | None = None,
) -> CheckIn:
    """Change the given parts of a check-in; what is not passed stays as it was.

    ``emotions`` and ``triggers`` replace the whole list; ``symptoms`` changes only the
    items it names (``None`` clears an answer). A new ``occurred_at`` must lie in the
    same window as for a new check-in, and both the old and new dates are recomputed.
    """
    now = now or timezone.now()
    client = checkin.client
    errors: dict[str, list[str]] = {}
    if not isinstance(felt_intensity, _Unset):
        _check_felt(felt_intensity, errors)
    if not isinstance(symptoms, _Unset):
        _check_symptoms(symptoms, errors)
    if not isinstance(note, _Unset):
        _check_note(note, errors)
    if not isinstance(occurred_at, _Unset) and (problems := _check_occurred_at(occurred_at, now)):
        errors["occurred_at"] = problems
    emotion_map = _resolve_emotions(emotions, errors) if not isinstance(emotions, _Unset) else {}
    trigger_objs = _resolve_triggers(triggers, errors) if not isinstance(triggers, _Unset) else None
    if errors:
        raise ValidationError(errors)

    _lock_client(client)
    old_date = checkin.local_date
    if not isinstance(felt_intensity, _Unset):
        checkin.felt_intensity = felt_intensity
    if not isinstance(symptoms, _Unset):
        for key, value in symptoms.items():
            setattr(checkin, SYMPTOM_FIELDS[key], value)
    if not isinstance(note, _Unset):
        checkin.note = note
    if not isinstance(shared, _Unset):
        checkin.shared = shared
    if not isinstance(occurred_at, _Unset):
        checkin.occurred_at = occurred_at
        checkin.local_date = occurred_at.astimezone(client.tz).date()
    checkin.save()
    if not isinstance(emotions, _Unset):
        checkin.ratings.all().delete()
        EmotionRating.objects.bulk_create(
            EmotionRating(checkin=checkin, emotion=emotion_map[r.emotion], intensity=r.intensity)
            for r in emotions
        )
    if trigger_objs is not None:
        checkin.triggers.set(trigger_objs)
    # Cached relations on the instance would show the old lists to the caller.
    if hasattr(checkin, "_prefetched_objects_cache"):
        checkin._prefetched_objects_cache.clear()
    _clientday_rebuild(client=client, dates={old_date, checkin.local_date})
    since = min(old_date, checkin.local_date).isoformat()
    outbox_enqueue(REFRESH_TASK, client_id=client.pk, since=since)
    return checkin


@transaction.atomic
def checkin_delete(*, checkin: CheckIn) -> None:
    """Remove a check-in for good, and recompute its day."""
    client = checkin.client
    _lock_client(client)
    day = checkin.local_date
    checkin.delete()
    _clientday_rebuild(client=client, dates=[day])
    outbox_enqueue(REFRESH_TASK, client_id=client.pk, since=day.isoformat())


# --- Daily aggregates -----------------------------------------------------------------------

_POINT_COLUMNS: Final = (
    "id",
    "local_date",
    "felt_intensity",
    *SYMPTOM_FIELDS.values(),
    "ratings__intensity",
    "ratings__emotion__slug",
    "ratings__emotion__valence",
)
_SYMPTOM_ITEMS: Final = tuple(SYMPTOM_FIELDS)
_DAY_FIELDS: Final = [
    *ClientDay.SUMMARY_COLUMNS,
    "distinct_emotions_7d",
    "updated_at",
]


def _points(client: User, dates: Sequence[date]) -> dict[date, list[CheckinPoint]]:
    """The check-ins of the given dates as engine points: one query, rows joined to ratings.

    Check-ins come newest first (CheckIn's own ordering), as they always have, so the
    float sums of the day come out bit for bit the same.
    """
    rows = (
        CheckIn.objects.filter(client=client, local_date__in=dates)
        .order_by("-occurred_at", "-pk")
        .values_list(*_POINT_COLUMNS)
    )
    checkins: dict[int, tuple] = {}
    emotions: dict[int, list[EmotionPoint]] = defaultdict(list)
    n_symptoms = len(_SYMPTOM_ITEMS)
    for row in rows:
        pk = row[0]
        if pk not in checkins:
            checkins[pk] = row
        intensity, slug, valence = row[3 + n_symptoms :]
        if slug is not None:
            emotions[pk].append(EmotionPoint(slug=slug, intensity=intensity, valence=valence))
    by_date: dict[date, list[CheckinPoint]] = defaultdict(list)
    for pk, row in checkins.items():
        local_date, felt = row[1], row[2]
        answers = row[3 : 3 + n_symptoms]
        by_date[local_date].append(
            CheckinPoint(
                local_date=local_date,
                felt_intensity=felt,
                emotions=tuple(emotions.get(pk, ())),
                symptoms={
                    k: v for k, v in zip(_SYMPTOM_ITEMS, answers, strict=True) if v is not None
                },
            )
        )
    return by_date


@transaction.atomic
def clientday_rebuild(*, client: User, dates: Iterable[date]) -> None:
    """Recompute the ClientDay rows of the given local dates from their check-ins.

    Uses journal.daily.summarize_day, the same summarizer the offline analysis uses, so
    the numbers online and offline are identical. A date left without check-ins loses
    its row (a missing day is absent, never zeros). ``distinct_emotions_7d`` is then
    recomputed for each affected date and the six following dates that have rows, since
    their trailing week includes it. A constant number of queries per call.
    """
    _clientday_rebuild(client=client, dates=dates)


def _clientday_rebuild(*, client: User, dates: Iterable[date]) -> None:
    """clientday_rebuild inside the caller's transaction (no savepoint of its own).

    Three statements for the usual check-in: the day's check-ins with their ratings, the
    ClientDay rows of the affected dates and their trailing weeks, and one INSERT or
    UPDATE. A DELETE when a day loses its last check-in, and one more UPDATE when a
    later day's trailing week changes.
    """
    dates = sorted(set(dates))
    if not dates:
        return
    summaries = {d: summarize_day(d, points) for d, points in _points(client, dates).items()}

    span = timedelta(days=TRAILING_DAYS - 1)
    rows = {
        row.date: row
        for row in ClientDay.objects.filter(
            client=client, date__gte=dates[0] - span, date__lte=dates[-1] + span
        )
    }
    emptied = [d for d in dates if d not in summaries and d in rows]
    if emptied:
        ClientDay.objects.filter(client=client, date__in=emptied).delete()
        for day in emptied:
            del rows[day]

    to_create, to_update = [], []
    now = timezone.now()
    for day, summary in summaries.items():
        row = rows.get(day) or ClientDay(client=client, date=day)
        for column, value in ClientDay.columns_from(summary).items():
            setattr(row, column, value)
        if row.pk:
            row.updated_at = now
            to_update.append(row)
        else:
            to_create.append(row)
        rows[day] = row

    # The trailing week of every affected date, from the rows as they now stand.
    affected = {d + timedelta(days=k) for d in dates for k in range(TRAILING_DAYS)}
    trailing_changed = []
    for row in rows.values():
        if row.date not in affected:
            continue
        window = {
            slug
            for other in rows.values()
            if row.date - span <= other.date <= row.date
            for slug in (other.emotion_counts or {})
        }
        if row.distinct_emotions_7d != len(window):
            row.distinct_emotions_7d = len(window)
            if row.pk and row.date not in summaries:
                trailing_changed.append(row)

    ClientDay.objects.bulk_create(to_create)
    if len(to_update) == 1:  # the usual case: a plain UPDATE … WHERE id, no CASE per column
        to_update[0].save(update_fields=_DAY_FIELDS)
    else:
        ClientDay.objects.bulk_update(to_update, _DAY_FIELDS)
    if trailing_changed:
        ClientDay.objects.bulk_update(trailing_changed, ["distinct_emotions_7d"])
