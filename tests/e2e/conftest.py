"""End-to-end fixtures: the demo workspace in the emulator, and the real bot serving it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import pytest

from bot.db.types import utcnow
from bot.sandbox.demo import load_demo
from bot.sandbox.harness import Transport, bot_in_process
from slackemu.actors import World
from slackemu.server import Emulator
from slackemu.workspace_file import LoadedWorkspace


@pytest.fixture
def demo() -> LoadedWorkspace:
    return load_demo()


@pytest.fixture
def emulator(demo: LoadedWorkspace) -> Iterator[Emulator]:
    with Emulator(demo.workspace) as emulator:
        yield emulator


@pytest.fixture
def bot_env(demo: LoadedWorkspace) -> dict[str, str]:
    """Extra settings for the bot; a test may override this fixture."""
    return demo.env()


@pytest.fixture
def bot_clock() -> Callable[[], datetime]:
    """The time the bot tells; a test whose story is set in a given week overrides it."""
    return utcnow


@pytest.fixture
def transport(request: pytest.FixtureRequest) -> Transport:
    """How Slack's requests reach the bot; HTTP unless the module is marked
    `both_transports` (tests/conftest.py pairs the transports with the databases)."""
    return getattr(request, "param", "http")


@pytest.fixture
def world(
    emulator: Emulator,
    engine,
    bot_env: dict[str, str],
    bot_clock: Callable[[], datetime],
    transport: Transport,
) -> Iterator[World]:
    """The demo workspace's people, talking to the bot as Slack carries their actions."""
    with bot_in_process(emulator, engine, bot_env, bot_clock, transport=transport) as world:
        yield world
