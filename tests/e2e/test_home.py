"""The App Home tab greets each member in their language."""

from __future__ import annotations

import pytest

from slackemu.render import render_blocks

# Every scenario here holds whether Slack posts to the bot or sends it envelopes.
pytestmark = pytest.mark.both_transports


def test_opening_the_app_home_shows_the_guide(world):
    alice = world.user("alice")

    delivery = alice.opens_home()

    assert delivery.acknowledged
    home = alice.home()
    assert "MOTBOT: MOMENTS OF TRUTH" in render_blocks(home.blocks)


def test_a_chinese_speaker_sees_the_app_home_in_chinese(world):
    li_wei = world.user("li.wei")

    li_wei.opens_home()

    assert "MOTBOT：关键时刻" in render_blocks(li_wei.home().blocks)
