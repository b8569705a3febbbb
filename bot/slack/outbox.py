"""Delivering the outbox: each effect owed to Slack rendered as things are now, sent once,
and what came of it recorded.

The Courier is used twice: right after a request's commit, so people see their card and
their DMs at once, and by the outbox drain (bot/scheduling/outbox_job.py) for what Slack
did not take then. Either way an entry is claimed before it is sent (repositories/
outbox.py), so two senders never both send it, and it is rendered at delivery from what
it refers to: a card refreshed an hour late shows the story as it is then.

Exactly once, kind by kind:
- A story card is posted only while the story has none; the post and the record of where
  it is are committed together, and a card some other sender attached first is deleted.
- A card refresh is idempotent; refreshes owed for one card collapse into one.
- A DM is sent once per entry. The one window left is Slack accepting a DM and this
  process dying before its commit (milliseconds): after the claim expires it is sent
  again, as in the fan-out (fanout.py), since losing it would be worse.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.orm import Session

from bot import metrics
from bot.db.engine import SessionFactory, unit_of_work
from bot.db.owners import new_owner
from bot.db.repositories import outbox as repo
from bot.domain import directory, kudos, outbox, policy_signals, stories
from bot.domain.errors import DomainError
from bot.domain.outbox import Effect
from bot.domain.stories import StoryCard
from bot.slack.outcomes import NotDelivered, StopRun
from bot.slack.people import People
from bot.slack.posting import sort_failure
from bot.slack.views.home import home_view
from bot.slack.views.kudos import kudos_notice
from bot.slack.views.policies import revision_notice_message
from bot.slack.views.story_card import deleted_card_message, people_notice, story_card_message

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
# An entry asked for again while it was in flight is sent again at once, this often at
# most in one go (then the drain takes over).
MAX_RESENDS = 3


class Gone(Exception):
    """Nothing is owed any more (the story was deleted, the kudos revoked): the entry ends
    without anything sent, and that is no failure."""


@dataclass(frozen=True)
class Undelivered:
    """An entry Slack did not take. `later`: it waits for the drain; otherwise it was
    given up (Slack will never take it)."""

    kind: Effect
    error: str
    later: bool
    story_id: int | None = None
    kudos_id: int | None = None


@dataclass
class Deliveries:
    """What one go of the courier came to."""

    delivered: int = 0
    gone: int = 0
    undelivered: list[Undelivered] = field(default_factory=list)
    stopped: str | None = None

    def owed(self, kind: Effect) -> list[Undelivered]:
        """Entries of `kind` that wait for the drain."""
        return [entry for entry in self.undelivered if entry.kind == kind and entry.later]

    def given_up(self, kind: Effect) -> list[Undelivered]:
        return [entry for entry in self.undelivered if entry.kind == kind and not entry.later]

    def add(self, other: Deliveries) -> None:
        self.delivered += other.delivered
        self.gone += other.gone
        self.undelivered.extend(other.undelivered)
        self.stopped = self.stopped or other.stopped


class Courier:
    """Delivers one workspace's outbox entries with that workspace's client."""

    def __init__(
        self,
        sessions: SessionFactory,
        client: WebClient,
        team_id: str,
        workspace_id: int,
        people: People,
        clock: Clock,
        *,
        guide: Sequence[str],
        owner: str | None = None,
    ) -> None:
        """`guide`: the catalogue keys of the guide an App Home shows (the `/mot`
        table's, bot/slack/listeners/mot_commands())."""
        self.sessions = sessions
        self.client = client
        self.team_id = team_id
        self.workspace_id = workspace_id
        self.people = people
        self.clock = clock
        self.guide = tuple(guide)
        self.owner = owner or new_owner()

    def deliver_effects(self, effect_keys: Sequence[str]) -> Deliveries:
        """Deliver what is still owed for these effects (right after the change)."""
        with unit_of_work(self.sessions) as session:
            ids = repo.unfinished_ids(session, self.workspace_id, effect_keys)
        return self.deliver(ids)

    def owed_entries(self, session: Session, effect_keys: Sequence[str]) -> list[int]:
        """The entries still owed for these effects, read in the caller's transaction (the
        one that recorded them, say); `deliver()` them once it has committed."""
        return repo.unfinished_ids(session, self.workspace_id, effect_keys)

    def still_owed(self, effect_keys: Sequence[str]) -> set[str]:
        """Those of these effects not delivered yet (Slack failed, or a 429 cut the go
        short before their turn)."""
        with unit_of_work(self.sessions) as session:
            return repo.unfinished_keys(session, self.workspace_id, effect_keys)

    def deliver_due(self, limit: int) -> Deliveries:
        """Deliver up to `limit` entries whose time has come (the drain)."""
        with unit_of_work(self.sessions) as session:
            ids = repo.due_ids(session, self.workspace_id, self.clock(), limit)
        return self.deliver(ids)

    def deliver(self, entry_ids: Iterable[int]) -> Deliveries:
        done = Deliveries()
        for entry_id in entry_ids:
            done.add(self._deliver_one(entry_id))
            if done.stopped:
                break  # the token is gone, or Slack asked us to wait: the drain goes on
        return done

    # --- one entry ----------------------------------------------------------------------

    def _deliver_one(self, entry_id: int) -> Deliveries:
        done = Deliveries()
        for _ in range(MAX_RESENDS):
            now = self.clock()
            with unit_of_work(self.sessions) as session:
                entry = repo.claim(session, entry_id, self.owner, now, now + outbox.CLAIM_FOR)
            if entry is None:
                return done  # another sender has it, or it is not due
            try:
                sent = self._send(entry)
            except Gone as gone:
                with unit_of_work(self.sessions) as session:
                    repo.drop(session, entry.id, self.owner, str(gone), self.clock())
                metrics.observe_outbox_delivery(entry.kind, metrics.OUTBOX_GONE)
                done.gone += 1
                return done
            except Exception as error:
                done.add(self._failed(entry, error))
                return done
            done.delivered += 1
            metrics.observe_outbox_delivery(entry.kind, metrics.OUTBOX_DELIVERED)
            if sent.notices_of is not None:
                done.add(self.deliver_story_notices(sent.notices_of))
            if sent.finished:
                return done
            # Asked for again while in flight: what was sent may show the older state.
        return done

    def deliver_story_notices(self, story_id: int) -> Deliveries:
        with unit_of_work(self.sessions) as session:
            ids = repo.unfinished_ids_of_story(
                session, self.workspace_id, story_id, Effect.STORY_NOTICE
            )
        return self.deliver(ids)

    def _failed(self, entry: repo.Claimed, error: Exception) -> Deliveries:
        try:
            failure = sort_failure(error)
        except TypeError:
            # A bug rendering one entry must not stop the others; it is retried like a
            # transient failure and, if it keeps failing, given up.
            log.exception("outbox: delivering a %s failed", entry.kind)
            failure = NotDelivered(type(error).__name__, permanent=False)
        now = self.clock()
        retry_at = None if failure.permanent else outbox.next_attempt(entry.attempts, now)
        if failure.retry_after is not None and retry_at is not None:
            retry_at = outbox.next_attempt(entry.attempts, now, failure.retry_after)
        with unit_of_work(self.sessions) as session:
            if retry_at is None:
                repo.drop(session, entry.id, self.owner, failure.error, now)
            else:
                repo.retry_later(session, entry.id, self.owner, failure.error, retry_at)
        if retry_at is None:
            log.error(
                "outbox: gave up a %s after %d attempts (%s)",
                entry.kind,
                entry.attempts,
                failure.error,
            )
            metrics.observe_outbox_delivery(entry.kind, metrics.OUTBOX_DROPPED)
        else:
            log.warning(
                "outbox: Slack did not take a %s (%s, attempt %d); trying again at %s",
                entry.kind,
                failure.error,
                entry.attempts,
                retry_at.isoformat(timespec="seconds"),
            )
            metrics.observe_outbox_delivery(entry.kind, metrics.OUTBOX_RETRY)
        stop = (
            failure.error
            if isinstance(failure, StopRun) or failure.retry_after is not None
            else None
        )
        return Deliveries(
            undelivered=[
                Undelivered(
                    Effect(entry.kind),
                    failure.error,
                    later=retry_at is not None,
                    story_id=entry.story_id,
                    kudos_id=entry.kudos_id,
                )
            ],
            stopped=stop,
        )

    # --- rendering and sending ----------------------------------------------------------

    def _send(self, entry: repo.Claimed) -> _Sent:
        """Send the entry and record its delivery (for a card, with where it is)."""
        if entry.kind == Effect.STORY_CARD:
            return self._post_card(entry)
        if entry.kind == Effect.CARD_REFRESH:
            self._refresh_card(entry)
        elif entry.kind == Effect.STORY_NOTICE:
            self._tell_person(entry)
        elif entry.kind == Effect.KUDOS_NOTICE:
            self._tell_recipient(entry)
        elif entry.kind == Effect.REVISION_NOTICE:
            self._tell_revision(entry)
        elif entry.kind == Effect.HOME:
            self._publish_home(entry)
        else:
            raise Gone(f"unknown_kind:{entry.kind}")
        with unit_of_work(self.sessions) as session:
            return _Sent(repo.mark_delivered(session, entry.id, self.owner, self.clock()))

    def _card(self, session: Session, entry: repo.Claimed) -> StoryCard:
        assert entry.story_id is not None
        try:
            return stories.story_card(session, self.workspace_id, entry.story_id)
        except DomainError as error:
            raise Gone("story_not_found") from error

    def _post_card(self, entry: repo.Claimed) -> _Sent:
        with unit_of_work(self.sessions) as session:
            card = self._card(session, entry)
            locale = directory.workspace_channels(session, self.workspace_id).locale
        if card.is_deleted:
            raise Gone("story_deleted")
        if card.message_ts:  # posted already: never a second card
            with unit_of_work(self.sessions) as session:
                return _Sent(repo.mark_delivered(session, entry.id, self.owner, self.clock()))
        assert card.channel_id is not None, "a shared story always has a channel"
        posted = post_joining_if_needed(
            self.client, card.channel_id, story_card_message(card, locale)
        )
        # Where the card is, the DMs it owes and its delivery: one commit.
        with unit_of_work(self.sessions) as session:
            attached = stories.card_posted(
                session, self.workspace_id, card.id, posted["channel"], posted["ts"], self.clock()
            )
            finished = repo.mark_delivered(session, entry.id, self.owner, self.clock())
        if not attached:
            log.warning("outbox: a story's card was posted twice; deleting the second")
            _quietly(lambda: self.client.chat_delete(channel=posted["channel"], ts=posted["ts"]))
        return _Sent(finished, notices_of=card.id)

    def _refresh_card(self, entry: repo.Claimed) -> None:
        with unit_of_work(self.sessions) as session:
            card = self._card(session, entry)
            locale = directory.workspace_channels(session, self.workspace_id).locale
        if not (card.channel_id and card.message_ts):
            return  # no card yet: the one posted later shows the story as it is then
        try:
            if card.is_deleted:
                self._take_down(card.channel_id, card.message_ts, locale)
            else:
                message = story_card_message(card, locale)
                self.client.chat_update(channel=card.channel_id, ts=card.message_ts, **message)
        except SlackApiError as error:
            if error.response.get("error") in ("message_not_found", "channel_not_found"):
                raise Gone("card_not_found") from error  # someone removed the card
            raise

    def _take_down(self, channel: str, ts: str, locale: str) -> None:
        try:
            self.client.chat_delete(channel=channel, ts=ts)
        except SlackApiError as error:
            if error.response.status_code != 200 or error.response.get("error") in (
                "message_not_found",
                "ratelimited",
            ):
                raise
            # Not ours to delete any more (an admin's setting, say): say so in its place.
            self.client.chat_update(channel=channel, ts=ts, **deleted_card_message(locale))

    def _tell_person(self, entry: repo.Claimed) -> None:
        with unit_of_work(self.sessions) as session:
            card = self._card(session, entry)
            user_id = self._addressee(session, entry)
            known = self.people.look_up(session, self.team_id, user_id)
        if card.is_deleted:
            raise Gone("story_deleted")
        locale = self.people.known(self.client, self.team_id, user_id, known).locale
        permalink = _permalink(self.client, card.channel_id, card.message_ts)
        self.client.chat_postMessage(channel=user_id, **people_notice(card, permalink, locale))

    def _tell_recipient(self, entry: repo.Claimed) -> None:
        assert entry.kudos_id is not None
        with unit_of_work(self.sessions) as session:
            notice = kudos.kudos_notice(session, self.workspace_id, entry.kudos_id)
            if notice is None:
                raise Gone("kudos_revoked")
            user_id = notice.recipient_user_id
            known = self.people.look_up(session, self.team_id, user_id)
        locale = self.people.known(self.client, self.team_id, user_id, known).locale
        message = kudos_notice(
            locale, notice.giver_user_id, notice.reason, notice.value_tags, notice.from_leader
        )
        self.client.chat_postMessage(channel=user_id, **message)

    def _tell_revision(self, entry: repo.Claimed) -> None:
        assert entry.policy_revision_id is not None
        with unit_of_work(self.sessions) as session:
            user_id = self._addressee(session, entry)
            assert entry.member_id is not None
            notice = policy_signals.revision_notice(
                session, self.workspace_id, entry.policy_revision_id, entry.member_id
            )
            if notice is None:
                raise Gone("stories_deleted")
            known = self.people.look_up(session, self.team_id, user_id)
        person = self.people.known(self.client, self.team_id, user_id, known)
        message = revision_notice_message(person.locale, notice, person.timezone)
        self.client.chat_postMessage(channel=user_id, **message)

    def _publish_home(self, entry: repo.Claimed) -> None:
        now = self.clock()
        with unit_of_work(self.sessions) as session:
            user_id = self._addressee(session, entry)
            requester = directory.find_requester(session, self.team_id, user_id, now)
            if requester is None:
                raise Gone("member_not_found")
            recent = stories.recent_stories(session, requester)
            recognition = kudos.kudos_summary(session, requester, now)
        view = home_view(requester.locale, recent, recognition, self.guide, requester.tag_emoji)
        self.client.views_publish(user_id=requester.user_id, view=view)

    def _addressee(self, session: Session, entry: repo.Claimed) -> str:
        user_id = (
            outbox.addressee(session, self.workspace_id, entry.member_id)
            if entry.member_id is not None
            else None
        )
        if user_id is None:
            raise Gone("member_not_found")
        return user_id


@dataclass(frozen=True)
class _Sent:
    """A delivery recorded. `finished` False: the entry was asked for again while it was
    in flight, so it is due again. `notices_of`: a card was posted, and the DMs to the
    people in its story are owed now."""

    finished: bool
    notices_of: int | None = None


def post_joining_if_needed(client: WebClient, channel: str, message: dict) -> dict:
    """chat.postMessage; a public channel the bot is not in is joined once, then posted to."""
    try:
        return client.chat_postMessage(channel=channel, **message).data  # type: ignore[return-value]
    except SlackApiError as error:
        if error.response.get("error") != "not_in_channel":
            raise
    client.conversations_join(channel=channel)
    return client.chat_postMessage(channel=channel, **message).data  # type: ignore[return-value]


def _permalink(client: WebClient, channel: str | None, ts: str | None) -> str | None:
    if not (channel and ts):
        return None
    try:
        return client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"]
    except (SlackApiError, SlackClientError, OSError):
        return None  # the DM reads well without its link


def _quietly(call: Callable[[], object]) -> None:
    try:
        call()
    except (SlackApiError, SlackClientError, OSError) as error:
        log.warning("outbox: clean-up call failed: %s", error)
