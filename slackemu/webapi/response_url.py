"""The response_url endpoint (`/hooks/response/<token>`), through which an app answers a
slash command or an interaction; `apply_reply` gives a slash command's acknowledgement
body the same treatment (actors.py)."""

from __future__ import annotations

import json

from flask import Request, Response

from slackemu.records import JSON, SlackError
from slackemu.state import Workspace
from slackemu.webapi.answers import Answer, error_body, logged_response
from slackemu.webapi.arguments import Arguments
from slackemu.webapi.parts import EmulatorParts
from slackemu.webapi.rules import message_content


def serve_response_url(emulator: EmulatorParts, token: str, http: Request) -> Response:
    arrived = emulator.workspace.clock.now()
    values = _response_url_payload(http)
    try:
        if values is None:
            raise SlackError("invalid_payload")
        workspace = emulator.workspace_of_response_url(token)
        _answer_response_url(workspace, token, Arguments(values))
        answer = Answer(200, {"ok": True})
    except SlackError as error:
        status = 404 if error.error in ("invalid_url", "expired_url", "used_url") else 400
        answer = Answer(status, error_body(error))
    return logged_response(emulator, "response_url", values or {}, answer, arrived)


def _response_url_payload(http: Request) -> JSON | None:
    """The posted message: a JSON body (Bolt's respond) or a form field `payload`."""
    payload: object = http.get_json(silent=True) if http.is_json else None
    if payload is None and "payload" in http.form:
        try:
            payload = json.loads(http.form["payload"])
        except ValueError:
            return None
    return payload if isinstance(payload, dict) else None


def apply_reply(workspace: Workspace, response_url: str, payload: JSON) -> None:
    """Show an answer posted to `response_url`, or a slash command's acknowledgement body,
    which Slack treats the same way (checked blocks; ephemeral unless `in_channel`)."""
    _answer_response_url(workspace, response_url.rsplit("/", 1)[-1], Arguments(payload))


def _answer_response_url(workspace: Workspace, token: str, args: Arguments) -> None:
    """Apply a response_url post: a new ephemeral or in-channel message, or a change to
    the message the interaction came from (replace_original / delete_original)."""
    target = workspace.use_response_url(token)
    bot_user = workspace.bot.user_id
    source_ts = target.message_ts
    if args.flag("delete_original"):
        if not source_ts:
            raise SlackError("message_not_found")
        if any(e.ts == source_ts for e in workspace.ephemerals(target.user)):
            workspace.delete_ephemeral(target.user, source_ts)
        else:
            workspace.delete_message(target.channel, source_ts, bot_user)
        return
    text, blocks = message_content(args)
    if args.flag("replace_original") and source_ts:
        if any(e.ts == source_ts for e in workspace.ephemerals(target.user)):
            workspace.replace_ephemeral(target.user, source_ts, text=text, blocks=blocks)
        else:
            workspace.update_message(target.channel, source_ts, bot_user, text=text, blocks=blocks)
    elif args.text("response_type") == "in_channel":
        workspace.post_message(
            target.channel,
            bot_user,
            text=text,
            blocks=blocks,
            thread_ts=args.text("thread_ts"),
            require_membership=False,
        )
    else:
        workspace.post_ephemeral(
            target.channel,
            target.user,
            bot_user,
            text=text,
            blocks=blocks,
            thread_ts=args.text("thread_ts"),
            require_membership=False,
        )
