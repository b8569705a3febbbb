"""Moments of truth, end to end: shared from Slack, posted as cards, tagged and backed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db.models import Story
from slackemu.render import render_blocks, render_message

# Every scenario here holds whether Slack posts to the bot or sends it envelopes.
pytestmark = pytest.mark.both_transports

STORIES = "#moments-of-truth"
ALICE, BJORN, ERIK = "U0ALICE01", "U0BJORN01", "U0ERIK001"

A_STORY = {
    "Where it happened": "At the gate",
    "What did the customer need?": "A family of five had missed their connection in Oslo.",
    "What did you do?": "I rebooked all five on the next flight and got them meal vouchers.",
    "What was the outcome for the customer?": "They made it to the wedding on time.",
}


def touchpoint(label: str) -> str:
    return {"At the gate": "on_site"}.get(label, label)


def share(person, story=None, **extra):
    person.runs("/mot")
    answers = {**A_STORY, **(story or {}), **extra}
    answers["Where it happened"] = touchpoint(answers["Where it happened"])
    return person.submits(answers)


def card_text(world) -> str:
    card = world.channel(STORIES).last_message()
    return render_message(card.text, card.blocks, world.names())


def test_mot_opens_the_share_modal_with_the_author_among_the_people(world):
    alice = world.user("alice")

    alice.runs("/mot")

    modal = alice.open_modal()
    assert modal is not None
    assert modal.title["text"] == "Share a moment of truth"
    people = next(b for b in modal.blocks if b.get("block_id") == "people")
    assert people["element"]["initial_users"] == [ALICE]


def test_a_shared_story_is_posted_as_a_card_in_the_stories_channel(world):
    alice = world.user("alice")

    share(alice, **{"Who handled it": [ALICE, BJORN], "Empowerment": ["yes"]})

    assert alice.open_modal() is None
    shown = card_text(world)
    assert "A family of five had missed their connection" in shown
    assert "They made it to the wedding on time." in shown
    assert "Decided on the spot" in shown
    assert "With @Alice, @Björn" in shown
    assert "Awaiting a leader's backing" in shown


WENT_WRONG = "Did something go wrong first? What was it?"


def test_a_service_recovery_is_told_as_one_and_its_card_says_what_went_wrong(world, engine):
    alice = world.user("alice")

    share(alice, **{WENT_WRONG: "We cancelled their flight an hour before boarding."})

    shown = card_text(world)
    assert "*Service recovery* · On site" in shown
    assert "What went wrong" in shown and "cancelled their flight" in shown
    with engine.connect() as connection:
        assert connection.execute(select(Story.is_recovery)).scalar_one() is True


def test_an_edit_keeps_what_went_wrong_unless_the_author_changes_it(world):
    alice = world.user("alice")
    share(alice, **{WENT_WRONG: "We lost her bag."})
    alice.opens_home()

    alice.clicks("Edit", on=alice.home())
    alice.submits({"What was the outcome for the customer?": "The bag came by taxi."})

    shown = card_text(world)
    assert "We lost her bag." in shown and "The bag came by taxi." in shown
    assert "*Service recovery*" in shown


def test_a_story_with_nothing_gone_wrong_is_a_moment_of_truth(world):
    share(world.user("alice"))

    shown = card_text(world)
    assert "*Moment of truth* · On site" in shown
    assert "What went wrong" not in shown


def test_the_people_in_a_story_are_told_by_dm_in_their_own_language(world):
    alice = world.user("alice")

    share(alice, **{"Who handled it": [ALICE, BJORN, "U0LIWEI01"]})

    bjorn_dm = world.user("bjorn").direct_messages()
    li_wei_dm = world.user("li.wei").direct_messages()
    assert "shared a moment of truth you were part of" in bjorn_dm[-1].text
    assert "分享了一个有你参与的关键时刻" in li_wei_dm[-1].text
    assert world.user("alice").direct_messages() == []


def test_a_missing_answer_keeps_the_modal_open_with_the_error_in_the_users_language(world):
    li_wei = world.user("li.wei")
    li_wei.runs("/mot")

    li_wei.submits(
        {
            "touchpoint": "phone",
            "customer_need": "   ",
            "action_taken": "帮顾客改签",
            "outcome": "满意",
        }
    )

    modal = li_wei.open_modal()
    assert modal is not None, "the modal stays open so nothing typed is lost"
    assert modal.title["text"] == "分享关键时刻"
    assert world.modal_errors[modal.id] == {"customer_need": "请填写此项。"}
    assert world.channel(STORIES).messages() == []


@pytest.mark.parametrize(
    "field",
    ["What did the customer need?", "What did you do?", "What was the outcome for the customer?"],
)
def test_mrkdwn_in_a_story_cannot_ping_mention_or_link(world, field):
    alice = world.user("alice")

    share(alice, **{field: "<!channel> ask <@U0ERIK001> at <https://evil.example|the bank> & co"})

    card = world.channel(STORIES).last_message()
    raw = " ".join(str(block) for block in card.blocks)
    assert "<!channel>" not in raw
    assert "<https://evil.example" not in raw
    assert "&lt;!channel&gt;" in raw
    assert "&amp; co" in raw


def test_a_very_long_story_is_cut_on_the_card_and_kept_whole(world, engine):
    alice = world.user("alice")
    long_text = ("客户满意 🎉 " * 500).strip()  # 3,999 characters of Chinese and emoji

    share(alice, **{"What did you do?": long_text})

    shown = card_text(world)
    assert "…" in shown
    assert len(shown) < len(long_text)
    with engine.connect() as connection:
        stored = connection.execute(select(Story.action_taken)).scalar_one()
    assert stored == long_text


def test_a_peer_tags_a_story_once_and_the_card_counts_it(world):
    alice, bjorn = world.user("alice"), world.user("bjorn")
    share(alice)
    card = world.channel(STORIES).last_message()

    bjorn.clicks("Positive moment of truth", on=card)
    bjorn.clicks("Positive moment of truth", on=world.channel(STORIES).last_message())

    assert "1 positive moment of truth" in card_text(world)
    assert "already tagged" in bjorn.last_ephemeral().text


def test_tagging_your_own_story_does_not_count(world):
    alice = world.user("alice")
    share(alice)

    alice.clicks("Positive moment of truth", on=world.channel(STORIES).last_message())

    assert "0 positive moments of truth" in card_text(world)
    assert "doesn't count" in alice.last_ephemeral().text


def test_a_star_reaction_tags_and_removing_it_untags(world):
    share(world.user("alice"))
    chen = world.user("chen.jing")
    card = world.channel(STORIES).last_message()

    chen.reacts("star", on=card)
    assert "1 positive moment of truth" in card_text(world)

    chen.unreacts("star", on=card)
    assert "0 positive moments of truth" in card_text(world)


def test_a_redelivered_reaction_event_never_tags_twice(world):
    share(world.user("alice"))
    card = world.channel(STORIES).last_message()

    delivery = world.user("chen.jing").reacts("star", on=card)
    world.resend(delivery)
    world.user("bjorn").clicks("Positive moment of truth", on=card)

    assert "2 positive moments of truth" in card_text(world)


def test_a_button_tag_and_a_reaction_from_the_same_person_count_once(world):
    share(world.user("alice"))
    bjorn = world.user("bjorn")
    card = world.channel(STORIES).last_message()

    bjorn.clicks("Positive moment of truth", on=card)
    bjorn.reacts("star", on=card)

    assert "1 positive moment of truth" in card_text(world)


def test_other_reactions_are_ignored(world):
    share(world.user("alice"))

    world.user("bjorn").reacts("tada", on=world.channel(STORIES).last_message())

    assert "0 positive moments of truth" in card_text(world)


def test_only_leaders_can_back_a_decision(world):
    share(world.user("alice"), **{"Empowerment": ["yes"]})
    card = world.channel(STORIES).last_message()
    bjorn, erik = world.user("bjorn"), world.user("erik")

    bjorn.clicks("Back this decision", on=card)
    erik.clicks("Back this decision", on=card)

    assert "Only leaders can back a decision" in bjorn.last_ephemeral().text
    shown = card_text(world)
    assert "Backed by @Erik" in shown
    assert "Awaiting a leader's backing" not in shown


def test_the_app_home_lists_your_stories_with_their_recognition(world):
    alice = world.user("alice")
    share(alice)
    world.user("bjorn").clicks("Positive moment of truth", on=world.channel(STORIES).last_message())

    alice.opens_home()

    home = "\n".join(render_blocks(alice.home().blocks))
    assert "I rebooked all five" in home
    assert "1 positive moment of truth" in home
    assert "[ Share a moment of truth ]" in home


def test_the_author_edits_a_story_from_the_app_home_and_the_card_follows(world):
    alice = world.user("alice")
    share(alice)
    alice.opens_home()

    alice.clicks("Edit", on=alice.home())
    alice.submits({"What was the outcome for the customer?": "They sent us a postcard."})

    assert "They sent us a postcard." in card_text(world)
    assert len(world.channel(STORIES).messages()) == 1


def test_the_author_deletes_a_story_and_its_card_disappears(world):
    alice = world.user("alice")
    share(alice)
    alice.opens_home()

    alice.clicks("Delete", on=alice.home())

    assert world.channel(STORIES).messages() == []
    assert "You haven't shared a moment of truth yet" in "\n".join(
        render_blocks(alice.home().blocks)
    )


def test_nobody_else_can_delete_a_story(world):
    alice, bjorn = world.user("alice"), world.user("bjorn")
    share(alice)
    alice.opens_home()

    bjorn.clicks("Delete", on=alice.home())

    assert len(world.channel(STORIES).messages()) == 1
    assert "Only the author" in bjorn.direct_messages()[-1].text


def test_a_message_becomes_a_story_with_its_author_and_text(world, emulator, engine):
    message = emulator.workspace.post_message(
        "C0GENERAL", BJORN, text="Found a lost passport at security and drove it to the hotel."
    )
    alice = world.user("alice")

    alice.uses_shortcut("share_as_moment_of_truth", on=message)

    modal = alice.open_modal()
    assert modal is not None
    fields = {b["block_id"]: b["element"] for b in modal.blocks if b["type"] == "input"}
    assert fields["action_taken"]["initial_value"].startswith("Found a lost passport")
    assert fields["people"]["initial_users"] == [BJORN, ALICE]
    alice.submits(
        {
            "Where it happened": "on_site",
            "What did the customer need?": "Her passport",
            "What was the outcome for the customer?": "She flew home.",
        }
    )
    with engine.connect() as connection:
        source = connection.execute(select(Story.source_channel_id, Story.source_message_ts)).one()
    assert tuple(source) == ("C0GENERAL", message.ts)


def test_a_story_can_go_to_a_public_channel_the_bot_has_not_joined_yet(world, emulator):
    share(world.user("alice"), **{"channel": "C0GENERAL"})

    assert emulator.calls("conversations.join")
    assert "A family of five" in render_message("", world.channel("#general").last_message().blocks)


def test_someone_else_cannot_edit_a_story(world):
    alice, bjorn = world.user("alice"), world.user("bjorn")
    share(alice)
    alice.opens_home()

    bjorn.clicks("Edit", on=alice.home())

    assert bjorn.open_modal() is None
    assert "Only the author" in bjorn.direct_messages()[-1].text
