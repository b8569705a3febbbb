"""Leaderboards: who was recognised, who told stories, who recognised others, which teams.

Everything is computed from the recognition ledger (kudos and story-tag entries, minus
the reversed ones) and the stories, for a calendar period in the *workspace's* time zone,
so that "this week" means the same Monday for everyone in the channel it is posted to.
All time comes from per-member totals that the ledger writer keeps in the same
transaction as the ledger (bot/db/repositories/totals.py), so it equals the ledger's
figures without re-reading a million entries; `_ledger_leaderboard` computes it from the
ledger (the reference the totals are tested against).

The rules, and why:
- People are ranked by points received, ties broken by the number of distinct givers:
  the person many colleagues recognised comes before the one a single enthusiastic
  colleague did.
- Equal results share a rank and the next rank is skipped (1, 2, 2, 4), so nobody's
  place depends on the spelling of their user id; equal entries are still listed in
  a stable order (by user id, teams by name) so a board does not reshuffle between runs.
- People who opted out are never named and take no place in a ranking, but their
  points still count for their team: they opt out of being named, not of their team.
- Deactivated members and bots are left out; they are not colleagues to recognise.
- Storytellers are ranked by the tags their stories of the period received (then by the
  number of stories), so a board rewards stories others found worth recognising, not
  volume. The most appreciative givers count only kudos given with a reason (tags are
  one click and would dominate), then the number of different people recognised.

Functions take a session and plain values and return frozen dataclasses; they only read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.db.repositories import leaderboard as repo
from bot.domain.common import zone as local_zone

DEFAULT_LIMIT = 10


class Period(StrEnum):
    """The calendar span a leaderboard covers."""

    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    ALL = "all"


@dataclass(frozen=True)
class RankedPerson:
    """A recognised person: points received, and from how many different people."""

    rank: int
    user_id: str
    points: int
    givers: int


@dataclass(frozen=True)
class RankedStoryteller:
    """An author: stories shared in the period, and the tags those stories received."""

    rank: int
    user_id: str
    stories: int
    tags: int


@dataclass(frozen=True)
class RankedGiver:
    """An appreciative colleague: kudos given in the period, and to how many people."""

    rank: int
    user_id: str
    kudos_given: int
    people: int


@dataclass(frozen=True)
class RankedTeam:
    """A team: points its members received (opt-outs included), and how many of them."""

    rank: int
    team_id: int
    name: str
    points: int
    people: int


@dataclass(frozen=True)
class Leaderboard:
    """The four boards of one period; `start` is None for all time, `end` is exclusive."""

    period: Period
    start: datetime | None
    end: datetime
    recognised: list[RankedPerson]
    storytellers: list[RankedStoryteller]
    givers: list[RankedGiver]
    teams: list[RankedTeam]


@dataclass(frozen=True)
class Standing:
    """One member's own line ("your place"): rank None when opted out or without points."""

    rank: int | None
    points: int
    givers: int


# --- periods --------------------------------------------------------------------------


def period_bounds(period: Period, now: datetime, tz: str) -> tuple[datetime | None, datetime]:
    """[start, end) in aware UTC of the calendar period that contains `now`.

    Weeks start on Monday 00:00, months on the 1st and quarters on 1 January, April,
    July and October, all at local midnight in `tz` (the workspace's zone), converted to
    UTC with the offset in force at that moment, so a week across a DST change is 167 or
    169 hours long. `end` is the start of the next period: any moment of a past period
    gives that whole period (a job posting last week's board passes `start - 1µs`). ALL
    has no start and ends at `now`.
    """
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    period = Period(period)
    if period is Period.ALL:
        return None, now.astimezone(UTC)
    zone = local_zone(tz)
    today = now.astimezone(zone).date()
    if period is Period.WEEK:
        first = today - timedelta(days=today.weekday())
        following = first + timedelta(weeks=1)
    elif period is Period.MONTH:
        first = today.replace(day=1)
        following = _add_months(first, 1)
    else:
        first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        following = _add_months(first, 3)
    return _local_midnight(first, zone), _local_midnight(following, zone)


def _add_months(first_of_month: date, months: int) -> date:
    index = first_of_month.year * 12 + first_of_month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    """The UTC instant the local day begins. Where a DST change skips midnight, the
    pre-change offset (fold=0) puts it at the first local time that exists."""
    return datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)


# --- boards ---------------------------------------------------------------------------


def leaderboard(
    session: Session,
    workspace_id: int,
    period: Period,
    now: datetime,
    tz: str,
    limit: int = DEFAULT_LIMIT,
) -> Leaderboard:
    """The period's four boards, each at most `limit` entries long (ties at the cut are
    cut too, in user id order: a message has room for a fixed number of lines).

    Five statements whatever the size of the workspace: three aggregations over the
    period (points received, kudos given, stories) and two indexed look-ups of the
    tie-breakers of the few people who can still make a board. All time reads the
    members' all-time totals instead (one row per member, kept with the ledger): a check
    that no row is newer than `now`, then one short statement per board.
    """
    period = Period(period)
    start, end = period_bounds(period, now, tz)
    if period is Period.ALL and repo.totals_cover(session, workspace_id, end):
        people, teams = repo.all_time_recipients_and_teams(session, workspace_id, limit)
        storytellers = repo.all_time_storytellers(session, workspace_id, limit)
        givers = repo.all_time_givers(session, workspace_id, limit)
        return _board(period, start, end, people, teams, storytellers, givers)
    return _ledger_leaderboard(session, workspace_id, period, now, tz, limit)


def _ledger_leaderboard(
    session: Session,
    workspace_id: int,
    period: Period,
    now: datetime,
    tz: str,
    limit: int = DEFAULT_LIMIT,
) -> Leaderboard:
    """leaderboard() computed from the ledger, for any period (all time too: the totals'
    reference, which a test compares them with)."""
    period = Period(period)
    start, end = period_bounds(period, now, tz)
    people, teams = repo.recipients_and_teams(session, workspace_id, start, end, limit)
    storytellers = repo.top_storytellers(session, workspace_id, start, end, limit)
    givers = repo.top_givers(session, workspace_id, start, end, limit)
    return _board(period, start, end, people, teams, storytellers, givers)


def _board(
    period: Period,
    start: datetime | None,
    end: datetime,
    people: Sequence[repo.PersonRow],
    teams: Sequence[repo.TeamRow],
    storytellers: Sequence[repo.StorytellerRow],
    givers: Sequence[repo.GiverRow],
) -> Leaderboard:
    return Leaderboard(
        period=period,
        start=start,
        end=end,
        recognised=_ranked(
            people,
            key=lambda row: (row.points, row.givers),
            make=lambda rank, row: RankedPerson(rank, row.user_id, row.points, row.givers),
        ),
        storytellers=_ranked(
            storytellers,
            key=lambda row: (row.tags, row.stories),
            make=lambda rank, row: RankedStoryteller(rank, row.user_id, row.stories, row.tags),
        ),
        givers=_ranked(
            givers,
            key=lambda row: (row.kudos_given, row.people),
            make=lambda rank, row: RankedGiver(rank, row.user_id, row.kudos_given, row.people),
        ),
        teams=_ranked(
            teams,
            key=lambda row: (row.points, row.people),
            make=lambda rank, row: RankedTeam(rank, row.team_id, row.name, row.points, row.people),
        ),
    )


def member_standing(
    session: Session, workspace_id: int, member_id: int, period: Period, now: datetime, tz: str
) -> Standing:
    """The member's own points, givers and place among recognised people in the period.

    An opted-out, deactivated or bot member still sees their own points, without a place
    (they take none from anyone else); so does a member without points, who has no place
    to be proud of yet.
    """
    period = Period(period)
    _, end = period_bounds(period, now, tz)
    if period is Period.ALL and repo.totals_cover(session, workspace_id, end):
        points, givers = repo.all_time_recipient_totals(session, workspace_id, member_id)
        if points == 0 or not repo.is_rankable(session, workspace_id, member_id):
            return Standing(rank=None, points=points, givers=givers)
        ahead = repo.all_time_recipients_ahead(session, workspace_id, member_id, points, givers)
        return Standing(rank=ahead + 1, points=points, givers=givers)
    return _ledger_member_standing(session, workspace_id, member_id, period, now, tz)


def _ledger_member_standing(
    session: Session, workspace_id: int, member_id: int, period: Period, now: datetime, tz: str
) -> Standing:
    """member_standing() computed from the ledger, for any period."""
    start, end = period_bounds(Period(period), now, tz)
    points, givers = repo.recipient_totals(session, workspace_id, member_id, start, end)
    if points == 0 or not repo.is_rankable(session, workspace_id, member_id):
        return Standing(rank=None, points=points, givers=givers)
    ahead = repo.recipients_ahead(session, workspace_id, member_id, start, end, points, givers)
    return Standing(rank=ahead + 1, points=points, givers=givers)


# --- ranking --------------------------------------------------------------------------

Row = TypeVar("Row")
Entry = TypeVar("Entry")


def competition_ranks(keys: Sequence[tuple[int, ...]]) -> list[int]:
    """Standard competition ranks ("1224") of `keys`, which must be sorted best first.

    Correct for the top rows of a longer list as well: everyone ahead of a row is among
    the rows before it.
    """
    ranks: list[int] = []
    for position, key in enumerate(keys):
        ranks.append(ranks[-1] if position and key == keys[position - 1] else position + 1)
    return ranks


def _ranked(
    rows: Sequence[Row],
    key: Callable[[Row], tuple[int, ...]],
    make: Callable[[int, Row], Entry],
) -> list[Entry]:
    ranks = competition_ranks([key(row) for row in rows])
    return [make(rank, row) for rank, row in zip(ranks, rows, strict=True)]
