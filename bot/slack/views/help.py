"""The `/mot help` guide."""

from __future__ import annotations

from typing import Any

from bot.i18n import translator
from bot.slack import blocks

# The commands that exist, in the order the guide lists them; each feature adds its own.
COMMAND_KEYS = ("help.command.help",)


def help_message(locale: str) -> dict[str, Any]:
    t = translator(locale)
    commands = "\n".join(f"• {t(key)}" for key in COMMAND_KEYS)
    return blocks.message(
        t("help.title"),
        [
            blocks.header(t("help.title")),
            blocks.section(t("help.intro")),
            blocks.section(f"{t('help.commands_heading')}\n{commands}"),
            blocks.context(t("help.footer")),
        ],
    )
