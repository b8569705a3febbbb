"""`/mot`'s subcommands live in one table, from which `/mot help` and the App Home draw
their guide: every word routes to a handler, every guide line is a text in both
languages, and every `/mot <word>` the guide names is a word that routes."""

from __future__ import annotations

import re
from datetime import date

import pytest

from bot.domain.kudos import KudosSummary, make_budget
from bot.i18n import catalogs, translator
from bot.slack.listeners import mot_commands
from bot.slack.mot_commands import MotCommands, split_subcommand
from bot.slack.views.help import help_message
from bot.slack.views.home import home_view
from slackemu.render import render_message

WORDS = ("", "help", "top", "optout", "optin", "policies", "pulse", "privacy", "admin", "kudos")


def handler(_request) -> None:
    """A handler that does nothing."""


def named_words(text: str) -> set[str]:
    """The subcommands `/mot <word>` that a guide line names."""
    return {match.lower() for match in re.findall(r"`/mot (\w+)", text)}


def test_every_word_of_mot_routes_to_a_handler():
    table = mot_commands()

    assert set(table.words) == set(WORDS)
    assert all(callable(table.handler_for(word)) for word in WORDS)
    assert table.handler_for("dance") is None


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_every_guide_line_is_a_text_in_both_languages(locale):
    catalog = catalogs()[locale]

    missing = [key for key in mot_commands().guide if key not in catalog]

    assert missing == []


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_every_subcommand_the_guide_names_routes_and_every_word_is_in_the_guide(locale):
    table = mot_commands()
    t = translator(locale)

    named = set().union(*(named_words(t(key, emoji="star")) for key in table.guide))

    assert named == set(table.words) - {""}


def test_the_guide_starts_with_sharing_and_ends_with_help():
    guide = mot_commands().guide

    assert guide[:2] == ("help.command.share", "help.command.tag")
    assert guide[-1] == "help.command.help"
    assert len(set(guide)) == len(guide)


def test_help_and_the_app_home_show_the_same_guide_in_its_order():
    guide = mot_commands().guide
    t = translator("en")
    lines = [f"• {t(key, emoji='star')}" for key in guide]
    summary = KudosSummary(
        received_week=0,
        given_week=0,
        received_total=0,
        given_total=0,
        budget=make_budget(10, 0, date(2026, 11, 23)),
        recent_received=(),
    )

    help_payload = help_message("en", guide)
    home = home_view("en", [], summary, guide)

    for shown in (
        render_message(help_payload["text"], help_payload["blocks"]),
        render_message("", home["blocks"]),
    ):
        positions = [shown.index(render_message(line, [])) for line in lines]
        assert positions == sorted(positions)


def test_a_word_or_a_guide_line_cannot_be_added_twice():
    table = MotCommands()
    table.add("top", handler=handler, guide="help.command.top")

    with pytest.raises(ValueError):
        table.add("top", handler=handler)
    with pytest.raises(ValueError):
        table.mention("help.command.top")


@pytest.mark.parametrize(
    ("text", "split"),
    [
        ("", ("", "")),
        ("  ", ("", "")),
        ("help", ("help", "")),
        ("TOP month", ("top", "month")),
        ("admin  channel stories  #moments", ("admin", "channel stories  #moments")),
    ],
)
def test_the_first_word_picks_the_subcommand_and_the_rest_is_kept_as_typed(text, split):
    assert split_subcommand(text) == split
