"""Sustained-change detection: a one-sided CUSUM (Page 1954) and levels read from it.

The CUSUM S adds up how far each observed day's evidence x (index.py) sits above a
reference value k, and forgets it when the evidence is back at baseline:
S = max(0, S + x - k). A missing day is no evidence either way. Partial or sparse
blunting therefore adds up over more days instead of being blocked at a gate.

* ``watch``     when S reaches `watch_h`;
* ``flagged``   when S reaches `flag_h` *and* the change has lasted: the evidence on the
                days from onset + `min_change_days` - 1 on still sums above k (so a
                3-4 day dip alone, however deep, can never be flagged: its evidence ends
                before that day);
* ``escalated`` `escalate_after_days` (28) after the onset while S is still at least
                `flag_h` ("existing, not living"), or at once when a PHQ-9 of 10 or more
                is taken on or after the onset of a flagged episode.

The **onset** is a change point: Page's estimate (the first day of the current run of
S above zero), refined until the flag by the best split of the evidence over the days
since `onset_lookback_days` before that run: a step or a ramp of a few lengths up from
zero (least squares; a slow onset is fitted by a ramp, whose start is the change).
After the flag the fit goes on, but may only move the onset earlier (a slow onset is
flagged before its early, mild days stand out from the noise), until the episode
escalates or the onset is `escalate_after_days` old; then it is fixed.

Levels only rise within an episode. A ``watch`` ends when S drains to zero; a flagged
episode ends when the last week's mean evidence stays below `resolve_below` for
`resolve_after_days`. While a change is in progress the caller freezes the baseline at
its start, so a long blunted stretch never becomes the new normal.
"""

from __future__ import annotations

import bisect
import statistics
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from .params import Params
from .records import ScreenResult, level_rank


@dataclass
class Episode:
    """A sustained change in progress (mutable, internal to one pass)."""

    start: date  # first day of the CUSUM run: the baseline is frozen before it
    onset: date  # change-point estimate (see `Detector._estimate_onset`)
    level: str | None = None
    raised_on: date | None = None
    escalation_reason: str | None = None
    recovering_since: date | None = None


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
    _recent: deque[tuple[date, float]] = field(default_factory=deque)  # the last week
    # observed (day, evidence) since `onset_lookback_days` before the run: the onset fit
    _trail: deque[tuple[date, float]] = field(default_factory=deque)

    def copy(self) -> Detector:
        """An independent copy: containers copied, their (immutable) items shared."""
        other = replace(self, episode=replace(self.episode) if self.episode else None)
        other._recent, other._trail = deque(self._recent), deque(self._trail)
        return other

    @property
    def anchor(self) -> date | None:
        """The date the baseline is frozen at, if a change is in progress."""
        return self.episode.start if self.episode else self.run_start

    @property
    def level(self) -> str | None:
        return self.episode.level if self.episode else None

    def step(self, day: date, x: float) -> None:
        """Take one observed day's evidence."""
        p = self.params
        self.just_closed = None
        self._recent.append((day, x))
        while self._recent[0][0] <= day - timedelta(days=p.recent_days):
            self._recent.popleft()
        was_zero = self.cusum == 0.0
        self.cusum = max(0.0, self.cusum + x - p.cusum_k)
        if self.cusum == 0.0:
            self.run_start = None
        elif was_zero:
            self.run_start = day
        self._keep(day, x)

        ep = self.episode
        if ep is None and self.cusum >= p.watch_h and self.run_start is not None:
            ep = self.episode = Episode(start=self.run_start, onset=self.run_start)
            ep.level, ep.raised_on = "watch", day
        if ep is not None:
            if ep.level == "watch":
                ep.onset = self._estimate_onset(ep.start)
            elif self._trail:  # flagged: more days can show the change began earlier
                ep.onset = min(ep.onset, self._estimate_onset(ep.start))
            self._promote(day, x)
            self._maybe_end(day)

    def _keep(self, day: date, x: float) -> None:
        """Keep the evidence the onset fit and the duration test need, and no more."""
        p, ep = self.params, self.episode
        if ep is not None and (
            level_rank(ep.level) >= level_rank("escalated")
            or (ep.level == "flagged" and (day - ep.onset).days >= p.escalate_after_days)
        ):
            self._trail.clear()  # onset fixed: nothing more to fit
            return
        self._trail.append((day, x))
        anchor = self.anchor or day
        first = anchor - timedelta(days=p.onset_lookback_days)
        while self._trail and self._trail[0][0] < first:
            self._trail.popleft()
        while len(self._trail) > p.onset_max_points:
            self._trail.popleft()

    def _estimate_onset(self, start: date) -> date:
        """The change point: the best step or ramp up from zero over the trail.

        For a start day t0 and a ramp of r days, the fitted evidence is
        d * min(1, (t - t0 + 1) / r) on days t >= t0 and 0 before; the least-squares
        d gives a fit gain of (sum u x)^2 / sum u^2. The start with the largest gain over
        all ramp lengths (r = 1 is a step) is the onset. Page's estimate (the run's first
        day) stands when nothing fits better.
        """
        p = self.params
        points = list(self._trail)
        if not points:
            return start
        base = points[0][0]
        ts = [(t - base).days for t, _ in points]
        # prefix sums: the sums over points[i:m] of x, t x, t, t^2 in O(1) each
        sx, stx, st, stt = [0.0], [0.0], [0.0], [0.0]
        for t, (_, x) in zip(ts, points, strict=True):
            sx.append(sx[-1] + x)
            stx.append(stx[-1] + t * x)
            st.append(st[-1] + t)
            stt.append(stt[-1] + t * t)
        n = len(points)
        best, onset = 0.0, start
        for i, (t0, _) in enumerate(points):
            if (start - t0).days > p.onset_lookback_days:
                continue
            c = ts[i] - 1  # u = (t - c) / r on the ramp, 1 after it
            for r in p.onset_ramps:
                m = bisect.bisect_left(ts, c + r, i)  # first point with u = 1
                k = m - i
                ramp_x = stx[m] - stx[i] - c * (sx[m] - sx[i])
                ramp_tt = stt[m] - stt[i] - 2 * c * (st[m] - st[i]) + c * c * k
                num = ramp_x / r + sx[n] - sx[m]
                den = ramp_tt / (r * r) + (n - m)
                if num > 0 and num * num / den > best:
                    best, onset = num * num / den, t0
        return onset

    def _recent_mean(self) -> float:
        """Mean evidence over the observed days of the last week."""
        return statistics.fmean(x for _, x in self._recent)

    def _lasted(self, onset: date) -> bool:
        """Evidence still above k on the days a dip of `min_change_days` - 1 cannot reach."""
        p = self.params
        first = onset + timedelta(days=p.min_change_days - 1)
        late = [x - p.cusum_k for t, x in self._trail if t >= first]
        return bool(late) and sum(late) > p.lasted_margin

    def _promote(self, day: date, x: float) -> None:
        """Raise the level when the episode has earned it; never lower it here."""
        p, ep = self.params, self.episode
        assert ep is not None
        # Duration is counted from the later of the run's first day and the fitted onset
        # (a ramp fit can reach back to a chance positive day before a short dip), and
        # the flag is raised only on a day that itself adds evidence: a dip a few days
        # after odd days must not be flagged on the ordinary days that follow it.
        if (
            ep.level == "watch"
            and x > p.cusum_k
            and self.cusum >= p.flag_h
            and self._lasted(max(ep.start, ep.onset))
        ):
            ep.level = "flagged"
        if ep.level == "flagged":
            if (day - ep.onset).days >= p.escalate_after_days and self.cusum >= p.flag_h:
                ep.level, ep.escalation_reason = "escalated", "duration"
            elif self._phq9_during(ep.onset, day):
                ep.level, ep.escalation_reason = "escalated", "phq9"

    def _phq9_during(self, onset: date, day: date) -> bool:
        return any(
            onset <= s.taken_on <= day and s.score >= self.params.phq9_escalation_score
            for s in self.phq9
        )

    def _maybe_end(self, day: date) -> None:
        """End a watch when S drains to zero, or a flag once evidence is back to baseline."""
        p, ep = self.params, self.episode
        assert ep is not None
        if self.cusum == 0.0 and ep.level == "watch":
            self._close(day)
            return
        if self._recent_mean() < p.resolve_below:
            ep.recovering_since = ep.recovering_since or day
            if (day - ep.recovering_since).days >= p.resolve_after_days - 1:
                self._close(day)
        else:
            ep.recovering_since = None

    def _close(self, day: date) -> None:
        """End the episode; it reached `watch`, so it is kept out of future baselines."""
        assert self.episode is not None
        self.just_closed = (self.episode.start, day)
        self.episode = None
        self.cusum = 0.0
        self.run_start = None
        self._trail.clear()


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
        },
        "recent": [[_iso(day), x] for day, x in d._recent],
        "trail": [[_iso(day), x] for day, x in d._trail],
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
        )
    d._recent = deque((date.fromisoformat(day), x) for day, x in data["recent"])
    d._trail = deque((date.fromisoformat(day), x) for day, x in data["trail"])
    return d
