"""The sandbox shows Block Kit as the text a person would read."""

from __future__ import annotations

from bot.slack.listeners import mot_commands
from bot.slack.views.help import help_message
from slackemu.render import render_message, render_text


def test_mentions_links_and_entities_read_naturally():
    text = "Thanks <@U0BOB0001>! See <https://example.com|the card> &amp; <!here>"

    shown = render_text(text, {"U0BOB0001": "bob"})

    assert shown == "Thanks @bob! See the card (https://example.com) & @here"


def test_the_help_guide_reads_as_text():
    payload = help_message("en", mot_commands().guide)

    shown = render_message(payload["text"], payload["blocks"])

    assert shown.splitlines()[0] == "MOTBOT: MOMENTS OF TRUTH"
    assert "• `/mot help`: this guide." in shown


def test_a_date_token_shows_its_fallback():
    assert render_text("shared <!date^1795441161^{date_short}|2026-11-23>") == "shared 2026-11-23"


def test_inputs_show_what_is_already_filled_in():
    modal_blocks = [
        {
            "type": "input",
            "label": {"type": "plain_text", "text": "Who"},
            "element": {"type": "multi_users_select", "initial_users": ["U1"]},
        },
        {
            "type": "input",
            "label": {"type": "plain_text", "text": "Done"},
            "element": {"type": "plain_text_input", "initial_value": "Rebooked"},
        },
    ]

    shown = render_message("", modal_blocks, {"U1": "Alice"})

    assert shown.splitlines() == ["Who: [@Alice v]", "Done: [Rebooked]"]
