"""People in the emulator send what Slack would send, built from what they see.

A small scripted Bolt app stands in for motbot here, so that these tests pin down the
emulator's side: the payloads, and how Slack applies the bot's answers.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_bolt import App
from slack_sdk import WebClient

from bot.db.engine import make_engine, make_session_factory
from bot.sandbox.harness import SIGNING_SECRET, TrackingExecutor, connect
from bot.web.server import create_web_app
from tests.support.http import serving

MODAL = {
    "type": "modal",
    "callback_id": "story",
    "title": {"type": "plain_text", "text": "Share a story"},
    "submit": {"type": "plain_text", "text": "Share"},
    "blocks": [
        {
            "type": "input",
            "block_id": "need",
            "label": {"type": "plain_text", "text": "What did the customer need?"},
            "element": {"type": "plain_text_input", "action_id": "value"},
        },
        {
            "type": "input",
            "block_id": "where",
            "label": {"type": "plain_text", "text": "Touchpoint"},
            "element": {
                "type": "static_select",
                "action_id": "value",
                "options": [
                    {"text": {"type": "plain_text", "text": "Phone"}, "value": "phone"},
                    {"text": {"type": "plain_text", "text": "At the gate"}, "value": "gate"},
                ],
            },
        },
        {
            "type": "input",
            "block_id": "people",
            "label": {"type": "plain_text", "text": "People involved"},
            "element": {
                "type": "multi_users_select",
                "action_id": "value",
                "initial_users": ["U0ALICE01"],
            },
        },
    ],
}

CARD_BLOCKS = [
    {"type": "section", "text": {"type": "mrkdwn", "text": "A story"}},
    {
        "type": "actions",
        "block_id": "card",
        "elements": [
            {
                "type": "button",
                "action_id": "tag",
                "value": "story-7",
                "text": {"type": "plain_text", "text": "Positive moment of truth"},
            }
        ],
    },
]


class ScriptedBot:
    def __init__(self, emulator) -> None:
        self.received: list[dict] = []
        self.executor = TrackingExecutor()
        client = WebClient(token=emulator.workspace.bot.token, base_url=emulator.api_url)
        self.app = App(
            client=client,
            signing_secret=SIGNING_SECRET,
            token_verification_enabled=False,
            listener_executor=self.executor,
        )
        self.app.command("/story")(self.open_modal)
        self.app.view("story")(self.submitted)
        self.app.action("tag")(self.tagged)
        self.app.shortcut("share_story")(self.shortcut)
        self.app.event("reaction_added")(self.reaction)

    def open_modal(self, ack, body, client):
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=MODAL)

    def submitted(self, ack, body, view):
        self.received.append(body)
        need = view["state"]["values"]["need"]["value"]["value"]
        if not need:
            ack(response_action="errors", errors={"need": "Tell us what they needed"})
        else:
            ack()

    def tagged(self, ack, body):
        ack()
        self.received.append(body)

    def shortcut(self, ack, body):
        ack()
        self.received.append(body)

    def reaction(self, event):
        self.received.append(event)


@pytest.fixture
def scripted(emulator) -> Iterator[tuple]:
    bot = ScriptedBot(emulator)
    with serving(create_web_app(bot.app, make_session_factory(make_engine("sqlite://")))) as url:
        yield bot, connect(emulator, f"{url}/slack/events", settle=bot.executor.wait_idle)


def test_a_command_opens_a_modal_and_a_submission_carries_the_typed_values(scripted):
    bot, world = scripted
    alice = world.user("alice")

    alice.runs("/story")
    alice.submits({"What did the customer need?": "A new seat", "Touchpoint": "At the gate"})

    values = bot.received[-1]["view"]["state"]["values"]
    assert values["need"]["value"] == {"type": "plain_text_input", "value": "A new seat"}
    assert values["where"]["value"]["selected_option"]["value"] == "gate"
    assert values["people"]["value"]["selected_users"] == ["U0ALICE01"]
    assert alice.open_modal() is None, "a plain acknowledgement closes the modal"


def test_a_modal_answered_with_errors_stays_open_showing_them(scripted):
    _, world = scripted
    alice = world.user("alice")
    alice.runs("/story")

    alice.submits({"What did the customer need?": "", "Touchpoint": "phone"})

    modal = alice.open_modal()
    assert modal is not None
    assert world.modal_errors[modal.id] == {"need": "Tell us what they needed"}


def test_filling_an_input_the_modal_does_not_have_is_an_error(scripted):
    _, world = scripted
    alice = world.user("alice")
    alice.runs("/story")

    with pytest.raises(LookupError, match="no input"):
        alice.submits({"Favourite colour": "blue"})


def test_a_click_finds_the_button_by_its_label_and_sends_its_action(scripted, emulator):
    bot, world = scripted
    card = emulator.workspace.post_message(
        "C0MOMENTS", "U0MOTBOT1", text="A story", blocks=CARD_BLOCKS
    )

    world.user("bjorn").clicks("Positive moment of truth", on=card)

    body = bot.received[-1]
    assert body["type"] == "block_actions"
    assert body["user"]["id"] == "U0BJORN01"
    assert body["actions"][0]["action_id"] == "tag"
    assert body["actions"][0]["value"] == "story-7"
    assert body["container"]["message_ts"] == card.ts


def test_clicking_a_button_that_is_not_there_names_the_buttons_shown(scripted, emulator):
    _, world = scripted
    card = emulator.workspace.post_message("C0MOMENTS", "U0MOTBOT1", blocks=CARD_BLOCKS)

    with pytest.raises(LookupError, match="Positive moment of truth"):
        world.user("bjorn").clicks("Delete", on=card)


def test_a_message_shortcut_carries_the_message(scripted, emulator):
    bot, world = scripted
    message = emulator.workspace.post_message("C0GENERAL", "U0ALICE01", text="Rebooked a family")

    world.user("alice").uses_shortcut("share_story", on=message)

    body = bot.received[-1]
    assert body["type"] == "message_action"
    assert body["message"]["text"] == "Rebooked a family"


def test_a_reaction_is_delivered_as_a_signed_event(scripted, emulator):
    bot, world = scripted
    card = emulator.workspace.post_message("C0MOMENTS", "U0MOTBOT1", blocks=CARD_BLOCKS)

    delivery = world.user("bjorn").reacts("star", on=card)

    assert delivery.acknowledged
    assert bot.received[-1]["reaction"] == "star"
    assert emulator.workspace.message("C0MOMENTS", card.ts).reactions == {"star": ["U0BJORN01"]}


def test_mentions_in_a_command_are_escaped_as_slack_escapes_them(scripted):
    _, world = scripted

    reply = world.user("alice").runs("/story thanks @bjorn in #general & <b>")

    sent = reply.delivery.body.decode()
    assert "%3C%40U0BJORN01%7Cbjorn%3E" in sent  # <@U0BJORN01|bjorn>
    assert "%3C%23C0GENERAL%7Cgeneral%3E" in sent  # <#C0GENERAL|general>
    assert "%26amp%3B+%26lt%3Bb%26gt%3B" in sent  # &amp; &lt;b&gt;
