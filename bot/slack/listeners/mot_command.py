"""`/mot` and its subcommands."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext

from bot.slack import ids
from bot.slack.middleware import requester_of
from bot.slack.views.errors import unknown_subcommand
from bot.slack.views.help import help_message


def register(app: App) -> None:
    app.command(ids.MOT_COMMAND)(handle_mot)


def handle_mot(ack: Ack, command: dict, context: BoltContext) -> None:
    locale = requester_of(context).locale
    words = (command.get("text") or "").split()
    subcommand = words[0].lower() if words else "help"
    if subcommand == "help":
        ack(response_type="ephemeral", **help_message(locale))
    else:
        ack(response_type="ephemeral", **unknown_subcommand(locale, words[0]))
