"""Kudos and leaderboards, end to end: as givers, recipients and leaders see them."""

from __future__ import annotations

import pytest

from slackemu.render import render_blocks, render_message
from tests.e2e.test_stories import STORIES, share

# Every scenario here holds whether Slack posts to the bot or sends it envelopes.
pytestmark = pytest.mark.both_transports


def seen(message) -> str:
    return render_message(message.text, message.blocks)


def test_kudos_reach_the_recipient_and_the_giver_sees_the_budget_left(world):
    alice, bjorn = world.user("alice"), world.user("bjorn")

    alice.runs("/kudos @bjorn for calming the queue at gate 12 #customer-first")

    note = seen(bjorn.direct_messages()[-1])
    assert "gave you kudos" in note
    assert "for calming the queue at gate 12" in note
    assert "#customer-first" in note
    confirmation = alice.last_ephemeral().text
    assert "Kudos sent to <@U0BJORN01>" in confirmation
    assert "9 of 10 kudos left this week" in confirmation


def test_a_chinese_speaker_is_told_in_chinese(world):
    world.user("alice").runs("/kudos @li.wei 谢谢你耐心帮助顾客 #customer-first")

    assert "为你点赞" in world.user("li.wei").direct_messages()[-1].text


def test_several_people_get_one_kudos_each(world):
    alice = world.user("alice")

    alice.runs("/kudos @bjorn @maja for the midnight rebooking marathon")

    assert world.user("bjorn").direct_messages()
    assert world.user("maja").direct_messages()
    assert "8 of 10 kudos left" in alice.last_ephemeral().text


def test_kudos_to_yourself_are_refused_kindly(world):
    alice = world.user("alice")

    alice.runs("/kudos @alice for being awesome")

    assert "yourself" in alice.last_ephemeral().text
    assert alice.direct_messages() == []


def test_kudos_need_a_reason(world):
    alice = world.user("alice")

    alice.runs("/kudos @bjorn #customer-first")

    assert "reason" in alice.last_ephemeral().text.lower()
    assert world.user("bjorn").direct_messages() == []


def test_user_groups_and_channel_mentions_are_refused_with_an_example(world):
    alice = world.user("alice")

    alice.runs("/kudos @here thanks everyone")

    text = alice.last_ephemeral().text
    assert "not to groups (@here)" in text
    assert "/kudos @" in text


def test_kudos_to_a_bot_are_refused(world):
    alice = world.user("alice")

    alice.runs("/kudos @motbot for the help")

    assert alice.direct_messages() == []
    assert "<@U0MOTBOT1>" in alice.last_ephemeral().text


def test_an_unknown_hashtag_is_kept_and_the_values_are_listed(world):
    alice = world.user("alice")

    alice.runs("/kudos @bjorn great #teamspirit")

    text = alice.last_ephemeral().text
    assert "#teamspirit isn't one of our values" in text
    assert "#customer-first" in text
    assert "great #teamspirit" in seen(world.user("bjorn").direct_messages()[-1])


def test_kudos_from_a_leader_are_marked(world):
    world.user("erik").runs("/kudos @alice for backing the crew call #ownership")

    assert "from a leader" in seen(world.user("alice").direct_messages()[-1])


def test_give_kudos_on_a_story_card_goes_to_the_people_in_it(world):
    share(world.user("alice"), **{"Who handled it": ["U0ALICE01", "U0BJORN01"]})
    maja = world.user("maja")

    maja.clicks("Give kudos", on=world.channel(STORIES).last_message())
    modal = maja.open_modal()
    people = next(b for b in modal.blocks if b["block_id"] == "recipients")
    assert people["element"]["initial_users"] == ["U0ALICE01", "U0BJORN01"]
    maja.submits({"What did they do?": "Brilliant teamwork with the family"})

    assert maja.open_modal() is None
    assert "Brilliant teamwork" in seen(world.user("bjorn").direct_messages()[-1])
    assert "Kudos sent" in maja.direct_messages()[-1].text


def test_a_kudos_modal_without_a_reason_stays_open_with_the_error(world):
    share(world.user("alice"))
    maja = world.user("maja")
    maja.clicks("Give kudos", on=world.channel(STORIES).last_message())

    maja.submits({"What did they do?": ""})

    modal = maja.open_modal()
    assert modal is not None
    assert "reason" in world.modal_errors[modal.id]["reason"].lower()


def test_the_weekly_leaderboard_ranks_recognition(world):
    world.user("alice").runs("/kudos @bjorn for the rebooking")
    world.user("maja").runs("/kudos @bjorn for the lost passport")
    world.user("maja").runs("/kudos @alice for covering my shift")
    oliver = world.user("oliver")

    oliver.runs("/mot top")

    board = render_blocks(oliver.last_ephemeral().blocks, world.names())
    text = "\n".join(board)
    assert "LEADERBOARD · THIS WEEK" in text
    assert text.index("@Björn") < text.index("@Alice")
    assert "2 points (givers: 2)" in text


def test_a_tag_gives_points_to_the_people_in_the_story(world):
    share(world.user("alice"))
    world.user("bjorn").clicks("Positive moment of truth", on=world.channel(STORIES).last_message())
    alice = world.user("alice")

    alice.runs("/mot top")

    assert "You are #1" in render_message("", alice.last_ephemeral().blocks)


def test_people_who_opt_out_are_not_named_on_leaderboards(world):
    world.user("alice").runs("/kudos @bjorn for the rebooking")
    bjorn = world.user("bjorn")

    bjorn.runs("/mot optout")
    world.user("maja").runs("/mot top")

    assert "no longer shown by name" in bjorn.last_ephemeral().text
    assert "<@U0BJORN01>" not in str(world.user("maja").last_ephemeral().blocks)


def test_an_unknown_period_is_explained(world):
    alice = world.user("alice")

    alice.runs("/mot top decade")

    assert "`/mot top week`" in alice.last_ephemeral().text


def test_the_app_home_shows_recognition_received_and_budget_left(world):
    world.user("maja").runs("/kudos @alice for covering my shift #teamwork")
    alice = world.user("alice")
    alice.runs("/kudos @bjorn for the rebooking")

    alice.opens_home()

    home = "\n".join(render_blocks(alice.home().blocks, world.names()))
    assert "This week: points received *1* · kudos given *1*" in home
    assert "9 of 10 kudos left" in home
    assert "@Maja: for covering my shift #teamwork" in home


def test_teams_come_from_the_configured_user_groups_and_rank_on_the_leaderboard(world):
    world.user("alice").runs("/kudos @li.wei for the calm boarding")
    world.user("alice").runs("/kudos @maja for the upgrade idea")
    world.user("bjorn").runs("/kudos @maja for covering the gate")
    oliver = world.user("oliver")

    oliver.runs("/mot top")

    text = render_message("", oliver.last_ephemeral().blocks)
    teams = text[text.index("*Teams*") :]
    assert ":first_place_medal: *Cabin Crew* · 2 points (people: 1)" in teams
    assert ":second_place_medal: *Check-in & Gate* · 1 point (people: 1)" in teams
    assert "Customer Care" not in teams


def test_an_admin_reviews_and_revokes_kudos_and_they_stop_counting(world):
    world.user("alice").runs("/kudos @bjorn for the rebooking")
    henrik = world.user("henrik")

    henrik.runs("/mot kudos @bjorn")
    review = henrik.last_ephemeral()
    assert "for the rebooking" in render_message(review.text, review.blocks)
    henrik.clicks("Revoke", on=review)
    henrik.submits({"Why are you revoking them?": "Given by mistake, says Alice"})

    assert henrik.open_modal() is None
    assert "revoked" in henrik.direct_messages()[-1].text
    bjorn = world.user("bjorn")
    bjorn.runs("/mot top")
    assert "You have 0 points" in render_message("", bjorn.last_ephemeral().blocks)
    henrik.runs("/mot kudos @bjorn")
    assert "(revoked)" in render_message("", henrik.last_ephemeral().blocks)


def test_revoking_needs_a_reason(world):
    world.user("alice").runs("/kudos @bjorn for the rebooking")
    henrik = world.user("henrik")
    henrik.runs("/mot kudos @bjorn")
    henrik.clicks("Revoke", on=henrik.last_ephemeral())

    henrik.submits({"Why are you revoking them?": "  "})

    modal = henrik.open_modal()
    assert modal is not None
    assert "reason" in world.modal_errors[modal.id]["reason"].lower()


def test_only_admins_review_kudos(world):
    world.user("alice").runs("/kudos @bjorn for the rebooking")
    maja = world.user("maja")

    maja.runs("/mot kudos @bjorn")

    assert "Only motbot admins" in maja.last_ephemeral().text
