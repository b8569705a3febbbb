"""The demo workspace's shape, and workspaces loaded (and refused) from files."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from bot.config import Settings
from bot.sandbox import demo
from bot.sandbox.demo import demo_env, demo_spec, load_demo
from slackemu import Clock, WorkspaceFileError, load_workspace_file
from slackemu.workspace_file import build_workspace


class TestDemo:
    def test_about_twenty_people_and_one_bot(self) -> None:
        users = load_demo().workspace.users()
        assert len(users) == 20
        assert [u.id for u in users if u.is_bot] == [demo.BOT_USER]

    def test_stable_ids_tests_can_rely_on(self) -> None:
        workspace = load_demo().workspace
        assert workspace.find_user("alice").id == "U0ALICE01" == demo.ALICE
        assert workspace.team.id == "T0DEMO001" and workspace.team.name == "Nordlys Air"

    def test_languages_and_time_zones_are_mixed(self) -> None:
        people = [u for u in load_demo().workspace.users() if not u.is_bot]
        assert {u.locale for u in people} == {"en-US", "en-GB", "zh-CN"}
        assert {u.tz for u in people} == {
            "Europe/Stockholm",
            "Asia/Shanghai",
            "America/New_York",
            "Europe/London",
        }
        chinese = [u for u in people if u.locale == "zh-CN"]
        assert chinese and all(
            any("\u4e00" <= ch <= "\u9fff" for ch in u.real_name) for u in chinese
        )

    def test_a_guest_a_deactivated_account_and_an_admin(self) -> None:
        workspace = load_demo().workspace
        assert workspace.user_by_id(demo.TOM).is_restricted
        assert workspace.user_by_id(demo.NILS).deleted
        assert workspace.user_by_id(demo.HENRIK).is_admin

    def test_three_teams_each_led_by_a_leader(self) -> None:
        loaded = load_demo()
        groups = loaded.workspace.user_groups()
        assert [g.name for g in groups] == ["Check-in & Gate", "Cabin Crew", "Customer Care"]
        for group, leader in zip(groups, loaded.roles.leaders, strict=True):
            assert leader in group.users
        assert Counter(u for g in groups for u in g.users).most_common(1)[0][1] == 1

    def test_channels(self) -> None:
        workspace = load_demo().workspace
        names = {c.name: c for c in workspace.channels()}
        assert set(names) == {"general", "moments-of-truth", "leaderboard", "hr-culture-pulse"}
        assert names["hr-culture-pulse"].is_private
        assert names["hr-culture-pulse"].members == {demo.KARIN, demo.HENRIK, demo.BOT_USER}
        assert demo.BOT_USER in names["moments-of-truth"].members
        assert demo.BOT_USER not in names["general"].members  # so conversations.join matters

    def test_the_demo_env_configures_the_bot(self) -> None:
        env = demo_env("http://127.0.0.1:9999/api/")
        settings = Settings.from_env(env)
        assert settings.leaders == (demo.ERIK, demo.INGRID, demo.WANG_FANG)
        assert settings.hr_users == (demo.KARIN,)
        assert settings.admins == (demo.HENRIK,)
        assert settings.stories_channel == demo.STORIES_CHANNEL
        assert settings.leaderboard_channel == demo.LEADERBOARD_CHANNEL
        assert settings.hr_channel == demo.HR_CHANNEL
        assert settings.slack_bot_token == demo.BOT_TOKEN
        assert settings.slack_api_url == "http://127.0.0.1:9999/api/"

    def test_each_load_is_a_fresh_workspace_on_the_given_clock(self) -> None:
        clock = Clock.frozen_at(42.0)
        first, second = load_demo(clock).workspace, load_demo().workspace
        first.post_message(demo.STORIES_CHANNEL, demo.ALICE, text="x")
        assert second.messages(demo.STORIES_CHANNEL) == []
        assert first.clock is clock


class TestWorkspaceFiles:
    def test_the_demo_round_trips_through_a_json_file(self, tmp_path: Path) -> None:
        path = tmp_path / "workspace.json"
        path.write_text(json.dumps(demo_spec(), ensure_ascii=False), encoding="utf-8")
        loaded = load_workspace_file(path)
        assert len(loaded.workspace.users()) == 20
        assert loaded.roles == load_demo().roles

    def test_a_minimal_file(self, tmp_path: Path) -> None:
        path = tmp_path / "tiny.json"
        path.write_text(json.dumps({"users": [{"id": "U0ANNA001", "name": "anna"}]}))
        workspace = load_workspace_file(path).workspace
        assert workspace.find_user("anna").tz == "UTC"
        assert workspace.team.id == "T0DEMO001"

    def test_every_problem_is_reported_with_its_place(self) -> None:
        spec = {
            "users": [
                {"id": "U0ANNA001", "name": "anna", "tz": "Europe/Stokholm", "emial": "a@b"},
                {"id": "alice", "name": "anna", "is_admin": "yes"},
            ],
            "channels": [{"id": "C0ONE0001", "name": "one", "members": ["U0GHOST01"]}],
            "roles": {"stories_channel": "C0NOPE001"},
            "colour": "blue",
        }
        with pytest.raises(WorkspaceFileError) as raised:
            build_workspace(spec, source="team.json")
        problems = raised.value.problems
        assert (
            "the top level: unknown field 'colour' (known: team, bot, users, channels, "
            "user_groups, roles)" in problems
        )
        assert (
            "users[0].tz: unknown time zone 'Europe/Stokholm' (an IANA name such as "
            "Europe/Stockholm)" in problems
        )
        assert any(p.startswith("users[0]: unknown field 'emial'") for p in problems)
        assert any(p.startswith("users[1].id: 'alice' is not a valid user") for p in problems)
        assert "users[1].is_admin: must be true or false, got 'yes'" in problems
        assert "users: name 'anna' is used twice" in problems
        assert "channels[0].members[0]: no user U0GHOST01 in 'users'" in problems
        assert "roles.stories_channel: no channel C0NOPE001 in 'channels'" in problems
        assert str(raised.value).startswith("team.json is not a valid workspace:\n  - ")

    def test_unreadable_and_malformed_files(self, tmp_path: Path) -> None:
        with pytest.raises(WorkspaceFileError, match="cannot be read"):
            load_workspace_file(tmp_path / "missing.json")
        broken = tmp_path / "broken.json"
        broken.write_text('{"users": [')
        with pytest.raises(WorkspaceFileError, match=r"not valid JSON: .* line 1"):
            load_workspace_file(broken)
        with pytest.raises(WorkspaceFileError, match="must be an object"):
            build_workspace([1, 2])

    def test_yaml_files_need_pyyaml(self, tmp_path: Path) -> None:
        path = tmp_path / "workspace.yaml"
        path.write_text("users:\n  - id: U0ANNA001\n    name: anna\n")
        try:
            import yaml  # noqa: F401
        except ImportError:
            with pytest.raises(WorkspaceFileError, match="needs PyYAML"):
                load_workspace_file(path)
        else:
            assert load_workspace_file(path).workspace.find_user("anna").id == "U0ANNA001"
