"""The emulator runs on loopback, on a free port, and stops cleanly."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient

from bot.emulator import Emulator, Workspace
from bot.emulator.demo import demo_workspace


def test_start_returns_the_base_url_and_api_url_is_under_it() -> None:
    emulator = Emulator()
    base_url = emulator.start()
    try:
        assert base_url.startswith("http://127.0.0.1:")
        assert emulator.api_url == f"{base_url}/api/"
        assert int(base_url.rsplit(":", 1)[1]) > 0
    finally:
        emulator.stop()


def test_two_emulators_side_by_side_keep_their_own_state() -> None:
    with Emulator(demo_workspace()) as first, Emulator(demo_workspace()) as second:
        assert first.api_url != second.api_url
        WebClient(base_url=first.api_url, token=first.workspace.bot.token).chat_postMessage(
            channel="#moments-of-truth", text="only in the first")
        assert first.calls("chat.postMessage") and not second.calls()
        assert second.workspace.messages(second.workspace.find_channel(
            "#moments-of-truth").id) == []


def test_urls_need_a_running_server() -> None:
    emulator = Emulator()
    with pytest.raises(RuntimeError, match="start"):
        _ = emulator.api_url


def test_stop_is_idempotent_and_start_after_stop_serves_again(workspace: Workspace) -> None:
    emulator = Emulator(workspace)
    emulator.start()
    emulator.stop()
    emulator.stop()
    emulator.start()
    try:
        assert WebClient(base_url=emulator.api_url, token=workspace.bot.token).auth_test()["ok"]
    finally:
        emulator.stop()


def test_an_empty_emulator_has_a_team_and_a_bot() -> None:
    with Emulator() as emulator:
        answer = WebClient(base_url=emulator.api_url,
                           token=emulator.workspace.bot.token).auth_test()
        assert answer["user_id"] == emulator.workspace.bot.user_id
