"""Who is who and where: auth, team, users, user groups and conversations."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox.demo import (
    ALICE,
    BOT_USER,
    CHECKIN_GATE_GROUP,
    ERIK,
    GENERAL_CHANNEL,
    HR_CHANNEL,
    LI_WEI,
    NILS,
    STORIES_CHANNEL,
    TEAM_ID,
)
from slackemu import Channel, Emulator


def slack_error(call: object) -> str:
    """The error code of a failing call (the call is a zero-argument lambda)."""
    with pytest.raises(SlackApiError) as raised:
        call()  # type: ignore[operator]
    return raised.value.response["error"]


def test_auth_test_names_the_bot_and_the_team(client: WebClient) -> None:
    answer = client.auth_test()
    assert answer["team_id"] == TEAM_ID
    assert answer["user_id"] == BOT_USER
    assert answer["bot_id"] == "B0MOTBOT1"
    assert answer["team"] == "Nordlys Air"


def test_team_info(client: WebClient) -> None:
    assert client.team_info()["team"]["id"] == TEAM_ID


class TestUsers:
    def test_users_info_with_locale_and_time_zone(self, client: WebClient) -> None:
        user = client.users_info(user=LI_WEI, include_locale=True)["user"]
        assert user["name"] == "li.wei"
        assert user["real_name"] == "李伟"
        assert user["tz"] == "Asia/Shanghai"
        assert user["tz_offset"] == 8 * 3600
        assert user["locale"] == "zh-CN"
        assert "locale" not in client.users_info(user=LI_WEI)["user"]

    def test_tz_offset_follows_daylight_saving_at_emulator_time(
        self, client: WebClient, emulator: Emulator
    ) -> None:
        # The frozen clock starts in November: Stockholm is on CET, UTC+1.
        assert client.users_info(user=ALICE)["user"]["tz_offset"] == 3600
        emulator.clock.advance(200 * 86400)  # into June: CEST
        assert client.users_info(user=ALICE)["user"]["tz_offset"] == 7200

    def test_unknown_users_are_not_found(self, client: WebClient) -> None:
        assert slack_error(lambda: client.users_info(user="U0NOBODY1")) == "user_not_found"

    def test_users_list_pages_with_a_cursor(self, client: WebClient, emulator: Emulator) -> None:
        seen: list[str] = []
        cursor = None
        pages = 0
        while True:
            answer = client.users_list(limit=7, cursor=cursor)
            pages += 1
            assert len(answer["members"]) <= 7
            seen += [member["id"] for member in answer["members"]]
            cursor = answer["response_metadata"]["next_cursor"]
            if not cursor:
                break
        everyone = [user.id for user in emulator.workspace.users()]
        assert seen == everyone
        assert pages == 3  # 20 people: 7 + 7 + 6

    def test_users_list_without_a_limit_returns_everyone_flags_included(
        self, client: WebClient
    ) -> None:
        members = {m["id"]: m for m in client.users_list()["members"]}
        assert len(members) == 20
        assert members[NILS]["deleted"] is True
        assert members[BOT_USER]["is_bot"] is True
        assert members["U0TOMGU01"]["is_restricted"] is True
        assert members["U0HENRI01"]["is_admin"] is True

    def test_a_forged_cursor_is_invalid(self, client: WebClient) -> None:
        assert slack_error(lambda: client.users_list(cursor="bm90LWEtY3Vyc29y")) == "invalid_cursor"

    def test_lookup_by_email(self, client: WebClient) -> None:
        found = client.users_lookupByEmail(email="alice@nordlys-air.example")["user"]
        assert found["id"] == ALICE
        assert (
            slack_error(lambda: client.users_lookupByEmail(email="x@y.example"))
            == "users_not_found"
        )


class TestUserGroups:
    def test_usergroups_list_with_users(self, client: WebClient) -> None:
        groups = {g["handle"]: g for g in client.usergroups_list(include_users=True)["usergroups"]}
        assert set(groups) == {"checkin-gate", "cabin-crew", "customer-care"}
        assert ERIK in groups["checkin-gate"]["users"]
        assert groups["checkin-gate"]["user_count"] == "5"

    def test_usergroups_users_list(self, client: WebClient) -> None:
        users = client.usergroups_users_list(usergroup=CHECKIN_GATE_GROUP)["users"]
        assert users[0] == ERIK and ALICE in users
        assert (
            slack_error(lambda: client.usergroups_users_list(usergroup="S0NOPE001"))
            == "no_such_subteam"
        )


class TestConversations:
    def test_conversations_open_gives_the_same_dm_every_time(
        self, client: WebClient, emulator: Emulator
    ) -> None:
        first = client.conversations_open(users=ALICE)["channel"]["id"]
        assert first.startswith("D")
        assert client.conversations_open(users=[ALICE])["channel"]["id"] == first
        assert emulator.workspace.find_dm(ALICE).id == first
        full = client.conversations_open(users=ALICE, return_im=True)
        assert full["already_open"] is True
        assert full["channel"]["user"] == ALICE

    def test_conversations_open_errors(self, client: WebClient) -> None:
        # slack_sdk refuses to send this one itself, so it goes through api_call.
        assert (
            slack_error(lambda: client.api_call("conversations.open")) == "users_list_not_supplied"
        )
        assert slack_error(lambda: client.conversations_open(users="U0NOBODY1")) == "user_not_found"
        assert slack_error(lambda: client.conversations_open(users=NILS)) == "user_disabled"

    def test_conversations_info(self, client: WebClient) -> None:
        channel = client.conversations_info(channel=STORIES_CHANNEL, include_num_members=True)[
            "channel"
        ]
        assert channel["name"] == "moments-of-truth"
        assert channel["is_channel"] is True
        assert channel["num_members"] == 19  # 17 employees, the guest and the bot
        assert client.conversations_info(channel=HR_CHANNEL)["channel"]["is_private"] is True
        assert (
            slack_error(lambda: client.conversations_info(channel="C0NOPE001"))
            == "channel_not_found"
        )

    def test_private_channels_the_bot_is_not_in_are_invisible(
        self, client: WebClient, emulator: Emulator
    ) -> None:
        emulator.workspace.add_channel(
            Channel(id="G0SECRET1", name="secret", is_private=True, members={ALICE})
        )
        assert (
            slack_error(lambda: client.conversations_info(channel="G0SECRET1"))
            == "channel_not_found"
        )

    def test_conversations_members_pages(self, client: WebClient) -> None:
        first = client.conversations_members(channel=STORIES_CHANNEL, limit=10)
        second = client.conversations_members(
            channel=STORIES_CHANNEL, limit=10, cursor=first["response_metadata"]["next_cursor"]
        )
        members = first["members"] + second["members"]
        assert len(members) == len(set(members)) == 19
        assert second["response_metadata"]["next_cursor"] == ""

    def test_conversations_join_a_public_channel(self, client: WebClient) -> None:
        joined = client.conversations_join(channel=GENERAL_CHANNEL)
        assert joined["channel"]["id"] == GENERAL_CHANNEL
        assert BOT_USER in client.conversations_members(channel=GENERAL_CHANNEL)["members"]
        assert client.conversations_join(channel=GENERAL_CHANNEL)["warning"] == "already_in_channel"

    def test_the_bot_cannot_join_a_private_channel(self, client: WebClient) -> None:
        assert (
            slack_error(lambda: client.conversations_join(channel=HR_CHANNEL))
            == "method_not_supported_for_channel_type"
        )
