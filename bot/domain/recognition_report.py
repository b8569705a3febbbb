"""Recognition over time, by team and by company value, and who gives to whom between
teams: what the dashboard's recognition page shows. HR and admins read the whole
workspace (`recognition_report`); a leader reads their own team (`team_recognition`).

Counted over the 12 local weeks that end with the current one (adoption.trend_weeks, in
the workspace's time zone), from the live ledger (a reversed entry counts for nothing):
- kudos: entries of the kudos kind, one per recipient, as people gave them;
- points: every live entry, kudos and story tags, as the leaderboards count them.
Each giver and recipient is counted in their team of today.

Kudos are public in Slack, but the dashboard makes one promise everywhere: no group of
fewer than K people (the workspace's pulse K). A team is shown on its own only where
groups.shown_groups says so (at least K active members, and what is left of the workspace
empty or at least K too); the other teams and the people in no team are counted together
as one group (`team_id` None), which is never named. A workspace of fewer than K active
members shows nothing, and a leader whose team is not shown is told it is hidden.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.db.repositories import recognition_report as repo
from bot.db.repositories.adoption import active_members
from bot.db.repositories.directory import workspace_by_id
from bot.db.repositories.ledger import KUDOS_KIND
from bot.db.repositories.pulse import team_names
from bot.db.repositories.values import all_values
from bot.domain.adoption import trend_weeks
from bot.domain.groups import shown_groups
from bot.domain.pulse import iso_period

_NO_TEAM = 0  # team ids start at 1: the key of the active members in no team


@dataclass(frozen=True)
class WeekRecognition:
    period: str  # the ISO week, "2026-W48"
    kudos: int
    points: int


@dataclass(frozen=True)
class ValueRecognition:
    tag: str
    name: str
    kudos: int
    """Live kudos carrying the value (a kudos with two values counts for both)."""


@dataclass(frozen=True)
class TeamRecognition:
    team_id: int | None
    """None: the other teams (those not shown on their own) and the people in no team."""
    name: str | None  # None for the other teams: never named
    kudos_given: int
    kudos_received: int
    points_given: int
    points_received: int


@dataclass(frozen=True)
class RecognitionReport:
    """The whole workspace's recognition, for HR and admins."""

    k: int
    periods: tuple[str, ...]  # the weeks counted, oldest first
    hidden: bool
    """The workspace has fewer than K active members: nothing is shown."""
    weeks: tuple[WeekRecognition, ...]
    values: tuple[ValueRecognition, ...]
    """Active values in the admin's order (with none given too), then retired values
    that were given in these weeks."""
    teams: tuple[TeamRecognition, ...]
    """The teams shown, by name, then the other teams when there are any."""
    matrix: tuple[tuple[int, ...], ...]
    """Kudos from the group of a row to the group of a column, both in `teams` order."""
    folded_teams: int
    """How many teams with active members are counted among the other teams."""


@dataclass(frozen=True)
class TeamWeek:
    period: str
    kudos_given: int
    kudos_received: int
    points_given: int
    points_received: int


@dataclass(frozen=True)
class TeamValue:
    tag: str
    name: str
    given: int
    received: int


@dataclass(frozen=True)
class TeamRecognitionReport:
    """A leader's own team: what its people gave and received (between two people of
    the team, a kudos counts as given and as received)."""

    k: int
    team_id: int | None
    name: str | None
    periods: tuple[str, ...]
    hidden: bool
    """The team is not shown on its own (fewer than K active members, showing it would
    single out a smaller rest, or the leader is in no team): nothing else is set."""
    weeks: tuple[TeamWeek, ...]
    values: tuple[TeamValue, ...]


@dataclass(frozen=True)
class _Window:
    """The weeks counted and the groups that may be shown in them."""

    k: int
    bounds: tuple[tuple[datetime, datetime], ...]
    periods: tuple[str, ...]
    names: dict[int, str]
    shown: frozenset[int]
    hidden: bool  # fewer than K active members in the whole workspace
    rest: int  # active members outside the teams shown (no team included)
    folded: int  # teams with active members not shown

    def group(self, team_id: int | None) -> int | None:
        return team_id if team_id in self.shown else None


def _window(session: Session, workspace_id: int, now: datetime) -> _Window:
    workspace = workspace_by_id(session, workspace_id)
    tz, k = workspace.timezone, workspace.pulse_min_group
    bounds = tuple(trend_weeks(now, tz))
    sizes: Counter[int] = Counter()
    for _member, team, _joined in active_members(
        session, workspace_id, workspace.pulse_include_guests
    ):
        sizes[_NO_TEAM if team is None else team] += 1
    names = team_names(session, workspace_id)
    hidden = sizes.total() < k
    shown = frozenset() if hidden else frozenset(shown_groups(sizes, k, eligible=names.keys()))
    return _Window(
        k=k,
        bounds=bounds,
        periods=tuple(iso_period(start, tz) for start, _ in bounds),
        names=names,
        shown=shown,
        hidden=hidden,
        rest=sum(size for group, size in sizes.items() if group not in shown),
        folded=sum(1 for team in names if sizes[team] and team not in shown),
    )


def recognition_report(session: Session, workspace_id: int, now: datetime) -> RecognitionReport:
    """The workspace's recognition in the 12 local weeks up to and including `now`'s."""
    window = _window(session, workspace_id, now)
    if window.hidden:
        return RecognitionReport(window.k, window.periods, True, (), (), (), (), 0)
    kudos = [0] * len(window.periods)
    points = [0] * len(window.periods)
    totals: dict[int | None, Counter[str]] = {}
    pairs: Counter[tuple[int | None, int | None]] = Counter()
    for row in repo.ledger_sums(session, workspace_id, window.bounds):
        giver, recipient = window.group(row.giver_team), window.group(row.recipient_team)
        gave = totals.setdefault(giver, Counter())
        got = totals.setdefault(recipient, Counter())
        points[row.week] += row.points
        gave["points_given"] += row.points
        got["points_received"] += row.points
        if row.kind == KUDOS_KIND:
            kudos[row.week] += row.entries
            gave["kudos_given"] += row.entries
            got["kudos_received"] += row.entries
            pairs[giver, recipient] += row.entries
    shown = sorted(window.shown, key=lambda team: (window.names[team].casefold(), team))
    groups: list[int | None] = [*shown]
    if window.rest or None in totals:
        groups.append(None)
    given_values: Counter[int] = Counter()
    for value in repo.value_sums(session, workspace_id, window.bounds[0][0], window.bounds[-1][1]):
        given_values[value.value_id] += value.kudos
    return RecognitionReport(
        k=window.k,
        periods=window.periods,
        hidden=False,
        weeks=tuple(
            WeekRecognition(period, kudos[index], points[index])
            for index, period in enumerate(window.periods)
        ),
        values=tuple(
            ValueRecognition(tag, name, given_values[value_id])
            for value_id, tag, name in _values_listed(session, workspace_id, given_values)
        ),
        teams=tuple(
            _team_row(group, window.names.get(group) if group else None, totals.get(group))
            for group in groups
        ),
        matrix=tuple(tuple(pairs[giver, recipient] for recipient in groups) for giver in groups),
        folded_teams=window.folded,
    )


def team_recognition(
    session: Session, workspace_id: int, team_id: int | None, now: datetime
) -> TeamRecognitionReport:
    """One team's recognition in the 12 local weeks up to and including `now`'s, or
    `hidden` when the team may not be shown on its own."""
    window = _window(session, workspace_id, now)
    name = window.names.get(team_id) if team_id is not None else None
    if team_id is None or team_id not in window.shown:
        return TeamRecognitionReport(window.k, team_id, name, window.periods, True, (), ())
    weeks: list[Counter[str]] = [Counter() for _ in window.periods]
    for row in repo.ledger_sums(session, workspace_id, window.bounds):
        week = weeks[row.week]
        kudos = row.entries if row.kind == KUDOS_KIND else 0
        if row.giver_team == team_id:
            week["points_given"] += row.points
            week["kudos_given"] += kudos
        if row.recipient_team == team_id:
            week["points_received"] += row.points
            week["kudos_received"] += kudos
    given: Counter[int] = Counter()
    received: Counter[int] = Counter()
    for value in repo.value_sums(session, workspace_id, window.bounds[0][0], window.bounds[-1][1]):
        if value.giver_team == team_id:
            given[value.value_id] += value.kudos
        if value.recipient_team == team_id:
            received[value.value_id] += value.kudos
    return TeamRecognitionReport(
        k=window.k,
        team_id=team_id,
        name=name,
        periods=window.periods,
        hidden=False,
        weeks=tuple(
            TeamWeek(
                period,
                kudos_given=week["kudos_given"],
                kudos_received=week["kudos_received"],
                points_given=week["points_given"],
                points_received=week["points_received"],
            )
            for period, week in zip(window.periods, weeks, strict=True)
        ),
        values=tuple(
            TeamValue(tag, name, given[value_id], received[value_id])
            for value_id, tag, name in _values_listed(session, workspace_id, given + received)
        ),
    )


def _values_listed(
    session: Session, workspace_id: int, given: Collection[int]
) -> Iterable[tuple[int, str, str]]:
    """(id, tag, name) of the active values in the admin's order, then of the retired
    values among `given`."""
    for value in all_values(session, workspace_id):
        if value.is_active or value.id in given:
            yield value.id, value.tag, value.name


def _team_row(
    team_id: int | None, name: str | None, figures: Counter[str] | None
) -> TeamRecognition:
    figures = figures or Counter()
    return TeamRecognition(
        team_id=team_id,
        name=name,
        kudos_given=figures["kudos_given"],
        kudos_received=figures["kudos_received"],
        points_given=figures["points_given"],
        points_received=figures["points_received"],
    )
