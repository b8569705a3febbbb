"""The weekly pulse: rounds, invitations, ballots, anonymous answers, reminders and closing.

Privacy and integrity by construction (docs/privacy.md has the whole argument):

- Invites say who was asked and how far they got ("sent", "completed", "skipped"), and
  keep a one-way check of the ballot their DM carries (bot/domain/ballots.py).
- A click counts only with the ballot the server issued to that member for that round:
  a made-up, altered, replayed or someone else's ballot is refused and counts nothing.
- While the round is open, each answer waits sealed in the ballot box under
  `response_key` = HMAC-SHA256(server key, "<ballot>:<question id>"), so the member can
  change it; nothing on the box says who, when or what.
- Closing the round opens the box and writes its answers and comments, shuffled and in
  one transaction, with random ids and no key: only the round, the question, the value
  (or text) and the answerer's team at answer time. Their order says nothing.
- Which questions a member has answered is found by computing the key of every question
  of the round and looking those keys up: no link is stored.
- K (the smallest group whose results are shown) is copied from the workspace into the
  round when it opens, so changing the setting never re-cuts a round already answered.

Functions take a session and plain values; they flush, never commit.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy.orm import Session

from bot.db.models import Member, PulseInvite, PulseQuestion, PulseRound, Workspace
from bot.db.repositories import pulse as repo
from bot.db.repositories.directory import workspace_by_id
from bot.domain import ballots
from bot.domain.ballots import SealedAnswer, SealedComment
from bot.domain.common import zone
from bot.domain.directory import Requester
from bot.domain.errors import DomainError
from bot.domain.pulse_admin import plan_question_ids
from bot.domain.pulse_bank import SCALES, ensure_bank
from bot.i18n import resolve_locale

COMMENT_MAX = 2000
COMMENT_QUESTION = "comment"

SENT = "sent"
COMPLETED = "completed"
SKIPPED = "skipped"
CLOSED = "closed"


@dataclass(frozen=True)
class QuestionInfo:
    id: int
    key: str
    dimension: str
    scale: str
    text_en: str
    text_zh: str


@dataclass(frozen=True)
class RoundInfo:
    id: int
    period: str
    min_group: int
    status: str
    opens_at: datetime
    closes_at: datetime
    questions: tuple[QuestionInfo, ...]


@dataclass(frozen=True)
class Invitee:
    member_id: int
    user_id: str
    locale: str
    team_id: int | None
    tz: str = "UTC"


@dataclass(frozen=True)
class InviteInfo:
    status: str
    channel_id: str | None
    message_ts: str | None
    reminded: bool


@dataclass(frozen=True)
class PulseSchedule:
    """When the weekly DM goes out: weekday (0 = Monday) and time, in each member's zone;
    `timezone` is the workspace's, for members whose own zone is unknown."""

    weekday: int
    at: time
    timezone: str


@dataclass(frozen=True)
class AnswerOutcome:
    answered_question_ids: tuple[int, ...]
    completed: bool


# --- periods and secrets ----------------------------------------------------------------


def iso_period(moment: datetime, tz: str) -> str:
    """The ISO week `moment` falls in, in time zone `tz` (UTC if unknown): "2026-W48"."""
    year, week, _ = moment.astimezone(zone(tz)).isocalendar()
    return f"{year}-W{week:02d}"


def parse_period(period: str) -> tuple[int, int]:
    """(ISO year, ISO week) of "2026-W48"; ValueError for anything else."""
    year, separator, week = period.partition("-W")
    if not separator or not year.isdigit() or not week.isdigit() or not 1 <= int(week) <= 53:
        raise ValueError(f"not an ISO week period: {period!r}")
    return int(year), int(week)


# --- rounds -----------------------------------------------------------------------------


def open_round(session: Session, workspace_id: int, period: str, now: datetime) -> RoundInfo:
    """The workspace's round for `period`, opening it (with this week's questions) if new.

    K and the closing time are fixed now, from the workspace's settings at this moment.
    """
    existing = repo.round_by_period(session, workspace_id, period)
    if existing is None:
        workspace = workspace_by_id(session, workspace_id)
        year, week = parse_period(period)
        ensure_bank(session, workspace_id)
        question_ids = plan_question_ids(session, workspace_id, year, week)
        repo.add_round(
            session,
            workspace_id,
            period,
            min_group=max(3, workspace.pulse_min_group),
            opens_at=now,
            closes_at=now + timedelta(days=workspace.pulse_open_days),
        )
        existing = repo.round_by_period(session, workspace_id, period)
        assert existing is not None
        if not repo.round_questions(session, existing.id):
            repo.add_round_questions(session, existing.id, question_ids)
    return _round_info(session, existing)


def pulse_schedule(session: Session, workspace_id: int) -> PulseSchedule:
    workspace = workspace_by_id(session, workspace_id)
    return PulseSchedule(workspace.pulse_weekday, workspace.pulse_time, workspace.timezone)


def round_for_period(session: Session, workspace_id: int, period: str) -> RoundInfo | None:
    """The workspace's round for `period`, if it was opened (open or closed)."""
    found = repo.round_by_period(session, workspace_id, period)
    return _round_info(session, found) if found else None


def current_round(session: Session, workspace_id: int, now: datetime) -> RoundInfo | None:
    """The open round whose answering window contains `now`, if any."""
    found = repo.open_round_at(session, workspace_id, now)
    return _round_info(session, found) if found else None


def round_info(session: Session, workspace_id: int, round_id: int) -> RoundInfo | None:
    found = repo.round_by_id(session, round_id)
    if found is None or found.workspace_id != workspace_id:
        return None
    return _round_info(session, found)


def round_to_close(
    session: Session, workspace_id: int, now: datetime, *, include_current: bool = True
) -> RoundInfo | None:
    """The oldest open round whose window has passed; failing that (and unless
    `include_current` is False) the current round, for closing by hand."""
    found = repo.overdue_round(session, workspace_id, now)
    if found is None and include_current:
        found = repo.open_round_at(session, workspace_id, now)
    return _round_info(session, found) if found else None


def last_closed_round_id(session: Session, workspace_id: int) -> int | None:
    """The most recently opened closed round (the one whose results are news), if any."""
    return repo.last_closed_round_id(session, workspace_id)


def close_round(
    session: Session, workspace_id: int, round_id: int, now: datetime, server_key: str
) -> None:
    """Close the round (again is fine): no more answers, and the ballot box is counted, so
    results may be shown.

    Raises ballots.BallotBoxSealed, and closes nothing, if the box does not open with
    `server_key` (MOTBOT_SECRET_KEY was changed while the round was open)."""
    found = repo.round_by_id(session, round_id)
    if found is None or found.workspace_id != workspace_id:
        raise DomainError("pulse.errors.unknown_round")
    repo.close(session, round_id, now)
    _count_ballot_box(session, workspace_id, round_id, server_key)
    session.expire(found)


def _count_ballot_box(session: Session, workspace_id: int, round_id: int, server_key: str) -> None:
    """Open every ballot of the round and write them as answers and comments in a random
    order, then empty the box. The rows all get the closing transaction, ids drawn at
    random and the place in the table that the shuffle gave them: nothing about them
    follows the order (or the time) people answered in."""
    answers: list[dict[str, object]] = []
    comments: list[dict[str, object]] = []
    for key, sealed in repo.ballots_of_round(session, round_id):
        content = ballots.unseal(server_key, round_id, key, sealed)
        where = {"workspace_id": workspace_id, "round_id": round_id, "team_id": content.team_id}
        if isinstance(content, SealedComment):
            comments.append({**where, "text": content.text})
        else:
            answers.append({**where, "question_id": content.question_id, "value": content.value})
    shuffle = random.SystemRandom().shuffle
    shuffle(answers)
    shuffle(comments)
    repo.add_counted_answers(session, answers)
    repo.add_counted_comments(session, comments)
    repo.empty_ballot_box(session, round_id)
    repo.drop_response_keys(session, round_id)


# --- invitations and reminders ------------------------------------------------------------


def members_to_invite(session: Session, workspace_id: int, round_id: int | None) -> list[Invitee]:
    """Active people (no bots; guests only if the workspace includes them) not yet invited
    to the round; with no round yet (None), everyone a round opened now would invite."""
    workspace = workspace_by_id(session, workspace_id)
    if round_id is not None:
        found = repo.round_by_id(session, round_id)
        if found is None or found.workspace_id != workspace_id or found.status == CLOSED:
            return []
    members = repo.uninvited_members(
        session, workspace_id, round_id, include_guests=workspace.pulse_include_guests
    )
    return [_invitee(member, workspace) for member in members]


def record_invite(
    session: Session,
    workspace_id: int,
    round_id: int,
    member_id: int,
    channel_id: str | None,
    message_ts: str | None,
    ballot_check: str,
) -> None:
    """Remember that the member was sent the round's DM, carrying the ballot whose
    `ballots.ballot_check` is given (once; a repeat changes nothing)."""
    repo.add_invite(
        session, workspace_id, round_id, member_id, channel_id, message_ts, ballot_check
    )


def reason_not_to_invite(session: Session, round_id: int, member_id: int) -> str | None:
    """Why the member must not be sent the round's DM now ("round_closed",
    "already_invited": by `/mot pulse`, say), or None when they should be."""
    found = repo.round_status_and_invite(session, round_id, member_id)
    if found is None or found[0] == CLOSED:
        return "round_closed"
    return "already_invited" if found[1] else None


def invite_of(session: Session, round_id: int, member_id: int) -> InviteInfo | None:
    found = repo.invite(session, round_id, member_id)
    if found is None:
        return None
    return InviteInfo(
        status=found.status,
        channel_id=found.channel_id,
        message_ts=found.message_ts,
        reminded=found.reminded,
    )


def check_current_dm(
    session: Session, requester: Requester, round_id: int, message_ts: str | None
) -> None:
    """Refuse a click in a DM other than the one recorded on the member's invite.

    A crash between Slack accepting a pulse DM and the invite being recorded can leave a
    member with two DMs whose buttons carry different secrets; answers through both would
    count twice. Only the recorded DM (the one the member was told about) accepts them.
    """
    found = repo.invite(session, round_id, requester.member_id)
    if found is not None and found.message_ts and message_ts and found.message_ts != message_ts:
        raise DomainError("pulse.errors.superseded_dm")


def members_to_remind(session: Session, round_id: int, now: datetime) -> list[Invitee]:
    """Invited people who have neither finished nor skipped, once, in the last hours."""
    found = repo.round_by_id(session, round_id)
    if found is None or found.status == CLOSED or now >= found.closes_at:
        return []
    workspace = workspace_by_id(session, found.workspace_id)
    if now < found.closes_at - timedelta(hours=workspace.pulse_reminder_hours):
        return []
    return [_invitee(member, workspace) for _, member in repo.invites_to_remind(session, round_id)]


def mark_reminded(session: Session, round_id: int, member_id: int) -> None:
    repo.set_reminded(session, round_id, member_id)


# --- answering ------------------------------------------------------------------------------


def record_answer(
    session: Session,
    requester: Requester,
    round_id: int,
    question_id: int,
    value: int,
    ballot: str,
    server_key: str,
    now: datetime,
) -> AnswerOutcome:
    """Record (or change) the requester's answer to one question of an open round.

    Only with the ballot their DM carries: anything else raises and counts nothing. The
    answer goes, sealed, into the ballot box under the ballot's key for the question, so
    answering again changes it. It never touches the invite: when the outcome says
    `completed`, the caller runs `complete_invite` in a separate transaction.
    """
    found, invite = _open_round_for(session, requester, round_id, now)
    _check_ballot(session, invite, ballot, server_key)
    questions = {question.id: question for question in repo.round_questions(session, round_id)}
    question = questions.get(_int_or_none(question_id) or -1)
    if question is None:
        raise DomainError("pulse.errors.unknown_question")
    number = _scale_value(question, value)
    content = SealedAnswer(question.id, number, _current_team(session, requester.member_id))
    _cast(
        session, found, ballots.response_key(server_key, ballot, question.id), content, server_key
    )
    keys = {ballots.response_key(server_key, ballot, qid): qid for qid in questions}
    answered = repo.cast_keys(session, round_id, keys)
    answered_ids = tuple(qid for key, qid in keys.items() if key in answered)
    completed = len(answered_ids) == len(questions)
    return AnswerOutcome(answered_question_ids=answered_ids, completed=completed)


def complete_invite(session: Session, requester: Requester, round_id: int) -> None:
    """Mark the requester's invite finished once `record_answer` says every question is
    answered. Call it in a transaction of its own, after the answer's has committed, so
    the invite row and the last answer row never share a transaction id (which a person
    with live database access could otherwise use to link them)."""
    repo.set_invite_status(session, round_id, requester.member_id, COMPLETED, only_from=(SENT,))


def answered_questions(
    session: Session, round_id: int, ballot: str, server_key: str
) -> tuple[int, ...]:
    """The ids of the round's questions this ballot has answered (for redrawing the DM)."""
    ids = [question.id for question in repo.round_questions(session, round_id)]
    keys = {ballots.response_key(server_key, ballot, qid): qid for qid in ids}
    answered = repo.cast_keys(session, round_id, keys)
    return tuple(qid for key, qid in keys.items() if key in answered)


def record_comment(
    session: Session,
    requester: Requester,
    round_id: int,
    text: str,
    ballot: str,
    server_key: str,
    now: datetime,
) -> None:
    """Record (or change) the requester's optional comment; an empty text removes it.
    Only with the ballot their DM carries, like an answer."""
    found, invite = _open_round_for(session, requester, round_id, now)
    _check_ballot(session, invite, ballot, server_key)
    cleaned = (text or "").strip()
    if len(cleaned) > COMMENT_MAX:
        raise DomainError("pulse.errors.comment_too_long", max=COMMENT_MAX)
    key = ballots.response_key(server_key, ballot, COMMENT_QUESTION)
    if not cleaned:
        repo.withdraw_ballot(session, round_id, key)
        return
    content = SealedComment(cleaned, _current_team(session, requester.member_id))
    _cast(session, found, key, content, server_key)


def skip_round(session: Session, requester: Requester, round_id: int, now: datetime) -> None:
    """The member chose not to take part this week: no reminder, no further answers.

    Answers given before skipping stay (they cannot be told from anyone else's without
    the secret; docs/privacy.md says so). Skipping after finishing changes nothing.
    """
    _open_round_for(session, requester, round_id, now, allow_skipped=True)
    repo.set_invite_status(session, round_id, requester.member_id, SKIPPED, only_from=(SENT,))


# --- helpers --------------------------------------------------------------------------------


def _check_ballot(session: Session, invite: PulseInvite, ballot: str, server_key: str) -> None:
    """Refuse a ballot that is not the one the server issued to the requester for this
    round: made up, altered, from another round or another person's DM.

    Invites sent before ballots were checked (migration 0007) hold no check: they adopt
    the first ballot used with them, provided the invite could still be answered from
    scratch or that ballot already has answers (so it is the one the DM carried)."""
    if invite.ballot_check is not None:
        if not ballots.ballot_matches(server_key, ballot, invite.ballot_check):
            raise DomainError("pulse.errors.not_your_ballot")
        return
    round_id = invite.round_id
    ids = [question.id for question in repo.round_questions(session, round_id)]
    keys = [ballots.response_key(server_key, ballot, qid) for qid in [*ids, COMMENT_QUESTION]]
    if invite.status != SENT and not repo.cast_keys(session, round_id, keys):
        raise DomainError("pulse.errors.not_your_ballot")
    repo.adopt_ballot(session, round_id, invite.member_id, ballots.ballot_check(server_key, ballot))


def _cast(
    session: Session,
    found: PulseRound,
    key: str,
    content: SealedAnswer | SealedComment,
    server_key: str,
) -> None:
    sealed = ballots.seal(server_key, found.id, key, content)
    if not repo.cast_ballot(session, found.workspace_id, found.id, key, sealed):
        raise DomainError("pulse.errors.closed")  # it closed while this click was on its way
    repo.drop_legacy_answer(session, found.id, key)


def _open_round_for(
    session: Session,
    requester: Requester,
    round_id: int,
    now: datetime,
    *,
    allow_skipped: bool = False,
) -> tuple[PulseRound, PulseInvite]:
    """The round and the requester's invite, if the round takes answers now and the
    requester was invited and did not skip."""
    found = repo.round_by_id(session, round_id)
    if found is None or found.workspace_id != requester.workspace_id:
        raise DomainError("pulse.errors.unknown_round")
    if found.status == CLOSED or now >= found.closes_at:
        raise DomainError("pulse.errors.closed")
    invite = repo.invite(session, round_id, requester.member_id)
    if invite is None:
        raise DomainError("pulse.errors.not_invited")
    if invite.status == SKIPPED and not allow_skipped:
        raise DomainError("pulse.errors.skipped")
    return found, invite


def _scale_value(question: PulseQuestion, value: object) -> int:
    number = _int_or_none(value)
    scale = SCALES.get(question.scale)
    if number is None or scale is None or number not in scale.values:
        raise DomainError("pulse.errors.bad_value")
    return number


def _int_or_none(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _current_team(session: Session, member_id: int) -> int | None:
    member = session.get(Member, member_id)
    return member.team_id if member else None


def _invitee(member: Member, workspace: Workspace) -> Invitee:
    return Invitee(
        member_id=member.id,
        user_id=member.slack_user_id,
        locale=resolve_locale(member.locale, workspace.locale),
        team_id=member.team_id,
        tz=member.tz or workspace.timezone,
    )


def _round_info(session: Session, found: PulseRound) -> RoundInfo:
    return RoundInfo(
        id=found.id,
        period=found.period,
        min_group=found.min_group,
        status=found.status,
        opens_at=found.opens_at,
        closes_at=found.closes_at,
        questions=tuple(
            QuestionInfo(
                id=question.id,
                key=question.key,
                dimension=question.dimension,
                scale=question.scale,
                text_en=question.text_en,
                text_zh=question.text_zh,
            )
            for question in repo.round_questions(session, found.id)
        ),
    )
