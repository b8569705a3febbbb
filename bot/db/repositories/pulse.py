"""Queries for the pulse: rounds, invites, the ballot box, anonymous answers and
comments. Never commits.

Nothing here ever joins ballots, answers or comments to invites or members: there is no
column to join them on, and no query should look as if it tried. A ballot is an upsert
keyed by (round, response key), an ordinary statement of the caller's transaction on both
backends (no SAVEPOINT: see bot/db/insert.py).
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Integer,
    LargeBinary,
    Row,
    String,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from bot.db.insert import backend_insert, insert_missing
from bot.db.models import (
    Member,
    PulseAnswer,
    PulseBallot,
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
    ballot_check: str,
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
                "ballot_check": ballot_check,
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


def adopt_ballot(session: Session, round_id: int, member_id: int, ballot_check: str) -> None:
    """Give an invite sent before ballots were checked the check of its first ballot."""
    session.execute(
        update(PulseInvite)
        .where(
            PulseInvite.round_id == round_id,
            PulseInvite.member_id == member_id,
            PulseInvite.ballot_check.is_(None),
        )
        .values(ballot_check=ballot_check)
        .execution_options(synchronize_session="fetch")
    )


# --- the ballot box (sealed, while a round is open) ---------------------------------------


def cast_ballot(
    session: Session, workspace_id: int, round_id: int, response_key: str, sealed: bytes
) -> bool:
    """Put a sealed ballot in the box, or replace the one under the same key; False (and
    nothing written) if the round is no longer open.

    One statement, so that it cannot slip in after the round's close has emptied the box:
    on PostgreSQL the round row is read FOR SHARE, which waits for a closing transaction
    and then sees it closed; on SQLite the statement runs under the write lock."""
    values = {
        "round_id": round_id,
        "response_key": response_key,
        "workspace_id": workspace_id,
        "sealed": sealed,
    }
    cast = session.execute(_cast_statement(session.get_bind().dialect.name), values)
    return cast.first() is not None


@functools.cache
def _cast_statement(dialect: str) -> Any:
    still_open = (
        select(PulseRound.id)
        .where(PulseRound.id == bindparam("round_id"), PulseRound.status == "open")
        .with_for_update(read=True)
        .exists()
    )
    source = select(
        bindparam("round_id", type_=Integer),
        bindparam("response_key", type_=String),
        bindparam("workspace_id", type_=Integer),
        bindparam("sealed", type_=LargeBinary),
    ).where(still_open)
    statement = backend_insert(dialect, PulseBallot).from_select(
        ["round_id", "response_key", "workspace_id", "sealed"], source
    )
    # RETURNING, not rowcount: psycopg reports no row count for INSERT ... SELECT.
    return statement.on_conflict_do_update(
        index_elements=["round_id", "response_key"],
        set_={"sealed": statement.excluded.sealed},
    ).returning(PulseBallot.round_id)


def withdraw_ballot(session: Session, round_id: int, response_key: str) -> None:
    session.execute(
        delete(PulseBallot).where(
            PulseBallot.round_id == round_id, PulseBallot.response_key == response_key
        )
    )
    drop_legacy_answer(session, round_id, response_key)


def drop_legacy_answer(session: Session, round_id: int, response_key: str) -> None:
    """Remove an answer or comment stored under this key before the ballot box (migration
    0007): the ballot just cast replaces it."""
    for model in (PulseAnswer, PulseComment):
        session.execute(
            delete(model).where(model.round_id == round_id, model.response_key == response_key)
        )


def cast_keys(session: Session, round_id: int, response_keys: Collection[str]) -> set[str]:
    """Which of these keys have a ballot in the round (or an answer stored before the
    ballot box, in a round open at the upgrade)."""
    if not response_keys:
        return set()
    wanted = list(response_keys)
    found = set(
        session.scalars(
            select(PulseBallot.response_key).where(
                PulseBallot.round_id == round_id, PulseBallot.response_key.in_(wanted)
            )
        )
    )
    for model in (PulseAnswer, PulseComment):
        found.update(
            session.scalars(
                select(model.response_key).where(
                    model.round_id == round_id, model.response_key.in_(wanted)
                )
            )
        )
    return found


def ballots_of_round(session: Session, round_id: int) -> list[Row[tuple[str, bytes]]]:
    return list(
        session.execute(
            select(PulseBallot.response_key, PulseBallot.sealed).where(
                PulseBallot.round_id == round_id
            )
        )
    )


def empty_ballot_box(session: Session, round_id: int) -> None:
    session.execute(delete(PulseBallot).where(PulseBallot.round_id == round_id))


def add_counted_answers(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert answers in the order given (the caller has shuffled them), with random ids."""
    if rows:
        session.execute(
            insert(PulseAnswer.__table__),
            [{"id": uuid.uuid4(), **row} for row in rows],
        )


def add_counted_comments(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        session.execute(
            insert(PulseComment.__table__),
            [{"id": uuid.uuid4(), **row} for row in rows],
        )


def drop_response_keys(session: Session, round_id: int) -> int:
    """Forget the keys of answers stored before the ballot box once their round closes;
    how many rows had one."""
    changed = 0
    for model in (PulseAnswer, PulseComment):
        result = session.execute(
            update(model)
            .where(model.round_id == round_id, model.response_key.is_not(None))
            .values(response_key=None)
            .execution_options(synchronize_session=False)
        )
        changed += result.rowcount or 0
    return changed


# --- answers and comments (anonymous, counted) -------------------------------------------


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
