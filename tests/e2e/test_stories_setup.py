"""Sharing a story before any stories channel is configured."""

from __future__ import annotations

import pytest

from tests.e2e.test_stories import A_STORY


@pytest.fixture
def bot_env(demo):
    env = demo.env()
    env.pop("MOTBOT_STORIES_CHANNEL")
    return env


def test_without_a_stories_channel_the_modal_asks_where_to_post(world):
    alice = world.user("alice")
    alice.runs("/mot")

    modal = alice.open_modal()
    channel_input = next(b for b in modal.blocks if b.get("block_id") == "channel")
    assert channel_input["optional"] is False
    alice.submits({**A_STORY, "Where it happened": "on_site", "channel": "C0MOMENTS"})

    assert alice.open_modal() is None
    assert world.channel("#moments-of-truth").messages()
