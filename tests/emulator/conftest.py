"""An emulator per test, on the demo workspace, with a clock that moves only when told."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from bot.sandbox.demo import demo_workspace
from slackemu import Clock, Emulator, Workspace


@pytest.fixture
def clock() -> Clock:
    return Clock.frozen_at()


@pytest.fixture
def workspace(clock: Clock) -> Workspace:
    return demo_workspace(clock)


@pytest.fixture
def emulator(workspace: Workspace) -> Iterator[Emulator]:
    with Emulator(workspace) as running:
        yield running


@pytest.fixture
def client(emulator: Emulator) -> WebClient:
    """slack_sdk's own client, as the bot uses it, without retries unless a test adds them."""
    return WebClient(
        base_url=emulator.api_url, token=emulator.workspace.bot.token, retry_handlers=[]
    )
