"""The culture-pulse summary HR receives when a round closes.

It holds these things, each under the pulse's privacy rules (docs/privacy.md):

- The round's results exactly as `pulse_results.round_results` releases them (K, the
  differencing rule): this module never cuts groups itself. Comment texts are left out
  (only their number is kept): the summary goes to a channel that may reach more people
  than `/mot pulse results`.
- The trend over the last `TREND_ROUNDS` (12) closed rounds up to and including this one,
  workspace level only. Each round's figures are the ones `round_results` released for it
  (its workspace group, and the points of its `trend`), cut with that round's own K: a
  round with fewer than its K respondents (or a question answered by too few) gives a
  *suppressed* point (None), never a number. The rotation asks each empowerment dimension
  only some weeks: a dimension's series lists the rounds that asked it, and a point is
  None only when it was asked but suppressed.
- The response rate of the same rounds: completed invites of all invites, as a
  percentage (skipped and unanswered invites count as not responded).
- Policy signals over the same 12 weeks as the adoption curve and the service mix
  (`adoption.trend_weeks`): how many stories decided on the spot named a rule they went
  beyond, how many signals leaders' policy revisions closed, and how many are still open
  (`policy_signals.signal_counts`). Counts only, nobody named.
- Recognition over the round's week: the ISO week of the round's period, Monday 00:00 to
  Monday 00:00 in the workspace's time zone (`kudos.week_bounds`), cut at `now` while the
  week is still running. Counts only, nobody named.

`pulse_summary` is the first three alone (the dashboard's pulse page); `hr_summary` adds
the rest.

Functions take a session and plain values and return frozen dataclasses; they only read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from bot.db.models import PulseQuestion, PulseRound, Workspace
from bot.db.repositories import culture_pulse as repo
from bot.db.repositories import pulse as pulse_repo
from bot.domain.adoption import AdoptionReport, adoption_report, trend_weeks
from bot.domain.kudos import week_bounds
from bot.domain.policy_signals import SignalCounts, signal_counts
from bot.domain.pulse import COMPLETED, parse_period
from bot.domain.pulse_bank import ACTION, AGREE5, EMPOWERMENT_DIMENSIONS, ENPS, NPS11, TRUST
from bot.domain.pulse_results import TREND_ROUNDS, RoundResults, TrendPoint, round_results
from bot.domain.service_mix import ServiceMix, service_mix

DIMENSION_ORDER: tuple[str, ...] = (*EMPOWERMENT_DIMENSIONS, TRUST, ACTION)
"""Dimensions in the order a summary lists them; others (admins' own questions) follow
by name, and eNPS comes last."""


@dataclass(frozen=True)
class DimensionPoint:
    """One round's workspace-level figure for one dimension (or eNPS)."""

    period: str
    value: float | None
    """The mean of the item means (1-5), or the eNPS (-100..100); None when suppressed:
    fewer than the round's K people answered."""


@dataclass(frozen=True)
class DimensionTrend:
    dimension: str
    """A pulse dimension ("meaning", "trust", ...) or "enps"."""
    points: tuple[DimensionPoint, ...]
    """The rounds that asked the dimension, oldest first."""


@dataclass(frozen=True)
class RoundTrend:
    """One round of the trend: its size, and whether its workspace figures could be shown."""

    round_id: int
    period: str
    min_group: int
    respondents: int | None
    """Respondents of the whole workspace; None when fewer than K (suppressed)."""
    dimensions: Mapping[str, float | None]
    """Every dimension (and "enps") the round asked: its value, None when suppressed."""

    @property
    def suppressed(self) -> bool:
        return self.respondents is None


@dataclass(frozen=True)
class ResponseRate:
    period: str
    invited: int
    completed: int
    rate_pct: float
    """completed / invited * 100; 0.0 when nobody was invited."""


@dataclass(frozen=True)
class RecognitionActivity:
    """Recognition in [start, until) of the round's week, all kinds, live entries only."""

    week: str
    """The ISO week ("2026-W48")."""
    first_day: date
    last_day: date
    """The week's local Monday and Sunday."""
    start: datetime
    end: datetime
    """The week's bounds in UTC (end exclusive)."""
    until: datetime
    """Where counting stopped: `end`, or `now` while the week runs."""
    stories: int
    """Stories posted (not deleted)."""
    tags: int
    """"Positive moment of truth" tags given."""
    stories_tagged: int
    """Distinct stories those tags went to."""
    kudos: int
    """Kudos given with a reason, one per recipient, not reversed."""
    points: int
    """Points of every live entry (kudos and tag points)."""
    givers: int
    recipients: int
    """Distinct people who gave, and who received, live entries."""
    leader_backings: int
    """Leaders' backings of frontline decisions."""

    @property
    def partial(self) -> bool:
        return self.until < self.end


@dataclass(frozen=True)
class PulseSummary:
    """A closed round's released results and the trend of the rounds before it: what the
    dashboard's pulse page shows (HR's summary adds the weeks' culture to it)."""

    round_id: int
    period: str
    min_group: int
    results: RoundResults
    """The round's released results, without comment texts (`comments` is None)."""
    comment_count: int
    """How many comments the results release (none below 2K respondents)."""
    rounds: tuple[RoundTrend, ...]
    """The trend's rounds, oldest first, this one last."""
    trends: tuple[DimensionTrend, ...]
    """One series per dimension asked in those rounds (DIMENSION_ORDER, then eNPS)."""
    response_rates: tuple[ResponseRate, ...]
    """The same rounds' response rates, oldest first."""
    generated_at: datetime

    @property
    def has_suppressed_points(self) -> bool:
        return any(point.value is None for trend in self.trends for point in trend.points)


@dataclass(frozen=True)
class HrSummary(PulseSummary):
    """The pulse summary with the culture of the 12 weeks up to the round's week."""

    recognition: RecognitionActivity
    adoption: AdoptionReport
    """The adoption curve of the 12 weeks up to the one the round closed in."""
    service_mix: ServiceMix
    """A-B-C and touchpoints of the positive moments of truth in those same weeks."""
    policy_signals: SignalCounts
    """Policy signals raised and closed in those same weeks, and those still open."""


def pulse_summary(
    session: Session, workspace_id: int, round_id: int, now: datetime
) -> PulseSummary | None:
    """The released results and trend of a closed round; None if the round is unknown or
    another workspace's. A round still open raises DomainError("pulse.errors.still_open"),
    as its results do."""
    found = _closed_round(session, workspace_id, round_id, now)
    return _pulse_summary(session, workspace_id, found, now) if found else None


def hr_summary(
    session: Session, workspace_id: int, round_id: int, now: datetime
) -> HrSummary | None:
    """The summary of a closed round (`pulse_summary`) with the culture of the 12 weeks up
    to the round's own week, however late it is asked for; None as pulse_summary."""
    found = _closed_round(session, workspace_id, round_id, now)
    if found is None:
        return None
    pulse = _pulse_summary(session, workspace_id, found, now)
    workspace = session.get(Workspace, workspace_id)
    tz = workspace.timezone if workspace is not None else "UTC"
    round_week = min(now, found.closes_at)
    window = _window(trend_weeks(round_week, tz))
    return HrSummary(
        **{field.name: getattr(pulse, field.name) for field in fields(pulse)},
        recognition=recognition_activity(session, workspace_id, found.period, tz, now),
        adoption=adoption_report(session, workspace_id, round_week),
        service_mix=service_mix(session, workspace_id, *window),
        policy_signals=signal_counts(session, workspace_id, *window),
    )


def _closed_round(
    session: Session, workspace_id: int, round_id: int, now: datetime
) -> PulseRound | None:
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    found = pulse_repo.round_by_id(session, round_id)
    return found if found is not None and found.workspace_id == workspace_id else None


def _pulse_summary(
    session: Session, workspace_id: int, found: PulseRound, now: datetime
) -> PulseSummary:
    results = round_results(session, workspace_id, found.id)  # refuses an open round
    # The same earlier rounds as `results.trend` (which holds up to TREND_ROUNDS of them),
    # one fewer to make room for this round.
    rounds = [
        *pulse_repo.previous_closed_rounds(
            session, workspace_id, before=found.opens_at, limit=TREND_ROUNDS - 1
        ),
        found,
    ]
    released = {point.period: point for point in results.trend}
    if results.groups:
        whole = results.groups[0]
        released[found.period] = TrendPoint(
            found.period, whole.respondents, whole.dimensions, whole.enps
        )
    trend_rounds = round_trends(
        rounds,
        {past.id: pulse_repo.round_questions(session, past.id) for past in rounds},
        released,
    )
    return PulseSummary(
        round_id=found.id,
        period=found.period,
        min_group=found.min_group,
        results=replace(results, comments=None),
        comment_count=len(results.comments or ()),
        rounds=trend_rounds,
        trends=dimension_trends(trend_rounds),
        response_rates=tuple(
            response_rate(past.period, pulse_repo.invite_counts(session, past.id))
            for past in rounds
        ),
        generated_at=now.astimezone(UTC),
    )


def _window(weeks: list[tuple[datetime, datetime]]) -> tuple[datetime, datetime]:
    return weeks[0][0], weeks[-1][1]


# --- the trend --------------------------------------------------------------------------


def round_trends(
    rounds: Sequence[PulseRound],
    questions: Mapping[int, Sequence[PulseQuestion]],
    released: Mapping[str, TrendPoint],
) -> tuple[RoundTrend, ...]:
    """Each round's workspace figures, from what `round_results` released for it
    (`released`, by period: a round missing there had fewer than its K respondents), for
    every dimension (and eNPS) its `questions` asked."""
    trends = []
    for past in rounds:
        point = released.get(past.period)
        figures: dict[str, float | None] = (
            {**point.dimensions, ENPS: point.enps} if point is not None else {}
        )
        asked = [
            ENPS if question.scale == NPS11 else question.dimension
            for question in questions.get(past.id, [])
            if question.scale in (AGREE5, NPS11)
        ]
        trends.append(
            RoundTrend(
                round_id=past.id,
                period=past.period,
                min_group=past.min_group,
                respondents=point.respondents if point is not None else None,
                dimensions={name: figures.get(name) for name in asked},
            )
        )
    return tuple(trends)


def dimension_trends(rounds: Sequence[RoundTrend]) -> tuple[DimensionTrend, ...]:
    """One series per dimension the rounds asked, in DIMENSION_ORDER, others by name,
    eNPS last; each lists only the rounds that asked it."""
    asked = {name for past in rounds for name in past.dimensions}
    known = [name for name in DIMENSION_ORDER if name in asked]
    others = sorted(asked - set(DIMENSION_ORDER) - {ENPS})
    ordered = known + others + ([ENPS] if ENPS in asked else [])
    return tuple(
        DimensionTrend(
            dimension=name,
            points=tuple(
                DimensionPoint(past.period, past.dimensions[name])
                for past in rounds
                if name in past.dimensions
            ),
        )
        for name in ordered
    )


def response_rate(period: str, counts: Mapping[str, int]) -> ResponseRate:
    invited = sum(counts.values())
    completed = counts.get(COMPLETED, 0)
    return ResponseRate(
        period=period,
        invited=invited,
        completed=completed,
        rate_pct=100.0 * completed / invited if invited else 0.0,
    )


# --- recognition ------------------------------------------------------------------------


def recognition_activity(
    session: Session, workspace_id: int, period: str, tz: str, now: datetime
) -> RecognitionActivity:
    """Recognition over the ISO week `period` in the zone `tz`, up to `now` at most."""
    monday = week_monday(period)
    start, end = week_bounds(monday, tz)
    until = max(start, min(end, now.astimezone(UTC)))
    counts = repo.recognition_counts(session, workspace_id, start, until)
    return RecognitionActivity(
        week=period,
        first_day=monday,
        last_day=monday + timedelta(days=6),
        start=start,
        end=end,
        until=until,
        stories=counts.stories,
        tags=counts.tags,
        stories_tagged=counts.stories_tagged,
        kudos=counts.kudos,
        points=counts.points,
        givers=counts.givers,
        recipients=counts.recipients,
        leader_backings=counts.backings,
    )


def week_monday(period: str) -> date:
    """The Monday of the ISO week "2026-W48" (ValueError for anything else)."""
    year, week = parse_period(period)
    return date.fromisocalendar(year, week, 1)
