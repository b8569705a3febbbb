"""The records the emulated workspace holds: team, bot, people, conversations, messages, views.

Plain dataclasses (`Team`, `Bot`, `User`, `Channel`, `UserGroup`, `Message`, `Ephemeral`,
`View`, `ResponseUrl`, and the store-private `_Trigger`) that `Workspace` in state.py keeps,
most with a `to_api()` giving Slack's Web API shape; `SlackError`, the Slack error code
raised when a rule of the workspace is broken; the `JSON` alias; `with_block_ids`, which
fills in the block_ids Slack adds to blocks that have none; and `json_copy` and `snapshot`,
the deep copies the workspace hands out.

`to_api()` shares the record's values instead of copying them: the records the
workspace hands out are copies already, the caller's own.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

JSON = dict[str, Any]
_T = TypeVar("_T")
# Immutable, so a copy may share them.
_SCALARS = frozenset({str, int, float, bool, type(None)})


class SlackError(Exception):
    """A Slack error code (`channel_not_found`, ...) raised by a rule of the workspace.

    `messages` carries the `response_metadata.messages` lines Slack adds to some errors
    (`invalid_arguments`, `invalid_blocks`).
    """

    def __init__(self, error: str, detail: str = "", messages: Sequence[str] = ()) -> None:
        super().__init__(f"{error}: {detail}" if detail else error)
        self.error = error
        self.messages = list(messages)


@dataclass(frozen=True)
class Team:
    id: str = "T0DEMO001"
    name: str = "Nordlys Air"
    domain: str = "nordlys-air"

    def to_api(self) -> JSON:
        return {
            "id": self.id,
            "name": self.name,
            "domain": self.domain,
            "email_domain": f"{self.domain}.example",
            "icon": {"image_default": True},
        }


@dataclass(frozen=True)
class Bot:
    """The app under test: its bot user, bot and app ids, and the token it calls with."""

    user_id: str = "U0MOTBOT1"
    bot_id: str = "B0MOTBOT1"
    app_id: str = "A0MOTBOT1"
    token: str = "xoxb-emulator-motbot"
    name: str = "motbot"


@dataclass
class User:
    id: str
    name: str
    real_name: str = ""
    display_name: str = ""
    tz: str = "UTC"
    locale: str = "en-US"
    email: str | None = None
    is_bot: bool = False
    bot_id: str | None = None
    deleted: bool = False
    is_restricted: bool = False
    is_admin: bool = False

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.tz)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"user {self.id}: unknown time zone {self.tz!r}") from error

    def tz_offset(self, at: float | None = None) -> int:
        """Seconds east of UTC at epoch `at` (now when None), as Slack's `tz_offset`."""
        moment = datetime.fromtimestamp(time.time() if at is None else at, ZoneInfo(self.tz))
        offset = moment.utcoffset()
        return int(offset.total_seconds()) if offset is not None else 0

    def to_api(self, team_id: str, at: float, *, include_locale: bool = False) -> JSON:
        moment = datetime.fromtimestamp(at, ZoneInfo(self.tz))
        profile: JSON = {
            "real_name": self.real_name,
            "real_name_normalized": self.real_name,
            "display_name": self.display_name,
            "display_name_normalized": self.display_name,
            "team": team_id,
        }
        if self.email:
            profile["email"] = self.email
        if self.bot_id:
            profile["bot_id"] = self.bot_id
        body: JSON = {
            "id": self.id,
            "team_id": team_id,
            "name": self.name,
            "deleted": self.deleted,
            "real_name": self.real_name,
            "tz": self.tz,
            "tz_label": moment.tzname() or self.tz,
            "tz_offset": self.tz_offset(at),
            "profile": profile,
            "is_admin": self.is_admin,
            "is_owner": False,
            "is_primary_owner": False,
            "is_restricted": self.is_restricted,
            "is_ultra_restricted": False,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "updated": int(at),
        }
        if include_locale:
            body["locale"] = self.locale
        return body


@dataclass
class Channel:
    """A conversation: a public or private channel, or a DM (`is_im`, with `user`)."""

    id: str
    name: str = ""
    is_private: bool = False
    is_im: bool = False
    user: str | None = None  # the person at the other end of a DM with the bot
    members: set[str] = field(default_factory=set)
    is_archived: bool = False
    topic: str = ""
    purpose: str = ""
    created: int = 0

    def to_api(self, *, include_num_members: bool = False) -> JSON:
        if self.is_im:
            body: JSON = {
                "id": self.id,
                "created": self.created,
                "is_im": True,
                "is_org_shared": False,
                "user": self.user,
                "is_open": True,
            }
        else:
            body = {
                "id": self.id,
                "name": self.name,
                "name_normalized": self.name,
                "is_channel": not self.is_private,
                "is_group": self.is_private,
                "is_im": False,
                "is_mpim": False,
                "is_private": self.is_private,
                "is_archived": self.is_archived,
                "is_general": self.name == "general",
                "created": self.created,
                "topic": {"value": self.topic},
                "purpose": {"value": self.purpose},
            }
        if include_num_members:
            body["num_members"] = len(self.members)
        return body


@dataclass
class UserGroup:
    id: str
    handle: str
    name: str
    users: list[str] = field(default_factory=list)
    description: str = ""

    def to_api(self, team_id: str, *, include_users: bool = False) -> JSON:
        body: JSON = {
            "id": self.id,
            "team_id": team_id,
            "is_usergroup": True,
            "name": self.name,
            "description": self.description,
            "handle": self.handle,
            "is_external": False,
            "date_delete": 0,
            "user_count": str(len(self.users)),
        }
        if include_users:
            body["users"] = list(self.users)
        return body


@dataclass
class Message:
    """A message in a channel. Bot messages carry `bot_id`; `user` is always the author."""

    channel: str
    ts: str
    user: str
    text: str = ""
    blocks: list[JSON] = field(default_factory=list)
    bot_id: str | None = None
    app_id: str | None = None
    thread_ts: str | None = None
    reply_count: int = 0
    reactions: dict[str, list[str]] = field(default_factory=dict)  # emoji -> user ids
    edited: str | None = None  # ts of the last edit
    metadata: JSON | None = None

    def to_api(self, team_id: str) -> JSON:
        body: JSON = {
            "type": "message",
            "ts": self.ts,
            "user": self.user,
            "text": self.text,
            "team": team_id,
        }
        if self.blocks:
            body["blocks"] = self.blocks
        if self.bot_id:
            body["bot_id"] = self.bot_id
            body["app_id"] = self.app_id
        if self.thread_ts:
            body["thread_ts"] = self.thread_ts
        if self.reply_count:
            body["reply_count"] = self.reply_count
        if self.reactions:
            body["reactions"] = [
                {"name": name, "users": list(users), "count": len(users)}
                for name, users in self.reactions.items()
            ]
        if self.edited:
            body["edited"] = {"user": self.user, "ts": self.edited}
        if self.metadata is not None:
            body["metadata"] = self.metadata
        return body


@dataclass
class Ephemeral:
    """A message only `user` sees; it is never stored in the channel's history."""

    channel: str
    user: str
    ts: str
    author: str
    text: str = ""
    blocks: list[JSON] = field(default_factory=list)
    thread_ts: str | None = None


@dataclass
class View:
    """A modal (in a user's stack) or a user's App Home tab."""

    id: str
    team_id: str
    type: str  # "modal" or "home"
    user_id: str
    blocks: list[JSON]
    hash: str
    app_id: str
    bot_id: str
    title: JSON | None = None
    submit: JSON | None = None
    close: JSON | None = None
    callback_id: str = ""
    private_metadata: str = ""
    external_id: str = ""
    clear_on_close: bool = False
    notify_on_close: bool = False
    state_values: dict[str, dict[str, JSON]] = field(default_factory=dict)
    root_view_id: str | None = None
    previous_view_id: str | None = None

    def apply_payload(self, payload: Mapping[str, Any], new_hash: str) -> None:
        """Replace the content with a views.* `view` payload, as views.update does.

        Input values survive for blocks that are still there, as they do in Slack, so
        updating a modal does not wipe what the user has typed.
        """
        self.blocks = with_block_ids(payload.get("blocks") or [], owner=self.id)
        self.title = json_copy(payload.get("title"))
        self.submit = json_copy(payload.get("submit"))
        self.close = json_copy(payload.get("close"))
        self.callback_id = str(payload.get("callback_id") or "")
        self.private_metadata = str(payload.get("private_metadata") or "")
        # An update that does not repeat the external_id keeps it, so the view can still
        # be found by it.
        self.external_id = str(payload.get("external_id") or self.external_id)
        self.clear_on_close = bool(payload.get("clear_on_close", False))
        self.notify_on_close = bool(payload.get("notify_on_close", False))
        block_ids = {block.get("block_id") for block in self.blocks}
        self.state_values = {
            block_id: values
            for block_id, values in self.state_values.items()
            if block_id in block_ids
        }
        self.hash = new_hash

    def to_api(self) -> JSON:
        return {
            "id": self.id,
            "team_id": self.team_id,
            "type": self.type,
            "title": self.title,
            "submit": self.submit,
            "close": self.close,
            "blocks": self.blocks,
            "private_metadata": self.private_metadata,
            "callback_id": self.callback_id,
            "external_id": self.external_id,
            "state": {"values": self.state_values},
            "hash": self.hash,
            "clear_on_close": self.clear_on_close,
            "notify_on_close": self.notify_on_close,
            "root_view_id": self.root_view_id,
            "previous_view_id": self.previous_view_id,
            "app_id": self.app_id,
            "bot_id": self.bot_id,
            "app_installed_team_id": self.team_id,
        }


@dataclass
class _Trigger:
    user_id: str
    issued_at: float
    used: bool = False


@dataclass
class ResponseUrl:
    """Where a slash command or interaction may answer: its channel, user, and message."""

    token: str
    channel: str
    user: str
    issued_at: float
    message_ts: str | None = None  # the message an interaction came from, for replace/delete
    uses: int = 0


def with_block_ids(blocks: Sequence[JSON], *, owner: str) -> list[JSON]:
    """Copies of `blocks`, each with a block_id: Slack fills in the missing ones.

    Interactions and view state are keyed by block_id, so simulated users need one on
    every block. Generated ids depend only on the owner (a message ts, a view id) and
    the position, so updating a view keeps them, and with them what the user typed.
    """
    filled = [json_copy(block) for block in blocks]
    for index, block in enumerate(filled):
        if isinstance(block, dict) and not block.get("block_id"):
            block["block_id"] = hashlib.sha1(f"{owner}:{index}".encode()).hexdigest()[:6]
    return filled


def json_copy(value: _T) -> _T:
    """A deep copy of a JSON value (dicts, lists, strings, numbers ...) or a set, as
    copy.deepcopy makes it, several times faster: the workspace copies Block Kit on every
    post and every read. What is not JSON inside is left to copy.deepcopy. Unlike
    copy.deepcopy it does not keep shared references shared, which a value parsed from
    JSON never has."""
    original: Any = value
    kind = type(original)
    copied: Any
    if kind is dict:
        copied = {
            key: item if type(item) in _SCALARS else json_copy(item)
            for key, item in original.items()
        }
    elif kind is list:
        copied = [item if type(item) in _SCALARS else json_copy(item) for item in original]
    elif kind is set:  # a channel's members
        copied = {item if type(item) in _SCALARS else json_copy(item) for item in original}
    elif kind in _SCALARS:
        copied = original
    else:
        copied = copy.deepcopy(original)
    return copied


def snapshot(record: _T) -> _T:
    """A deep copy of a record (one of the dataclasses above), field by field."""
    copied = copy.copy(record)
    for record_field in dataclasses.fields(record):
        value = getattr(record, record_field.name)
        if type(value) not in _SCALARS:
            setattr(copied, record_field.name, json_copy(value))
    return copied
