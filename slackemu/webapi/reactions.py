"""Emoji reactions on messages the bot can see: reactions.add, .remove and .get."""

from __future__ import annotations

from slackemu.records import JSON, SlackError
from slackemu.webapi.registry import ApiMethod, ApiRequest
from slackemu.webapi.rules import visible_channel


def _reaction_target(call: ApiRequest) -> tuple[str, str]:
    channel_id, ts = call.args.text("channel"), call.args.text("timestamp")
    if not channel_id or not ts:
        raise SlackError("no_item_specified")
    visible_channel(call, channel_id)
    return channel_id, ts


def _reactions_add(call: ApiRequest) -> JSON:
    channel_id, ts = _reaction_target(call)
    call.workspace.add_reaction(
        channel_id, ts, call.workspace.bot.user_id, call.args.text("name") or ""
    )
    return {}


def _reactions_remove(call: ApiRequest) -> JSON:
    channel_id, ts = _reaction_target(call)
    call.workspace.remove_reaction(
        channel_id, ts, call.workspace.bot.user_id, call.args.text("name") or ""
    )
    return {}


def _reactions_get(call: ApiRequest) -> JSON:
    channel_id, ts = _reaction_target(call)
    workspace = call.workspace
    message = workspace.message(channel_id, ts).to_api(workspace.team.id)
    message["permalink"] = workspace.permalink(channel_id, ts)
    return {"type": "message", "channel": channel_id, "message": message}


METHODS = (
    ApiMethod("reactions.add", _reactions_add, required=("channel", "name", "timestamp")),
    ApiMethod("reactions.remove", _reactions_remove, required=("name",)),
    ApiMethod("reactions.get", _reactions_get, reads=True),
)
