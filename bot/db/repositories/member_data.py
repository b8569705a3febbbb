"""Queries for one person's data: what `motbot export member` reads and what `motbot forget
member` changes. Repositories read and write; they never commit.

Every writer here changes only the rows that still need it (a blank is not blanked again),
and answers how many rows it changed, so that forgetting twice changes nothing the second
time, and a plan (the counters) and its execution (the writers) agree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    String,
    Text,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session, aliased

from bot.db.models import (
    AuditEntry,
    JobDelivery,
    JobRun,
    Kudos,
    KudosPair,
    KudosReversal,
    Member,
    MemberTotals,
    PolicyArea,
    PolicyRevision,
    PulseComment,
    PulseInvite,
    PulseRound,
    Story,
    StoryBacking,
    StoryPerson,
    StoryTag,
)
from bot.db.models.slack_oauth import slack_installations
from bot.db.repositories import kudos as kudos_repo
from bot.db.repositories.jobs import DROPPED, FAILED, PENDING, SENDING

FORGOTTEN_KEY_PREFIX = "forgotten:"
"""A forgotten recipient's ledger entries get the source key `forgotten:<entry id>`: unique
like any key, and no Slack action's key (`cmd:`, `view:`, `tag:` ...) can look like it."""

UNSENT = (PENDING, SENDING, FAILED)


# --- the person -----------------------------------------------------------------------


def locked_member(session: Session, workspace_id: int, member_id: int) -> Member | None:
    """The member, read fresh and held until the transaction ends, so that no request of
    theirs (which locks the same row to spend a budget) interleaves with forgetting them.

    PostgreSQL: `SELECT ... FOR UPDATE` (not kudos.lock_member's NO KEY UPDATE: forgetting
    changes the user id, a key, so it also waits for ledger inserts that name the row).
    SQLite: kudos.lock_member takes the database's write lock now."""
    statement = select(Member).where(Member.id == member_id, Member.workspace_id == workspace_id)
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update()
    else:
        kudos_repo.lock_member(session, member_id)
    return session.scalars(statement.execution_options(populate_existing=True)).one_or_none()


# --- reading: stories -----------------------------------------------------------------


def stories_written(session: Session, workspace_id: int, member_id: int) -> list[Story]:
    """Every story the member wrote, deleted ones too, oldest first."""
    return list(
        session.scalars(
            select(Story)
            .where(Story.workspace_id == workspace_id, Story.author_id == member_id)
            .order_by(Story.created_at, Story.id)
        )
    )


def stories_told_of(session: Session, workspace_id: int, member_id: int) -> list[Story]:
    """Stories someone else wrote with the member among their people, oldest first."""
    return list(
        session.scalars(
            select(Story)
            .join(StoryPerson, StoryPerson.story_id == Story.id)
            .where(
                Story.workspace_id == workspace_id,
                StoryPerson.member_id == member_id,
                Story.author_id != member_id,
            )
            .order_by(Story.created_at, Story.id)
        )
    )


def tags_given(session: Session, workspace_id: int, member_id: int) -> list[StoryTag]:
    return list(
        session.scalars(
            select(StoryTag)
            .where(StoryTag.workspace_id == workspace_id, StoryTag.tagger_id == member_id)
            .order_by(StoryTag.created_at, StoryTag.id)
        )
    )


def backings_given(session: Session, workspace_id: int, member_id: int) -> list[StoryBacking]:
    return list(
        session.scalars(
            select(StoryBacking)
            .where(StoryBacking.workspace_id == workspace_id, StoryBacking.leader_id == member_id)
            .order_by(StoryBacking.created_at, StoryBacking.id)
        )
    )


def revisions_made(
    session: Session, workspace_id: int, member_id: int
) -> list[tuple[PolicyRevision, str | None]]:
    """The policy revisions the member made as a leader, with their area's name (None: the
    signals that named no area), oldest first."""
    rows = session.execute(
        select(PolicyRevision, PolicyArea.name)
        .outerjoin(PolicyArea, PolicyArea.id == PolicyRevision.policy_area_id)
        .where(PolicyRevision.workspace_id == workspace_id, PolicyRevision.leader_id == member_id)
        .order_by(PolicyRevision.created_at, PolicyRevision.id)
    )
    return [(revision, name) for revision, name in rows]


# --- reading: the ledger --------------------------------------------------------------


@dataclass(frozen=True)
class LedgerLine:
    """A ledger entry with both people's user ids and its reversal, if any."""

    id: int
    giver_user_id: str
    recipient_user_id: str
    kind: str
    points: int
    reason: str
    story_id: int | None
    giver_is_leader: bool
    budget_week: date
    created_at: datetime
    reversal_cause: str | None
    reversal_reason: str | None
    reversed_by_user_id: str | None
    reversed_at: datetime | None


def ledger_lines(
    session: Session,
    workspace_id: int,
    *,
    giver_id: int | None = None,
    recipient_id: int | None = None,
    ids: Sequence[int] | None = None,
) -> list[LedgerLine]:
    """The workspace's entries from `giver_id`, to `recipient_id`, or with these `ids`
    (whichever are given), oldest first."""
    giver, recipient, reverser = aliased(Member), aliased(Member), aliased(Member)
    statement = (
        select(
            Kudos.id,
            giver.slack_user_id,
            recipient.slack_user_id,
            Kudos.kind,
            Kudos.points,
            Kudos.reason,
            Kudos.story_id,
            Kudos.giver_is_leader,
            Kudos.budget_week,
            Kudos.created_at,
            KudosReversal.cause,
            KudosReversal.reason,
            reverser.slack_user_id,
            KudosReversal.created_at,
        )
        .join(giver, giver.id == Kudos.giver_id)
        .join(recipient, recipient.id == Kudos.recipient_id)
        .outerjoin(KudosReversal, KudosReversal.kudos_id == Kudos.id)
        .outerjoin(reverser, reverser.id == KudosReversal.reversed_by_id)
        .where(Kudos.workspace_id == workspace_id)
        .order_by(Kudos.created_at, Kudos.id)
    )
    if giver_id is not None:
        statement = statement.where(Kudos.giver_id == giver_id)
    if recipient_id is not None:
        statement = statement.where(Kudos.recipient_id == recipient_id)
    if ids is not None:
        statement = statement.where(Kudos.id.in_(list(ids)))
    return [LedgerLine(*row) for row in session.execute(statement)]


def ids_reversed_by(session: Session, workspace_id: int, member_id: int) -> list[int]:
    """The entries whose reversal the member made (an admin revoking)."""
    return list(
        session.scalars(
            select(KudosReversal.kudos_id).where(
                KudosReversal.workspace_id == workspace_id,
                KudosReversal.reversed_by_id == member_id,
            )
        )
    )


def totals_of(session: Session, workspace_id: int, member_id: int) -> MemberTotals | None:
    return session.get(MemberTotals, (workspace_id, member_id))


def pairs_of(
    session: Session, workspace_id: int, member_id: int
) -> list[tuple[str, str, int, int]]:
    """(giver user id, recipient user id, live entries, live kudos entries) of every pair
    the member is in."""
    giver, recipient = aliased(Member), aliased(Member)
    rows = session.execute(
        select(
            giver.slack_user_id,
            recipient.slack_user_id,
            KudosPair.live_entries,
            KudosPair.live_kudos_entries,
        )
        .join(giver, giver.id == KudosPair.giver_id)
        .join(recipient, recipient.id == KudosPair.recipient_id)
        .where(
            KudosPair.workspace_id == workspace_id,
            or_(KudosPair.giver_id == member_id, KudosPair.recipient_id == member_id),
        )
        .order_by(KudosPair.giver_id, KudosPair.recipient_id)
    )
    return [(g, r, entries, kudos) for g, r, entries, kudos in rows]


# --- reading: pulse, audit, deliveries ------------------------------------------------


def invites_of(
    session: Session, workspace_id: int, member_id: int
) -> list[tuple[PulseInvite, str]]:
    """The member's pulse invites with their round's period, oldest round first."""
    rows = session.execute(
        select(PulseInvite, PulseRound.period)
        .join(PulseRound, PulseRound.id == PulseInvite.round_id)
        .where(PulseInvite.workspace_id == workspace_id, PulseInvite.member_id == member_id)
        .order_by(PulseRound.opens_at, PulseRound.id)
    )
    return [(invite, period) for invite, period in rows]


def audit_by(session: Session, workspace_id: int, member_id: int) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.workspace_id == workspace_id, AuditEntry.actor_id == member_id)
            .order_by(AuditEntry.created_at, AuditEntry.id)
        )
    )


def audit_naming(session: Session, workspace_id: int, text: str) -> list[AuditEntry]:
    """Audit entries whose detail contains `text` anywhere (the caller checks tokens)."""
    return list(
        session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.workspace_id == workspace_id,
                cast(AuditEntry.detail, Text).contains(text, autoescape=True),
            )
            .order_by(AuditEntry.created_at, AuditEntry.id)
        )
    )


def deliveries_to(
    session: Session, workspace_id: int, recipient: str
) -> list[tuple[JobDelivery, str, str]]:
    """Job deliveries addressed to `recipient` with their job and period, oldest first."""
    rows = session.execute(
        select(JobDelivery, JobRun.job, JobRun.period)
        .join(JobRun, JobRun.id == JobDelivery.job_run_id)
        .where(JobDelivery.workspace_id == workspace_id, JobDelivery.recipient == recipient)
        .order_by(JobDelivery.id)
    )
    return [(delivery, job, period) for delivery, job, period in rows]


# --- forgetting -----------------------------------------------------------------------


def _changed(result: Any) -> int:
    return int(result.rowcount or 0) if isinstance(result, CursorResult) else 0


def _count(session: Session, model: Any, *where: ColumnElement[bool]) -> int:
    return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def _story_text_left(workspace_id: int, member_id: int) -> list[ColumnElement[bool]]:
    return [
        Story.workspace_id == workspace_id,
        Story.author_id == member_id,
        or_(
            Story.customer_need != "",
            Story.action_taken != "",
            Story.outcome != "",
            Story.went_wrong != "",
            Story.rule_bent != "",
            Story.source_channel_id.is_not(None),
            Story.source_message_ts.is_not(None),
        ),
    ]


def count_story_texts(session: Session, workspace_id: int, member_id: int) -> int:
    return _count(session, Story, *_story_text_left(workspace_id, member_id))


def blank_story_texts(session: Session, workspace_id: int, member_id: int) -> int:
    """Empty the texts of the member's stories and forget the message they came from."""
    return _changed(
        session.execute(
            update(Story)
            .where(*_story_text_left(workspace_id, member_id))
            .values(
                customer_need="",
                action_taken="",
                outcome="",
                went_wrong="",
                rule_bent="",
                source_channel_id=None,
                source_message_ts=None,
            )
            .execution_options(synchronize_session=False)
        )
    )


def _reason_given(workspace_id: int, member_id: int) -> list[ColumnElement[bool]]:
    return [Kudos.workspace_id == workspace_id, Kudos.giver_id == member_id, Kudos.reason != ""]


def _forgotten_key() -> ColumnElement[str]:
    return literal(FORGOTTEN_KEY_PREFIX, String) + cast(Kudos.id, String)


def _received_left(workspace_id: int, member_id: int) -> list[ColumnElement[bool]]:
    return [
        Kudos.workspace_id == workspace_id,
        Kudos.recipient_id == member_id,
        or_(Kudos.reason != "", ~Kudos.source_key.startswith(FORGOTTEN_KEY_PREFIX)),
    ]


def count_reasons_given(session: Session, workspace_id: int, member_id: int) -> int:
    return _count(session, Kudos, *_reason_given(workspace_id, member_id))


def count_received_left(session: Session, workspace_id: int, member_id: int) -> int:
    return _count(session, Kudos, *_received_left(workspace_id, member_id))


def blank_reasons_given(session: Session, workspace_id: int, member_id: int) -> int:
    return _changed(
        session.execute(
            update(Kudos)
            .where(*_reason_given(workspace_id, member_id))
            .values(reason="")
            .execution_options(synchronize_session=False)
        )
    )


def blank_received(session: Session, workspace_id: int, member_id: int) -> int:
    """Empty the reasons of entries the member received, and replace their source keys
    (which end in the recipient's Slack user id) by `forgotten:<entry id>`."""
    return _changed(
        session.execute(
            update(Kudos)
            .where(*_received_left(workspace_id, member_id))
            .values(reason="", source_key=_forgotten_key())
            .execution_options(synchronize_session=False)
        )
    )


def _revocation_reason(workspace_id: int, member_id: int) -> list[ColumnElement[bool]]:
    return [
        KudosReversal.workspace_id == workspace_id,
        KudosReversal.reversed_by_id == member_id,
        KudosReversal.reason != "",
    ]


def count_revocation_reasons(session: Session, workspace_id: int, member_id: int) -> int:
    return _count(session, KudosReversal, *_revocation_reason(workspace_id, member_id))


def blank_revocation_reasons(session: Session, workspace_id: int, member_id: int) -> int:
    return _changed(
        session.execute(
            update(KudosReversal)
            .where(*_revocation_reason(workspace_id, member_id))
            .values(reason="")
            .execution_options(synchronize_session=False)
        )
    )


def _revision_note(workspace_id: int, member_id: int) -> list[ColumnElement[bool]]:
    return [
        PolicyRevision.workspace_id == workspace_id,
        PolicyRevision.leader_id == member_id,
        PolicyRevision.note != "",
    ]


def count_revision_notes(session: Session, workspace_id: int, member_id: int) -> int:
    return _count(session, PolicyRevision, *_revision_note(workspace_id, member_id))


def blank_revision_notes(session: Session, workspace_id: int, member_id: int) -> int:
    """Empty the notes of the policy revisions the member made; the revisions stay, so the
    signals they closed stay closed."""
    return _changed(
        session.execute(
            update(PolicyRevision)
            .where(*_revision_note(workspace_id, member_id))
            .values(note="")
            .execution_options(synchronize_session=False)
        )
    )


def _invite_dm(workspace_id: int, member_id: int) -> list[ColumnElement[bool]]:
    return [
        PulseInvite.workspace_id == workspace_id,
        PulseInvite.member_id == member_id,
        or_(PulseInvite.channel_id.is_not(None), PulseInvite.message_ts.is_not(None)),
    ]


def count_invite_dms(session: Session, workspace_id: int, member_id: int) -> int:
    return _count(session, PulseInvite, *_invite_dm(workspace_id, member_id))


def forget_invite_dms(session: Session, workspace_id: int, member_id: int) -> int:
    """Drop where the member's pulse DMs are; the invites and their status stay."""
    return _changed(
        session.execute(
            update(PulseInvite)
            .where(*_invite_dm(workspace_id, member_id))
            .values(channel_id=None, message_ts=None)
            .execution_options(synchronize_session=False)
        )
    )


def _delivery_left(workspace_id: int, recipient: str, tombstone: str) -> list[ColumnElement[bool]]:
    return [
        JobDelivery.workspace_id == workspace_id,
        JobDelivery.recipient.in_(sorted({recipient, tombstone})),
        or_(
            JobDelivery.recipient != tombstone,
            JobDelivery.channel_id.is_not(None),
            JobDelivery.message_ts.is_not(None),
            JobDelivery.last_error.is_not(None),
            JobDelivery.status.in_(UNSENT),
        ),
    ]


def count_deliveries(session: Session, workspace_id: int, recipient: str, tombstone: str) -> int:
    return _count(session, JobDelivery, *_delivery_left(workspace_id, recipient, tombstone))


def readdress_deliveries(
    session: Session, workspace_id: int, recipient: str, tombstone: str
) -> int:
    """Address the deliveries to `tombstone`, drop where they went, and give up those not
    sent yet (nobody can receive them any more)."""
    return _changed(
        session.execute(
            update(JobDelivery)
            .where(*_delivery_left(workspace_id, recipient, tombstone))
            .values(
                recipient=tombstone,
                channel_id=None,
                message_ts=None,
                last_error=None,
                status=case(
                    (JobDelivery.status.in_(UNSENT), literal(DROPPED)),
                    else_=JobDelivery.status,
                ),
            )
            .execution_options(synchronize_session=False)
        )
    )


def profile_left(member: Member, tombstone: str) -> bool:
    """Whether the member row still holds anything of the person."""
    return bool(
        member.slack_user_id != tombstone
        or member.display_name
        or member.real_name
        or member.tz is not None
        or member.locale is not None
        or member.is_admin
        or member.is_leader
        or member.is_hr
        or member.leader_named
        or member.leader_via_group
        or member.hr_named
        or member.hr_via_group
        or member.is_active
        or not member.leaderboard_opt_out
        or member.synced_at is not None
    )


def forget_profile(session: Session, member_id: int, tombstone: str) -> int:
    """Blank the member row, keeping its id (and so every total and count) and its team."""
    return _changed(
        session.execute(
            update(Member)
            .where(Member.id == member_id)
            .values(
                slack_user_id=tombstone,
                display_name="",
                real_name="",
                tz=None,
                locale=None,
                is_admin=False,
                # Every source of a role too, so that no group sync gives it back.
                is_leader=False,
                leader_named=False,
                leader_via_group=False,
                is_hr=False,
                hr_named=False,
                hr_via_group=False,
                is_active=False,
                leaderboard_opt_out=True,
                synced_at=None,
            )
            .execution_options(synchronize_session="fetch")
        )
    )


# --- texts by others that name the person ---------------------------------------------


@dataclass(frozen=True)
class TextRow:
    """Free text of one row that contains a user id somewhere: `model` and `id` name the
    row, `texts` its text columns by attribute name."""

    model: Any
    id: Any
    texts: Mapping[str, str]


def texts_containing(
    session: Session, workspace_id: int, user_id: str, member_id: int
) -> list[TextRow]:
    """Rows of other people's free text in the workspace that contain `user_id`: stories
    someone else wrote, ledger reasons between other people, revocation reasons the member
    did not write, notes of policy revisions other leaders made, pulse comments. (The
    member's own texts are blanked, not rewritten.)"""
    found: list[TextRow] = []

    def has(column: Any) -> ColumnElement[bool]:
        return column.contains(user_id, autoescape=True)

    story_fields = ("customer_need", "action_taken", "outcome", "went_wrong", "rule_bent")
    for story in session.scalars(
        select(Story)
        .where(
            Story.workspace_id == workspace_id,
            Story.author_id != member_id,
            or_(*(has(getattr(Story, name)) for name in story_fields)),
        )
        .order_by(Story.id)
    ):
        found.append(TextRow(Story, story.id, {n: getattr(story, n) for n in story_fields}))
    for entry_id, reason in session.execute(
        select(Kudos.id, Kudos.reason)
        .where(
            Kudos.workspace_id == workspace_id,
            Kudos.giver_id != member_id,
            Kudos.recipient_id != member_id,
            has(Kudos.reason),
        )
        .order_by(Kudos.id)
    ):
        found.append(TextRow(Kudos, entry_id, {"reason": reason}))
    for reversal_id, reason in session.execute(
        select(KudosReversal.id, KudosReversal.reason)
        .where(
            KudosReversal.workspace_id == workspace_id,
            or_(KudosReversal.reversed_by_id.is_(None), KudosReversal.reversed_by_id != member_id),
            has(KudosReversal.reason),
        )
        .order_by(KudosReversal.id)
    ):
        found.append(TextRow(KudosReversal, reversal_id, {"reason": reason}))
    for revision_id, note in session.execute(
        select(PolicyRevision.id, PolicyRevision.note)
        .where(
            PolicyRevision.workspace_id == workspace_id,
            PolicyRevision.leader_id != member_id,
            has(PolicyRevision.note),
        )
        .order_by(PolicyRevision.id)
    ):
        found.append(TextRow(PolicyRevision, revision_id, {"note": note}))
    for comment_id, text in session.execute(
        select(PulseComment.id, PulseComment.text).where(
            PulseComment.workspace_id == workspace_id, has(PulseComment.text)
        )
    ):
        found.append(TextRow(PulseComment, comment_id, {"text": text}))
    return found


def rewrite_texts(session: Session, model: Any, row_id: Any, texts: Mapping[str, str]) -> None:
    session.execute(
        update(model)
        .where(model.id == row_id)
        .values(**texts)
        .execution_options(synchronize_session=False)
    )


def rewrite_audit_detail(session: Session, entry_id: int, detail: dict[str, Any]) -> None:
    session.execute(
        update(AuditEntry)
        .where(AuditEntry.id == entry_id)
        .values(detail=detail)
        .execution_options(synchronize_session=False)
    )


# --- what stays -----------------------------------------------------------------------


@dataclass(frozen=True)
class KeptCounts:
    """Rows that stay linked to the (anonymous) member row, so that figures stay right."""

    stories_written: int
    stories_told_of: int
    entries_given: int
    entries_received: int
    tags_given: int
    backings_given: int
    pulse_invites: int
    audit_entries: int
    policy_revisions: int


def kept_counts(session: Session, workspace_id: int, member_id: int) -> KeptCounts:
    return KeptCounts(
        stories_written=_count(
            session, Story, Story.workspace_id == workspace_id, Story.author_id == member_id
        ),
        stories_told_of=_count(
            session,
            StoryPerson,
            StoryPerson.member_id == member_id,
            StoryPerson.story_id.in_(
                select(Story.id).where(
                    Story.workspace_id == workspace_id, Story.author_id != member_id
                )
            ),
        ),
        entries_given=_count(
            session, Kudos, Kudos.workspace_id == workspace_id, Kudos.giver_id == member_id
        ),
        entries_received=_count(
            session, Kudos, Kudos.workspace_id == workspace_id, Kudos.recipient_id == member_id
        ),
        tags_given=_count(
            session,
            StoryTag,
            StoryTag.workspace_id == workspace_id,
            StoryTag.tagger_id == member_id,
        ),
        backings_given=_count(
            session,
            StoryBacking,
            StoryBacking.workspace_id == workspace_id,
            StoryBacking.leader_id == member_id,
        ),
        pulse_invites=_count(
            session,
            PulseInvite,
            PulseInvite.workspace_id == workspace_id,
            PulseInvite.member_id == member_id,
        ),
        audit_entries=_count(
            session,
            AuditEntry,
            AuditEntry.workspace_id == workspace_id,
            AuditEntry.actor_id == member_id,
        ),
        policy_revisions=_count(
            session,
            PolicyRevision,
            PolicyRevision.workspace_id == workspace_id,
            PolicyRevision.leader_id == member_id,
        ),
    )


# --- Slack's installation store -------------------------------------------------------


def _installations_of(team_id: str, user_id: str, tombstone: str) -> list[ColumnElement[bool]]:
    table = slack_installations.c
    return [
        table.team_id == team_id,
        table.user_id.in_(sorted({user_id, tombstone})),
        or_(
            table.user_id != tombstone,
            table.user_token.is_not(None),
            table.user_refresh_token.is_not(None),
            table.user_scopes.is_not(None),
            table.user_token_expires_at.is_not(None),
        ),
    ]


def installations_by(session: Session, team_id: str, user_id: str) -> list[dict[str, Any]]:
    """The app's installs into the workspace that `user_id` made (slack_sdk's rows), without
    any token: the app, when, the scopes, and whether a user token is stored."""
    table = slack_installations.c
    rows = session.execute(
        select(
            table.app_id,
            table.installed_at,
            table.bot_scopes,
            table.user_scopes,
            table.user_token.is_not(None),
        )
        .where(table.team_id == team_id, table.user_id == user_id)
        .order_by(table.installed_at, table.id)
    )
    return [
        {
            "app_id": app_id,
            "installed_at": installed_at,
            "bot_scopes": bot_scopes,
            "user_scopes": user_scopes,
            "user_token_stored": bool(has_token),
        }
        for app_id, installed_at, bot_scopes, user_scopes, has_token in rows
    ]


def count_installations(session: Session, team_id: str, user_id: str, tombstone: str) -> int:
    return _count(session, slack_installations, *_installations_of(team_id, user_id, tombstone))


def forget_installations(session: Session, team_id: str, user_id: str, tombstone: str) -> int:
    """Address the installs the person made to `tombstone` and drop their own user token
    and scopes; the bot token (the workspace's, not theirs) stays, so the bot keeps working."""
    return _changed(
        session.execute(
            update(slack_installations)
            .where(*_installations_of(team_id, user_id, tombstone))
            .values(
                user_id=tombstone,
                user_token=None,
                user_refresh_token=None,
                user_scopes=None,
                user_token_expires_at=None,
            )
        )
    )
