"""Rules several families share: a message's content, a view's payload, which
conversations the bot can see, and Slack's paging cursors."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import TypeVar

from slackemu.blockkit import (
    MESSAGE_TEXT_MAX_LENGTH,
    validate_message_blocks,
    validate_view,
)
from slackemu.records import JSON, Channel, SlackError
from slackemu.webapi.arguments import Arguments, invalid_argument
from slackemu.webapi.registry import ApiRequest

_T = TypeVar("_T")
MAX_PAGE_SIZE = 1000


def message_content(args: Arguments) -> tuple[str, list[JSON]]:
    """A message's text and blocks, checked as chat.* methods check them."""
    text = args.text("text") or ""
    blocks = args.structured("blocks", error="invalid_blocks_format")
    if blocks is not None and not isinstance(blocks, list):
        raise SlackError("invalid_blocks_format")
    problems = validate_message_blocks(blocks) if blocks else []
    if problems:
        raise SlackError("invalid_blocks", messages=[f"[ERROR] {p}" for p in problems])
    if len(text) > MESSAGE_TEXT_MAX_LENGTH:
        raise SlackError("msg_too_long")
    if not text and not blocks and not args.has("attachments"):
        raise SlackError("no_text")
    return text, list(blocks or [])


def view_payload(args: Arguments, *, view_type: str | None) -> JSON:
    """The `view` argument, validated; Slack answers bad views with invalid_arguments."""
    view = args.structured("view", error="invalid_arguments")
    problems = validate_view(view)
    if not problems and view_type is not None and view.get("type") != view_type:
        raise invalid_argument(f"must be {view_type} [json-pointer:/view/type]")
    if problems:
        raise SlackError(
            "invalid_arguments", str(problems[0]), messages=[f"[ERROR] {p}" for p in problems]
        )
    return dict(view)


def visible_channel(call: ApiRequest, channel_id: str) -> Channel:
    """A conversation the bot can see: private ones it is not in do not exist for it."""
    workspace = call.workspace
    channel = workspace.channel_by_id(channel_id)
    if not workspace.can_see(channel.id, workspace.bot.user_id):
        raise SlackError("channel_not_found", channel_id)
    return channel


def page(
    items: Sequence[_T],
    item_id: Callable[[_T], str],
    args: Arguments,
    *,
    kind: str,
    default_limit: int,
) -> tuple[list[_T], str]:
    """One page of `items` and the cursor of the next ("" on the last), as Slack pages.

    Cursors are base64 of "<kind>:<id of the next item>", the shape Slack's have.
    """
    limit = args.integer("limit", default_limit)
    if limit < 0:
        raise SlackError("invalid_limit")
    limit = min(limit or MAX_PAGE_SIZE, MAX_PAGE_SIZE)
    start = 0
    cursor = args.text("cursor")
    if cursor:
        next_id = _decode_cursor(cursor, kind)
        ids = [item_id(item) for item in items]
        if next_id not in ids:
            raise SlackError("invalid_cursor")
        start = ids.index(next_id)
    end = start + limit
    next_cursor = _encode_cursor(kind, item_id(items[end])) if end < len(items) else ""
    return list(items[start:end]), next_cursor


def _encode_cursor(kind: str, item_id: str) -> str:
    return base64.b64encode(f"{kind}:{item_id}".encode()).decode()


def _decode_cursor(cursor: str, kind: str) -> str:
    try:
        decoded = base64.b64decode(cursor, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as error:
        raise SlackError("invalid_cursor") from error
    prefix, _, item_id = decoded.partition(":")
    if prefix != kind or not item_id:
        raise SlackError("invalid_cursor")
    return item_id
