"""Queries for the pulse: rounds, invites, anonymous answers and comments. Never commits.

Nothing here ever joins answers or comments to invites or members: there is no column to
join them on, and no query should look as if it tried. Answer and comment writes are
upserts keyed by (round, response key), ordinary statements of the caller's transaction
on both backends (no SAVEPOINT: see bot/db/insert.py).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import Row, bindparam, delete, func, select, update
from sqlalchemy.orm import Session

from bot.db.insert import dialect_insert, insert_missing
from bot.db.models import (
    Member,
    PulseAnswer,
    PulseComment,
    PulseInvite,
    PulseQuestion,
    PulseRound,
    PulseRoundQuestion,
    Team,
)

# --- rounds ---------------------------------------------------------------------------


def add_round(
    session: Session,
    workspace_id: int,
    period: str,
    min_group: int,
    opens_at: datetime,
    closes_at: datetime,
) -> None:
    insert_missing(
        session,
        PulseRound,
        [
            {
                "workspace_id": workspace_id,
                "period": period,
                "min_group": min_group,
                "status": "open",
                "opens_at": opens_at,
                "closes_at": closes_at,
            }
        ],
        unique_on=("workspace_id", "period"),
    )


def round_by_period(session: Session, workspace_id: int, period: str) -> PulseRound | None:
    return session.scalar(
        select(PulseRound).where(
            PulseRound.workspace_id == workspace_id, PulseRound.period == period
        )
    )


def round_by_id(session: Session, round_id: int) -> PulseRound | None:
    return session.get(PulseRound, round_id)


def add_round_questions(session: Session, round_id: int, question_ids: Sequence[int]) -> None:
    insert_missing(
        session,
        PulseRoundQuestion,
        [
            {"round_id": round_id, "question_id": question_id, "position": position}
            for position, question_id in enumerate(question_ids)
        ],
        unique_on=("round_id", "question_id"),
    )


def round_questions(session: Session, round_id: int) -> list[PulseQuestion]:
    return list(
        session.scalars(
            select(PulseQuestion)
            .join(PulseRoundQuestion, PulseRoundQuestion.question_id == PulseQuestion.id)
            .where(PulseRoundQuestion.round_id == round_id)
            .order_by(PulseRoundQuestion.position)
        )
    )


def open_round_at(session: Session, workspace_id: int, now: datetime) -> PulseRound | None:
    return session.scalar(
        select(PulseRound)
        .where(
            PulseRound.workspace_id == workspace_id,
            PulseRound.status == "open",
            PulseRound.opens_at <= now,
            PulseRound.closes_at > now,
        )
        .order_by(PulseRound.opens_at.desc(), PulseRound.id.desc())
        .limit(1)
    )


def overdue_round(session: Session, workspace_id: int, now: datetime) -> PulseRound | None:
    return session.scalar(
        select(PulseRound)
        .where(
            PulseRound.workspace_id == workspace_id,
            PulseRound.status == "open",
            PulseRound.closes_at <= now,
        )
        .order_by(PulseRound.closes_at, PulseRound.id)
        .limit(1)
    )


def last_closed_round_id(session: Session, workspace_id: int) -> int | None:
    return session.scalar(
        select(PulseRound.id)
        .where(PulseRound.workspace_id == workspace_id, PulseRound.status == "closed")
        .order_by(PulseRound.opens_at.desc(), PulseRound.id.desc())
        .limit(1)
    )


def close(session: Session, round_id: int, now: datetime) -> None:
    session.execute(
        update(PulseRound)
        .where(PulseRound.id == round_id, PulseRound.status != "closed")
        .values(status="closed", closed_at=now)
        .execution_options(synchronize_session=False)
    )


def previous_closed_rounds(
    session: Session, workspace_id: int, before: datetime, limit: int
) -> list[PulseRound]:
    rounds = session.scalars(
        select(PulseRound)
        .where(
            PulseRound.workspace_id == workspace_id,
            PulseRound.status == "closed",
            PulseRound.opens_at < before,
        )
        .order_by(PulseRound.opens_at.desc())
        .limit(limit)
    )
    return list(reversed(list(rounds)))


# --- invites --------------------------------------------------------------------------


def uninvited_members(
    session: Session, workspace_id: int, round_id: int | None, include_guests: bool
) -> list[Member]:
    """Active people not invited to the round yet (all of them when it is not open)."""
    query = select(Member).where(
        Member.workspace_id == workspace_id,
        Member.is_bot.is_(False),
        Member.is_active.is_(True),
    )
    if round_id is not None:
        invited = select(PulseInvite.member_id).where(PulseInvite.round_id == round_id)
        query = query.where(Member.id.not_in(invited))
    if not include_guests:
        query = query.where(Member.is_guest.is_(False))
    return list(session.scalars(query.order_by(Member.id)))


def add_invite(
    session: Session,
    workspace_id: int,
    round_id: int,
    member_id: int,
    channel_id: str | None,
    message_ts: str | None,
) -> None:
    insert_missing(
        session,
        PulseInvite,
        [
            {
                "workspace_id": workspace_id,
                "round_id": round_id,
                "member_id": member_id,
                "status": "sent",
                "channel_id": channel_id,
                "message_ts": message_ts,
                "reminded": False,
            }
        ],
        unique_on=("round_id", "member_id"),
    )


def round_status_and_invite(
    session: Session, round_id: int, member_id: int
) -> Row[tuple[str, bool]] | None:
    """The round's status and whether the member has its invite, in one statement (the
    fan-out asks before each pulse DM)."""
    return session.execute(
        _ROUND_STATUS_AND_INVITE, {"round_id": round_id, "member_id": member_id}
    ).one_or_none()


# Built once: the fan-out runs it for every pulse DM, and building costs more than running.
_ROUND_STATUS_AND_INVITE = select(
    PulseRound.status,
    select(PulseInvite.id)
    .where(
        PulseInvite.round_id == bindparam("round_id"),
        PulseInvite.member_id == bindparam("member_id"),
    )
    .exists(),
).where(PulseRound.id == bindparam("round_id"))


def invite(session: Session, round_id: int, member_id: int) -> PulseInvite | None:
    return session.scalar(
        select(PulseInvite).where(
            PulseInvite.round_id == round_id, PulseInvite.member_id == member_id
        )
    )


def set_invite_status(
    session: Session, round_id: int, member_id: int, status: str, *, only_from: Collection[str]
) -> None:
    session.execute(
        update(PulseInvite)
        .where(
            PulseInvite.round_id == round_id,
            PulseInvite.member_id == member_id,
            PulseInvite.status.in_(list(only_from)),
        )
        .values(status=status)
        .execution_options(synchronize_session="fetch")
    )


def invites_to_remind(session: Session, round_id: int) -> list[Row[tuple[PulseInvite, Member]]]:
    return list(
        session.execute(
            select(PulseInvite, Member)
            .join(Member, Member.id == PulseInvite.member_id)
            .where(
                PulseInvite.round_id == round_id,
                PulseInvite.status == "sent",
                PulseInvite.reminded.is_(False),
                Member.is_active.is_(True),
            )
            .order_by(PulseInvite.member_id)
        )
    )


def set_reminded(session: Session, round_id: int, member_id: int) -> None:
    session.execute(
        update(PulseInvite)
        .where(PulseInvite.round_id == round_id, PulseInvite.member_id == member_id)
        .values(reminded=True)
        .execution_options(synchronize_session="fetch")
    )


def invite_counts(session: Session, round_id: int) -> dict[str, int]:
    rows = session.execute(
        select(PulseInvite.status, func.count())
        .where(PulseInvite.round_id == round_id)
        .group_by(PulseInvite.status)
    )
    return {status: count for status, count in rows}


# --- answers and comments (anonymous) ---------------------------------------------------


def upsert_answer(
    session: Session,
    workspace_id: int,
    round_id: int,
    question_id: int,
    value: int,
    team_id: int | None,
    response_key: str,
) -> None:
    statement = dialect_insert(session, PulseAnswer).values(
        workspace_id=workspace_id,
        round_id=round_id,
        question_id=question_id,
        value=value,
        team_id=team_id,
        response_key=response_key,
    )
    statement = statement.on_conflict_do_update(
        index_elements=["round_id", "response_key"],
        set_={"value": statement.excluded.value, "team_id": statement.excluded.team_id},
    )
    session.execute(statement)


def answered_keys(session: Session, round_id: int, response_keys: Collection[str]) -> set[str]:
    if not response_keys:
        return set()
    return set(
        session.scalars(
            select(PulseAnswer.response_key).where(
                PulseAnswer.round_id == round_id,
                PulseAnswer.response_key.in_(list(response_keys)),
            )
        )
    )


def upsert_comment(
    session: Session,
    workspace_id: int,
    round_id: int,
    team_id: int | None,
    text: str,
    response_key: str,
) -> None:
    statement = dialect_insert(session, PulseComment).values(
        workspace_id=workspace_id,
        round_id=round_id,
        team_id=team_id,
        text=text,
        response_key=response_key,
    )
    statement = statement.on_conflict_do_update(
        index_elements=["round_id", "response_key"],
        set_={"text": statement.excluded.text, "team_id": statement.excluded.team_id},
    )
    session.execute(statement)


def delete_comment(session: Session, round_id: int, response_key: str) -> None:
    session.execute(
        delete(PulseComment).where(
            PulseComment.round_id == round_id, PulseComment.response_key == response_key
        )
    )


def answer_values(session: Session, round_id: int) -> list[Row[tuple[int, int, int | None]]]:
    """(question_id, value, team_id) of every answer in the round, in no meaningful order."""
    return list(
        session.execute(
            select(PulseAnswer.question_id, PulseAnswer.value, PulseAnswer.team_id).where(
                PulseAnswer.round_id == round_id
            )
        )
    )


def comment_texts(session: Session, round_id: int) -> list[str]:
    return list(session.scalars(select(PulseComment.text).where(PulseComment.round_id == round_id)))


def team_names(session: Session, workspace_id: int) -> dict[int, str]:
    rows = session.execute(select(Team.id, Team.name).where(Team.workspace_id == workspace_id))
    return {team_id: name for team_id, name in rows}
