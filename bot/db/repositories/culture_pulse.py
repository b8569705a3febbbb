"""Queries for the HR culture-pulse summary and the pulse CSV export. Never commits.

The trend readers take the few rounds of a trend at once and answer for all of them in
one statement each, so a 12-week trend costs the same four statements whatever its
length. Answers are read as tallies (how many answers of each value a team gave to a
question): the same anonymous facts `pulse.answer_values` gives, counted by the database.
Nothing here joins answers or comments to invites or members.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import ColumnElement, and_, distinct, exists, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from bot.db.models import (
    Kudos,
    KudosReversal,
    PulseAnswer,
    PulseInvite,
    PulseQuestion,
    PulseRound,
    PulseRoundQuestion,
    Story,
    StoryBacking,
    StoryTag,
    Workspace,
)

KUDOS_KIND = "kudos"
"""Ledger entries given on purpose, with a reason (the other kind, "tag", comes from
tagging a story)."""


class AnswerTally(NamedTuple):
    round_id: int
    question_id: int
    team_id: int | None
    value: int
    answers: int


class RecognitionCounts(NamedTuple):
    stories: int
    tags: int
    stories_tagged: int
    kudos: int
    points: int
    givers: int
    recipients: int
    backings: int


# --- the trend ------------------------------------------------------------------------


def closed_rounds_up_to(session: Session, current: PulseRound, limit: int) -> list[PulseRound]:
    """The workspace's last `limit` closed rounds that opened no later than `current`
    (itself included when closed), oldest first."""
    rounds = session.scalars(
        select(PulseRound)
        .where(
            PulseRound.workspace_id == current.workspace_id,
            PulseRound.status == "closed",
            or_(
                PulseRound.opens_at < current.opens_at,
                and_(PulseRound.opens_at == current.opens_at, PulseRound.id <= current.id),
            ),
        )
        .order_by(PulseRound.opens_at.desc(), PulseRound.id.desc())
        .limit(limit)
    )
    return list(reversed(list(rounds)))


def questions_by_round(
    session: Session, round_ids: Collection[int]
) -> dict[int, list[PulseQuestion]]:
    """Each round's questions in the order its DM asks them."""
    found: dict[int, list[PulseQuestion]] = defaultdict(list)
    if not round_ids:
        return found
    rows = session.execute(
        select(PulseRoundQuestion.round_id, PulseQuestion)
        .join(PulseQuestion, PulseQuestion.id == PulseRoundQuestion.question_id)
        .where(PulseRoundQuestion.round_id.in_(list(round_ids)))
        .order_by(PulseRoundQuestion.round_id, PulseRoundQuestion.position)
    )
    for round_id, question in rows:
        found[round_id].append(question)
    return found


def answer_tallies(session: Session, round_ids: Collection[int]) -> list[AnswerTally]:
    """How many answers of each value each team (None: no team) gave to each question of
    the rounds."""
    if not round_ids:
        return []
    answers = func.count()
    rows = session.execute(
        select(
            PulseAnswer.round_id,
            PulseAnswer.question_id,
            PulseAnswer.team_id,
            PulseAnswer.value,
            answers,
        )
        .where(PulseAnswer.round_id.in_(list(round_ids)))
        .group_by(
            PulseAnswer.round_id, PulseAnswer.question_id, PulseAnswer.team_id, PulseAnswer.value
        )
    )
    return [AnswerTally(*row) for row in rows]


def invite_counts_by_round(
    session: Session, round_ids: Collection[int]
) -> dict[int, dict[str, int]]:
    """Invites per status ("sent", "completed", "skipped") of each round."""
    found: dict[int, dict[str, int]] = defaultdict(dict)
    if not round_ids:
        return found
    rows = session.execute(
        select(PulseInvite.round_id, PulseInvite.status, func.count())
        .where(PulseInvite.round_id.in_(list(round_ids)))
        .group_by(PulseInvite.round_id, PulseInvite.status)
    )
    for round_id, status, count in rows:
        found[round_id][status] = count
    return found


# --- recognition ----------------------------------------------------------------------


def recognition_counts(
    session: Session, workspace_id: int, start: datetime, end: datetime
) -> RecognitionCounts:
    """Recognition in [start, end), in one statement of scalar subqueries:

    - stories: stories posted (not deleted);
    - tags / stories_tagged: "positive moment of truth" tags given, and the distinct
      stories they went to (tags on deleted stories are gone with their story);
    - kudos: live ledger entries given with a reason (one per recipient);
    - points / givers / recipients: over every live entry (kudos and tag points);
    - backings: leaders' backings of not-deleted stories.

    Live means not reversed (no `kudos_reversals` row).
    """
    live_story = Story.deleted_at.is_(None)

    def created(column: InstrumentedAttribute[datetime]) -> list[ColumnElement[bool]]:
        return [column >= start, column < end]

    stories = (
        select(func.count())
        .select_from(Story)
        .where(Story.workspace_id == workspace_id, live_story, *created(Story.created_at))
        .scalar_subquery()
    )
    tag_rows = (
        select(StoryTag.id, StoryTag.story_id)
        .join(Story, Story.id == StoryTag.story_id)
        .where(StoryTag.workspace_id == workspace_id, live_story, *created(StoryTag.created_at))
        .subquery()
    )
    tags = select(func.count()).select_from(tag_rows).scalar_subquery()
    stories_tagged = (
        select(func.count(distinct(tag_rows.c.story_id))).select_from(tag_rows).scalar_subquery()
    )
    live = [
        Kudos.workspace_id == workspace_id,
        *created(Kudos.created_at),
        ~exists().where(KudosReversal.kudos_id == Kudos.id),
    ]
    kudos = select(func.count()).where(*live, Kudos.kind == KUDOS_KIND).scalar_subquery()
    points = select(func.coalesce(func.sum(Kudos.points), 0)).where(*live).scalar_subquery()
    givers = select(func.count(distinct(Kudos.giver_id))).where(*live).scalar_subquery()
    recipients = select(func.count(distinct(Kudos.recipient_id))).where(*live).scalar_subquery()
    backings = (
        select(func.count())
        .select_from(StoryBacking)
        .join(Story, Story.id == StoryBacking.story_id)
        .where(
            StoryBacking.workspace_id == workspace_id,
            live_story,
            *created(StoryBacking.created_at),
        )
        .scalar_subquery()
    )
    row = session.execute(
        select(stories, tags, stories_tagged, kudos, points, givers, recipients, backings)
    ).one()
    return RecognitionCounts(*(int(value or 0) for value in row))


# --- the export -----------------------------------------------------------------------


def workspaces(session: Session) -> list[tuple[int, str]]:
    """(id, Slack team id) of every workspace, by team id."""
    rows = session.execute(select(Workspace.id, Workspace.team_id).order_by(Workspace.team_id))
    return [(workspace_id, team_id) for workspace_id, team_id in rows]
