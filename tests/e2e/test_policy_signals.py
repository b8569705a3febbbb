"""Policy signals, end to end: a decision on the spot names the rule it went beyond,
leaders read the rules bent most often with `/mot policies`, and a leader who revised a
policy closes its signals, which tells everyone in those stories."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.db.models import PolicyRevision, Story
from slackemu.render import render_blocks, render_message
from tests.e2e.test_stories import ALICE, STORIES, card_text, share
from tests.e2e.test_tampered_buttons import APOLOGY, everything_seen, tampered

pytestmark = pytest.mark.both_transports

RULE = "Which rule or usual practice did you go beyond?"
AREA = "Policy area"
ON_THE_SPOT = {"Empowerment": ["yes"]}
REFUNDS = "Refunds and compensation"
LI_WEI = "U0LIWEI01"


def rendered(message) -> str:
    return render_message(message.text, message.blocks)


def revise_buttons(blocks) -> int:
    return sum(
        element.get("type") == "button" and element["text"]["text"] == "Policy revised"
        for block in blocks
        if block.get("type") == "actions"
        for element in block["elements"]
    )


def with_areas(world, *names: str) -> None:
    henrik = world.user("henrik")
    for name in names:
        reply = henrik.runs(f"/mot admin policies add {name}")
        assert "Policy area added" in reply.text


def bend_a_rule(person, rule: str, area: str | None = None, **extra) -> None:
    answers = {**ON_THE_SPOT, RULE: rule, **extra}
    if area is not None:
        answers[AREA] = area
    share(person, **answers)
    assert person.open_modal() is None, "the story was refused"


def test_an_admin_keeps_the_policy_areas_the_story_form_offers(world):
    henrik = world.user("henrik")

    added = henrik.runs(f"/mot admin policies add {REFUNDS}")
    again = henrik.runs("/mot admin policies add refunds AND compensation")
    listed = henrik.runs("/mot admin policies")
    world.user("alice").runs("/mot")

    assert "Policy area added: Refunds and compensation" in added.text
    assert "already a policy area: nothing changed" in again.text
    assert REFUNDS in render_message(listed.text, listed.blocks)
    modal = world.user("alice").open_modal()
    area = next(b for b in modal.blocks if b.get("block_id") == "policy_area")
    assert [o["text"]["text"] for o in area["element"]["options"]] == [REFUNDS]
    audit = henrik.runs("/mot admin audit")
    assert "added policy area Refunds and compensation" in render_message(audit.text, audit.blocks)


def test_only_admins_keep_policy_areas(world):
    reply = world.user("alice").runs(f"/mot admin policies add {REFUNDS}")

    assert "admins" in reply.text.lower()
    world.user("alice").runs("/mot")
    modal = world.user("alice").open_modal()
    assert all(b.get("block_id") != "policy_area" for b in modal.blocks)


def test_a_decision_on_the_spot_names_the_rule_it_went_beyond_on_its_card(world, engine):
    with_areas(world, REFUNDS)

    bend_a_rule(world.user("alice"), "Refunds over 50 euros need a supervisor", REFUNDS)

    shown = card_text(world)
    assert "Went beyond: *Refunds and compensation* · Refunds over 50 euros need a supervisor" in (
        shown
    )
    with engine.connect() as connection:
        assert connection.execute(select(Story.raises_policy_signal)).scalar_one() is True


def test_a_rule_gone_beyond_without_a_decision_on_the_spot_is_refused_beside_the_rule(world):
    alice = world.user("alice")

    share(alice, **{RULE: "Refunds over 50 euros need a supervisor"})

    modal = alice.open_modal()
    assert modal is not None, "the modal stays open with the error"
    errors = world.modal_errors[modal.id]
    assert "decision on the spot" in errors["rule_bent"]


def test_an_employee_is_told_policies_are_for_leaders_hr_and_admins(world):
    reply = world.user("alice").runs("/mot policies")

    assert "for leaders, HR and admins" in reply.text
    assert revise_buttons(reply.blocks) == 0


def test_leaders_see_the_rules_bent_most_often_with_the_stories_behind_them(world):
    with_areas(world, REFUNDS, "Rebooking")
    alice, bjorn = world.user("alice"), world.user("bjorn")
    bend_a_rule(alice, "Refund limit of 50 euros", REFUNDS)
    bend_a_rule(bjorn, "Refunds need a receipt", REFUNDS)
    bend_a_rule(alice, "Rebooking only on our own flights", "Rebooking")

    reply = world.user("erik").runs("/mot policies")

    shown = render_message(reply.text, reply.blocks)
    assert shown.index("Refunds and compensation") < shown.index("Rebooking")
    assert "*Refunds and compensation* · 2 signals" in shown
    assert "*Rebooking* · 1 signal" in shown
    assert "Refunds need a receipt" in shown and "Refund limit of 50 euros" in shown
    assert revise_buttons(reply.blocks) == 2


def test_hr_reads_the_signals_but_cannot_revise_them(world):
    bend_a_rule(world.user("alice"), "Refund limit of 50 euros")

    reply = world.user("karin").runs("/mot policies")

    shown = render_message(reply.text, reply.blocks)
    assert "Rules not filed under a policy area" in shown
    assert "Refund limit of 50 euros" in shown
    assert revise_buttons(reply.blocks) == 0


def test_a_leader_revising_a_policy_tells_everyone_whose_decision_changed_it(world, engine):
    with_areas(world, REFUNDS)
    alice = world.user("alice")
    bend_a_rule(alice, "Refund limit of 50 euros", REFUNDS, **{"Who handled it": [ALICE, LI_WEI]})
    bend_a_rule(world.user("bjorn"), "Refunds need a receipt", REFUNDS)
    erik = world.user("erik")
    erik.runs("/mot policies")

    erik.clicks("Policy revised", on=erik.last_ephemeral())
    assert "2 signals open" in "\n".join(render_blocks(erik.open_modal().blocks))
    erik.submits({"What changed in the rule?": "Gate agents may refund up to 150 euros."})

    assert erik.open_modal() is None
    assert "2 signals closed, and 3 people told" in erik.direct_messages()[-1].text
    bjorn_dm = rendered(world.user("bjorn").direct_messages()[-1])
    assert "revised the policy on *Refunds and compensation*" in bjorn_dm
    assert "Gate agents may refund up to 150 euros." in bjorn_dm
    assert "Refunds need a receipt" in bjorn_dm and "Refund limit of 50 euros" not in bjorn_dm
    li_wei_dm = rendered(world.user("li.wei").direct_messages()[-1])
    assert "修订了" in li_wei_dm, "each person is told in their own language"
    assert "policy revised since" in card_text(world)
    after = erik.runs("/mot policies")
    assert "No open policy signals" in render_message(after.text, after.blocks)
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(PolicyRevision)).scalar() == 1


def test_a_policy_revised_without_a_note_is_refused_beside_the_note(world, engine):
    bend_a_rule(world.user("alice"), "Refund limit of 50 euros")
    erik = world.user("erik")
    erik.runs("/mot policies")
    erik.clicks("Policy revised", on=erik.last_ephemeral())

    erik.submits({"What changed in the rule?": "   "})

    modal = erik.open_modal()
    assert modal is not None
    assert "what changed" in world.modal_errors[modal.id]["note"].lower()
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(PolicyRevision)).scalar() == 0


def test_a_second_leader_revising_the_same_policy_is_told_it_is_closed_already(world):
    bend_a_rule(world.user("alice"), "Refund limit of 50 euros")
    erik, ingrid = world.user("erik"), world.user("ingrid")
    erik.runs("/mot policies")
    ingrid.runs("/mot policies")
    erik.clicks("Policy revised", on=erik.last_ephemeral())
    ingrid.clicks("Policy revised", on=ingrid.last_ephemeral())

    erik.submits({"What changed in the rule?": "Up to 150 euros now."})
    ingrid.submits({"What changed in the rule?": "Up to 200 euros now."})

    errors = world.modal_errors[ingrid.open_modal().id]
    assert "no open signals in that area any more" in errors["note"]
    told = [m for m in world.user("alice").direct_messages() if "was revised because" in m.text]
    assert len(told) == 1


@pytest.mark.parametrize("value", ["not-an-area", "-1", "99999999999"])
def test_a_policy_button_carrying_no_area_is_refused_in_plain_words(world, value):
    bend_a_rule(world.user("alice"), "Refund limit of 50 euros")
    erik = world.user("erik")
    erik.runs("/mot policies")

    erik.clicks("Policy revised", on=tampered(erik.last_ephemeral(), "Policy revised", value))

    assert erik.open_modal() is None
    seen = everything_seen(erik)
    assert "can't find that policy area" in seen
    assert APOLOGY not in seen.lower()


def test_an_employee_clicking_a_forwarded_policy_button_revises_nothing(world):
    bend_a_rule(world.user("alice"), "Refund limit of 50 euros")
    erik = world.user("erik")
    erik.runs("/mot policies")
    seen_by_erik = erik.last_ephemeral()

    bjorn = world.user("bjorn")
    bjorn.clicks("Policy revised", on=seen_by_erik)

    assert bjorn.open_modal() is None
    assert "Only leaders can mark a policy revised" in everything_seen(bjorn)
    assert "policy revised since" not in world.channel(STORIES).last_message().text
