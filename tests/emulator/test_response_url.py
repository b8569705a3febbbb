"""response_url: how an app answers a slash command or a button, as Bolt's respond() does."""

from __future__ import annotations

import pytest
from slack_sdk.webhook import WebhookClient

from bot.sandbox.demo import ALICE, GENERAL_CHANNEL, STORIES_CHANNEL
from slackemu import Clock, Emulator, Workspace
from slackemu.state import RESPONSE_URL_LIFETIME_SECONDS, RESPONSE_URL_MAX_USES
from tests.emulator.payloads import section


def test_an_ephemeral_answer_by_default(emulator: Emulator, workspace: Workspace) -> None:
    url = emulator.response_url(GENERAL_CHANNEL, ALICE)
    response = WebhookClient(url).send(
        text="Only you can see this", blocks=[section("hi", block_id="b1")]
    )
    assert response.status_code == 200
    (shown,) = workspace.ephemerals(ALICE, GENERAL_CHANNEL)
    assert shown.text == "Only you can see this" and shown.blocks == [section("hi", block_id="b1")]
    (call,) = emulator.calls("response_url")
    assert call.ok


def test_in_channel_answers_post_even_where_the_bot_is_not_a_member(
    emulator: Emulator, workspace: Workspace
) -> None:
    url = emulator.response_url(GENERAL_CHANNEL, ALICE)
    WebhookClient(url).send(text="Everyone sees this", response_type="in_channel")
    assert workspace.last_message(GENERAL_CHANNEL).text == "Everyone sees this"


def test_replace_and_delete_the_original_message(emulator: Emulator, workspace: Workspace) -> None:
    card = workspace.post_message(STORIES_CHANNEL, workspace.bot.user_id, text="card")
    url = emulator.response_url(STORIES_CHANNEL, ALICE, message_ts=card.ts)
    WebhookClient(url).send(text="tagged!", replace_original=True)
    assert workspace.message(STORIES_CHANNEL, card.ts).text == "tagged!"
    WebhookClient(url).send(delete_original=True)
    assert workspace.messages(STORIES_CHANNEL) == []


def test_replace_an_ephemeral_original(emulator: Emulator, workspace: Workspace) -> None:
    shown = workspace.post_ephemeral(STORIES_CHANNEL, ALICE, workspace.bot.user_id, text="Sure?")
    url = emulator.response_url(STORIES_CHANNEL, ALICE, message_ts=shown.ts)
    WebhookClient(url).send(text="Done", replace_original=True)
    assert [e.text for e in workspace.ephemerals(ALICE)] == ["Done"]


def test_invalid_blocks_are_refused(emulator: Emulator, workspace: Workspace) -> None:
    url = emulator.response_url(STORIES_CHANNEL, ALICE)
    response = WebhookClient(url).send(text="t", blocks=[{"type": "nope"}])
    assert response.status_code == 400
    assert workspace.ephemerals(ALICE) == []


@pytest.mark.parametrize("when", ["too_often", "too_late"])
def test_a_response_url_is_good_for_five_uses_in_thirty_minutes(
    emulator: Emulator, clock: Clock, when: str
) -> None:
    url = emulator.response_url(STORIES_CHANNEL, ALICE)
    if when == "too_often":
        for _ in range(RESPONSE_URL_MAX_USES):
            assert WebhookClient(url).send(text="ok").status_code == 200
    else:
        clock.advance(RESPONSE_URL_LIFETIME_SECONDS + 1)
    refused = WebhookClient(url).send(text="one more")
    assert refused.status_code == 404
    assert ("used_url" if when == "too_often" else "expired_url") in refused.body
