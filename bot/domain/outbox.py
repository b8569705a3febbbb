"""What motbot owes the chat after a change, and the rules for delivering it late.

The domain records, in the transaction of each change, the effects the change owes
(a story's card to post, a card to refresh, the DMs telling people): whoever commits the
change commits what it owes, and nothing is owed for a change that was rolled back.
Where and how they are sent is the Slack layer's business (bot/slack/outbox.py); this
module knows them only as kinds and references.

Delivery rules:
- An entry is tried at once after the commit, then by the outbox drain, with a backoff
  that doubles from one minute up to an hour (`retry_delay`), until MAX_ATTEMPTS.
- A sender claims an entry for CLAIM_FOR before sending; a claim left by a process that
  died expires, and the entry is taken up again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy.orm import Session

from bot.db.models import Member
from bot.db.repositories import outbox as repo
from bot.domain.member_data import is_tombstone

MAX_ATTEMPTS = 12  # about six hours of retries with the backoff below
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)
# Longer than one send can take with the client's own retries (10 s timeouts, backoff
# and Retry-After waits), so a live sender never loses its claim mid-send.
CLAIM_FOR = timedelta(minutes=3)
KEEP_FINISHED_FOR = timedelta(days=7)


class Effect(StrEnum):
    STORY_CARD = "story_card"  # post the story's card in its channel
    CARD_REFRESH = "card_refresh"  # show the story's current state on its card
    STORY_NOTICE = "story_notice"  # DM a person in the story that it was shared
    KUDOS_NOTICE = "kudos_notice"  # DM the recipient of kudos
    HOME = "home"  # publish a member's App Home
    REVISION_NOTICE = "revision_notice"  # DM a person whose decision led to a policy revision


def card_key(story_id: int) -> str:
    return f"story:{story_id}:card"


def refresh_key(story_id: int) -> str:
    return f"story:{story_id}:refresh"


def story_notice_key(story_id: int, member_id: int) -> str:
    return f"story:{story_id}:notice:{member_id}"


def kudos_notice_key(kudos_id: int) -> str:
    return f"kudos:{kudos_id}:notice"


def revision_notice_key(revision_id: int, member_id: int) -> str:
    return f"policy:{revision_id}:notice:{member_id}"


def home_key(member_id: int) -> str:
    return f"home:{member_id}"


def owe_card(session: Session, workspace_id: int, story_id: int, now: datetime) -> None:
    repo.owe(session, workspace_id, Effect.STORY_CARD, card_key(story_id), now, story_id=story_id)


def owe_refresh(session: Session, workspace_id: int, story_id: int, now: datetime) -> None:
    """The card must show the story as it is now; refreshes not yet sent collapse into one."""
    repo.owe(
        session,
        workspace_id,
        Effect.CARD_REFRESH,
        refresh_key(story_id),
        now,
        story_id=story_id,
        again=True,
    )


def owe_story_notices(
    session: Session, workspace_id: int, story_id: int, member_ids: Iterable[int], now: datetime
) -> None:
    for member_id in member_ids:
        repo.owe(
            session,
            workspace_id,
            Effect.STORY_NOTICE,
            story_notice_key(story_id, member_id),
            now,
            story_id=story_id,
            member_id=member_id,
        )


def owe_kudos_notice(
    session: Session, workspace_id: int, kudos_id: int, member_id: int, now: datetime
) -> None:
    repo.owe(
        session,
        workspace_id,
        Effect.KUDOS_NOTICE,
        kudos_notice_key(kudos_id),
        now,
        kudos_id=kudos_id,
        member_id=member_id,
    )


def owe_revision_notice(
    session: Session, workspace_id: int, revision_id: int, member_id: int, now: datetime
) -> None:
    repo.owe(
        session,
        workspace_id,
        Effect.REVISION_NOTICE,
        revision_notice_key(revision_id, member_id),
        now,
        policy_revision_id=revision_id,
        member_id=member_id,
    )


def owe_home(session: Session, workspace_id: int, member_id: int, now: datetime) -> None:
    repo.owe(
        session,
        workspace_id,
        Effect.HOME,
        home_key(member_id),
        now,
        member_id=member_id,
        again=True,
    )


def addressee(session: Session, workspace_id: int, member_id: int) -> str | None:
    """The Slack user id a DM or App Home owed to the member goes to; None when there is
    nobody to send it to (not of this workspace, or forgotten)."""
    member = session.get(Member, member_id)
    if member is None or member.workspace_id != workspace_id:
        return None
    return None if is_tombstone(member.slack_user_id) else member.slack_user_id


def retry_delay(failed_attempts: int) -> timedelta:
    """How long to wait after the n-th failed attempt: 1, 2, 4 ... minutes, at most an hour."""
    if failed_attempts < 1:
        return timedelta(0)
    return min(FIRST_RETRY * 2 ** min(failed_attempts - 1, 16), LONGEST_RETRY)


def next_attempt(
    failed_attempts: int, now: datetime, retry_after: float | None = None
) -> datetime | None:
    """When to try again after a transient failure, or None to give up. Slack's own
    Retry-After (a 429) is honoured when it asks for longer than the backoff."""
    if failed_attempts >= MAX_ATTEMPTS:
        return None
    delay = retry_delay(failed_attempts)
    if retry_after is not None:
        delay = max(delay, timedelta(seconds=retry_after))
    return now + delay
