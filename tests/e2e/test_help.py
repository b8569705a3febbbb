"""`/mot help` as people see it, in their own language."""

from __future__ import annotations

import pytest

from bot.slack.listeners import mot_commands
from slackemu.render import render_message


def test_a_member_asking_for_help_sees_the_guide_only_they_can_see(world):
    alice = world.user("alice")

    reply = alice.runs("/mot help")

    seen = alice.last_ephemeral()
    assert reply.delivery.acknowledged
    assert seen.text == "motbot: moments of truth"
    shown = render_message(seen.text, seen.blocks)
    assert "moment of truth" in shown
    assert "/mot help" in shown
    assert world.user("bjorn").ephemerals() == []


def test_a_chinese_speaker_sees_the_guide_in_chinese(world):
    li_wei = world.user("li.wei")

    li_wei.runs("/mot help")

    assert "关键时刻" in li_wei.last_ephemeral().text


def test_the_workspace_language_applies_when_slack_cannot_say(world, emulator):
    emulator.faults.fail("users.info", 500, times=1)
    li_wei = world.user("li.wei")

    li_wei.runs("/mot help")

    assert li_wei.last_ephemeral().text == "motbot: moments of truth"


def test_a_slow_slack_does_not_make_the_answer_late(world, emulator):
    emulator.faults.fail("users.info", "timeout", times=1, delay=5)
    alice = world.user("alice")

    reply = alice.runs("/mot help")

    assert reply.delivery.acknowledged, "answered within Slack's three seconds"
    assert alice.last_ephemeral().text == "motbot: moments of truth"


def test_an_unknown_subcommand_points_to_help_without_pinging_anyone(world):
    alice = world.user("alice")

    alice.runs("/mot dance @channel")

    text = alice.last_ephemeral().text
    assert "`/mot dance`" in text
    assert "/mot help" in text
    assert "<!channel>" not in text


def test_the_bot_learns_each_member_once_a_day(world, emulator):
    alice = world.user("alice")

    alice.runs("/mot help")
    alice.runs("/mot help")

    assert len(emulator.calls("users.info")) == 1


@pytest.mark.parametrize("word", [word for word in mot_commands().words if word])
def test_every_subcommand_in_the_table_is_one_the_bot_knows(world, word):
    henrik = world.user("henrik")  # an admin, so `/mot admin` and `/mot kudos` answer too

    henrik.runs(f"/mot {word}")

    assert "I don't know" not in "\n".join(e.text for e in henrik.ephemerals())


def test_the_guide_in_help_is_the_one_on_the_app_home(world):
    alice = world.user("alice")

    alice.runs("/mot help")
    alice.opens_home()

    guide = render_message("", alice.last_ephemeral().blocks).split("What you can do", 1)[1]
    guide = guide.split("motbot answers in the language", 1)[0].strip()
    assert guide in render_message("", alice.home().blocks)
