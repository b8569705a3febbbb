"""`/mot` and its subcommands."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.domain import kudos, leaderboard
from bot.domain.leaderboard import Period
from bot.domain.stories import StoryDraft
from bot.i18n import translate
from bot.slack import ids
from bot.slack.listeners import admin
from bot.slack.listeners.kudos import review_kudos
from bot.slack.listeners.pulse import privacy_command, pulse_command
from bot.slack.middleware import now_of, requester_of, unit_of_work_of
from bot.slack.story_flow import open_story_modal
from bot.slack.views.errors import unknown_subcommand
from bot.slack.views.help import help_message
from bot.slack.views.leaderboard import leaderboard_message
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
        )
        open_story_modal(client, context, command["trigger_id"], draft, ModalContext())
    elif subcommand == "help":
        ack(response_type="ephemeral", **help_message(requester.locale, requester.tag_emoji))
    elif subcommand == "top":
        show_leaderboard(ack, context, words[1:])
    elif subcommand == "pulse":
        pulse_command(ack, context, client, words[1:])
    elif subcommand == "privacy":
        privacy_command(ack, context)
    elif subcommand == "admin":
        rest = (command.get("text") or "").strip().split(None, 1)[1:]
        admin.admin_command(ack, context, client, rest[0] if rest else "")
    elif subcommand == "kudos":
        review_kudos(ack, context, " ".join(words[1:]))
    elif subcommand in ("optout", "optin"):
        opted_out = subcommand == "optout"
        with unit_of_work_of(context) as session:
            kudos.set_leaderboard_opt_out(session, requester, opted_out)
        ack(
            response_type="ephemeral",
            text=translate(requester.locale, f"leaderboard.{subcommand}_done"),
        )
    else:
        ack(response_type="ephemeral", **unknown_subcommand(requester.locale, words[0]))


def show_leaderboard(ack: Ack, context: BoltContext, args: list[str]) -> None:
    requester = requester_of(context)
    try:
        period = Period((args[0] if args else "week").lower())
    except ValueError:
        ack(
            response_type="ephemeral",
            text=translate(requester.locale, "leaderboard.errors.period", given=args[0][:30]),
        )
        return
    now = now_of(context)
    with unit_of_work_of(context) as session:
        board = leaderboard.leaderboard(
            session, requester.workspace_id, period, now, requester.workspace_timezone
        )
        standing = leaderboard.member_standing(
            session,
            requester.workspace_id,
            requester.member_id,
            period,
            now,
            requester.workspace_timezone,
        )
    ack(response_type="ephemeral", **leaderboard_message(requester.locale, board, standing))
