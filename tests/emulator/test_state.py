"""The workspace keeps Slack's rules, whichever surface (Web API, simulated user) calls it."""

from __future__ import annotations

import threading

import pytest

from bot.sandbox.demo import ALICE, BJORN, BOT_USER, GENERAL_CHANNEL, HR_CHANNEL, NILS
from bot.sandbox.demo import STORIES_CHANNEL as STORIES
from slackemu import Channel, Clock, SlackError, Workspace
from slackemu.state import TRIGGER_LIFETIME_SECONDS
from tests.emulator.payloads import home, modal, section


class TestClock:
    def test_a_frozen_clock_moves_only_when_advanced(self) -> None:
        clock = Clock.frozen_at(1_000.0)
        assert clock.now() == 1_000.0
        clock.advance(2.5)
        assert clock.now() == 1_002.5

    def test_time_scale_converts_emulator_seconds_to_real_seconds(self) -> None:
        assert Clock.frozen_at(time_scale=100).to_real_seconds(60) == pytest.approx(0.6)

    def test_a_running_clock_never_goes_backwards(self) -> None:
        clock = Clock(time_scale=1000)
        readings = [clock.now() for _ in range(100)]
        assert readings == sorted(readings)

    def test_the_clock_refuses_to_go_back(self) -> None:
        with pytest.raises(ValueError):
            Clock.frozen_at().advance(-1)


class TestLookups:
    def test_find_user_by_id_name_at_name_display_name_or_real_name(
        self, workspace: Workspace
    ) -> None:
        for ref in (ALICE, "alice", "@alice", "Alice", "Alice Andersson"):
            assert workspace.find_user(ref).id == ALICE
        assert workspace.find_user("李伟").name == "li.wei"

    def test_an_unknown_user_names_the_known_ones(self, workspace: Workspace) -> None:
        with pytest.raises(LookupError, match=r"known: .*alice"):
            workspace.find_user("nobody")

    def test_find_channel_by_id_or_hash_name(self, workspace: Workspace) -> None:
        assert workspace.find_channel("#moments-of-truth").id == STORIES
        assert workspace.find_channel("moments-of-truth").id == STORIES
        assert workspace.find_channel(STORIES).name == "moments-of-truth"

    def test_strict_lookups_raise_slack_errors(self, workspace: Workspace) -> None:
        with pytest.raises(SlackError) as raised:
            workspace.user_by_id("alice")
        assert raised.value.error == "user_not_found"
        with pytest.raises(SlackError) as raised:
            workspace.channel_by_id("#general")
        assert raised.value.error == "channel_not_found"

    def test_people_change(self, workspace: Workspace) -> None:
        workspace.update_user(ALICE, tz="Asia/Shanghai", locale="zh-CN")
        assert workspace.user_by_id(ALICE).tz_offset(0) == 8 * 3600
        with pytest.raises(ValueError, match="unknown time zone"):
            workspace.update_user(ALICE, tz="Mars/Olympus")
        workspace.leave_channel(STORIES, ALICE)
        assert ALICE not in workspace.find_channel(STORIES).members

    def test_reads_are_snapshots_that_cannot_change_the_workspace(
        self, workspace: Workspace
    ) -> None:
        workspace.find_channel(STORIES).members.clear()
        assert ALICE in workspace.find_channel(STORIES).members


class TestDirectMessages:
    def test_opening_a_dm_is_idempotent(self, workspace: Workspace) -> None:
        first = workspace.open_dm(ALICE)
        assert first.id.startswith("D")
        assert first.is_im and first.user == ALICE
        assert first.members == {ALICE, BOT_USER}
        assert workspace.open_dm(ALICE).id == first.id
        assert workspace.find_dm(ALICE) == first

    def test_no_dm_with_a_deactivated_user(self, workspace: Workspace) -> None:
        with pytest.raises(SlackError) as raised:
            workspace.open_dm(NILS)
        assert raised.value.error == "user_disabled"

    def test_find_dm_does_not_open_one(self, workspace: Workspace) -> None:
        assert workspace.find_dm(BJORN) is None

    def test_the_bot_has_no_dm_with_itself(self, workspace: Workspace) -> None:
        with pytest.raises(SlackError, match="cannot_dm_bot"):
            workspace.open_dm(BOT_USER)

    def test_each_person_has_a_dm_of_their_own(self, workspace: Workspace) -> None:
        alice, bjorn = workspace.open_dm(ALICE), workspace.open_dm(BJORN)
        assert alice.id != bjorn.id
        assert workspace.find_dm(ALICE) == alice and workspace.find_dm(BJORN) == bjorn
        assert workspace.resolve_conversation(BJORN) == bjorn

    def test_a_dm_the_workspace_was_built_with_is_the_one_opened(
        self, workspace: Workspace
    ) -> None:
        built = workspace.add_channel(
            Channel(id="D0BUILT01", is_im=True, user=BJORN, members={BOT_USER, BJORN})
        )
        workspace.add_channel(
            Channel(id="D0BUILT02", is_im=True, user=BJORN, members={BOT_USER, BJORN})
        )
        assert workspace.find_dm(BJORN) == built
        assert workspace.open_dm(BJORN) == built
        assert workspace.resolve_conversation(BJORN) == built


class TestMessages:
    def test_ts_are_unique_and_increasing_even_when_time_stands_still(
        self, workspace: Workspace
    ) -> None:
        posted = [workspace.post_message(STORIES, ALICE, text=str(n)).ts for n in range(5)]
        assert len(set(posted)) == 5
        assert posted == sorted(posted, key=float)
        assert all(len(ts.split(".")[1]) == 6 for ts in posted)

    def test_inspection_takes_a_channel_id_or_hash_name(self, workspace: Workspace) -> None:
        workspace.post_message(STORIES, ALICE, text="story")
        assert workspace.messages("#moments-of-truth") == workspace.messages(STORIES)
        assert workspace.last_message("#moments-of-truth").text == "story"

    def test_ts_follow_the_clock(self, workspace: Workspace, clock: Clock) -> None:
        clock.advance(3600)
        ts = workspace.post_message(STORIES, ALICE, text="later").ts
        assert int(float(ts)) == int(clock.now())

    def test_authors_must_be_members(self, workspace: Workspace) -> None:
        with pytest.raises(SlackError) as raised:
            workspace.post_message(GENERAL_CHANNEL, BOT_USER, text="hi")
        assert raised.value.error == "not_in_channel"

    def test_private_channels_do_not_exist_for_non_members(self, workspace: Workspace) -> None:
        with pytest.raises(SlackError) as raised:
            workspace.post_message(HR_CHANNEL, ALICE, text="hi")
        assert raised.value.error == "channel_not_found"

    def test_thread_replies_are_kept_apart_from_the_channel(self, workspace: Workspace) -> None:
        parent = workspace.post_message(STORIES, ALICE, text="story")
        reply = workspace.post_message(STORIES, BJORN, text="nice", thread_ts=parent.ts)
        nested = workspace.post_message(STORIES, ALICE, text="thanks", thread_ts=reply.ts)
        assert nested.thread_ts == parent.ts  # a reply to a reply joins the parent's thread
        assert [m.text for m in workspace.messages(STORIES)] == ["story"]
        assert [m.text for m in workspace.thread_replies(STORIES, parent.ts)] == ["nice", "thanks"]
        assert workspace.message(STORIES, parent.ts).reply_count == 2
        assert workspace.last_message(STORIES).text == "thanks"
        assert workspace.last_message(STORIES, include_replies=False).text == "story"

    def test_only_the_author_may_edit_or_delete(self, workspace: Workspace) -> None:
        message = workspace.post_message(STORIES, ALICE, text="mine")
        for attempt, error in (
            (
                lambda: workspace.update_message(STORIES, message.ts, BJORN, text="x"),
                "cant_update_message",
            ),
            (lambda: workspace.delete_message(STORIES, message.ts, BJORN), "cant_delete_message"),
        ):
            with pytest.raises(SlackError) as raised:
                attempt()
            assert raised.value.error == error
        edited = workspace.update_message(STORIES, message.ts, ALICE, text="edited")
        assert edited.text == "edited" and edited.edited
        workspace.delete_message(STORIES, message.ts, ALICE)
        assert workspace.messages(STORIES) == []

    def test_reactions_are_counted_per_person(self, workspace: Workspace) -> None:
        message = workspace.post_message(STORIES, ALICE, text="story")
        workspace.add_reaction(STORIES, message.ts, BJORN, ":star:")
        with pytest.raises(SlackError, match="already_reacted"):
            workspace.add_reaction(STORIES, message.ts, BJORN, "star")
        assert workspace.message(STORIES, message.ts).reactions == {"star": [BJORN]}
        workspace.remove_reaction(STORIES, message.ts, BJORN, "star")
        assert workspace.message(STORIES, message.ts).reactions == {}

    def test_ephemerals_are_seen_by_their_user_only(self, workspace: Workspace) -> None:
        workspace.post_ephemeral(STORIES, ALICE, BOT_USER, text="psst")
        assert [e.text for e in workspace.ephemerals(ALICE)] == ["psst"]
        assert workspace.ephemerals(BJORN) == []
        assert workspace.messages(STORIES) == []

    def test_posted_blocks_are_copied_in_and_out(self, workspace: Workspace) -> None:
        blocks = [section("as posted")]
        metadata = {"event_type": "story", "event_payload": {"id": 1}}
        posted = workspace.post_message(STORIES, ALICE, blocks=blocks, metadata=metadata)
        blocks[0]["text"]["text"] = "changed by the poster"
        metadata["event_payload"]["id"] = 2
        posted.blocks[0]["text"]["text"] = "changed through the answer"
        posted.to_api(workspace.team.id)["blocks"][0]["text"]["text"] = "changed through to_api"
        workspace.message(STORIES, posted.ts).blocks[0]["text"]["text"] = "changed on a read"
        kept = workspace.message(STORIES, posted.ts)
        assert kept.blocks[0]["text"]["text"] == "as posted"
        assert kept.metadata == {"event_type": "story", "event_payload": {"id": 1}}
        assert "block_id" not in blocks[0]  # filled in on the workspace's copy only

    def test_concurrent_posts_all_land_with_distinct_ts(self, workspace: Workspace) -> None:
        def post_many() -> None:
            for n in range(50):
                workspace.post_message(STORIES, ALICE, text=str(n))

        threads = [threading.Thread(target=post_many) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        stamps = [m.ts for m in workspace.messages(STORIES)]
        assert len(stamps) == len(set(stamps)) == 200


class TestTriggersAndViews:
    def test_a_trigger_id_opens_one_view_within_three_seconds(
        self, workspace: Workspace, clock: Clock
    ) -> None:
        trigger = workspace.issue_trigger_id(ALICE)
        clock.advance(TRIGGER_LIFETIME_SECONDS)
        assert workspace.redeem_trigger_id(trigger) == ALICE
        with pytest.raises(SlackError, match="exchanged_trigger_id"):
            workspace.redeem_trigger_id(trigger)

    def test_a_trigger_id_expires(self, workspace: Workspace, clock: Clock) -> None:
        trigger = workspace.issue_trigger_id(ALICE)
        clock.advance(TRIGGER_LIFETIME_SECONDS + 0.001)
        with pytest.raises(SlackError, match="expired_trigger_id"):
            workspace.redeem_trigger_id(trigger)

    def test_modal_stack_root_first_at_most_three(self, workspace: Workspace) -> None:
        root = workspace.open_modal(ALICE, modal("One"))
        second = workspace.push_modal(ALICE, modal("Two"))
        third = workspace.push_modal(ALICE, modal("Three"))
        assert second.root_view_id == root.id and second.previous_view_id == root.id
        with pytest.raises(SlackError, match="push_limit_reached"):
            workspace.push_modal(ALICE, modal("Four"))
        assert [v.id for v in workspace.modal_stack(ALICE)] == [root.id, second.id, third.id]
        assert workspace.close_modal(ALICE).id == second.id
        assert workspace.top_modal(ALICE).id == second.id
        workspace.clear_modals(ALICE)
        assert workspace.top_modal(ALICE) is None

    def test_blocks_without_a_block_id_get_one_that_updates_keep(
        self, workspace: Workspace
    ) -> None:
        message = workspace.post_message(
            STORIES, ALICE, text="t", blocks=[section("a"), section("b", block_id="mine")]
        )
        generated, kept = (block["block_id"] for block in message.blocks)
        assert generated and kept == "mine"
        view = workspace.publish_home(ALICE, {"type": "home", "blocks": [section("one")]})
        again = workspace.publish_home(ALICE, {"type": "home", "blocks": [section("two")]})
        assert again.blocks[0]["block_id"] == view.blocks[0]["block_id"]

    def test_view_state_survives_an_update_of_the_same_blocks(self, workspace: Workspace) -> None:
        view = workspace.open_modal(ALICE, modal())
        typed = {"what": {"text": {"type": "plain_text_input", "value": "lost bag found"}}}
        workspace.set_view_state(view.id, typed)
        updated = workspace.update_view(modal("Edited"), view_id=view.id)
        assert updated.state_values == typed
        assert updated.hash != view.hash

    def test_views_are_copied_in_and_out(self, workspace: Workspace) -> None:
        payload = modal("As opened")
        view = workspace.open_modal(ALICE, payload)
        payload["title"]["text"] = "changed by the opener"
        payload["blocks"][0]["label"]["text"] = "changed by the opener"
        view.blocks[0]["label"]["text"] = "changed through the answer"
        typed = {"what": {"text": {"type": "plain_text_input", "value": "typed"}}}
        workspace.set_view_state(view.id, typed)
        typed["what"]["text"]["value"] = "changed by the typist"
        workspace.view_by_id(view.id).to_api()["state"]["values"].clear()
        kept = workspace.view_by_id(view.id)
        assert kept.title == {"type": "plain_text", "text": "As opened"}
        assert kept.blocks[0]["label"]["text"] == "What happened?"
        assert kept.state_values["what"]["text"]["value"] == "typed"

    def test_update_with_a_stale_hash_conflicts(self, workspace: Workspace) -> None:
        view = workspace.open_modal(ALICE, modal())
        workspace.update_view(modal("Newer"), view_id=view.id)
        with pytest.raises(SlackError, match="hash_conflict"):
            workspace.update_view(modal("Stale"), view_id=view.id, expected_hash=view.hash)

    def test_home_keeps_its_id_across_publishes(self, workspace: Workspace) -> None:
        first = workspace.publish_home(ALICE, home("one"))
        second = workspace.publish_home(ALICE, home("two"))
        assert first.id == second.id
        assert workspace.home_view(ALICE).blocks == [section("two", block_id="welcome")]
        assert workspace.home_view(BJORN) is None
