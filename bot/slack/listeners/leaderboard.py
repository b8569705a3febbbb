"""`/mot top [week|month|quarter|all]`, and `/mot optout` / `/mot optin` of the boards."""

from __future__ import annotations

from bot.domain import kudos, leaderboard
from bot.domain.leaderboard import Period
from bot.i18n import translate
from bot.slack.mot_commands import MotCommands, MotRequest
from bot.slack.views.leaderboard import leaderboard_message


def add_mot_commands(table: MotCommands) -> None:
    table.add("top", handler=show_leaderboard, guide="help.command.top")
    table.add("optout", "optin", handler=opt_out_or_in, guide="help.command.optout")


def show_leaderboard(request: MotRequest) -> None:
    requester, args = request.requester, request.args
    try:
        period = Period((args[0] if args else "week").lower())
    except ValueError:
        text = translate(requester.locale, "leaderboard.errors.period", given=args[0][:30])
        request.ack(response_type="ephemeral", text=text)
        return
    now, zone = request.now(), requester.workspace_timezone
    with request.unit_of_work() as session:
        board = leaderboard.leaderboard(session, requester.workspace_id, period, now, zone)
        standing = leaderboard.member_standing(
            session, requester.workspace_id, requester.member_id, period, now, zone
        )
    request.ack(response_type="ephemeral", **leaderboard_message(requester.locale, board, standing))


def opt_out_or_in(request: MotRequest) -> None:
    requester = request.requester
    with request.unit_of_work() as session:
        kudos.set_leaderboard_opt_out(session, requester, request.word == "optout")
    text = translate(requester.locale, f"leaderboard.{request.word}_done")
    request.ack(response_type="ephemeral", text=text)
