"""Conversations the bot takes part in: conversations.open (1:1 DMs), .info, .members
(paged) and .join (public channels only)."""

from __future__ import annotations

from slackemu.records import JSON, SlackError
from slackemu.webapi.arguments import invalid_argument
from slackemu.webapi.registry import ApiMethod, ApiRequest
from slackemu.webapi.rules import page, visible_channel


def _conversations_open(call: ApiRequest) -> JSON:
    workspace = call.workspace
    channel_id = call.args.text("channel")
    users = call.args.id_list("users")
    if channel_id:
        channel = workspace.channel_by_id(channel_id)
        if not channel.is_im or not workspace.can_see(channel.id, workspace.bot.user_id):
            raise SlackError("method_not_supported_for_channel_type")
    elif not users:
        raise SlackError("users_list_not_supplied")
    elif len(users) > 1:
        # Multi-person DMs (mpim) are not something the bot opens.
        raise invalid_argument("the emulator opens 1:1 DMs only: pass one user")
    else:
        already_open = workspace.find_dm(users[0]) is not None
        channel = workspace.open_dm(users[0])
        if call.args.flag("return_im"):
            return {
                "no_op": already_open,
                "already_open": already_open,
                "channel": channel.to_api(),
            }
    return {"channel": channel.to_api() if call.args.flag("return_im") else {"id": channel.id}}


def _conversations_info(call: ApiRequest) -> JSON:
    channel = visible_channel(call, call.args.text("channel") or "")
    return {"channel": channel.to_api(include_num_members=call.args.flag("include_num_members"))}


def _conversations_members(call: ApiRequest) -> JSON:
    channel = visible_channel(call, call.args.text("channel") or "")
    members, next_cursor = page(
        sorted(channel.members), lambda m: m, call.args, kind="member", default_limit=100
    )
    return {"members": members, "response_metadata": {"next_cursor": next_cursor}}


def _conversations_join(call: ApiRequest) -> JSON:
    workspace = call.workspace
    channel = workspace.channel_by_id(call.args.text("channel") or "")
    if channel.is_private or channel.is_im:
        # Apps are invited to private channels; they cannot join them.
        raise SlackError("method_not_supported_for_channel_type")
    already_in = workspace.bot.user_id in channel.members
    joined = workspace.join_channel(channel.id, workspace.bot.user_id)
    body: JSON = {"channel": joined.to_api()}
    if already_in:
        body["warning"] = "already_in_channel"
        body["response_metadata"] = {"warnings": ["already_in_channel"]}
    return body


METHODS = (
    ApiMethod("conversations.open", _conversations_open),
    ApiMethod("conversations.info", _conversations_info, required=("channel",), reads=True),
    ApiMethod("conversations.members", _conversations_members, required=("channel",), reads=True),
    ApiMethod("conversations.join", _conversations_join, required=("channel",)),
)
