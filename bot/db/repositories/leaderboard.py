"""Leaderboard queries: aggregates over the recognition ledger and the stories. Never commits.

Everything is aggregated in the database; nothing here loads ledger entries into Python,
and each board comes back at most `limit` rows long, in board order. Every ledger query
filters by workspace and `created_at` in [start, end), so a short period reads only its
own entries through `ix_kudos_workspace_created` (or `ix_kudos_recipient_created` for one
member), and leaves out reversed entries with NOT EXISTS, an anti-join on the unique
`kudos_reversals.kudos_id`.

How the cost stays down for long periods (figures in docs/benchmarks.md):
- A pass over the ledger costs about the same whatever it computes, so the recognised
  people and the teams come from one pass (per-recipient points).
- Tie-breakers that count distinct people (givers, recipients) are not taken over the
  whole period, where they need every (giver, recipient) pair: one pass finds the
  *contenders*, the named people with at least the `limit`-th best total (all of whom
  could still make the board, whatever their tie-breaker), and a second query counts
  distinct people for just those, through the index on their own entries.
- That second step is a separate statement on purpose: written as a correlated subquery,
  PostgreSQL cannot know how few contenders there are, prices the subquery for a third
  of all people, and then spends longer JIT-compiling the query than running it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    CTE,
    ColumnElement,
    Integer,
    Select,
    Subquery,
    distinct,
    exists,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from bot.db.models import Kudos, Member, MemberTotals, Story, StoryTag, Team
from bot.db.repositories.ledger import KUDOS_KIND, not_reversed

"""Ledger entries given with a reason; the other kind ("tag") comes from tagging a story."""


class PersonRow(NamedTuple):
    user_id: str
    points: int
    givers: int


class StorytellerRow(NamedTuple):
    user_id: str
    stories: int
    tags: int


class GiverRow(NamedTuple):
    user_id: str
    kudos_given: int
    people: int


class TeamRow(NamedTuple):
    team_id: int
    name: str
    points: int
    people: int


# --- boards ---------------------------------------------------------------------------


def recipients_and_teams(
    session: Session, workspace_id: int, start: datetime | None, end: datetime, limit: int
) -> tuple[list[PersonRow], list[TeamRow]]:
    """The recognised-people board and the team board.

    People: named members by points received, then distinct givers, then user id.
    Teams: by points their active human members received (opt-outs included), then by
    how many of them received any, then name.

    One pass over the period's ledger gives every recipient's points; from it come the
    team board and the contenders for the people board, whose distinct givers a second,
    indexed query counts.
    """
    if limit < 1:
        return [], []
    received = _received(workspace_id, start, end).cte("received")
    team_points = func.sum(received.c.total)
    team_people = func.count()
    teams = (
        select(Team.id, Team.name, team_points.label("points"), team_people.label("people"))
        .select_from(received)
        .join(Member, Member.id == received.c.member_id)
        .join(Team, Team.id == Member.team_id)
        .where(*_counted(Member))
        .group_by(Team.id, Team.name)
        .order_by(team_points.desc(), team_people.desc(), Team.name)
        .limit(limit)
        .subquery("teams")
    )
    contenders = _contenders(received, limit)
    rows = session.execute(
        union_all(
            select(
                literal(1).label("board"),
                func.row_number()
                .over(order_by=(teams.c.points.desc(), teams.c.people.desc(), teams.c.name))
                .label("position"),
                teams.c.id,
                teams.c.name,
                teams.c.points,
                teams.c.people,
            ),
            select(
                literal(0),
                literal(0),
                contenders.c.member_id,
                contenders.c.user_id,
                contenders.c.total,
                literal(0),
            ),
        )
    ).all()
    team_rows = sorted((row for row in rows if row.board == 1), key=lambda row: row.position)
    contender_ids = [row.id for row in rows if row.board == 0]
    return (
        _top_recipients(session, workspace_id, start, end, contender_ids, limit),
        [TeamRow(row.id, row.name, row.points, row.people) for row in team_rows],
    )


def top_givers(
    session: Session, workspace_id: int, start: datetime | None, end: datetime, limit: int
) -> list[GiverRow]:
    """Named members by kudos given in [start, end) (tags left out), then by distinct
    recipients, then user id: one pass for every giver's count, then distinct recipients
    counted for the contenders only."""
    if limit < 1:
        return []
    given = (
        select(Kudos.giver_id.label("member_id"), func.count().label("total"))
        .where(*_ledger(workspace_id, start, end), Kudos.kind == KUDOS_KIND)
        .group_by(Kudos.giver_id)
        .cte("given")
    )
    contenders = _contenders(given, limit)
    contender_ids = list(session.scalars(select(contenders.c.member_id)))
    if not contender_ids:
        return []
    kudos_given = func.count()
    people = func.count(distinct(Kudos.recipient_id))
    rows = session.execute(
        select(Member.slack_user_id, kudos_given, people)
        .join(Member, Member.id == Kudos.giver_id)
        .where(
            *_ledger(workspace_id, start, end),
            Kudos.kind == KUDOS_KIND,
            Kudos.giver_id.in_(contender_ids),
        )
        .group_by(Member.id, Member.slack_user_id)
        .order_by(kudos_given.desc(), people.desc(), Member.slack_user_id)
        .limit(limit)
    )
    return [GiverRow(*row) for row in rows]


def top_storytellers(
    session: Session, workspace_id: int, start: datetime | None, end: datetime, limit: int
) -> list[StorytellerRow]:
    """Named authors of not-deleted stories created in [start, end), by the tags those
    stories have (whenever given), then their number, then user id."""
    if limit < 1:
        return []
    conditions = [
        Story.workspace_id == workspace_id,
        Story.deleted_at.is_(None),
        Story.created_at < end,
    ]
    if start is not None:
        conditions.append(Story.created_at >= start)
    per_story = (
        select(Story.author_id, func.count(StoryTag.story_id).label("tags"))
        .outerjoin(StoryTag, StoryTag.story_id == Story.id)
        .where(*conditions)
        .group_by(Story.id, Story.author_id)
        .subquery()
    )
    stories = func.count().label("stories")
    tags = func.sum(per_story.c.tags).label("tags")
    rows = session.execute(
        select(Member.slack_user_id, stories, tags)
        .select_from(per_story)
        .join(Member, Member.id == per_story.c.author_id)
        .where(*_named(Member))
        .group_by(Member.id, Member.slack_user_id)
        .order_by(tags.desc(), stories.desc(), Member.slack_user_id)
        .limit(limit)
    )
    return [StorytellerRow(*row) for row in rows]


# --- one member -----------------------------------------------------------------------


def recipient_totals(
    session: Session, workspace_id: int, member_id: int, start: datetime | None, end: datetime
) -> tuple[int, int]:
    """(points, distinct givers) the member received in [start, end)."""
    points, givers = session.execute(
        select(
            func.coalesce(func.sum(Kudos.points), 0), func.count(distinct(Kudos.giver_id))
        ).where(*_ledger(workspace_id, start, end), Kudos.recipient_id == member_id)
    ).one()
    return int(points), int(givers)


def is_rankable(session: Session, workspace_id: int, member_id: int) -> bool:
    """Whether the member is one of the workspace's people a leaderboard may name."""
    found = session.execute(
        select(Member.id).where(
            Member.id == member_id, Member.workspace_id == workspace_id, *_named(Member)
        )
    ).first()
    return found is not None


def recipients_ahead(
    session: Session,
    workspace_id: int,
    member_id: int,
    start: datetime | None,
    end: datetime,
    points: int,
    givers: int,
) -> int:
    """How many named members other than `member_id` rank strictly above (points,
    givers) in [start, end).

    One pass over the period's ledger counts those with more points and lists those with
    exactly as many; only the latter need their distinct givers counted, through the
    recipient index. (A correlated count in the first query would do the same work, but
    PostgreSQL prices it for every recipient and then spends longer compiling the query
    with JIT than running it.)
    """
    received = _received(workspace_id, start, end).cte("received")
    named = (
        select(received.c.member_id, received.c.total)
        .join(Member, Member.id == received.c.member_id)
        .where(*_named(Member), received.c.member_id != member_id)
        .cte("named")
    )
    rows = session.execute(
        union_all(
            select(literal(None, Integer).label("tied_id"), func.count().label("ahead")).where(
                named.c.total > points
            ),
            select(named.c.member_id, literal(0)).where(named.c.total == points),
        )
    ).all()
    ahead = sum(row.ahead for row in rows if row.tied_id is None)
    tied = [row.tied_id for row in rows if row.tied_id is not None]
    if not tied:
        return ahead
    more_givers = (
        select(Kudos.recipient_id)
        .where(*_ledger(workspace_id, start, end), Kudos.recipient_id.in_(tied))
        .group_by(Kudos.recipient_id)
        .having(func.count(distinct(Kudos.giver_id)) > givers)
        .subquery()
    )
    return ahead + session.execute(select(func.count()).select_from(more_givers)).scalar_one()


# --- all time, from the totals ------------------------------------------------------
#
# `member_totals` holds every member's all-time figures, kept by the ledger writer in
# the same transaction as the ledger (bot/db/repositories/totals.py). The boards below
# give what the ledger queries above give for start=None, read from a table of one row
# per member instead of a million ledger entries; bots, deactivated and opted-out
# members are filtered here, at read time, as above.


def totals_cover(session: Session, workspace_id: int, end: datetime) -> bool:
    """Whether the totals are the all-time figures up to `end`: true unless the workspace
    has ledger entries or stories created at or after `end` (the totals count everything
    recorded; such rows exist only when a board is asked for a moment in the past, or a
    clock is off). Two look-ups of the newest rows through the workspace's time indexes."""
    later_entry = exists().where(Kudos.workspace_id == workspace_id, Kudos.created_at >= end)
    later_story = exists().where(Story.workspace_id == workspace_id, Story.created_at >= end)
    return not session.execute(select(later_entry | later_story)).scalar_one()


def all_time_recipients_and_teams(
    session: Session, workspace_id: int, limit: int
) -> tuple[list[PersonRow], list[TeamRow]]:
    """recipients_and_teams for all time, from the totals."""
    if limit < 1:
        return [], []
    people = session.execute(
        select(Member.slack_user_id, MemberTotals.points_received, MemberTotals.distinct_givers)
        .join(Member, Member.id == MemberTotals.member_id)
        .where(
            MemberTotals.workspace_id == workspace_id,
            MemberTotals.points_received > 0,
            *_named(Member),
        )
        .order_by(
            MemberTotals.points_received.desc(),
            MemberTotals.distinct_givers.desc(),
            Member.slack_user_id,
        )
        .limit(limit)
    )
    team_points = func.sum(MemberTotals.points_received)
    team_people = func.count()
    teams = session.execute(
        select(Team.id, Team.name, team_points, team_people)
        .select_from(MemberTotals)
        .join(Member, Member.id == MemberTotals.member_id)
        .join(Team, Team.id == Member.team_id)
        .where(
            MemberTotals.workspace_id == workspace_id,
            MemberTotals.points_received > 0,
            *_counted(Member),
        )
        .group_by(Team.id, Team.name)
        .order_by(team_points.desc(), team_people.desc(), Team.name)
        .limit(limit)
    )
    return [PersonRow(*row) for row in people], [TeamRow(*row) for row in teams]


def all_time_givers(session: Session, workspace_id: int, limit: int) -> list[GiverRow]:
    """top_givers for all time, from the totals."""
    if limit < 1:
        return []
    rows = session.execute(
        select(
            Member.slack_user_id,
            MemberTotals.kudos_given,
            MemberTotals.distinct_kudos_recipients,
        )
        .join(Member, Member.id == MemberTotals.member_id)
        .where(
            MemberTotals.workspace_id == workspace_id,
            MemberTotals.kudos_given > 0,
            *_named(Member),
        )
        .order_by(
            MemberTotals.kudos_given.desc(),
            MemberTotals.distinct_kudos_recipients.desc(),
            Member.slack_user_id,
        )
        .limit(limit)
    )
    return [GiverRow(*row) for row in rows]


def all_time_storytellers(session: Session, workspace_id: int, limit: int) -> list[StorytellerRow]:
    """top_storytellers for all time, from the totals."""
    if limit < 1:
        return []
    rows = session.execute(
        select(Member.slack_user_id, MemberTotals.stories, MemberTotals.story_tags)
        .join(Member, Member.id == MemberTotals.member_id)
        .where(
            MemberTotals.workspace_id == workspace_id,
            MemberTotals.stories > 0,
            *_named(Member),
        )
        .order_by(MemberTotals.story_tags.desc(), MemberTotals.stories.desc(), Member.slack_user_id)
        .limit(limit)
    )
    return [StorytellerRow(*row) for row in rows]


def all_time_recipient_totals(
    session: Session, workspace_id: int, member_id: int
) -> tuple[int, int]:
    """recipient_totals for all time, from the totals."""
    row = session.execute(
        select(MemberTotals.points_received, MemberTotals.distinct_givers).where(
            MemberTotals.workspace_id == workspace_id, MemberTotals.member_id == member_id
        )
    ).first()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def all_time_recipients_ahead(
    session: Session, workspace_id: int, member_id: int, points: int, givers: int
) -> int:
    """recipients_ahead for all time, from the totals (`points` > 0)."""
    return session.execute(
        select(func.count())
        .select_from(MemberTotals)
        .join(Member, Member.id == MemberTotals.member_id)
        .where(
            MemberTotals.workspace_id == workspace_id,
            MemberTotals.member_id != member_id,
            MemberTotals.points_received >= points,
            or_(
                MemberTotals.points_received > points,
                MemberTotals.distinct_givers > givers,
            ),
            *_named(Member),
        )
    ).scalar_one()


# --- building blocks ------------------------------------------------------------------


def _ledger(workspace_id: int, start: datetime | None, end: datetime) -> list[ColumnElement[bool]]:
    """Live (not reversed) ledger entries of the workspace created in [start, end)."""
    conditions: list[ColumnElement[bool]] = [
        Kudos.workspace_id == workspace_id,
        Kudos.created_at < end,
        not_reversed(),
    ]
    if start is not None:
        conditions.append(Kudos.created_at >= start)
    return conditions


def _received(workspace_id: int, start: datetime | None, end: datetime) -> Select[Any]:
    """Per recipient: the points received (`total`) over live entries of the period."""
    return (
        select(Kudos.recipient_id.label("member_id"), func.sum(Kudos.points).label("total"))
        .where(*_ledger(workspace_id, start, end))
        .group_by(Kudos.recipient_id)
    )


def _contenders(totals: CTE, limit: int) -> Subquery:
    """The named members of `totals` (member_id, total) who can still make a board of
    `limit`, whatever their tie-breaker: those with at least the `limit`-th best total
    (everyone, if there are fewer)."""
    named = (
        select(totals.c.member_id, Member.slack_user_id.label("user_id"), totals.c.total)
        .join(Member, Member.id == totals.c.member_id)
        .where(*_named(Member))
        .cte(f"{totals.name}_named")
    )
    cutoff = (
        select(named.c.total)
        .order_by(named.c.total.desc())
        .limit(1)
        .offset(limit - 1)
        .scalar_subquery()
    )
    return select(named).where(named.c.total >= func.coalesce(cutoff, 0)).subquery()


def _top_recipients(
    session: Session,
    workspace_id: int,
    start: datetime | None,
    end: datetime,
    member_ids: list[int],
    limit: int,
) -> list[PersonRow]:
    """The board among `member_ids`: points and distinct givers, read through
    `ix_kudos_recipient_created` for just these people."""
    if not member_ids:
        return []
    points = func.sum(Kudos.points)
    givers = func.count(distinct(Kudos.giver_id))
    rows = session.execute(
        select(Member.slack_user_id, points, givers)
        .join(Member, Member.id == Kudos.recipient_id)
        .where(*_ledger(workspace_id, start, end), Kudos.recipient_id.in_(member_ids))
        .group_by(Member.id, Member.slack_user_id)
        .order_by(points.desc(), givers.desc(), Member.slack_user_id)
        .limit(limit)
    )
    return [PersonRow(*row) for row in rows]


def _counted(member: type[Member]) -> list[ColumnElement[bool]]:
    """People whose recognition counts at all: active humans."""
    return [member.is_active.is_(True), member.is_bot.is_(False)]


def _named(member: type[Member]) -> list[ColumnElement[bool]]:
    """People who may be named on a leaderboard: counted, and not opted out."""
    return [*_counted(member), member.leaderboard_opt_out.is_(False)]
