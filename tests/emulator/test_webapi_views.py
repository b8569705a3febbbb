"""Modals and App Home: trigger_ids, view stacks, updates with hashes, home publishing."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox.demo import ALICE, BJORN
from slackemu import Clock, Workspace
from slackemu.state import TRIGGER_LIFETIME_SECONDS
from tests.emulator.payloads import home, modal


def slack_error(call: object) -> dict:
    with pytest.raises(SlackApiError) as raised:
        call()  # type: ignore[operator]
    return dict(raised.value.response.data)  # type: ignore[arg-type]


class TestOpen:
    def test_a_trigger_id_opens_a_modal_for_its_user(
        self, client: WebClient, workspace: Workspace
    ) -> None:
        trigger = workspace.issue_trigger_id(ALICE)
        view = client.views_open(trigger_id=trigger, view=modal())["view"]
        assert view["id"].startswith("V")
        assert view["callback_id"] == "story"
        assert view["root_view_id"] == view["id"]
        assert view["state"] == {"values": {}}
        top = workspace.top_modal(ALICE)
        assert top is not None and top.id == view["id"]
        assert workspace.top_modal(BJORN) is None

    def test_an_expired_trigger_id(
        self, client: WebClient, workspace: Workspace, clock: Clock
    ) -> None:
        trigger = workspace.issue_trigger_id(ALICE)
        clock.advance(TRIGGER_LIFETIME_SECONDS + 0.5)
        assert (
            slack_error(lambda: client.views_open(trigger_id=trigger, view=modal()))["error"]
            == "expired_trigger_id"
        )

    def test_an_unknown_or_reused_trigger_id(self, client: WebClient, workspace: Workspace) -> None:
        assert (
            slack_error(lambda: client.views_open(trigger_id="1.2.3", view=modal()))["error"]
            == "invalid_trigger_id"
        )
        trigger = workspace.issue_trigger_id(ALICE)
        client.views_open(trigger_id=trigger, view=modal())
        assert (
            slack_error(lambda: client.views_open(trigger_id=trigger, view=modal()))["error"]
            == "exchanged_trigger_id"
        )

    def test_a_25_character_title_is_invalid_and_keeps_the_trigger(
        self, client: WebClient, workspace: Workspace
    ) -> None:
        trigger = workspace.issue_trigger_id(ALICE)
        answer = slack_error(lambda: client.views_open(trigger_id=trigger, view=modal("x" * 25)))
        assert answer["error"] == "invalid_arguments"
        assert answer["response_metadata"]["messages"] == [
            "[ERROR] must be less than 25 characters [json-pointer:/view/title/text]"
        ]
        assert client.views_open(trigger_id=trigger, view=modal("x" * 24))["ok"]

    def test_views_open_needs_a_trigger_id(self, client: WebClient) -> None:
        answer = slack_error(lambda: client.api_call("views.open", json={"view": modal()}))
        assert answer["error"] == "invalid_arguments"
        assert answer["response_metadata"]["messages"] == [
            "[ERROR] missing required field: trigger_id"
        ]

    def test_a_home_view_cannot_be_opened_as_a_modal(
        self, client: WebClient, workspace: Workspace
    ) -> None:
        trigger = workspace.issue_trigger_id(ALICE)
        assert (
            slack_error(lambda: client.views_open(trigger_id=trigger, view=home()))["error"]
            == "invalid_arguments"
        )


class TestStack:
    def test_push_up_to_three_views(self, client: WebClient, workspace: Workspace) -> None:
        root = client.views_open(trigger_id=workspace.issue_trigger_id(ALICE), view=modal("Root"))[
            "view"
        ]
        second = client.views_push(
            trigger_id=workspace.issue_trigger_id(ALICE), view=modal("Second")
        )["view"]
        client.views_push(trigger_id=workspace.issue_trigger_id(ALICE), view=modal("Third"))
        assert second["previous_view_id"] == root["id"]
        assert [v.title["text"] for v in workspace.modal_stack(ALICE)] == [
            "Root",
            "Second",
            "Third",
        ]
        assert (
            slack_error(
                lambda: client.views_push(
                    trigger_id=workspace.issue_trigger_id(ALICE), view=modal("Fourth")
                )
            )["error"]
            == "push_limit_reached"
        )


class TestUpdate:
    def test_update_by_view_id_and_by_external_id(
        self, client: WebClient, workspace: Workspace
    ) -> None:
        opened = client.views_open(
            trigger_id=workspace.issue_trigger_id(ALICE), view=modal(external_id="story-draft-1")
        )["view"]
        client.views_update(view_id=opened["id"], view=modal("Saving ..."))
        assert workspace.top_modal(ALICE).title["text"] == "Saving ..."
        client.views_update(
            external_id="story-draft-1", view=modal("Saved", external_id="story-draft-1")
        )
        assert workspace.top_modal(ALICE).title["text"] == "Saved"

    def test_a_stale_hash_conflicts(self, client: WebClient, workspace: Workspace) -> None:
        opened = client.views_open(trigger_id=workspace.issue_trigger_id(ALICE), view=modal())[
            "view"
        ]
        fresh = client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal("Newer"))[
            "view"
        ]
        assert fresh["hash"] != opened["hash"]
        assert (
            slack_error(
                lambda: client.views_update(
                    view_id=opened["id"], hash=opened["hash"], view=modal("Stale")
                )
            )["error"]
            == "hash_conflict"
        )

    def test_an_unknown_or_closed_view_is_not_found(
        self, client: WebClient, workspace: Workspace
    ) -> None:
        # Slack's error for views.update on a view that is gone is "not_found".
        assert (
            slack_error(lambda: client.views_update(view_id="V0NOPE001", view=modal()))["error"]
            == "not_found"
        )
        opened = client.views_open(trigger_id=workspace.issue_trigger_id(ALICE), view=modal())[
            "view"
        ]
        workspace.close_modal(ALICE)
        assert (
            slack_error(lambda: client.views_update(view_id=opened["id"], view=modal()))["error"]
            == "not_found"
        )


class TestPublish:
    def test_publish_a_home_tab(self, client: WebClient, workspace: Workspace) -> None:
        published = client.views_publish(user_id=ALICE, view=home("Your stories"))["view"]
        assert published["type"] == "home"
        shown = workspace.home_view(ALICE)
        assert shown is not None and shown.blocks == home("Your stories")["blocks"]
        again = client.views_publish(user_id=ALICE, view=home("Updated"), hash=published["hash"])[
            "view"
        ]
        assert again["id"] == published["id"]
        assert (
            slack_error(
                lambda: client.views_publish(
                    user_id=ALICE, view=home("Stale"), hash=published["hash"]
                )
            )["error"]
            == "hash_conflict"
        )

    def test_only_home_views_are_published(self, client: WebClient) -> None:
        assert (
            slack_error(lambda: client.views_publish(user_id=ALICE, view=modal()))["error"]
            == "invalid_arguments"
        )

    def test_a_home_with_101_blocks_is_invalid(self, client: WebClient) -> None:
        view = {"type": "home", "blocks": [{"type": "divider"}] * 101}
        answer = slack_error(lambda: client.views_publish(user_id=ALICE, view=view))
        assert answer["response_metadata"]["messages"] == [
            "[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]"
        ]

    def test_an_unknown_user(self, client: WebClient) -> None:
        assert (
            slack_error(lambda: client.views_publish(user_id="U0NOBODY1", view=home()))["error"]
            == "user_not_found"
        )
