"""The culture adoption curve: each week, the share of active members who took part.

Carlzon's reading of how a new culture spreads: about 5% believe in it first, they win
over some 15% more (20% active), and then the rest follow. Taking part means sharing a
story, tagging one, giving or receiving kudos or backing a decision; the curve shows,
week by week, how far the workspace (and each team of at least K active members) has
come, against the 5% / 20% / 80% milestones.

Answering the pulse is not counted. Those acts are public (cards, tags and kudos are seen
in Slack), so a group's count minus what its members were seen doing would tell who
answered the pulse; whether someone answered is kept from everyone (docs/privacy.md).
The pulse's own response rate, under its K rule, says how many answered.

This module is the rule; who took part in which week is read by the repositories.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy.orm import Session

from bot.db.repositories import adoption as repo
from bot.db.repositories.directory import workspace_by_id
from bot.db.repositories.pulse import team_names
from bot.domain.groups import shown_groups
from bot.domain.kudos import week_bounds, week_start
from bot.domain.pulse import iso_period

TREND_WEEKS = 12
_NO_TEAM = 0  # team ids start at 1: the key of the active members in no team


class Stage(StrEnum):
    """How far a group has come, by the share of its active members who took part."""

    NOT_STARTED = "not_started"  # under 5%
    INNOVATORS = "innovators"  # the first 5% believe
    EARLY_ADOPTERS = "early_adopters"  # 20%: the innovators won over 15% more
    MAJORITY = "majority"  # 80%: the rest have followed


MILESTONES: tuple[tuple[float, Stage], ...] = (
    (0.80, Stage.MAJORITY),
    (0.20, Stage.EARLY_ADOPTERS),
    (0.05, Stage.INNOVATORS),
)


def stage(share: float) -> Stage:
    for threshold, reached in MILESTONES:
        if share >= threshold:
            return reached
    return Stage.NOT_STARTED


@dataclass(frozen=True)
class WeekAdoption:
    period: str  # the ISO week, "2026-W48"
    active: int
    took_part: int

    @property
    def share(self) -> float:
        return self.took_part / self.active if self.active else 0.0

    @property
    def stage(self) -> Stage:
        return stage(self.share)


@dataclass(frozen=True)
class GroupCurve:
    """One group's weeks, oldest first; a week in which the group could not be shown
    (fewer than K active members, or revealed by subtraction) is None."""

    team_id: int | None  # None: the whole workspace
    weeks: tuple[WeekAdoption | None, ...]

    @property
    def latest(self) -> WeekAdoption | None:
        return self.weeks[-1] if self.weeks else None


@dataclass(frozen=True)
class WeekActivity:
    """Who was an active member in a week, each with their team, and who took part."""

    period: str
    team_of: Mapping[int, int | None]  # active member -> team (None: no team)
    took_part: Collection[int]  # members who took part (anyone, active or not)


def adoption_curves(weeks: Sequence[WeekActivity], k: int) -> list[GroupCurve]:
    """The workspace's curve, then one per team that could be shown in at least one of
    `weeks` (oldest first). In each week a team is shown only if it has at least K active
    members and the rest of the workspace is empty or at least K too (groups.py), so no
    group of fewer than K shows, not even as the whole minus the teams."""
    workspace: list[WeekAdoption | None] = []
    per_team: dict[int, list[WeekAdoption | None]] = {}
    for index, week in enumerate(weeks):
        took_part = set(week.took_part)
        active = len(week.team_of)
        workspace.append(
            WeekAdoption(week.period, active, len(took_part & week.team_of.keys()))
            if active >= k
            else None
        )
        sizes: dict[int, int] = {}
        for team in week.team_of.values():
            key = _NO_TEAM if team is None else team
            sizes[key] = sizes.get(key, 0) + 1
        teams = {team for team in sizes if team != _NO_TEAM}
        shown = shown_groups(sizes, k, eligible=teams) if active >= k else set()
        members_of: dict[int, set[int]] = {}
        for member, of in week.team_of.items():
            if of in shown:
                members_of.setdefault(of, set()).add(member)
        for team in shown:
            members = members_of[team]
            curve = per_team.setdefault(team, [None] * index)
            curve.append(WeekAdoption(week.period, len(members), len(took_part & members)))
        for curve in per_team.values():
            if len(curve) < index + 1:
                curve.append(None)
    curves = [GroupCurve(None, tuple(workspace))]
    curves.extend(GroupCurve(team, tuple(per_team[team])) for team in sorted(per_team))
    return curves


@dataclass(frozen=True)
class AdoptionReport:
    """The workspace's curve and its teams' over the last weeks, with the K that held."""

    k: int
    curves: tuple[GroupCurve, ...]
    team_names: Mapping[int, str]

    @property
    def workspace(self) -> GroupCurve:
        return self.curves[0]

    @property
    def teams(self) -> tuple[GroupCurve, ...]:
        return self.curves[1:]


def trend_weeks(
    moment: datetime, tz: str, weeks: int = TREND_WEEKS
) -> list[tuple[datetime, datetime]]:
    """[start, end) in UTC of the `weeks` local weeks that end with the one `moment` is
    in, oldest first: the window every 12-week section of a summary covers."""
    this_week = week_start(moment, tz)
    mondays = [this_week - timedelta(weeks=back) for back in reversed(range(weeks))]
    return [week_bounds(monday, tz) for monday in mondays]


def adoption_report(
    session: Session, workspace_id: int, now: datetime, weeks: int = TREND_WEEKS
) -> AdoptionReport:
    """The last `weeks` local weeks up to and including the one `now` is in (in the
    workspace's time zone), each counted against the members active then: today's
    active members who had joined by the end of that week, in their team of today."""
    workspace = workspace_by_id(session, workspace_id)
    tz, k = workspace.timezone, workspace.pulse_min_group
    bounds = trend_weeks(now, tz, weeks)
    periods = [iso_period(start, tz) for start, _ in bounds]
    members = repo.active_members(session, workspace_id, workspace.pulse_include_guests)
    took_part: list[set[int]] = [set() for _ in bounds]
    for member, week in repo.weeks_taken_part(session, workspace_id, bounds):
        took_part[week].add(member)
    activity = [
        WeekActivity(
            period,
            {member: team for member, team, joined in members if joined < end},
            took_part[week],
        )
        for week, (period, (_, end)) in enumerate(zip(periods, bounds, strict=True))
    ]
    return AdoptionReport(k, tuple(adoption_curves(activity, k)), team_names(session, workspace_id))
