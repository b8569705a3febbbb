"""`/mot admin`, end to end: an admin changes the workspace's settings from Slack, the
bot follows them, and every change shows in the audit log."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from slackemu.records import Channel, UserGroup
from slackemu.render import render_message
from tests.e2e.test_stories import share

# Every scenario here holds whether Slack posts to the bot or sends it envelopes.
pytestmark = pytest.mark.both_transports

STORIES = "#moments-of-truth"
SERVICE = "C0SERVICE"
DUTY_MANAGERS = "S0DUTY001"
HENRIK, ALICE, BJORN, MAJA, ERIK = "U0HENRI01", "U0ALICE01", "U0BJORN01", "U0MAJA001", "U0ERIK001"


def seen(world, message) -> str:
    """What a person reads, without mrkdwn's bold marks."""
    return render_message(message.text, message.blocks, world.names()).replace("*", "")


def sent_text(reply) -> str:
    """The command text as the bot received it, escapes and all."""
    return parse_qs(reply.delivery.body.decode())["text"][0]


@pytest.fixture
def service_channel(world):
    """A public channel motbot is not in yet."""
    world.workspace.add_channel(
        Channel(id=SERVICE, name="service-stories", members={HENRIK, ALICE, BJORN, MAJA})
    )
    return world.channel("#service-stories")


@pytest.fixture
def duty_managers(world):
    world.workspace.add_user_group(
        UserGroup(
            id=DUTY_MANAGERS, handle="duty-managers", name="Duty managers", users=[BJORN, MAJA]
        )
    )


def test_an_admin_moves_the_stories_channel_and_the_next_card_goes_there(world, service_channel):
    henrik, alice = world.user("henrik"), world.user("alice")

    reply = henrik.runs("/mot admin channel stories #service-stories")

    assert sent_text(reply) == f"admin channel stories <#{SERVICE}|service-stories>"
    answer = seen(world, henrik.last_ephemeral())
    assert "Stories channel: #moments-of-truth → #service-stories" in answer
    share(alice)
    assert "A family of five" in seen(world, service_channel.last_message())
    assert world.channel(STORIES).messages() == []


def test_a_private_channel_motbot_is_not_in_is_refused_with_what_to_do(world):
    world.workspace.add_channel(
        Channel(id="G0SECRET1", name="secret", is_private=True, members={HENRIK})
    )
    henrik = world.user("henrik")

    henrik.runs("/mot admin channel hr #secret")

    assert "/invite @motbot" in seen(world, henrik.last_ephemeral())
    henrik.runs("/mot admin")
    assert "#hr-culture-pulse" in seen(world, henrik.last_ephemeral())


def test_members_who_are_not_admins_are_refused_in_their_own_language(world):
    maja, li_wei = world.user("maja"), world.user("li.wei")

    maja.runs("/mot admin channel stories #leaderboard")
    li_wei.runs("/mot admin")

    assert "Only motbot admins can see and change motbot's settings" in maja.last_ephemeral().text
    assert "只有 motbot 管理员可以查看和修改 motbot 的设置" in li_wei.last_ephemeral().text
    henrik = world.user("henrik")
    henrik.runs("/mot admin audit")
    assert "No changes yet." in seen(world, henrik.last_ephemeral())


def test_a_user_group_makes_its_members_leaders_who_can_back_a_decision(world, duty_managers):
    henrik, bjorn = world.user("henrik"), world.user("bjorn")
    share(world.user("alice"), **{"Empowerment": ["yes"]})
    card = world.channel(STORIES).last_message()
    bjorn.clicks("Back this decision", on=card)
    assert "Only leaders can back a decision" in bjorn.last_ephemeral().text

    reply = henrik.runs("/mot admin leaders group @duty-managers")

    assert sent_text(reply) == f"admin leaders group <!subteam^{DUTY_MANAGERS}|@duty-managers>"
    answer = seen(world, henrik.last_ephemeral())
    assert f"The members of @subteam^{DUTY_MANAGERS} are now leaders" in answer
    assert "@Björn" in answer and "@Maja" in answer
    bjorn.clicks("Back this decision", on=world.channel(STORIES).last_message())
    assert "Backed by @Björn" in seen(world, world.channel(STORIES).last_message())


def test_leaving_the_group_takes_the_role_only_from_who_had_it_through_the_group(
    world, duty_managers
):
    henrik = world.user("henrik")
    world.user("erik").runs("/mot help")  # Erik is a leader by MOTBOT_LEADERS
    henrik.runs("/mot admin leaders group @duty-managers")

    henrik.runs("/mot admin leaders group none")

    answer = seen(world, henrik.last_ephemeral())
    assert "Leaders no longer come from a user group" in answer
    henrik.runs("/mot admin leaders")
    listed = seen(world, henrik.last_ephemeral())
    assert "@Erik" in listed
    assert "@Björn" not in listed and "@Maja" not in listed


def test_the_audit_log_lists_the_changes_with_who_made_them(world, service_channel):
    henrik = world.user("henrik")
    henrik.runs("/mot admin channel stories #service-stories")
    henrik.runs("/mot admin budget 12")
    henrik.runs("/mot admin budget 12")  # unchanged: not in the log
    henrik.runs("/mot admin values add #safety-first Safety first")
    henrik.runs("/mot admin leaders add @maja")
    henrik.runs("/mot admin schedule 周三 16:45")

    henrik.runs("/mot admin audit")

    log = seen(world, henrik.last_ephemeral())
    assert "Stories channel #moments-of-truth → #service-stories" in log
    assert "Kudos per person a week 10 → 12" in log
    assert log.count("Kudos per person a week") == 1
    assert "added company value `#safety-first` (Safety first)" in log
    assert "named leaders: @Maja" in log
    assert "Pulse day and time Tuesday 10:00 → Wednesday 16:45" in log
    assert log.count("@Henrik") == 5
    assert log.index("Pulse day and time") < log.index("Stories channel"), "newest first"


def test_the_overview_is_valid_block_kit_with_every_setting(world, duty_managers):
    henrik = world.user("henrik")
    henrik.runs("/mot admin hr group @duty-managers")

    reply = henrik.runs("/mot admin")

    # The emulator checked the blocks as Slack does before showing them.
    assert reply.blocks
    overview = seen(world, henrik.last_ephemeral())
    assert "#moments-of-truth" in overview
    assert "#leaderboard" in overview
    assert "#hr-culture-pulse" in overview
    assert "Kudos each person can give a week: 10" in overview
    assert "K, the fewest answers a group needs before its results are shown: 5" in overview
    assert "Tuesday at 10:00" in overview
    assert "Default language: English" in overview
    assert "@Maja" in overview  # HR through the user group
    assert "#customer-first" in overview


def test_a_chinese_speaking_admin_gets_the_overview_in_chinese(world):
    world.workspace.update_user(HENRIK, locale="zh-CN")
    henrik = world.user("henrik")

    henrik.runs("/mot admin")

    assert henrik.last_ephemeral().text == "motbot 设置"


def test_a_mistyped_command_answers_with_how_to_write_it(world):
    henrik = world.user("henrik")

    henrik.runs("/mot admin k two")
    assert "`/mot admin k 5`" in henrik.last_ephemeral().text

    henrik.runs("/mot admin k 2")
    assert "K cannot be below 3" in henrik.last_ephemeral().text

    henrik.runs("/mot admin frobnicate")
    assert "I don't know `/mot admin frobnicate`" in henrik.last_ephemeral().text


def test_the_pulse_plan_is_still_at_mot_admin_pulse(world):
    henrik = world.user("henrik")

    henrik.runs("/mot admin pulse")

    assert henrik.last_ephemeral().text == "Pulse plan"
