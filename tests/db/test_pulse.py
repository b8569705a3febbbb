"""The weekly pulse: rounds, invites, anonymous answers, comments, skipping, reminders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.db.engine import unit_of_work
from bot.db.models import (
    Member,
    PulseAnswer,
    PulseBallot,
    PulseComment,
    PulseInvite,
    PulseQuestion,
    PulseRound,
    Team,
)
from bot.domain.ballots import (
    SealedAnswer,
    SealedComment,
    ballot_check,
    new_ballot,
    response_key,
    unseal,
)
from bot.domain.directory import Profile, WorkspaceDefaults, register_requester
from bot.domain.errors import DomainError
from bot.domain.pulse import (
    AnswerOutcome,
    Invitee,
    InviteInfo,
    RoundInfo,
    answered_questions,
    close_round,
    complete_invite,
    current_round,
    invite_of,
    last_closed_round_id,
    mark_reminded,
    members_to_invite,
    members_to_remind,
    open_round,
    record_answer,
    record_comment,
    record_invite,
    round_info,
    round_to_close,
    skip_round,
)
from bot.domain.pulse_bank import BANK, ensure_bank, plan_for_week
from tests.support.units import configure, count, run

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # Tuesday of 2026-W48
PERIOD = "2026-W48"
TEAM = "T0PULSE01"
SERVER_KEY = "server-key-for-tests"


def person(sessions, user_id, **profile):
    with unit_of_work(sessions) as session:
        return register_requester(
            session, TEAM, Profile(user_id, **profile), WorkspaceDefaults(), NOW
        )


def invite(sessions, round_info, requester):
    """Invite as the fan-out does: a DM with a new ballot, whose check the invite keeps."""
    ballot = new_ballot()
    dm = "D0" + requester.user_id
    run(
        sessions,
        record_invite,
        requester.workspace_id,
        round_info.id,
        requester.member_id,
        dm,
        "1.1",
        ballot_check(SERVER_KEY, ballot),
    )
    return ballot


def ballot_box(sessions):
    """What the box holds, opened with the server key: {response key: content}."""
    with sessions() as session:
        rows = session.scalars(select(PulseBallot)).all()
        return {
            row.response_key: unseal(SERVER_KEY, row.round_id, row.response_key, row.sealed)
            for row in rows
        }


def answer(sessions, requester, round_info, question, value, secret, now=NOW):
    """Answer as the Slack side does: the answer, then (in its own transaction) the invite."""
    question_id = question.id if hasattr(question, "id") else question
    outcome = run(
        sessions,
        record_answer,
        requester,
        round_info.id,
        question_id,
        value,
        secret,
        SERVER_KEY,
        now,
    )
    if outcome.completed:
        run(sessions, complete_invite, requester, round_info.id)
    return outcome


def refusal(function, *args) -> str:
    with pytest.raises(DomainError) as refused:
        function(*args)
    return refused.value.key


@pytest.fixture
def alice(sessions):
    return person(sessions, "U0ALICE01", locale="zh-CN")


@pytest.fixture
def bob(sessions):
    return person(sessions, "U0BOB0001")


@pytest.fixture
def pulse(sessions, alice, bob) -> RoundInfo:
    return run(sessions, open_round, alice.workspace_id, PERIOD, NOW)


# --- the bank and opening ---------------------------------------------------------------


def test_ensure_bank_adds_the_built_in_questions_once(sessions, alice):
    assert run(sessions, ensure_bank, alice.workspace_id) == len(BANK)
    assert run(sessions, ensure_bank, alice.workspace_id) == 0
    assert count(sessions, PulseQuestion) == len(BANK)


def test_opening_a_round_locks_k_and_asks_this_weeks_questions(sessions, alice):
    configure(sessions, alice.workspace_id, pulse_min_group=7, pulse_open_days=3)

    opened = run(sessions, open_round, alice.workspace_id, PERIOD, NOW)

    assert opened.period == PERIOD
    assert opened.min_group == 7
    assert opened.status == "open"
    assert opened.opens_at == NOW
    assert opened.closes_at == NOW + timedelta(days=3)
    assert [q.key for q in opened.questions] == plan_for_week(2026, 48)
    assert all(q.text_en and q.text_zh and q.scale and q.dimension for q in opened.questions)

    configure(sessions, alice.workspace_id, pulse_min_group=3, pulse_open_days=6)
    again = run(sessions, open_round, alice.workspace_id, PERIOD, NOW + timedelta(hours=1))

    assert again == opened
    assert count(sessions, PulseRound) == 1


def test_the_current_round_is_the_open_one_whose_window_contains_now(sessions, pulse, alice):
    assert run(sessions, current_round, alice.workspace_id, NOW).id == pulse.id
    assert run(sessions, current_round, alice.workspace_id, NOW - timedelta(minutes=1)) is None
    assert run(sessions, current_round, alice.workspace_id, pulse.closes_at) is None

    run(sessions, close_round, alice.workspace_id, pulse.id, NOW + timedelta(hours=1), SERVER_KEY)
    run(sessions, close_round, alice.workspace_id, pulse.id, NOW + timedelta(hours=2), SERVER_KEY)

    assert run(sessions, current_round, alice.workspace_id, NOW + timedelta(hours=3)) is None
    with sessions() as session:
        closed = session.get(PulseRound, pulse.id)
        assert closed.status == "closed"
        assert closed.closed_at == NOW + timedelta(hours=1)


# --- invitations --------------------------------------------------------------------------


def test_only_active_humans_are_invited_and_only_once(sessions, alice, bob, pulse):
    person(sessions, "U0BOT0001", is_bot=True)
    person(sessions, "U0GONE001", is_deleted=True)
    guest = person(sessions, "U0GUEST01", is_guest=True)

    invitees = run(sessions, members_to_invite, alice.workspace_id, pulse.id)

    assert invitees == [
        Invitee(alice.member_id, "U0ALICE01", "zh-CN", None),
        Invitee(bob.member_id, "U0BOB0001", "en", None),
    ]

    run(
        sessions, record_invite, alice.workspace_id, pulse.id, alice.member_id, "D0A", "111.1", "c1"
    )
    run(
        sessions, record_invite, alice.workspace_id, pulse.id, alice.member_id, "D0A", "222.2", "c2"
    )
    configure(sessions, alice.workspace_id, pulse_include_guests=True)

    later = run(sessions, members_to_invite, alice.workspace_id, pulse.id)

    assert [i.user_id for i in later] == ["U0BOB0001", "U0GUEST01"]
    assert later[1].member_id == guest.member_id
    assert count(sessions, PulseInvite) == 1
    assert run(sessions, invite_of, pulse.id, alice.member_id) == InviteInfo(
        status="sent", channel_id="D0A", message_ts="111.1", reminded=False
    )
    assert run(sessions, invite_of, pulse.id, bob.member_id) is None


# --- answering ------------------------------------------------------------------------------


def test_an_answer_waits_sealed_in_the_ballot_box_and_is_counted_keyless_at_close(
    sessions, alice, pulse
):
    with unit_of_work(sessions) as session:
        team = Team(workspace_id=alice.workspace_id, name="Check-in")
        session.add(team)
        session.flush()
        session.get(Member, alice.member_id).team_id = team.id
        team_id = team.id
    secret = invite(sessions, pulse, alice)
    first = pulse.questions[0]

    outcome = answer(sessions, alice, pulse, first, 4, secret)

    assert outcome == AnswerOutcome(answered_question_ids=(first.id,), completed=False)
    assert count(sessions, PulseAnswer) == 0
    assert ballot_box(sessions) == {
        response_key(SERVER_KEY, secret, first.id): SealedAnswer(first.id, 4, team_id)
    }
    with sessions() as session:
        sealed = session.scalars(select(PulseBallot.sealed)).one()
    assert b'"v":4' not in sealed

    run(sessions, close_round, alice.workspace_id, pulse.id, pulse.closes_at, SERVER_KEY)

    assert ballot_box(sessions) == {}
    with sessions() as session:
        row = session.scalars(select(PulseAnswer)).one()
    assert (row.round_id, row.question_id, row.value, row.team_id, row.response_key) == (
        pulse.id,
        first.id,
        4,
        team_id,
        None,
    )


def test_changing_an_answer_updates_the_same_row(sessions, alice, pulse):
    secret = invite(sessions, pulse, alice)
    first = pulse.questions[0]

    answer(sessions, alice, pulse, first, 2, secret)
    answer(sessions, alice, pulse, first, 5, secret)

    assert [content.value for content in ballot_box(sessions).values()] == [5]
    run(sessions, close_round, alice.workspace_id, pulse.id, pulse.closes_at, SERVER_KEY)
    with sessions() as session:
        assert session.scalars(select(PulseAnswer.value)).all() == [5]


def test_answering_every_question_completes_the_invite(sessions, alice, bob, pulse):
    secret = invite(sessions, pulse, alice)
    other = invite(sessions, pulse, bob)
    answer(sessions, bob, pulse, pulse.questions[0], 1, other)

    outcomes = [answer(sessions, alice, pulse, q, 3, secret) for q in pulse.questions]

    ids = tuple(q.id for q in pulse.questions)
    assert [o.completed for o in outcomes] == [False] * (len(ids) - 1) + [True]
    assert outcomes[-1].answered_question_ids == ids
    assert run(sessions, invite_of, pulse.id, alice.member_id).status == "completed"
    assert run(sessions, invite_of, pulse.id, bob.member_id).status == "sent"
    assert run(sessions, answered_questions, pulse.id, other, SERVER_KEY) == (ids[0],)

    # Finished people may still change their mind until the round closes.
    again = answer(sessions, alice, pulse, pulse.questions[0], 5, secret)

    assert again.completed
    assert run(sessions, invite_of, pulse.id, alice.member_id).status == "completed"


def test_recording_the_last_answer_leaves_the_invite_to_its_own_transaction(sessions, alice, pulse):
    secret = invite(sessions, pulse, alice)

    outcomes = [
        run(sessions, record_answer, alice, pulse.id, q.id, 3, secret, SERVER_KEY, NOW)
        for q in pulse.questions
    ]

    assert outcomes[-1].completed
    assert run(sessions, invite_of, pulse.id, alice.member_id).status == "sent"
    run(sessions, complete_invite, alice, pulse.id)
    assert run(sessions, invite_of, pulse.id, alice.member_id).status == "completed"


def test_answers_are_refused_outside_the_rules(sessions, alice, bob, pulse):
    secret = invite(sessions, pulse, alice)
    first = pulse.questions[0]
    with sessions() as session:
        foreign = session.scalar(
            select(PulseQuestion.id).where(
                PulseQuestion.key.not_in([q.key for q in pulse.questions])
            )
        )

    def attempt(requester=alice, question=first.id, value=3, now=NOW, round_id=pulse.id):
        with unit_of_work(sessions) as session:
            record_answer(session, requester, round_id, question, value, secret, SERVER_KEY, now)

    assert refusal(attempt, bob) == "pulse.errors.not_invited"
    assert refusal(lambda: attempt(question=foreign)) == "pulse.errors.unknown_question"
    assert refusal(lambda: attempt(value=0)) == "pulse.errors.bad_value"
    assert refusal(lambda: attempt(value=6)) == "pulse.errors.bad_value"
    assert refusal(lambda: attempt(value=True)) == "pulse.errors.bad_value"
    assert refusal(lambda: attempt(value="x")) == "pulse.errors.bad_value"
    assert refusal(lambda: attempt(round_id=pulse.id + 999)) == "pulse.errors.unknown_round"
    assert refusal(lambda: attempt(now=pulse.closes_at)) == "pulse.errors.closed"
    run(sessions, close_round, alice.workspace_id, pulse.id, NOW, SERVER_KEY)
    assert refusal(attempt) == "pulse.errors.closed"
    assert count(sessions, PulseAnswer) == 0


def test_the_enps_question_takes_zero_to_ten(sessions, alice, bob):
    week13 = run(sessions, open_round, alice.workspace_id, "2026-W13", NOW)
    enps = next(q for q in week13.questions if q.key == "enps")
    secret = invite(sessions, week13, alice)

    assert not answer(sessions, alice, week13, enps, 0, secret).completed
    answer(sessions, alice, week13, enps, "10", secret)
    assert refusal(answer, sessions, alice, week13, enps, 11, secret) == "pulse.errors.bad_value"
    assert [content.value for content in ballot_box(sessions).values()] == [10]


def test_a_skipped_invite_takes_no_answers_and_keeps_earlier_ones(sessions, alice, pulse):
    secret = invite(sessions, pulse, alice)
    answer(sessions, alice, pulse, pulse.questions[0], 4, secret)

    run(sessions, skip_round, alice, pulse.id, NOW)
    run(sessions, skip_round, alice, pulse.id, NOW)

    assert run(sessions, invite_of, pulse.id, alice.member_id).status == "skipped"
    assert (
        refusal(answer, sessions, alice, pulse, pulse.questions[1], 4, secret)
        == "pulse.errors.skipped"
    )
    assert len(ballot_box(sessions)) == 1
    run(sessions, close_round, alice.workspace_id, pulse.id, pulse.closes_at, SERVER_KEY)
    assert count(sessions, PulseAnswer) == 1


def test_skipping_needs_an_invite_and_an_open_round(sessions, alice, bob, pulse):
    invite(sessions, pulse, alice)

    assert refusal(run, sessions, skip_round, bob, pulse.id, NOW) == "pulse.errors.not_invited"
    assert (
        refusal(run, sessions, skip_round, alice, pulse.id, pulse.closes_at)
        == "pulse.errors.closed"
    )


def test_comments_are_upserted_stripped_limited_and_removable(sessions, alice, pulse):
    secret = invite(sessions, pulse, alice)

    def comment(text):
        run(sessions, record_comment, alice, pulse.id, text, secret, SERVER_KEY, NOW)

    comment("  More trust at the gate, please.  ")
    comment("More trust at the gate.")

    assert ballot_box(sessions) == {
        response_key(SERVER_KEY, secret, "comment"): SealedComment("More trust at the gate.", None)
    }
    assert refusal(comment, "x" * 2001) == "pulse.errors.comment_too_long"
    comment("y" * 2000 + "   ")
    assert len(ballot_box(sessions)) == 1
    comment("   ")
    assert ballot_box(sessions) == {}
    comment("Counted at close.")

    run(sessions, close_round, alice.workspace_id, pulse.id, pulse.closes_at, SERVER_KEY)

    with sessions() as session:
        row = session.scalars(select(PulseComment)).one()
    assert (row.text, row.response_key) == ("Counted at close.", None)


# --- reminders -------------------------------------------------------------------------------


def test_reminders_go_once_to_the_unfinished_in_the_last_hours(sessions, alice, bob, pulse):
    carol = person(sessions, "U0CAROL01")
    dave = person(sessions, "U0DAVE001")
    secrets = {who.user_id: invite(sessions, pulse, who) for who in (alice, bob, carol, dave)}
    for question in pulse.questions:
        answer(sessions, bob, pulse, question, 4, secrets["U0BOB0001"])
    run(sessions, skip_round, carol, pulse.id, NOW)
    answer(sessions, dave, pulse, pulse.questions[0], 4, secrets["U0DAVE001"])
    window = pulse.closes_at - timedelta(hours=24)

    assert run(sessions, members_to_remind, pulse.id, window - timedelta(seconds=1)) == []
    due = run(sessions, members_to_remind, pulse.id, window)
    assert [i.user_id for i in due] == ["U0ALICE01", "U0DAVE001"]

    run(sessions, mark_reminded, pulse.id, alice.member_id)

    assert [i.user_id for i in run(sessions, members_to_remind, pulse.id, window)] == ["U0DAVE001"]
    assert run(sessions, invite_of, pulse.id, alice.member_id).reminded
    assert run(sessions, members_to_remind, pulse.id, pulse.closes_at) == []


def test_nobody_is_invited_to_a_closed_round(sessions, alice, pulse):
    run(sessions, close_round, alice.workspace_id, pulse.id, NOW, SERVER_KEY)

    assert run(sessions, members_to_invite, alice.workspace_id, pulse.id) == []


def test_the_round_to_close_is_the_overdue_one_else_the_current(sessions, alice, pulse):
    later = run(sessions, open_round, alice.workspace_id, "2026-W49", pulse.closes_at)

    assert run(sessions, round_to_close, alice.workspace_id, NOW).id == pulse.id
    assert run(sessions, round_to_close, alice.workspace_id, pulse.closes_at).id == pulse.id
    assert run(sessions, last_closed_round_id, alice.workspace_id) is None

    run(sessions, close_round, alice.workspace_id, pulse.id, pulse.closes_at, SERVER_KEY)

    at = pulse.closes_at + timedelta(hours=1)
    assert run(sessions, round_to_close, alice.workspace_id, at).id == later.id
    assert run(sessions, round_to_close, alice.workspace_id, at, include_current=False) is None
    assert run(sessions, last_closed_round_id, alice.workspace_id) == pulse.id
    assert run(sessions, round_info, alice.workspace_id, later.id) == later
    assert run(sessions, round_info, alice.workspace_id + 1, later.id) is None


def test_a_ballot_replayed_into_another_round_counts_nothing(sessions, alice, pulse):
    week48 = invite(sessions, pulse, alice)
    later = run(sessions, open_round, alice.workspace_id, "2026-W49", pulse.closes_at)
    invite(sessions, later, alice)
    question = later.questions[0]

    refused = refusal(answer, sessions, alice, later, question, 4, week48, pulse.closes_at)

    assert refused == "pulse.errors.not_your_ballot"
    assert ballot_box(sessions) == {}
