"""The `/mot help` guide: its lines are catalogue keys from the `/mot` table
(bot/slack/mot_commands.py), which the App Home shows too."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.i18n import Translate, translator
from bot.slack import blocks


def command_lines(t: Translate, guide: Sequence[str], tag_emoji: str) -> str:
    lines = "\n".join(f"• {t(key, emoji=tag_emoji)}" for key in guide)
    return f"{t('help.commands_heading')}\n{lines}"


def help_message(locale: str, guide: Sequence[str], tag_emoji: str = "star") -> dict[str, Any]:
    t = translator(locale)
    return blocks.message(
        t("help.title"),
        [
            blocks.header(t("help.title")),
            blocks.section(t("help.intro")),
            blocks.section(command_lines(t, guide, tag_emoji)),
            blocks.context(t("help.footer")),
        ],
    )
