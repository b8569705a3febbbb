"""End-to-end fixtures: the demo workspace in the emulator, and the real bot serving it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import pytest

from bot.db.types import utcnow
from bot.emulator.actors import World
from bot.emulator.demo import load_demo
from bot.emulator.harness import bot_in_process
from bot.emulator.server import Emulator
from bot.emulator.workspace_file import LoadedWorkspace


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
def world(
    emulator: Emulator, engine, bot_env: dict[str, str], bot_clock: Callable[[], datetime]
) -> Iterator[World]:
    """The demo workspace's people, talking to the bot through signed requests."""
    with bot_in_process(emulator, engine, bot_env, bot_clock) as world:
        yield world
