"""The weekly pulse: rounds, invitations, anonymous answers, reminders and closing.

Privacy by construction (docs/privacy.md has the whole argument):

- Invites say who was asked and how far they got ("sent", "completed", "skipped").
- Answers and comments say only the round, the question, the value (or text), the
  answerer's team at answer time and a `response_key`: no member, no invite, no time.
- `response_key` = HMAC-SHA256(server key, "<invite secret>:<question id>"). The invite
  secret is made by `new_invite_secret`, handed to the Slack side, which puts it only in
  the DM's button values; it is never stored. Holding the secret (the member's DM) and
  the server key, the bot can find and change the member's own answers; holding only the
  database, nobody can tell whose answer a row is.
- Which questions a member has answered is found by computing the key of every question
  of the round and looking those keys up: no link is stored.
- K (the smallest group whose results are shown) is copied from the workspace into the
  round when it opens, so changing the setting never re-cuts a round already answered.

Functions take a session and plain values; they flush, never commit.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy.orm import Session

from bot.db.models import Member, PulseQuestion, PulseRound, Workspace
from bot.db.repositories import pulse as repo
from bot.db.repositories.directory import workspace_by_id
from bot.domain.common import zone
from bot.domain.directory import Requester
from bot.domain.errors import DomainError
from bot.domain.pulse_admin import plan_question_ids
from bot.domain.pulse_bank import SCALES, ensure_bank
from bot.i18n import resolve_locale

COMMENT_MAX = 2000
COMMENT_QUESTION = "comment"
SECRET_BYTES = 32

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


def new_invite_secret() -> str:
    """A fresh per-invite secret for the DM's buttons. Never store it."""
    return secrets.token_urlsafe(SECRET_BYTES)


def response_key(server_key: str, secret: str, question_id: int | str) -> str:
    """HMAC-SHA256(server_key, "<secret>:<question_id>") as hex (64 characters)."""
    message = f"{secret}:{question_id}".encode()
    return hmac.new(server_key.encode(), message, hashlib.sha256).hexdigest()


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


def close_round(session: Session, workspace_id: int, round_id: int, now: datetime) -> None:
    """Close the round (again is fine): no more answers, results may be shown."""
    found = repo.round_by_id(session, round_id)
    if found is None or found.workspace_id != workspace_id:
        raise DomainError("pulse.errors.unknown_round")
    repo.close(session, round_id, now)
    session.expire(found)


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
) -> None:
    """Remember that the member was sent the round's DM (once; a repeat changes nothing)."""
    repo.add_invite(session, workspace_id, round_id, member_id, channel_id, message_ts)


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
    secret: str,
    server_key: str,
    now: datetime,
) -> AnswerOutcome:
    """Record (or change) the requester's answer to one question of an open round.

    The row stores the round, question, value, the member's current team and the
    response key; nothing else. The answer is an upsert on (round, response key), so
    answering again changes the same row. It never touches the invite: when the outcome
    says `completed`, the caller runs `complete_invite` in a separate transaction.
    """
    found = _open_round_for(session, requester, round_id, now)
    questions = {question.id: question for question in repo.round_questions(session, round_id)}
    question = questions.get(_int_or_none(question_id) or -1)
    if question is None:
        raise DomainError("pulse.errors.unknown_question")
    number = _scale_value(question, value)
    team_id = _current_team(session, requester.member_id)
    repo.upsert_answer(
        session,
        found.workspace_id,
        round_id,
        question.id,
        number,
        team_id,
        response_key(server_key, secret, question.id),
    )
    keys = {response_key(server_key, secret, qid): qid for qid in questions}
    answered = repo.answered_keys(session, round_id, keys)
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
    session: Session, round_id: int, secret: str, server_key: str
) -> tuple[int, ...]:
    """The ids of the round's questions this secret has answered (for redrawing the DM)."""
    ids = [question.id for question in repo.round_questions(session, round_id)]
    keys = {response_key(server_key, secret, qid): qid for qid in ids}
    answered = repo.answered_keys(session, round_id, keys)
    return tuple(qid for key, qid in keys.items() if key in answered)


def record_comment(
    session: Session,
    requester: Requester,
    round_id: int,
    text: str,
    secret: str,
    server_key: str,
    now: datetime,
) -> None:
    """Record (or change) the requester's optional comment; an empty text removes it."""
    found = _open_round_for(session, requester, round_id, now)
    cleaned = (text or "").strip()
    if len(cleaned) > COMMENT_MAX:
        raise DomainError("pulse.errors.comment_too_long", max=COMMENT_MAX)
    key = response_key(server_key, secret, COMMENT_QUESTION)
    if not cleaned:
        repo.delete_comment(session, round_id, key)
        return
    team_id = _current_team(session, requester.member_id)
    repo.upsert_comment(session, found.workspace_id, round_id, team_id, cleaned, key)


def skip_round(session: Session, requester: Requester, round_id: int, now: datetime) -> None:
    """The member chose not to take part this week: no reminder, no further answers.

    Answers given before skipping stay (they cannot be told from anyone else's without
    the secret; docs/privacy.md says so). Skipping after finishing changes nothing.
    """
    _open_round_for(session, requester, round_id, now, allow_skipped=True)
    repo.set_invite_status(session, round_id, requester.member_id, SKIPPED, only_from=(SENT,))


# --- helpers --------------------------------------------------------------------------------


def _open_round_for(
    session: Session,
    requester: Requester,
    round_id: int,
    now: datetime,
    *,
    allow_skipped: bool = False,
) -> PulseRound:
    """The round, if it takes answers now and the requester was invited and did not skip."""
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
    return found


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
