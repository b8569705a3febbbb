"""Messages shown when a request cannot be served."""

from __future__ import annotations

from typing import Any

from bot.i18n import translate
from bot.slack import blocks


def unknown_subcommand(locale: str, word: str) -> dict[str, Any]:
    text = translate(locale, "errors.unknown_subcommand", word=blocks.escape_mrkdwn(word[:50]))
    return blocks.message(text, [blocks.section(text)])


def internal_error(locale: str, reference: str) -> dict[str, Any]:
    text = translate(locale, "errors.internal", reference=reference)
    return blocks.message(text, [blocks.section(text)])
