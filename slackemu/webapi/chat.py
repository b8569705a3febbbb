"""Messages the bot sends: chat.postMessage, chat.postEphemeral, chat.update,
chat.delete and chat.getPermalink."""

from __future__ import annotations

from slackemu.records import JSON
from slackemu.webapi.registry import ApiMethod, ApiRequest
from slackemu.webapi.rules import message_content, visible_channel


def _chat_post_message(call: ApiRequest) -> JSON:
    workspace = call.workspace
    channel = workspace.resolve_conversation(call.args.text("channel") or "")
    text, blocks = message_content(call.args)
    metadata = call.args.structured("metadata", error="invalid_metadata_format")
    message = workspace.post_message(
        channel.id,
        workspace.bot.user_id,
        text=text,
        blocks=blocks,
        thread_ts=call.args.text("thread_ts"),
        metadata=metadata,
    )
    return {"channel": channel.id, "ts": message.ts, "message": message.to_api(workspace.team.id)}


def _chat_post_ephemeral(call: ApiRequest) -> JSON:
    workspace = call.workspace
    channel = workspace.resolve_conversation(call.args.text("channel") or "")
    user = workspace.user_by_id(call.args.text("user") or "")
    text, blocks = message_content(call.args)
    ephemeral = workspace.post_ephemeral(
        channel.id,
        user.id,
        workspace.bot.user_id,
        text=text,
        blocks=blocks,
        thread_ts=call.args.text("thread_ts"),
    )
    return {"message_ts": ephemeral.ts}


def _chat_update(call: ApiRequest) -> JSON:
    workspace = call.workspace
    channel_id, ts = call.args.text("channel") or "", call.args.text("ts") or ""
    text, blocks = message_content(call.args)
    metadata = call.args.structured("metadata", error="invalid_metadata_format")
    message = workspace.update_message(
        channel_id, ts, workspace.bot.user_id, text=text, blocks=blocks, metadata=metadata
    )
    return {
        "channel": channel_id,
        "ts": ts,
        "text": message.text,
        "message": message.to_api(workspace.team.id),
    }


def _chat_delete(call: ApiRequest) -> JSON:
    channel_id, ts = call.args.text("channel") or "", call.args.text("ts") or ""
    call.workspace.delete_message(channel_id, ts, call.workspace.bot.user_id)
    return {"channel": channel_id, "ts": ts}


def _chat_get_permalink(call: ApiRequest) -> JSON:
    channel_id = call.args.text("channel") or ""
    visible_channel(call, channel_id)
    permalink = call.workspace.permalink(channel_id, call.args.text("message_ts") or "")
    return {"channel": channel_id, "permalink": permalink}


METHODS = (
    ApiMethod("chat.postMessage", _chat_post_message, required=("channel",)),
    ApiMethod("chat.postEphemeral", _chat_post_ephemeral, required=("channel", "user")),
    ApiMethod("chat.update", _chat_update, required=("channel", "ts")),
    ApiMethod("chat.delete", _chat_delete, required=("channel", "ts")),
    ApiMethod(
        "chat.getPermalink", _chat_get_permalink, required=("channel", "message_ts"), reads=True
    ),
)
