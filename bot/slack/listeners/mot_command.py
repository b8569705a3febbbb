"""`/mot` and its subcommands."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.domain.stories import StoryDraft
from bot.slack import ids
from bot.slack.middleware import requester_of
from bot.slack.story_flow import open_story_modal
from bot.slack.views.errors import unknown_subcommand
from bot.slack.views.help import help_message
from bot.slack.views.story_modal import ModalContext


def register(app: App) -> None:
    app.command(ids.MOT_COMMAND)(handle_mot)


def handle_mot(ack: Ack, command: dict, context: BoltContext, client: WebClient) -> None:
    requester = requester_of(context)
    words = (command.get("text") or "").split()
    subcommand = words[0].lower() if words else ""
    if subcommand == "":
        ack()
        draft = StoryDraft(
            people=(requester.user_id,),
            touchpoint="",
            customer_need="",
            action_taken="",
            outcome="",
            channel_id=None,
        )
        open_story_modal(client, context, command["trigger_id"], draft, ModalContext())
    elif subcommand == "help":
        ack(response_type="ephemeral", **help_message(requester.locale, requester.tag_emoji))
    else:
        ack(response_type="ephemeral", **unknown_subcommand(requester.locale, words[0]))
