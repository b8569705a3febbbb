"""`/mot`: routed by its first word through the `/mot` table (bot/slack/mot_commands.py),
and `/mot help`, which shows the table's guide."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from bot.domain.directory import Requester
from bot.slack import ids
from bot.slack.middleware import Clock, UnitOfWork
from bot.slack.mot_commands import MotCommands, MotRequest, split_subcommand
from bot.slack.views.errors import unknown_subcommand
from bot.slack.views.help import help_message


def add_mot_commands(table: MotCommands) -> None:
    table.add("help", handler=show_help, guide="help.command.help")


def register(app: App, commands: MotCommands) -> None:
    def handle_mot(
        ack: Ack,
        command: dict,
        context: BoltContext,
        client: WebClient,
        respond: Respond,
        requester: Requester,
        unit_of_work: UnitOfWork,
        now: Clock,
        secret_key: str | None,
    ) -> None:
        word, text = split_subcommand(command.get("text") or "")
        handler = commands.handler_for(word)
        if handler is None:
            ack(response_type="ephemeral", **unknown_subcommand(requester.locale, word))
            return
        handler(
            MotRequest(
                ack=ack,
                respond=respond,
                client=client,
                context=context,
                requester=requester,
                unit_of_work=unit_of_work,
                now=now,
                secret_key=secret_key,
                trigger_id=command.get("trigger_id", ""),
                guide=commands.guide,
                word=word,
                text=text,
            )
        )

    app.command(ids.MOT_COMMAND)(handle_mot)


def show_help(request: MotRequest) -> None:
    requester = request.requester
    message = help_message(requester.locale, request.guide, requester.tag_emoji)
    request.ack(response_type="ephemeral", **message)
