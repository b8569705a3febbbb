"""Every text exists in English and Simplified Chinese, with the same placeholders."""

from __future__ import annotations

from string import Formatter

import pytest

from bot.i18n import catalogs, normalize_locale, resolve_locale, translate


def placeholders(message) -> set[str]:
    forms = [message] if isinstance(message, str) else list(message.values())
    return {name for form in forms for _, name, _, _ in Formatter().parse(form) if name}


def test_both_catalogs_have_the_same_keys():
    english, chinese = catalogs()["en"], catalogs()["zh-CN"]

    assert set(english) - set(chinese) == set(), "missing in zh-CN"
    assert set(chinese) - set(english) == set(), "missing in en"


def test_every_translation_uses_the_same_placeholders():
    english, chinese = catalogs()["en"], catalogs()["zh-CN"]
    mismatched = {
        key: (placeholders(english[key]), placeholders(chinese[key]))
        for key in english
        if placeholders(english[key]) != placeholders(chinese[key])
    }

    assert mismatched == {}


def test_no_message_is_empty():
    empty = [
        (locale, key)
        for locale, catalog in catalogs().items()
        for key, message in catalog.items()
        if not (message if isinstance(message, str) else all(message.values()))
    ]

    assert empty == []


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("en-US", "en"),
        ("en-GB", "en"),
        ("en", "en"),
        ("zh-CN", "zh-CN"),
        ("zh_CN", "zh-CN"),
        ("zh-Hans", "zh-CN"),
        ("fr-FR", None),
        ("", None),
        (None, None),
    ],
)
def test_slack_locales_map_to_the_supported_ones(given, expected):
    assert normalize_locale(given) == expected


def test_the_first_supported_locale_wins_and_english_is_the_fallback():
    assert resolve_locale("fr-FR", "zh-CN") == "zh-CN"
    assert resolve_locale(None, "de") == "en"


def test_placeholders_are_filled():
    assert "`/mot dance`" in translate("en", "errors.unknown_subcommand", word="dance")
    assert "`/mot dance`" in translate("zh-CN", "errors.unknown_subcommand", word="dance")
