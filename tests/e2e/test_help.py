"""`/mot help` as people see it, in their own language."""

from __future__ import annotations

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
