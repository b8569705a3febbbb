"""Block Kit helpers keep user text inert and within Slack's limits."""

from __future__ import annotations

from bot.slack import blocks


def test_user_text_cannot_ping_mention_or_link():
    hostile = "<!channel> hi <@U123> see <https://evil.example|bank> & more"

    escaped = blocks.escape_mrkdwn(hostile)

    assert "<" not in escaped and ">" not in escaped
    assert escaped.startswith("&lt;!channel&gt;")
    assert "&amp; more" in escaped


def test_long_text_is_cut_with_an_ellipsis_to_the_limit():
    assert blocks.truncate("x" * 3001, 3000) == "x" * 2999 + "…"
    assert blocks.truncate("short", 3000) == "short"


def test_an_escaped_entity_is_never_cut_in_half():
    text = "a" * 8 + "&amp;" + "b" * 10

    cut = blocks.truncate(text, 11)

    assert cut == "a" * 8 + "…"


def test_cjk_text_is_cut_by_characters_not_bytes():
    text = "关键时刻" * 1000

    assert len(blocks.section(text)["text"]["text"]) == blocks.MAX_SECTION_TEXT


def test_a_message_never_carries_more_than_fifty_blocks():
    payload = blocks.message("t", [blocks.divider() for _ in range(80)])

    assert len(payload["blocks"]) == blocks.MAX_MESSAGE_BLOCKS
