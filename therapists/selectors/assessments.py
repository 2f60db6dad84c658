"""A therapist's reads of questionnaire scores: each result with its change, the course of
each questionnaire (reliable change, response, remission), and the latest two scores of
every client of a caseload page at once. Always through the viewer's active caseload."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import F, QuerySet, Window
from django.db.models.functions import Lag, RowNumber

from accounts.models import User
from journal import instruments
from journal.models import Assessment


def assessment_results(*, viewer: User, client: User) -> QuerySet[Assessment]:
    """The client's results, newest first, each with ``previous_score``: the result of the
    same questionnaire just before it (None for the first). Ties on time go by id, as in
    journal.selectors.assessments.assessment_previous."""
    by_instrument_in_time = {
        "partition_by": [F("instrument")],
        "order_by": [F("taken_at").asc(), F("pk").asc()],
    }
    return (
        Assessment.objects.filter(client=client, client__in=User.objects.clients_of(viewer))
        .defer("answers")
        .annotate(previous_score=Window(Lag("score"), **by_instrument_in_time))
        .order_by("-taken_at", "-pk")
    )


@dataclass(frozen=True)
class ScorePoint:
    taken_at: datetime
    day: date
    score: int
    severity: str


@dataclass(frozen=True)
class ScoreHistory:
    instrument: str
    name: str
    points: list[ScorePoint]  # oldest first
    course: instruments.Course


def score_histories(*, viewer: User, client: User) -> list[ScoreHistory]:
    """Every questionnaire the client has taken, with its points and course (one query)."""
    points: dict[str, list[ScorePoint]] = defaultdict(list)
    rows = (
        Assessment.objects.filter(client=client, client__in=User.objects.clients_of(viewer))
        .order_by("taken_at", "pk")
        .values_list("instrument", "taken_at", "score", "severity")
    )
    tz = client.tz
    for instrument, taken_at, score, severity in rows:
        points[instrument].append(
            ScorePoint(taken_at, taken_at.astimezone(tz).date(), score, severity)
        )
    return [
        ScoreHistory(
            instrument=code,
            name=instruments.INSTRUMENTS[code].name,
            points=points[code],
            course=instruments.course(code, [p.score for p in points[code]]),
        )
        for code in instruments.INSTRUMENTS
        if points.get(code)
    ]


@dataclass
class LatestScore:
    instrument: str
    name: str
    score: int
    severity: str
    change: int | None
    words: str = ""  # the change in words, for a page (set by the view)


def latest_scores(*, viewer: User, client_ids: list[int]) -> dict[int, list[LatestScore]]:
    """The latest PHQ-9 and GAD-7 of each client and its change since the one before, in one
    query whatever the number of clients (the two newest rows per client and instrument).
    An id outside the viewer's active caseload has no scores: the query itself is scoped."""
    if not client_ids:
        return {}
    newest_first = Window(
        RowNumber(),
        partition_by=[F("client_id"), F("instrument")],
        order_by=[F("taken_at").desc(), F("pk").desc()],
    )
    rows = (
        Assessment.objects.filter(
            client_id__in=client_ids, client__in=User.objects.clients_of(viewer)
        )
        .annotate(rank=newest_first)
        .filter(rank__lte=2)
        .order_by("client_id", "instrument", "rank")
        .values_list("client_id", "instrument", "score", "severity", "rank")
    )
    pairs: dict[tuple[int, str], list[tuple[int, str]]] = defaultdict(list)
    for client_id, instrument, score, severity, _rank in rows:
        pairs[(client_id, instrument)].append((score, severity))
    result: dict[int, list[LatestScore]] = defaultdict(list)
    for code in instruments.INSTRUMENTS:
        for client_id in client_ids:
            pair = pairs.get((client_id, code))
            if not pair:
                continue
            (score, severity), previous = pair[0], pair[1:]
            result[client_id].append(
                LatestScore(
                    instrument=code,
                    name=instruments.INSTRUMENTS[code].name,
                    score=score,
                    severity=severity,
                    change=score - previous[0][0] if previous else None,
                )
            )
    return dict(result)
