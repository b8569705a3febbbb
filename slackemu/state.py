"""The emulated workspace: people, conversations, messages, views and triggers, in memory.

`Workspace` is the single source of truth behind the emulator's HTTP surfaces (the Web
API in webapi/, and the inbound deliveries and simulated users built on top of it).
It enforces Slack's own rules (who may post where, who may edit what, how long a
trigger_id lives, how deep a modal stack goes) and raises `SlackError` with Slack's
error code when one is broken, so every surface answers the same way. The records it
keeps (`User`, `Channel`, `Message`, `View`, ...) and `SlackError` are in records.py.

Thread safety: one re-entrant lock guards all state. The Web API serves each request
on its own thread while tests and simulated users call in from theirs. Every read
returns a deep copy (a snapshot), so a caller can never change the workspace except
through its methods, and never sees a half-applied change.

Time comes from a `Clock` (clock.py), never from `time.time()` directly, so tests can
freeze and advance it and the sandbox can run it faster than real time.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from slackemu.clock import Clock
from slackemu.records import (
    JSON,
    Bot,
    Channel,
    Ephemeral,
    Message,
    ResponseUrl,
    SlackError,
    Team,
    User,
    UserGroup,
    View,
    _Trigger,
    json_copy,
    snapshot,
    with_block_ids,
)

TRIGGER_LIFETIME_SECONDS = 3.0  # Slack: "trigger_id expires 3 seconds after it is issued"
MAX_MODAL_STACK = 3  # Slack: "you can push up to 2 additional views" onto the root
RESPONSE_URL_LIFETIME_SECONDS = 30 * 60
RESPONSE_URL_MAX_USES = 5


class Workspace:
    """All the state of one emulated Slack workspace, behind one lock.

    - building: add_user, update_user, add_channel, add_user_group, join_channel,
      leave_channel, open_dm
    - looking up: users, user_by_id, user_by_email, find_user, channels, channel_by_id,
      find_channel, find_dm, resolve_conversation, user_groups, user_group_by_id, can_see
    - messages: post_message, update_message, delete_message, message, messages,
      thread_replies, last_message, add_reaction, remove_reaction, post_ephemeral,
      replace_ephemeral, delete_ephemeral, ephemerals, permalink
    - views: issue_trigger_id, redeem_trigger_id, open_modal, push_modal, update_view,
      publish_home, set_view_state, close_modal, clear_modals, modal_stack, top_modal,
      home_view, view_by_id
    - response urls: issue_response_url, use_response_url

    `find_*` helpers are lenient (names, #names) and raise LookupError, for tests and
    simulated users; `*_by_id` are strict and raise SlackError, as the Web API needs.
    """

    def __init__(
        self, team: Team | None = None, bot: Bot | None = None, clock: Clock | None = None
    ) -> None:
        self.team = team or Team()
        self.bot = bot or Bot()
        self.clock = clock or Clock()
        self._lock = threading.RLock()
        self._users: dict[str, User] = {}
        self._channels: dict[str, Channel] = {}
        self._dms: dict[str, str] = {}  # user id -> the bot's DM with them (its channel id)
        self._groups: dict[str, UserGroup] = {}
        self._messages: dict[str, list[Message]] = {}  # channel id -> messages, oldest first
        self._ephemerals: list[Ephemeral] = []
        self._views: dict[str, View] = {}
        self._modal_stacks: dict[str, list[str]] = {}  # user id -> view ids, root first
        self._home_views: dict[str, str] = {}  # user id -> view id
        self._triggers: dict[str, _Trigger] = {}
        self._response_urls: dict[str, ResponseUrl] = {}
        self._last_ts_micros = 0
        self._counter = itertools.count(1)
        self.add_user(
            User(
                id=self.bot.user_id,
                name=self.bot.name,
                real_name=self.bot.name,
                display_name=self.bot.name,
                is_bot=True,
                bot_id=self.bot.bot_id,
            )
        )

    # ------------------------------------------------------------ building

    def add_user(self, user: User) -> User:
        with self._lock:
            if user.id in self._users:
                raise ValueError(f"duplicate user id {user.id}")
            self._users[user.id] = snapshot(user)
            return snapshot(user)

    def add_channel(self, channel: Channel) -> Channel:
        with self._lock:
            if channel.id in self._channels:
                raise ValueError(f"duplicate channel id {channel.id}")
            unknown = sorted(channel.members - self._users.keys())
            if unknown:
                raise ValueError(f"channel {channel.id}: unknown members {unknown}")
            stored = snapshot(channel)
            stored.created = stored.created or int(self.clock.now())
            self._store_channel(stored)
            return snapshot(stored)

    def add_user_group(self, group: UserGroup) -> UserGroup:
        with self._lock:
            if group.id in self._groups:
                raise ValueError(f"duplicate user group id {group.id}")
            unknown = sorted(set(group.users) - self._users.keys())
            if unknown:
                raise ValueError(f"user group {group.id}: unknown users {unknown}")
            self._groups[group.id] = snapshot(group)
            return snapshot(group)

    def update_user(self, user_id: str, **changes: Any) -> User:
        """Change a person (deactivate them, move their time zone ...): `deleted=True`."""
        with self._lock:
            user = dataclasses.replace(self._user(user_id), **changes)
            if user.id != user_id:
                raise ValueError("a user's id cannot change")
            self._users[user_id] = user
            return snapshot(user)

    def join_channel(self, channel_id: str, user_id: str) -> Channel:
        """Make `user_id` a member of a channel (as conversations.join does for the bot)."""
        with self._lock:
            channel = self._channel(channel_id)
            self._user(user_id)
            if channel.is_im:
                raise SlackError("method_not_supported_for_channel_type")
            if channel.is_archived:
                raise SlackError("is_archived")
            channel.members.add(user_id)
            return snapshot(channel)

    def leave_channel(self, channel_id: str, user_id: str) -> Channel:
        with self._lock:
            channel = self._channel(channel_id)
            if channel.is_im:
                raise SlackError("method_not_supported_for_channel_type")
            channel.members.discard(user_id)
            return snapshot(channel)

    def open_dm(self, user_id: str) -> Channel:
        """The bot's DM with `user_id`, created on first use (idempotent, like Slack)."""
        with self._lock:
            user = self._user(user_id)
            if user.deleted:
                raise SlackError("user_disabled")
            if user.is_bot:
                raise SlackError("cannot_dm_bot")
            existing = self._find_dm(user_id)
            if existing is not None:
                return snapshot(existing)
            channel_id = self._new_id("D")
            channel = Channel(
                id=channel_id,
                is_im=True,
                user=user_id,
                members={self.bot.user_id, user_id},
                created=int(self.clock.now()),
            )
            self._store_channel(channel)
            return snapshot(channel)

    # ----------------------------------------------------------- looking up

    def users(self) -> list[User]:
        with self._lock:
            return [snapshot(record) for record in self._users.values()]

    def user_by_id(self, user_id: str) -> User:
        """Strictly by id, as the Web API looks users up; raises SlackError(user_not_found)."""
        with self._lock:
            return snapshot(self._user(user_id))

    def user_by_email(self, email: str) -> User:
        with self._lock:
            for user in self._users.values():
                if user.email and user.email.lower() == email.strip().lower():
                    return snapshot(user)
            raise SlackError("users_not_found", email)

    def find_user(self, ref: str) -> User:
        """A user by id, `@name`, name, display name or real name (case-insensitive).

        Meant for tests and simulated users ("alice clicks ..."); raises LookupError
        naming the known users when nothing matches.
        """
        wanted = ref.strip().removeprefix("@").casefold()
        with self._lock:
            if ref in self._users:
                return snapshot(self._users[ref])
            for attribute in ("name", "display_name", "real_name"):
                for user in self._users.values():
                    if getattr(user, attribute).casefold() == wanted:
                        return snapshot(user)
            known = ", ".join(sorted(user.name for user in self._users.values()))
            raise LookupError(f"no user {ref!r} in the workspace (known: {known})")

    def channels(self) -> list[Channel]:
        with self._lock:
            return [snapshot(record) for record in self._channels.values()]

    def channel_by_id(self, channel_id: str) -> Channel:
        """Strictly by id; raises SlackError(channel_not_found)."""
        with self._lock:
            return snapshot(self._channel(channel_id))

    def find_channel(self, ref: str) -> Channel:
        """A channel by id, `#name` or name; raises LookupError naming the known channels."""
        with self._lock:
            if ref in self._channels:
                return snapshot(self._channels[ref])
            found = self._channel_named(ref)
            if found is not None:
                return snapshot(found)
            known = ", ".join(sorted(f"#{c.name}" for c in self._channels.values() if c.name))
            raise LookupError(f"no channel {ref!r} in the workspace (known: {known})")

    def find_dm(self, user_id: str) -> Channel | None:
        """The bot's DM with `user_id` if it was ever opened, without opening it."""
        with self._lock:
            found = self._find_dm(user_id)
            return snapshot(found) if found is not None else None

    def resolve_conversation(self, ref: str) -> Channel:
        """Where chat.postMessage's `channel` points: a C/G/D id, a #name, or a user id.

        A user id means the bot's DM with that user, opened if needed, as in Slack.
        """
        with self._lock:
            if ref in self._channels:
                return snapshot(self._channels[ref])
            if ref in self._users:
                return self.open_dm(ref)
            found = self._channel_named(ref)
            if found is None:
                raise SlackError("channel_not_found", ref)
            return snapshot(found)

    def user_groups(self) -> list[UserGroup]:
        with self._lock:
            return [snapshot(record) for record in self._groups.values()]

    def user_group_by_id(self, group_id: str) -> UserGroup:
        with self._lock:
            group = self._groups.get(group_id)
            if group is None:
                raise SlackError("no_such_subteam", group_id)
            return snapshot(group)

    def can_see(self, channel_id: str, user_id: str) -> bool:
        """Public channels are visible to all; private ones and DMs only to members."""
        with self._lock:
            channel = self._channel(channel_id)
            return not (channel.is_private or channel.is_im) or user_id in channel.members

    # ------------------------------------------------------------ messages

    def post_message(
        self,
        channel_id: str,
        author_id: str,
        *,
        text: str = "",
        blocks: Sequence[JSON] = (),
        thread_ts: str | None = None,
        metadata: JSON | None = None,
        require_membership: bool = True,
    ) -> Message:
        """Post as `author_id` (the bot or a person). Authors must be channel members.

        `require_membership=False` is for response_url answers, which Slack lets an app
        post in a channel it is not in. A `thread_ts` naming a reply threads under that
        reply's parent, as Slack does. Stricter than Slack on one point: a `thread_ts`
        that names no message fails with `thread_not_found` instead of orphaning a reply.
        """
        with self._lock:
            channel = self._channel(channel_id)
            author = self._user(author_id)
            self._check_can_post(channel, author_id, require_membership)
            parent: Message | None = None
            if thread_ts:
                parent = self._find_message(channel_id, thread_ts)
                if parent is None:
                    raise SlackError("thread_not_found", thread_ts)
                if parent.thread_ts and parent.thread_ts != parent.ts:
                    parent = self._message(channel_id, parent.thread_ts)
            ts = self._next_ts()
            message = Message(
                channel=channel_id,
                ts=ts,
                user=author_id,
                text=text,
                blocks=with_block_ids(blocks, owner=ts),
                bot_id=author.bot_id,
                app_id=self.bot.app_id if author.bot_id == self.bot.bot_id else None,
                metadata=json_copy(metadata),
            )
            if parent is not None:
                parent.thread_ts = parent.ts
                parent.reply_count += 1
                message.thread_ts = parent.ts
            self._messages[channel_id].append(message)
            return snapshot(message)

    def update_message(
        self,
        channel_id: str,
        ts: str,
        editor_id: str,
        *,
        text: str | None = None,
        blocks: Sequence[JSON] | None = None,
        metadata: JSON | None = None,
    ) -> Message:
        """Edit a message; only its author may (`cant_update_message` otherwise)."""
        with self._lock:
            self._channel(channel_id)
            message = self._message(channel_id, ts)
            if message.user != editor_id:
                raise SlackError("cant_update_message")
            if text is not None:
                message.text = text
            if blocks is not None:
                message.blocks = with_block_ids(blocks, owner=ts)
            if metadata is not None:
                message.metadata = json_copy(metadata)
            message.edited = self._next_ts()
            return snapshot(message)

    def delete_message(self, channel_id: str, ts: str, deleter_id: str) -> None:
        """Delete a message; only its author may (`cant_delete_message` otherwise)."""
        with self._lock:
            self._channel(channel_id)
            message = self._message(channel_id, ts)
            if message.user != deleter_id:
                raise SlackError("cant_delete_message")
            self._messages[channel_id].remove(message)
            if message.thread_ts and message.thread_ts != message.ts:
                parent = self._find_message(channel_id, message.thread_ts)
                if parent is not None:
                    parent.reply_count -= 1

    # The inspection helpers below take a channel id or "#name".

    def message(self, channel: str, ts: str) -> Message:
        with self._lock:
            return snapshot(self._message(self._channel_ref(channel).id, ts))

    def messages(self, channel: str, *, include_replies: bool = False) -> list[Message]:
        """A channel's messages, oldest first; thread replies only when asked for."""
        with self._lock:
            return [
                snapshot(message)
                for message in self._messages[self._channel_ref(channel).id]
                if include_replies or not _is_reply(message)
            ]

    def thread_replies(self, channel: str, thread_ts: str) -> list[Message]:
        """The replies under the message `thread_ts`, oldest first (the parent excluded)."""
        with self._lock:
            return [
                snapshot(message)
                for message in self._messages[self._channel_ref(channel).id]
                if _is_reply(message) and message.thread_ts == thread_ts
            ]

    def last_message(self, channel: str, *, include_replies: bool = True) -> Message | None:
        """The newest message (replies included unless told otherwise), or None."""
        found = self.messages(channel, include_replies=include_replies)
        return found[-1] if found else None

    def add_reaction(self, channel_id: str, ts: str, user_id: str, emoji: str) -> Message:
        with self._lock:
            self._user(user_id)
            if not self.can_see(channel_id, user_id):
                raise SlackError("channel_not_found", channel_id)
            message = self._message(channel_id, ts)
            reactors = message.reactions.setdefault(emoji.strip(":"), [])
            if user_id in reactors:
                raise SlackError("already_reacted")
            reactors.append(user_id)
            return snapshot(message)

    def remove_reaction(self, channel_id: str, ts: str, user_id: str, emoji: str) -> Message:
        with self._lock:
            message = self._message(channel_id, ts)
            name = emoji.strip(":")
            reactors = message.reactions.get(name, [])
            if user_id not in reactors:
                raise SlackError("no_reaction")
            reactors.remove(user_id)
            if not reactors:
                del message.reactions[name]
            return snapshot(message)

    def post_ephemeral(
        self,
        channel_id: str,
        user_id: str,
        author_id: str,
        *,
        text: str = "",
        blocks: Sequence[JSON] = (),
        thread_ts: str | None = None,
        require_membership: bool = True,
    ) -> Ephemeral:
        """Show a message to `user_id` only; they must be in the channel."""
        with self._lock:
            channel = self._channel(channel_id)
            self._user(author_id)
            self._check_can_post(channel, author_id, require_membership)
            user = self._user(user_id)
            if require_membership and user.id not in channel.members:
                raise SlackError("user_not_in_channel")
            ts = self._next_ts()
            ephemeral = Ephemeral(
                channel=channel_id,
                user=user_id,
                ts=ts,
                author=author_id,
                text=text,
                blocks=with_block_ids(blocks, owner=ts),
                thread_ts=thread_ts,
            )
            self._ephemerals.append(ephemeral)
            return snapshot(ephemeral)

    def replace_ephemeral(
        self, user_id: str, ts: str, *, text: str, blocks: Sequence[JSON]
    ) -> Ephemeral:
        """Replace an ephemeral in place (response_url `replace_original` on an ephemeral)."""
        with self._lock:
            for ephemeral in self._ephemerals:
                if ephemeral.user == user_id and ephemeral.ts == ts:
                    ephemeral.text = text
                    ephemeral.blocks = with_block_ids(blocks, owner=ts)
                    return snapshot(ephemeral)
            raise SlackError("message_not_found", ts)

    def delete_ephemeral(self, user_id: str, ts: str) -> None:
        with self._lock:
            kept = [e for e in self._ephemerals if not (e.user == user_id and e.ts == ts)]
            if len(kept) == len(self._ephemerals):
                raise SlackError("message_not_found", ts)
            self._ephemerals = kept

    def ephemerals(self, user_id: str, channel_id: str | None = None) -> list[Ephemeral]:
        """Ephemeral messages shown to `user_id`, oldest first, optionally in one channel."""
        with self._lock:
            return [
                snapshot(e)
                for e in self._ephemerals
                if e.user == user_id and (channel_id is None or e.channel == channel_id)
            ]

    def permalink(self, channel_id: str, ts: str) -> str:
        with self._lock:
            message = self._message(channel_id, ts)
            link = (
                f"https://{self.team.domain}.slack.com/archives/{channel_id}/p{ts.replace('.', '')}"
            )
            if _is_reply(message):
                link += f"?thread_ts={message.thread_ts}&cid={channel_id}"
            return link

    # --------------------------------------------------------------- views

    def issue_trigger_id(self, user_id: str) -> str:
        """A trigger_id for `user_id`, as Slack puts in a command or interaction payload.

        It opens one view within TRIGGER_LIFETIME_SECONDS of emulator time.
        """
        with self._lock:
            self._user(user_id)
            number = next(self._counter)
            now = self.clock.now()
            digest = hashlib.sha1(f"{self.team.id}:{number}".encode()).hexdigest()[:24]
            trigger_id = f"{number}.{int(now)}.{digest}"
            self._triggers[trigger_id] = _Trigger(user_id=user_id, issued_at=now)
            return trigger_id

    def redeem_trigger_id(self, trigger_id: str) -> str:
        """Use up a trigger_id and return its user; Slack's errors when it cannot be used."""
        with self._lock:
            trigger = self._triggers.get(trigger_id)
            if trigger is None:
                raise SlackError("invalid_trigger_id")
            if trigger.used:
                raise SlackError("exchanged_trigger_id")
            if self.clock.now() - trigger.issued_at > TRIGGER_LIFETIME_SECONDS:
                raise SlackError("expired_trigger_id")
            trigger.used = True
            return trigger.user_id

    def open_modal(self, user_id: str, payload: Mapping[str, Any]) -> View:
        """Open a modal as the root of a new stack, closing any modal the user had open."""
        with self._lock:
            self._check_external_id_free(payload)
            for view_id in self._modal_stacks.pop(user_id, []):
                self._views.pop(view_id, None)
            view = self._new_view(user_id, payload, root_view_id=None, previous_view_id=None)
            self._modal_stacks[user_id] = [view.id]
            return snapshot(view)

    def push_modal(self, user_id: str, payload: Mapping[str, Any]) -> View:
        """Push a modal onto the user's open stack (at most MAX_MODAL_STACK deep)."""
        with self._lock:
            stack = self._modal_stacks.get(user_id)
            if not stack:
                raise SlackError("not_found", "the user has no modal open to push onto")
            if len(stack) >= MAX_MODAL_STACK:
                raise SlackError("push_limit_reached")
            self._check_external_id_free(payload)
            view = self._new_view(
                user_id, payload, root_view_id=stack[0], previous_view_id=stack[-1]
            )
            stack.append(view.id)
            return snapshot(view)

    def update_view(
        self,
        payload: Mapping[str, Any],
        *,
        view_id: str | None = None,
        external_id: str | None = None,
        expected_hash: str | None = None,
    ) -> View:
        """Replace an open view's content (views.update); `hash_conflict` if it moved on."""
        with self._lock:
            view = self._view(view_id=view_id, external_id=external_id)
            if expected_hash and expected_hash != view.hash:
                raise SlackError("hash_conflict")
            new_external_id = str(payload.get("external_id") or "")
            if new_external_id and new_external_id != view.external_id:
                self._check_external_id_free(payload)
            view.apply_payload(payload, self._new_hash())
            return snapshot(view)

    def publish_home(
        self, user_id: str, payload: Mapping[str, Any], *, expected_hash: str | None = None
    ) -> View:
        """Set a user's App Home (views.publish). The home view keeps its id across publishes."""
        with self._lock:
            self._user(user_id)
            view_id = self._home_views.get(user_id)
            if view_id is None:
                view = self._new_view(user_id, payload, root_view_id=None, previous_view_id=None)
                self._home_views[user_id] = view.id
                return snapshot(view)
            view = self._views[view_id]
            if expected_hash and expected_hash != view.hash:
                raise SlackError("hash_conflict")
            view.apply_payload(payload, self._new_hash())
            return snapshot(view)

    def set_view_state(self, view_id: str, values: Mapping[str, Mapping[str, JSON]]) -> View:
        """Record what a user entered: `{block_id: {action_id: {"type": ..., "value": ...}}}`.

        Merges per block into the view's `state.values`, which submissions carry.
        """
        with self._lock:
            view = self._view(view_id=view_id)
            for block_id, actions in values.items():
                view.state_values.setdefault(block_id, {}).update(json_copy(dict(actions)))
            return snapshot(view)

    def close_modal(self, user_id: str) -> View | None:
        """Close the top modal of a user's stack (Back / Cancel); returns the new top."""
        with self._lock:
            stack = self._modal_stacks.get(user_id, [])
            if stack:
                self._views.pop(stack.pop(), None)
            if not stack:
                self._modal_stacks.pop(user_id, None)
                return None
            return snapshot(self._views[stack[-1]])

    def clear_modals(self, user_id: str) -> None:
        """Close a user's whole modal stack (response_action "clear", or closing the root)."""
        with self._lock:
            for view_id in self._modal_stacks.pop(user_id, []):
                self._views.pop(view_id, None)

    def modal_stack(self, user_id: str) -> list[View]:
        """The user's open modals, root first; empty when none is open."""
        with self._lock:
            return [snapshot(self._views[v]) for v in self._modal_stacks.get(user_id, [])]

    def top_modal(self, user_id: str) -> View | None:
        """The modal the user is looking at, if any."""
        stack = self.modal_stack(user_id)
        return stack[-1] if stack else None

    def home_view(self, user_id: str) -> View | None:
        with self._lock:
            view_id = self._home_views.get(user_id)
            return snapshot(self._views[view_id]) if view_id else None

    def view_by_id(self, view_id: str) -> View:
        with self._lock:
            return snapshot(self._view(view_id=view_id))

    # -------------------------------------------------------- response urls

    def issue_response_url(
        self, channel_id: str, user_id: str, message_ts: str | None = None
    ) -> str:
        """A response_url token for a command or interaction by `user_id` in a channel.

        The HTTP path is built by the server (see Emulator.response_url); the token
        is valid RESPONSE_URL_MAX_USES times within RESPONSE_URL_LIFETIME_SECONDS.
        """
        with self._lock:
            self._channel(channel_id)
            self._user(user_id)
            number = next(self._counter)
            token = hashlib.sha1(f"response:{self.team.id}:{number}".encode()).hexdigest()
            self._response_urls[token] = ResponseUrl(
                token=token,
                channel=channel_id,
                user=user_id,
                issued_at=self.clock.now(),
                message_ts=message_ts,
            )
            return token

    def has_response_url(self, token: str) -> bool:
        with self._lock:
            return token in self._response_urls

    def use_response_url(self, token: str) -> ResponseUrl:
        """Count one use of a response_url; `expired_url` / `used_url` when it cannot be."""
        with self._lock:
            target = self._response_urls.get(token)
            if target is None:
                raise SlackError("invalid_url")
            if self.clock.now() - target.issued_at > RESPONSE_URL_LIFETIME_SECONDS:
                raise SlackError("expired_url")
            if target.uses >= RESPONSE_URL_MAX_USES:
                raise SlackError("used_url")
            target.uses += 1
            return snapshot(target)

    # --------------------------------------------------------- transactions

    @contextmanager
    def locked(self) -> Iterator[Workspace]:
        """Hold the lock across several calls, so they apply as one step."""
        with self._lock:
            yield self

    # ------------------------------------------------------------ internals

    def _user(self, user_id: str) -> User:
        user = self._users.get(user_id)
        if user is None:
            raise SlackError("user_not_found", user_id)
        return user

    def _channel(self, channel_id: str) -> Channel:
        channel = self._channels.get(channel_id)
        if channel is None:
            raise SlackError("channel_not_found", channel_id)
        return channel

    def _channel_ref(self, ref: str) -> Channel:
        found = self._channels.get(ref) or self._channel_named(ref)
        if found is None:
            raise SlackError("channel_not_found", ref)
        return found

    def _channel_named(self, ref: str) -> Channel | None:
        name = ref.strip().removeprefix("#").casefold()
        return next(
            (c for c in self._channels.values() if c.name.casefold() == name and name), None
        )

    def _store_channel(self, channel: Channel) -> None:
        self._channels[channel.id] = channel
        self._messages[channel.id] = []
        if channel.is_im and channel.user is not None:
            # A fan-out opens a DM per person: found by person, not by a scan of every
            # channel. Should a workspace be built with two, the first is the DM.
            self._dms.setdefault(channel.user, channel.id)

    def _find_dm(self, user_id: str) -> Channel | None:
        channel_id = self._dms.get(user_id)
        return self._channels[channel_id] if channel_id is not None else None

    def _check_can_post(self, channel: Channel, author_id: str, require_membership: bool) -> None:
        if channel.is_archived:
            raise SlackError("is_archived")
        if not require_membership or author_id in channel.members:
            return
        # Slack hides private conversations from non-members entirely.
        if channel.is_private or channel.is_im:
            raise SlackError("channel_not_found", channel.id)
        raise SlackError("not_in_channel", channel.id)

    def _find_message(self, channel_id: str, ts: str) -> Message | None:
        return next((m for m in self._messages.get(channel_id, []) if m.ts == ts), None)

    def _message(self, channel_id: str, ts: str) -> Message:
        message = self._find_message(channel_id, ts)
        if message is None:
            raise SlackError("message_not_found", f"{channel_id}/{ts}")
        return message

    def _view(self, *, view_id: str | None = None, external_id: str | None = None) -> View:
        for view in self._views.values():
            if (view_id and view.id == view_id) or (
                external_id and view.external_id == external_id
            ):
                return view
        raise SlackError("not_found", view_id or external_id or "")

    def _check_external_id_free(self, payload: Mapping[str, Any]) -> None:
        external_id = payload.get("external_id")
        if external_id and any(v.external_id == external_id for v in self._views.values()):
            raise SlackError("duplicate_external_id", str(external_id))

    def _new_view(
        self,
        user_id: str,
        payload: Mapping[str, Any],
        *,
        root_view_id: str | None,
        previous_view_id: str | None,
    ) -> View:
        view_id = self._new_id("V")
        view = View(
            id=view_id,
            team_id=self.team.id,
            type=str(payload.get("type")),
            user_id=user_id,
            blocks=[],
            hash="",
            app_id=self.bot.app_id,
            bot_id=self.bot.bot_id,
            root_view_id=root_view_id or view_id,
            previous_view_id=previous_view_id,
        )
        view.apply_payload(payload, self._new_hash())
        self._views[view_id] = view
        return view

    def _new_id(self, prefix: str) -> str:
        while True:
            candidate = f"{prefix}0EMU{next(self._counter):05d}"
            # Looked up in each: a union of their keys would copy every id per new id.
            if not any(candidate in taken for taken in (self._channels, self._views, self._users)):
                return candidate

    def _new_hash(self) -> str:
        return f"{int(self.clock.now())}.{next(self._counter):08d}"

    def _next_ts(self) -> str:
        """A message ts: emulator time in microseconds, bumped so it is always unique."""
        micros = max(int(self.clock.now() * 1_000_000), self._last_ts_micros + 1)
        self._last_ts_micros = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"


def _is_reply(message: Message) -> bool:
    return bool(message.thread_ts) and message.thread_ts != message.ts
