"""Messages: posting (to channels, DMs and threads), ephemerals, edits, deletes, reactions."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox.demo import ALICE, BOT_USER, GENERAL_CHANNEL, HR_CHANNEL, JAMES, KARIN
from bot.sandbox.demo import STORIES_CHANNEL as STORIES
from slackemu import Emulator, Workspace
from tests.emulator.payloads import section


def slack_error(call: object) -> SlackApiError:
    with pytest.raises(SlackApiError) as raised:
        call()  # type: ignore[operator]
    return raised.value


class TestPostMessage:
    def test_a_post_lands_in_the_channel_with_its_blocks(
        self, client: WebClient, workspace: Workspace
    ) -> None:
        card = [section("*A*", block_id="card")]
        answer = client.chat_postMessage(
            channel=STORIES,
            text="A story",
            blocks=card,
            metadata={"event_type": "story", "event_payload": {}},
        )
        assert answer["channel"] == STORIES
        assert answer["message"]["bot_id"] == "B0MOTBOT1"
        stored = workspace.last_message(STORIES)
        assert (stored.ts, stored.user, stored.text) == (answer["ts"], BOT_USER, "A story")
        assert stored.blocks == card
        assert answer["message"]["blocks"] == card
        assert stored.metadata == {"event_type": "story", "event_payload": {}}

    def test_posting_to_a_user_id_lands_in_the_bots_dm_with_them(
        self, client: WebClient, workspace: Workspace
    ) -> None:
        answer = client.chat_postMessage(channel=ALICE, text="Your weekly pulse")
        dm = workspace.find_dm(ALICE)
        assert dm is not None and answer["channel"] == dm.id
        assert workspace.last_message(dm.id).text == "Your weekly pulse"
        client.chat_postMessage(channel=dm.id, text="Reminder")
        assert [m.text for m in workspace.messages(dm.id)] == ["Your weekly pulse", "Reminder"]

    def test_a_channel_name_works_too(self, client: WebClient, workspace: Workspace) -> None:
        client.chat_postMessage(channel="#moments-of-truth", text="by name")
        assert workspace.last_message(STORIES).text == "by name"

    def test_thread_replies(self, client: WebClient, workspace: Workspace) -> None:
        parent = client.chat_postMessage(channel=STORIES, text="story")["ts"]
        reply = client.chat_postMessage(channel=STORIES, text="kudos given", thread_ts=parent)
        assert reply["message"]["thread_ts"] == parent
        assert [m.text for m in workspace.thread_replies(STORIES, parent)] == ["kudos given"]
        assert [m.text for m in workspace.messages(STORIES)] == ["story"]

    def test_where_the_bot_cannot_post(self, client: WebClient) -> None:
        assert (
            slack_error(
                lambda: client.chat_postMessage(channel=GENERAL_CHANNEL, text="x")
            ).response["error"]
            == "not_in_channel"
        )
        assert (
            slack_error(lambda: client.chat_postMessage(channel="C0NOPE001", text="x")).response[
                "error"
            ]
            == "channel_not_found"
        )

    def test_a_message_needs_text_or_blocks(self, client: WebClient) -> None:
        assert (
            slack_error(
                lambda: client.api_call("chat.postMessage", json={"channel": STORIES})
            ).response["error"]
            == "no_text"
        )

    def test_text_over_40000_characters_is_too_long(self, client: WebClient) -> None:
        assert (
            slack_error(
                lambda: client.chat_postMessage(channel=STORIES, text="x" * 40_001)
            ).response["error"]
            == "msg_too_long"
        )

    def test_form_encoded_blocks_are_json_strings(
        self, client: WebClient, workspace: Workspace
    ) -> None:
        client.api_call(
            "chat.postMessage",
            data={
                "channel": STORIES,
                "text": "t",
                "blocks": '[{"type": "divider", "block_id": "d"}]',
            },
        )
        assert workspace.last_message(STORIES).blocks == [{"type": "divider", "block_id": "d"}]
        with pytest.raises(SlackApiError) as raised:
            client.api_call("chat.postMessage", data={"channel": STORIES, "blocks": "[{oops"})
        assert raised.value.response["error"] == "invalid_blocks_format"


class TestInvalidBlocks:
    """Slack answers invalid_blocks and says why in response_metadata.messages."""

    @pytest.mark.parametrize(
        ("blocks", "message"),
        [
            (
                [{"type": "fancy_block"}],
                "[ERROR] unsupported type: fancy_block [json-pointer:/blocks/0/type]",
            ),
            (
                [section("x" * 3001)],
                "[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]",
            ),
            (
                [{"type": "divider"}] * 51,
                "[ERROR] no more than 50 items allowed [json-pointer:/blocks]",
            ),
        ],
    )
    def test_invalid_blocks_are_rejected_with_slacks_reason(
        self, client: WebClient, workspace: Workspace, blocks: list, message: str
    ) -> None:
        error = slack_error(
            lambda: client.chat_postMessage(channel=STORIES, text="t", blocks=blocks)
        )
        assert error.response["error"] == "invalid_blocks"
        assert error.response["response_metadata"]["messages"] == [message]
        assert workspace.messages(STORIES) == []  # nothing was posted

    def test_50_blocks_are_fine(self, client: WebClient) -> None:
        assert client.chat_postMessage(
            channel=STORIES, text="t", blocks=[{"type": "divider"}] * 50
        )["ok"]


class TestEphemeral:
    def test_only_the_user_sees_it(self, client: WebClient, workspace: Workspace) -> None:
        answer = client.chat_postEphemeral(channel=STORIES, user=ALICE, text="Only you")
        shown = workspace.ephemerals(ALICE, STORIES)
        assert [(e.ts, e.text) for e in shown] == [(answer["message_ts"], "Only you")]
        assert workspace.messages(STORIES) == []

    def test_the_user_must_be_in_the_channel(self, client: WebClient) -> None:
        assert (
            slack_error(
                lambda: client.chat_postEphemeral(channel=HR_CHANNEL, user=JAMES, text="x")
            ).response["error"]
            == "user_not_in_channel"
        )
        assert client.chat_postEphemeral(channel=HR_CHANNEL, user=KARIN, text="x")["ok"]


class TestUpdateAndDelete:
    def test_the_bot_edits_its_own_message(self, client: WebClient, workspace: Workspace) -> None:
        ts = client.chat_postMessage(channel=STORIES, text="draft")["ts"]
        answer = client.chat_update(
            channel=STORIES, ts=ts, text="final", blocks=[section("final", block_id="f")]
        )
        assert answer["ts"] == ts and answer["text"] == "final"
        stored = workspace.message(STORIES, ts)
        assert stored.text == "final" and stored.edited
        assert stored.blocks == [section("final", block_id="f")]

    def test_the_bot_cannot_edit_or_delete_what_people_wrote(
        self, client: WebClient, workspace: Workspace
    ) -> None:
        ts = workspace.post_message(STORIES, ALICE, text="Alice's story").ts
        assert (
            slack_error(lambda: client.chat_update(channel=STORIES, ts=ts, text="x")).response[
                "error"
            ]
            == "cant_update_message"
        )
        assert (
            slack_error(lambda: client.chat_delete(channel=STORIES, ts=ts)).response["error"]
            == "cant_delete_message"
        )

    def test_delete(self, client: WebClient, workspace: Workspace) -> None:
        ts = client.chat_postMessage(channel=STORIES, text="oops")["ts"]
        assert client.chat_delete(channel=STORIES, ts=ts)["ts"] == ts
        assert workspace.messages(STORIES) == []
        assert (
            slack_error(lambda: client.chat_delete(channel=STORIES, ts=ts)).response["error"]
            == "message_not_found"
        )

    def test_update_checks_blocks_too(self, client: WebClient) -> None:
        ts = client.chat_postMessage(channel=STORIES, text="t")["ts"]
        assert (
            slack_error(
                lambda: client.chat_update(
                    channel=STORIES, ts=ts, text="t", blocks=[{"type": "nope"}]
                )
            ).response["error"]
            == "invalid_blocks"
        )


def test_permalinks(client: WebClient) -> None:
    parent = client.chat_postMessage(channel=STORIES, text="story")["ts"]
    reply = client.chat_postMessage(channel=STORIES, text="r", thread_ts=parent)["ts"]
    link = client.chat_getPermalink(channel=STORIES, message_ts=parent)["permalink"]
    assert link == f"https://nordlys-air.slack.com/archives/{STORIES}/p{parent.replace('.', '')}"
    threaded = client.chat_getPermalink(channel=STORIES, message_ts=reply)["permalink"]
    assert threaded.endswith(f"?thread_ts={parent}&cid={STORIES}")


def test_reactions_by_people_are_visible_through_reactions_get(
    client: WebClient, workspace: Workspace
) -> None:
    ts = client.chat_postMessage(channel=STORIES, text="story")["ts"]
    workspace.add_reaction(STORIES, ts, ALICE, "star")
    client.reactions_add(channel=STORIES, timestamp=ts, name="tada")
    message = client.reactions_get(channel=STORIES, timestamp=ts)["message"]
    assert message["reactions"] == [
        {"name": "star", "users": [ALICE], "count": 1},
        {"name": "tada", "users": [BOT_USER], "count": 1},
    ]
    client.reactions_remove(channel=STORIES, timestamp=ts, name="tada")
    assert workspace.message(STORIES, ts).reactions == {"star": [ALICE]}


def test_emulator_calls_shows_what_the_bot_sent(client: WebClient, emulator: Emulator) -> None:
    client.chat_postMessage(channel=ALICE, text="hello")
    (call,) = emulator.calls("chat.postMessage")
    assert call.args["channel"] == ALICE and call.response["channel"].startswith("D")


def test_the_call_log_keeps_the_blocks_as_sent_apart_from_the_workspaces(
    client: WebClient, emulator: Emulator, workspace: Workspace
) -> None:
    client.chat_postMessage(channel=STORIES, text="card", blocks=[section("as sent")])
    (call,) = emulator.calls("chat.postMessage")
    stored = workspace.last_message(STORIES)
    assert call.args["blocks"] == [section("as sent")]  # no block_id added
    assert call.response["message"]["blocks"] == stored.blocks
    assert stored.blocks[0]["block_id"]
    call.args["blocks"][0]["text"]["text"] = "changed in the call log"
    call.response["message"]["blocks"][0]["text"]["text"] = "changed in the call log"
    assert workspace.last_message(STORIES).blocks == stored.blocks
    assert call.response["message"]["blocks"] == stored.blocks
