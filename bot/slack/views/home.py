"""The App Home tab."""

from __future__ import annotations

from typing import Any

from bot.i18n import translator
from bot.slack import blocks
from bot.slack.views.help import COMMAND_KEYS


def home_view(locale: str) -> dict[str, Any]:
    t = translator(locale)
    commands = "\n".join(f"• {t(key)}" for key in COMMAND_KEYS)
    return {
        "type": "home",
        "blocks": [
            blocks.header(t("help.title")),
            blocks.section(t("help.intro")),
            blocks.section(f"{t('help.commands_heading')}\n{commands}"),
        ][: blocks.MAX_SURFACE_BLOCKS],
    }
