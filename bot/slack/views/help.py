"""The `/mot help` guide."""

from __future__ import annotations

from typing import Any

from bot.i18n import Translate, translator
from bot.slack import blocks

# The commands that exist, in the order the guide lists them; each feature adds its own.
COMMAND_KEYS = (
    "help.command.share",
    "help.command.tag",
    "help.command.kudos",
    "help.command.top",
    "help.command.optout",
    "help.command.pulse",
    "help.command.review",
    "admin.help_command",
    "help.command.admin_pulse",
    "help.command.help",
)


def command_lines(t: Translate, tag_emoji: str) -> str:
    lines = "\n".join(f"• {t(key, emoji=tag_emoji)}" for key in COMMAND_KEYS)
    return f"{t('help.commands_heading')}\n{lines}"


def help_message(locale: str, tag_emoji: str = "star") -> dict[str, Any]:
    t = translator(locale)
    return blocks.message(
        t("help.title"),
        [
            blocks.header(t("help.title")),
            blocks.section(t("help.intro")),
            blocks.section(command_lines(t, tag_emoji)),
            blocks.context(t("help.footer")),
        ],
    )
