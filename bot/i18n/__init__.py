"""Message catalogs (English and Simplified Chinese) and the lookup every user-facing text uses.

A message is looked up by key; `{name}` placeholders are filled from keyword arguments.
A message may be plural-aware: a mapping with "one" and "other" forms chosen by `count`.
Both catalogs must hold the same keys with the same placeholders (a test enforces it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from bot.i18n.catalogs import en, zh_cn

SUPPORTED_LOCALES: tuple[str, ...] = ("en", "zh-CN")
DEFAULT_LOCALE = "en"

Message = str | Mapping[str, str]
Translate = Callable[..., str]


def catalogs() -> dict[str, Mapping[str, Message]]:
    return {"en": en.MESSAGES, "zh-CN": zh_cn.MESSAGES}


def normalize_locale(value: str | None) -> str | None:
    """Map Slack's and people's spellings of a locale to a supported one, or None."""
    if not value:
        return None
    tag = value.strip().replace("_", "-").lower()
    if tag == "en" or tag.startswith("en-"):
        return "en"
    if tag in ("zh", "zh-cn", "zh-hans", "zh-hans-cn", "zh-sg", "cn", "chinese", "中文"):
        return "zh-CN"
    return None


def resolve_locale(*candidates: str | None) -> str:
    """The first candidate that names a supported locale, else the default."""
    for candidate in candidates:
        locale = normalize_locale(candidate)
        if locale:
            return locale
    return DEFAULT_LOCALE


def translate(locale: str, key: str, /, **params: Any) -> str:
    return _render(_message(resolve_locale(locale), key), params)


def translator(locale: str) -> Translate:
    """A `translate` bound to one locale, for view builders: `t("help.title")`. The
    locale is resolved once, not at every text of the view."""
    resolved = resolve_locale(locale)

    def bound(key: str, /, **params: Any) -> str:
        return _render(_message(resolved, key), params)

    return bound


def _render(message: Message, params: Mapping[str, Any]) -> str:
    if not isinstance(message, str):
        count = params.get("count", 0)
        message = message["one"] if count == 1 and "one" in message else message["other"]
    return message.format_map(params) if params else message


@cache
def _catalog(locale: str) -> Mapping[str, Message]:
    return catalogs()[locale]


def _message(locale: str, key: str) -> Message:
    catalog = _catalog(locale)
    if key in catalog:
        return catalog[key]
    # A key missing from a translation falls back to English rather than failing a user.
    return _catalog(DEFAULT_LOCALE)[key]
