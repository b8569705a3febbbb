"""Leaderboards as a message: who was recognised, who told the stories, who recognised
others, and how the teams did."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.domain.common import zone
from bot.domain.leaderboard import Leaderboard, Standing
from bot.i18n import Translate, translator
from bot.slack import blocks
from bot.slack.blocks import escape_mrkdwn

MEDALS = {1: ":first_place_medal:", 2: ":second_place_medal:", 3: ":third_place_medal:"}


def weekly_leaderboard_message(locale: str, board: Leaderboard, tz: str) -> dict[str, Any]:
    """The Monday post of last week's boards, to the leaderboard channel."""
    t = translator(locale)
    assert board.start is not None
    local = zone(tz)
    last_day = board.end.astimezone(local) - timedelta(days=1)
    title = t(
        "leaderboard.weekly_title",
        start=board.start.astimezone(local).strftime("%Y-%m-%d"),
        end=last_day.strftime("%Y-%m-%d"),
    )
    return leaderboard_message(locale, board, title=title, intro=t("leaderboard.weekly_intro"))


def leaderboard_message(
    locale: str,
    board: Leaderboard,
    standing: Standing | None = None,
    *,
    title: str | None = None,
    intro: str | None = None,
) -> dict[str, Any]:
    t = translator(locale)
    title = title or t("leaderboard.title", period=t(f"leaderboard.period.{board.period.value}"))
    body = [blocks.header(title)]
    if intro:
        body.append(blocks.context(intro))
    sections = (
        (
            "leaderboard.recognised",
            [
                (
                    row.rank,
                    f"<@{row.user_id}>",
                    t("leaderboard.points", count=row.points, givers=row.givers),
                )
                for row in board.recognised
            ],
        ),
        (
            "leaderboard.storytellers",
            [
                (
                    row.rank,
                    f"<@{row.user_id}>",
                    t("leaderboard.stories", count=row.stories, tags=row.tags),
                )
                for row in board.storytellers
            ],
        ),
        (
            "leaderboard.givers",
            [
                (
                    row.rank,
                    f"<@{row.user_id}>",
                    t("leaderboard.given", count=row.kudos_given, people=row.people),
                )
                for row in board.givers
            ],
        ),
        (
            "leaderboard.teams",
            [
                (
                    row.rank,
                    f"*{escape_mrkdwn(row.name)}*",
                    t("leaderboard.team_points", count=row.points, people=row.people),
                )
                for row in board.teams
            ],
        ),
    )
    for heading, rows in sections:
        body.append(blocks.section(f"*{t(heading)}*\n{_ranking(t, rows)}"))
    if standing is not None:
        body.append(blocks.context(_standing(t, standing)))
    body.append(blocks.context(t("leaderboard.footer")))
    return blocks.message(title, body)


def _ranking(t: Translate, rows: list[tuple[int, str, str]]) -> str:
    if not rows:
        return t("leaderboard.empty")
    return "\n".join(f"{MEDALS.get(rank, f'{rank}.')} {who} · {what}" for rank, who, what in rows)


def _standing(t: Translate, standing: Standing) -> str:
    if standing.rank is None:
        return t("leaderboard.you_unranked", count=standing.points)
    return t("leaderboard.you", rank=standing.rank, count=standing.points, givers=standing.givers)
