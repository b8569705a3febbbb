"""Buttons whose value was changed on the way, end to end. Slack sends back what a button
carried, and a click whose value no view of motbot wrote (not a number, signed, beyond
any row id, garbled) is refused in plain words: nothing changes, and nobody is shown an
apology for an error, as they would be after a traceback."""

from __future__ import annotations

import copy
import dataclasses

import pytest
from sqlalchemy import func, select

from bot.db.models import Story
from slackemu.render import render_message
from tests.e2e.test_stories import STORIES, card_text, share

APOLOGY = "something went wrong"
NOT_VALUES = ["not-a-number", "-1", "0", "99999999999", '{"story": 1}']


def tampered(surface, label: str, value: str):
    """`surface` as the person sees it, but its button labelled `label` carries `value`."""
    blocks = copy.deepcopy(surface.blocks)
    buttons = [
        element
        for block in blocks
        for element in [*block.get("elements", []), block.get("accessory") or {}]
        if element.get("type") == "button" and element["text"]["text"] == label
    ]
    assert buttons, f"no {label!r} button"
    buttons[0]["value"] = value
    return dataclasses.replace(surface, blocks=blocks)


def everything_seen(person) -> str:
    seen = [*person.ephemerals(), *person.direct_messages()]
    return "\n".join(render_message(m.text, m.blocks) for m in seen)


def stories(engine) -> int:
    with engine.connect() as connection:
        query = select(func.count()).select_from(Story).where(Story.deleted_at.is_(None))
        return connection.execute(query).scalar_one()


@pytest.mark.parametrize("value", NOT_VALUES)
def test_a_tag_button_carrying_no_story_id_is_refused_and_tags_nothing(world, value):
    share(world.user("alice"))
    bjorn = world.user("bjorn")

    bjorn.clicks(
        "Positive moment of truth",
        on=tampered(world.channel(STORIES).last_message(), "Positive moment of truth", value),
    )

    assert "0 positive moments of truth" in card_text(world)
    assert "I can't find that story any more" in bjorn.last_ephemeral().text
    assert APOLOGY not in everything_seen(bjorn)


def test_a_kudos_button_carrying_no_story_id_opens_no_modal(world):
    share(world.user("alice"))
    bjorn = world.user("bjorn")

    bjorn.clicks(
        "Give kudos", on=tampered(world.channel(STORIES).last_message(), "Give kudos", "7; drop")
    )

    assert bjorn.open_modal() is None
    assert "I can't find that story any more" in bjorn.last_ephemeral().text
    assert APOLOGY not in everything_seen(bjorn)


def test_a_delete_button_carrying_a_number_beyond_any_row_deletes_nothing(world, engine):
    alice = world.user("alice")
    share(alice)
    alice.opens_home()

    alice.clicks("Delete", on=tampered(alice.home(), "Delete", "99999999999"))

    assert stories(engine) == 1
    assert len(world.channel(STORIES).messages()) == 1
    assert "I can't find that story any more" in alice.direct_messages()[-1].text
    assert APOLOGY not in everything_seen(alice)


def test_a_revoke_button_carrying_no_kudos_id_revokes_nothing(world):
    world.user("alice").runs("/kudos @bjorn for the rebooking")
    henrik = world.user("henrik")
    henrik.runs("/mot kudos @bjorn")

    henrik.clicks("Revoke", on=tampered(henrik.last_ephemeral(), "Revoke", "one"))

    assert henrik.open_modal() is None
    assert "I can't find those kudos" in henrik.direct_messages()[-1].text
    assert APOLOGY not in everything_seen(henrik)


def test_a_question_switch_carrying_a_garbled_value_switches_nothing(world):
    henrik = world.user("henrik")
    henrik.runs("/mot admin pulse")
    plan = henrik.last_ephemeral()

    henrik.clicks("Switch off", on=tampered(plan, "Switch off", "1:maybe"))

    henrik.runs("/mot admin pulse")
    assert "switched off" not in render_message("", henrik.last_ephemeral().blocks)
    assert "That question is not part" in everything_seen(henrik)
    assert APOLOGY not in everything_seen(henrik)
