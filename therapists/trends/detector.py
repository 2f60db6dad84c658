"""Sustained-change detection: a one-sided CUSUM (Page 1954) plus an episode policy.

The CUSUM S accumulates how far the daily index sits above a reference value k and
forgets it when the index is back at baseline: S = max(0, S + x - k). It is updated only
on days with check-ins (a missing day is no evidence either way). When S first reaches
`open_h` an episode opens; its *start* is the first day of that run of S above zero
(the baseline freezes there and watch/flag evidence counts from there), and its reported
*onset* is re-estimated inside the episode until it is flagged (see `_refine`).

Levels only rise within an episode:

* ``watch``     `watch_after_days` after the onset, with the last week's mean index above
                k and at least `watch_min_blunted_days` clearly blunted days;
* ``flagged``   on a clearly blunted day, by either of two routes:

                - *unbroken*: the clearly blunted check-in days run back at least
                  `unbroken_span_days` (5) calendar days with no ordinary check-in day
                  among them (`unbroken_min_days` or more of them). A 3-4 day dip spans
                  at most 3 days, so it cannot supply this alone;
                - *interrupted*: S >= `flag_h`, `flag_after_days` after the start, the last
                  week clearly blunted, at least `flag_min_blunted_days` clearly blunted
                  days spread over `flag_span_days` or more and making up at least half
                  the observed days, and `latest_min_blunted` of the `latest_days` most
                  recent check-in days blunted. Evidence counts only since the last run
                  of `evidence_reset_days` ordinary check-in days, so a few odd days a
                  week before a short dip do not add up with it.

* ``escalated`` `escalate_after_days` (28) after the onset while still blunted ("existing,
                not living"), or at once when a PHQ-9 of 10 or more is taken on or after
                the onset of a flagged episode.

"Clearly blunted" is judged on the same-day components only (intensity, feelings named,
empty check-ins, symptoms), because the window measures lag and would stretch a short
dip. An episode ends when the last week's mean index stays below `resolve_below` for
`resolve_after_days`; a candidate or a ``watch`` also ends as soon as S drains to zero.
While an episode is open the caller freezes the baseline at its onset, so a long blunted
stretch never becomes the new normal.
"""

from __future__ import annotations

import math
import statistics
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from .params import Params
from .records import ScreenResult, level_rank


@dataclass
class Episode:
    """A sustained change in progress (mutable, internal to one `assess` call)."""

    start: date  # first day of the CUSUM run: the baseline is frozen before it
    onset: date  # change-point estimate within the episode (see `Detector._refine`)
    level: str | None = None
    raised_on: date | None = None
    escalation_reason: str | None = None
    recovering_since: date | None = None
    drift: float = 0.0  # running sum of (index - onset_reference) since `start`
    drift_min: float = 0.0  # its smallest value before `onset`


@dataclass
class Detector:
    """Walks observed days in order; its fields are part of the client's engine state."""

    params: Params
    phq9: Sequence[ScreenResult] = ()
    cusum: float = 0.0
    run_start: date | None = None
    episode: Episode | None = None
    # the (start, end) of an episode that reached `watch` and ended on the last step: its
    # days are left out of every later baseline
    just_closed: tuple[date, date] | None = None
    _recent: deque[tuple[date, float]] = field(default_factory=deque)
    _blunted: deque[date] = field(default_factory=deque)
    _observed: deque[date] = field(default_factory=deque)
    _run: list[tuple[date, float]] = field(default_factory=list)
    _unbroken: tuple[date, int] | None = None  # first and count of blunted days in a row
    _latest: deque[bool] = field(init=False)  # the last `latest_days` check-in days: blunted?
    _ordinary_run: int = 0  # ordinary check-in days in a row
    _evidence_since: date | None = None

    def __post_init__(self) -> None:
        self._latest = deque(maxlen=self.params.latest_days)

    def copy(self) -> Detector:
        """An independent copy: containers copied, their (immutable) items shared."""
        other = replace(self, episode=replace(self.episode) if self.episode else None)
        other._recent, other._blunted = deque(self._recent), deque(self._blunted)
        other._observed, other._run = deque(self._observed), list(self._run)
        other._latest = deque(self._latest, maxlen=self.params.latest_days)
        return other

    @property
    def anchor(self) -> date | None:
        """The date the baseline is frozen at, if a change is in progress."""
        return self.episode.start if self.episode else self.run_start

    @property
    def level(self) -> str | None:
        return self.episode.level if self.episode else None

    def step(self, day: date, x: float, same_day: float | None = None) -> None:
        """Take one observed day's index (and its same-day-only version)."""
        p = self.params
        same_day = x if same_day is None else same_day
        self.just_closed = None
        self._remember(day, x, same_day)
        was_zero = self.cusum == 0.0
        self.cusum = max(0.0, self.cusum + x - p.cusum_k)
        if self.cusum == 0.0:
            self.run_start = None
            self._run.clear()
        elif was_zero:
            self.run_start = day
        if self.episode is None and self.run_start is not None:
            self._run.append((day, x))

        if self.episode is None and self.cusum >= p.open_h and self.run_start is not None:
            self.episode = Episode(start=self.run_start, onset=self.run_start)
            for past, value in self._run:
                self._refine(past, value)
        elif self.episode is not None:
            self._refine(day, x)
        if self.episode is not None:
            self._promote(day, same_day)
            self._maybe_end(day)

    def _refine(self, day: date, x: float) -> None:
        """Move the onset to the change point within the episode, until it is flagged.

        The run of S above zero can start on a noisy day well before the real change
        (S then drifts down slowly without reaching zero). The onset is re-estimated as
        the day after the lowest point of the running sum of (index - reference): the
        least-squares change point for a shift of about twice the reference (the
        CUSUM's own estimate with its start moved past the noise). Fixed once flagged.
        """
        ep = self.episode
        assert ep is not None
        if level_rank(ep.level) >= level_rank("flagged"):
            return
        if ep.drift < ep.drift_min:
            ep.drift_min, ep.onset = ep.drift, day
        ep.drift += x - self.params.onset_reference

    def _remember(self, day: date, x: float, same_day: float) -> None:
        """Keep the last week of index values and the clearly blunted days behind them."""
        p = self.params
        self._recent.append((day, x))
        while self._recent[0][0] <= day - timedelta(days=p.recent_days):
            self._recent.popleft()
        self._observed.append(day)
        blunted = same_day >= p.blunted_day_index
        self._latest.append(blunted)
        if blunted:
            self._blunted.append(day)
            first, count = self._unbroken or (day, 0)
            self._unbroken = (first, count + 1)
            if self._evidence_since is None or self._ordinary_run >= p.evidence_reset_days:
                self._evidence_since = day
            self._ordinary_run = 0
        else:
            self._unbroken = None
            self._ordinary_run += 1
        for kept in (self._blunted, self._observed):
            while kept and kept[0] <= day - timedelta(days=p.evidence_days):
                kept.popleft()

    def _recent_mean(self) -> float:
        """Mean index over the observed days of the last week."""
        return statistics.fmean(x for _, x in self._recent)

    def _blunted_since(self, onset: date) -> int:
        return sum(1 for d in self._blunted if d >= onset)

    def _sustained(self, onset: date) -> bool:
        """Enough clearly blunted days, spread over enough time, since the onset.

        This is what separates a sustained change from a 3-4 day dip: a dip can supply
        several blunted days, but not spread over `flag_span_days`.
        """
        p = self.params
        days = [d for d in self._blunted if d >= onset]
        if not days:
            return False
        observed = sum(1 for d in self._observed if d >= onset)
        return (
            len(days) >= self._blunted_days_needed()
            and (days[-1] - days[0]).days >= p.flag_span_days
            and len(days) >= p.flag_min_blunted_share * observed
        )

    def _unbroken_run(self, day: date) -> bool:
        """Clearly blunted check-in days up to `day`, no ordinary one between, spanning 5+ days."""
        p, run = self.params, self._unbroken
        return (
            run is not None
            and run[1] >= p.unbroken_min_days
            and (day - run[0]).days >= p.unbroken_span_days
        )

    def _interrupted_run(self, duration: int, recent: float, start: date) -> bool:
        """A change that persists with some ordinary days among the blunted ones."""
        p = self.params
        since = max(start, self._evidence_since or start)
        return (
            self.cusum >= p.flag_h
            and duration >= p.flag_after_days
            and recent >= p.blunted_day_index
            and sum(self._latest) >= p.latest_min_blunted
            and self._sustained(since)
        )

    def _blunted_days_needed(self) -> int:
        """`flag_min_blunted_days` scaled by how many of the last days had check-ins.

        A client who checks in on half the days can only show half as many blunted
        days: three clearly blunted check-in days spread over a week or more are as much
        evidence from them as four from a daily client. Never fewer than
        `flag_min_blunted_days_sparse`.
        """
        p = self.params
        density = len(self._observed) / p.evidence_days
        needed = math.ceil(p.flag_min_blunted_days * density - 1e-9)
        return max(p.flag_min_blunted_days_sparse, min(p.flag_min_blunted_days, needed))

    def _promote(self, day: date, x: float) -> None:
        """Raise the level when the episode has earned it; never lower it here."""
        p, ep = self.params, self.episode
        assert ep is not None
        # Watch and flag are earned on the evidence since the run began (ep.start); the
        # escalation clock and a PHQ-9 "during the episode" use the estimated onset.
        duration = (day - ep.start).days
        recent = self._recent_mean()
        if (
            ep.level is None
            and duration >= p.watch_after_days
            and recent >= p.cusum_k
            and self._blunted_since(ep.start) >= p.watch_min_blunted_days
        ):
            ep.level, ep.raised_on = "watch", day
        if self._earns_flag(day, x, duration, recent):
            ep.level = "flagged"
        if ep.level == "flagged":
            lasted = (day - ep.onset).days
            # "Still blunted" is judged on the last week, not on today alone: one milder
            # check-in on day 28 should not put off an escalation the weeks have earned.
            if lasted >= p.escalate_after_days and recent >= p.blunted_day_index:
                ep.level, ep.escalation_reason = "escalated", "duration"
            elif self._phq9_during(ep.onset, day):
                ep.level, ep.escalation_reason = "escalated", "phq9"

    def _earns_flag(self, day: date, x: float, duration: int, recent: float) -> bool:
        """A watched episode whose blunting is clear today and has been sustained."""
        p, ep = self.params, self.episode
        assert ep is not None
        if ep.level != "watch" or x < p.blunted_day_index:
            return False
        return self._unbroken_run(day) or self._interrupted_run(duration, recent, ep.start)

    def _phq9_during(self, onset: date, day: date) -> bool:
        return any(
            onset <= s.taken_on <= day and s.score >= self.params.phq9_escalation_score
            for s in self.phq9
        )

    def _maybe_end(self, day: date) -> None:
        """Cancel a candidate, or resolve an episode once the index is back to baseline."""
        p, ep = self.params, self.episode
        assert ep is not None
        if self.cusum == 0.0 and level_rank(ep.level) <= level_rank("watch"):
            self._close(day, keep_out=ep.level is not None)
            return
        if self._recent_mean() < p.resolve_below:
            ep.recovering_since = ep.recovering_since or day
            if (day - ep.recovering_since).days >= p.resolve_after_days - 1:
                self._close(day, keep_out=ep.level is not None)
        else:
            ep.recovering_since = None

    def _close(self, day: date, keep_out: bool) -> None:
        """End the episode; a raised one is kept out of future baselines."""
        assert self.episode is not None
        if keep_out:
            self.just_closed = (self.episode.start, day)
        self.episode = None
        self.cusum = 0.0
        self.run_start = None
        self._run.clear()


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def detector_to_dict(d: Detector) -> dict:
    """The detector's state as JSON-able values (floats kept exactly: JSON round-trips them)."""
    ep = d.episode
    return {
        "cusum": d.cusum,
        "run_start": _iso(d.run_start),
        "episode": None
        if ep is None
        else {
            "start": _iso(ep.start),
            "onset": _iso(ep.onset),
            "level": ep.level,
            "raised_on": _iso(ep.raised_on),
            "escalation_reason": ep.escalation_reason,
            "recovering_since": _iso(ep.recovering_since),
            "drift": ep.drift,
            "drift_min": ep.drift_min,
        },
        "recent": [[_iso(day), x] for day, x in d._recent],
        "blunted": [_iso(day) for day in d._blunted],
        "observed": [_iso(day) for day in d._observed],
        "run": [[_iso(day), x] for day, x in d._run],
        "unbroken": None if d._unbroken is None else [_iso(d._unbroken[0]), d._unbroken[1]],
        "latest": list(d._latest),
        "ordinary_run": d._ordinary_run,
        "evidence_since": _iso(d._evidence_since),
    }


def detector_from_dict(data: dict, params: Params) -> Detector:
    d = Detector(params)
    d.cusum = data["cusum"]
    d.run_start = _day(data["run_start"])
    ep = data["episode"]
    if ep is not None:
        d.episode = Episode(
            start=date.fromisoformat(ep["start"]),
            onset=date.fromisoformat(ep["onset"]),
            level=ep["level"],
            raised_on=_day(ep["raised_on"]),
            escalation_reason=ep["escalation_reason"],
            recovering_since=_day(ep["recovering_since"]),
            drift=ep["drift"],
            drift_min=ep["drift_min"],
        )
    d._recent = deque((date.fromisoformat(day), x) for day, x in data["recent"])
    d._blunted = deque(date.fromisoformat(day) for day in data["blunted"])
    d._observed = deque(date.fromisoformat(day) for day in data["observed"])
    d._run = [(date.fromisoformat(day), x) for day, x in data["run"]]
    unbroken = data["unbroken"]
    d._unbroken = None if unbroken is None else (date.fromisoformat(unbroken[0]), unbroken[1])
    d._latest.extend(data["latest"])
    d._ordinary_run = data["ordinary_run"]
    d._evidence_since = _day(data["evidence_since"])
    return d
