"""Rounds that were running when revision 0007 (the ballot box) is applied keep working.

Before 0007 an answer was stored at once, in the results table, under the response key
of the secret its DM carried, and invites kept nothing of that secret. After it: closed
rounds' answers are still counted (without their keys), and people still in an open
round can change what they answered, with the same DM, and nothing is counted twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from bot.db.engine import SessionFactory, make_engine, make_session_factory, unit_of_work
from bot.db.migrate import downgrade, upgrade
from bot.db.models import PulseAnswer, PulseComment, PulseInvite
from bot.domain.ballots import new_ballot, response_key
from bot.domain.directory import Profile, Requester, WorkspaceDefaults, register_requester
from bot.domain.errors import DomainError
from bot.domain.pulse import (
    COMMENT_QUESTION,
    AnswerOutcome,
    RoundInfo,
    close_round,
    open_round,
    record_answer,
    record_comment,
    record_invite,
)
from tests.support.units import run

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # Tuesday of 2026-W48
TEAM = "T0LEGACY1"
SERVER_KEY = "server-key-for-tests"

LEGACY_ANSWERS = sa.table(
    "pulse_answers",
    sa.column("id", sa.Uuid()),
    sa.column("workspace_id", sa.Integer()),
    sa.column("round_id", sa.Integer()),
    sa.column("question_id", sa.Integer()),
    sa.column("value", sa.SmallInteger()),
    sa.column("team_id", sa.Integer()),
    sa.column("response_key", sa.String(64)),
)
LEGACY_COMMENTS = sa.table(
    "pulse_comments",
    sa.column("id", sa.Uuid()),
    sa.column("workspace_id", sa.Integer()),
    sa.column("round_id", sa.Integer()),
    sa.column("team_id", sa.Integer()),
    sa.column("text", sa.Text()),
    sa.column("response_key", sa.String(64)),
)


@dataclass(frozen=True)
class LegacyVoter:
    """Someone who answered before 0007: who they are and the secret their DM carried."""

    requester: Requester
    secret: str


@dataclass
class Legacy:
    """A database upgraded through 0007 while one round was closed and one still open."""

    sessions: SessionFactory
    closed: RoundInfo
    running: RoundInfo
    alice: LegacyVoter
    bob: LegacyVoter


def _person(sessions: SessionFactory, user_id: str) -> Requester:
    with unit_of_work(sessions) as session:
        return register_requester(
            session, TEAM, Profile(user_id), WorkspaceDefaults(), NOW - timedelta(days=30)
        )


def _legacy_answer(
    connection: sa.Connection, voter: LegacyVoter, round_id: int, question_id: int, value: int
) -> None:
    connection.execute(
        LEGACY_ANSWERS.insert().values(
            id=uuid.uuid4(),
            workspace_id=voter.requester.workspace_id,
            round_id=round_id,
            question_id=question_id,
            value=value,
            team_id=None,
            response_key=response_key(SERVER_KEY, voter.secret, question_id),
        )
    )


def _legacy_comment(
    connection: sa.Connection, voter: LegacyVoter, round_id: int, text: str
) -> None:
    connection.execute(
        LEGACY_COMMENTS.insert().values(
            id=uuid.uuid4(),
            workspace_id=voter.requester.workspace_id,
            round_id=round_id,
            team_id=None,
            text=text,
            response_key=response_key(SERVER_KEY, voter.secret, COMMENT_QUESTION),
        )
    )


@pytest.fixture
def legacy(empty_database_url: str) -> Iterator[Legacy]:
    """Two rounds at revision 0006: W47 closed with three answers stored, W48 open with
    alice's answers to two questions and a comment, and bob's answer to one. Then
    upgraded to head."""
    upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    sessions = make_session_factory(engine)
    alice = LegacyVoter(_person(sessions, "U0ALICE01"), new_ballot())
    bob = LegacyVoter(_person(sessions, "U0BOB0001"), new_ballot())
    workspace_id = alice.requester.workspace_id
    closed = run(sessions, open_round, workspace_id, "2026-W47", NOW - timedelta(days=7))
    run(sessions, close_round, workspace_id, closed.id, NOW - timedelta(days=4), SERVER_KEY)
    running = run(sessions, open_round, workspace_id, "2026-W48", NOW)
    for voter in (alice, bob):
        member_id = voter.requester.member_id
        run(sessions, record_invite, workspace_id, running.id, member_id, "D0X", "1.1", "c")
    engine.dispose()

    downgrade(empty_database_url, "0006")
    engine = make_engine(empty_database_url)
    first, second = running.questions[0].id, running.questions[1].id
    with engine.begin() as connection:
        for question in closed.questions:
            _legacy_answer(connection, alice, closed.id, question.id, 4)
        _legacy_answer(connection, bob, closed.id, closed.questions[0].id, 2)
        _legacy_comment(connection, bob, closed.id, "Last week was fine")
        _legacy_answer(connection, alice, running.id, first, 2)
        _legacy_answer(connection, alice, running.id, second, 3)
        _legacy_answer(connection, bob, running.id, first, 5)
        _legacy_comment(connection, alice, running.id, "Too many rules")
    engine.dispose()

    upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    yield Legacy(make_session_factory(engine), closed, running, alice, bob)
    engine.dispose()


def _answers(sessions: SessionFactory, round_id: int) -> list[tuple[int, int, str | None]]:
    with sessions() as session:
        rows = session.execute(
            sa.select(PulseAnswer.question_id, PulseAnswer.value, PulseAnswer.response_key)
            .where(PulseAnswer.round_id == round_id)
            .order_by(PulseAnswer.question_id, PulseAnswer.value)
        )
        return [tuple(row) for row in rows]


def _comments(sessions: SessionFactory, round_id: int) -> list[tuple[str, str | None]]:
    with sessions() as session:
        rows = session.execute(
            sa.select(PulseComment.text, PulseComment.response_key).where(
                PulseComment.round_id == round_id
            )
        )
        return sorted(tuple(row) for row in rows)


def _answer(
    legacy: Legacy, voter: LegacyVoter, question_id: int, value: int, ballot: str
) -> AnswerOutcome:
    return run(
        legacy.sessions,
        record_answer,
        voter.requester,
        legacy.running.id,
        question_id,
        value,
        ballot,
        SERVER_KEY,
        NOW + timedelta(hours=1),
    )


def test_a_closed_rounds_answers_stay_counted_without_their_keys(legacy):
    counted = _answers(legacy.sessions, legacy.closed.id)

    first = legacy.closed.questions[0].id
    assert sorted((question, value) for question, value, _ in counted) == sorted(
        [(question.id, 4) for question in legacy.closed.questions] + [(first, 2)]
    )
    assert {key for _, _, key in counted} == {None}
    assert _comments(legacy.sessions, legacy.closed.id) == [("Last week was fine", None)]


def test_an_open_rounds_answers_keep_their_keys_and_its_invites_hold_no_check(legacy):
    first, second = legacy.running.questions[0].id, legacy.running.questions[1].id

    assert _answers(legacy.sessions, legacy.running.id) == [
        (first, 2, response_key(SERVER_KEY, legacy.alice.secret, first)),
        (first, 5, response_key(SERVER_KEY, legacy.bob.secret, first)),
        (second, 3, response_key(SERVER_KEY, legacy.alice.secret, second)),
    ]
    assert _comments(legacy.sessions, legacy.running.id) == [
        ("Too many rules", response_key(SERVER_KEY, legacy.alice.secret, COMMENT_QUESTION))
    ]
    assert _check_of(legacy, legacy.alice) is _check_of(legacy, legacy.bob) is None


def test_changing_a_legacy_answer_replaces_it_and_nothing_is_counted_twice(legacy):
    first, second = legacy.running.questions[0].id, legacy.running.questions[1].id
    alice = legacy.alice

    outcome = _answer(legacy, alice, first, 4, alice.secret)
    run(
        legacy.sessions,
        record_comment,
        alice.requester,
        legacy.running.id,
        "Fewer rules now",
        alice.secret,
        SERVER_KEY,
        NOW + timedelta(hours=1),
    )

    assert set(outcome.answered_question_ids) == {first, second}  # q2 before the upgrade
    assert _answers(legacy.sessions, legacy.running.id) == [
        (first, 5, response_key(SERVER_KEY, legacy.bob.secret, first)),
        (second, 3, response_key(SERVER_KEY, alice.secret, second)),
    ]
    assert _comments(legacy.sessions, legacy.running.id) == []

    workspace_id = alice.requester.workspace_id
    run(
        legacy.sessions,
        close_round,
        workspace_id,
        legacy.running.id,
        legacy.running.closes_at,
        SERVER_KEY,
    )

    assert [(q, v) for q, v, _ in _answers(legacy.sessions, legacy.running.id)] == [
        (first, 4),
        (first, 5),
        (second, 3),
    ]
    assert {key for _, _, key in _answers(legacy.sessions, legacy.running.id)} == {None}
    assert _comments(legacy.sessions, legacy.running.id) == [("Fewer rules now", None)]


def test_once_a_legacy_invite_has_adopted_its_ballot_no_other_is_taken(legacy):
    first = legacy.running.questions[0].id
    alice = legacy.alice
    _answer(legacy, alice, first, 4, alice.secret)

    with pytest.raises(DomainError) as forged:
        _answer(legacy, alice, first, 1, new_ballot())

    assert forged.value.key == "pulse.errors.not_your_ballot"
    assert _check_of(legacy, alice) is not None
    assert sorted(v for q, v, _ in _answers(legacy.sessions, legacy.running.id) if q == first) == [
        5
    ]


def test_a_finished_legacy_invite_takes_only_a_ballot_that_already_answered(legacy):
    """Someone who finished before the upgrade cannot start a second set of answers with
    a made-up ballot; the ballot of their DM (it has answers) still changes them."""
    first = legacy.running.questions[0].id
    bob = legacy.bob
    with unit_of_work(legacy.sessions) as session:
        session.execute(
            sa.update(PulseInvite)
            .where(PulseInvite.member_id == bob.requester.member_id)
            .values(status="completed")
        )

    with pytest.raises(DomainError) as made_up:
        _answer(legacy, bob, first, 1, new_ballot())
    assert made_up.value.key == "pulse.errors.not_your_ballot"
    assert _check_of(legacy, bob) is None

    _answer(legacy, bob, first, 3, bob.secret)

    assert _check_of(legacy, bob) is not None
    assert [(q, v) for q, v, _ in _answers(legacy.sessions, legacy.running.id) if q == first] == [
        (first, 2)
    ]


def _check_of(legacy: Legacy, voter: LegacyVoter) -> str | None:
    with legacy.sessions() as session:
        return session.scalar(
            sa.select(PulseInvite.ballot_check)
            .where(PulseInvite.round_id == legacy.running.id)
            .where(PulseInvite.member_id == voter.requester.member_id)
        )
