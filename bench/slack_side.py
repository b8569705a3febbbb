"""The Slack side of a benchmark: the emulator with the demo workspace and generated
people, either in a process of its own (the default: Slack's work, HTTP and Block Kit
validation, runs on another core, as it does on Slack's servers) or in the bot's process
(one GIL for both, as the bench ran before 2026-11-30).

Both give the bench the same handle: the environment the bot needs, the workspace
posting limit, and a summary of the calls the emulator answered.
"""

from __future__ import annotations

import gc
import multiprocessing
import resource
from dataclasses import dataclass
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any, Protocol

from bot.sandbox.demo import load_demo
from bot.sandbox.harness import bot_environment
from slackemu.clock import Clock
from slackemu.ratelimit import Limit
from slackemu.records import User
from slackemu.server import Emulator
from slackemu.state import Workspace

# Generated people live in these zones and speak these languages, round robin.
ZONES = ("Europe/Stockholm", "Europe/London", "America/New_York", "Asia/Shanghai", "UTC")
LOCALES = ("en-US", "en-GB", "zh-CN", "en-US", "en-GB")
STARTUP_SECONDS = 120


@dataclass(frozen=True)
class CallSummary:
    """One call the emulator answered, without its arguments (5,000 pulse DMs would be
    35 MB to pass between processes)."""

    method: str
    status: int
    ok: bool
    at: float  # emulator time it arrived


@dataclass(frozen=True)
class SlackFacts:
    env: dict[str, str]  # the bot's environment, but DATABASE_URL
    posting: Limit  # the workspace posting limit
    members: int  # active human members
    listed: int  # users users.list lists


class SlackSide(Protocol):
    facts: SlackFacts

    def clear_calls(self) -> None: ...

    def calls(self) -> list[CallSummary]: ...

    def first_post_args(self) -> dict[str, Any]: ...

    def emulated_now(self) -> float: ...

    def peak_rss_kib(self) -> int | None:
        """The emulator process's peak RSS, or None when it is the bot's own process."""
        ...

    def cpu_seconds(self) -> float | None:
        """CPU the emulator process has used so far, or None in the bot's process."""
        ...


def cpu_seconds() -> float:
    """CPU this process has used so far, all threads, user and system."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def active_humans(workspace: Workspace) -> list[User]:
    return [
        user
        for user in workspace.users()
        if not (user.is_bot or user.deleted or user.is_restricted)
    ]


def add_members(workspace: Workspace, members: int) -> None:
    """Generated people until the workspace has `members` active human members."""
    missing = members - len(active_humans(workspace))
    for n in range(1, missing + 1):
        workspace.add_user(
            User(
                id=f"U1{n:07d}",
                name=f"member{n}",
                real_name=f"Member {n}",
                display_name=f"Member {n}",
                tz=ZONES[n % len(ZONES)],
                locale=LOCALES[n % len(LOCALES)],
                email=f"member{n}@nordlys-air.example",
            )
        )


def _started_emulator(members: int, time_scale: float) -> tuple[Emulator, SlackFacts]:
    demo = load_demo(Clock(time_scale=time_scale))
    add_members(demo.workspace, members)
    emulator = Emulator(demo.workspace, rate_limits=True)
    emulator.__enter__()
    posting = emulator.rate_limiter.workspace_posting
    assert posting is not None, "the bench needs the workspace posting limit"
    env = bot_environment(emulator, database_url="", port=3000, extra=demo.env())
    del env["DATABASE_URL"]
    facts = SlackFacts(
        env=env,
        posting=posting,
        members=len(active_humans(demo.workspace)),
        listed=len(demo.workspace.users()),
    )
    return emulator, facts


def _summaries(emulator: Emulator) -> list[CallSummary]:
    return [CallSummary(c.method, c.status, c.ok, c.at) for c in emulator.calls()]


def _first_post_args(emulator: Emulator) -> dict[str, Any]:
    posts = emulator.calls("chat.postMessage")
    return dict(next(c.args for c in posts if c.ok)) if posts else {}


class InProcessSlack:
    """The emulator on a thread of the bot's own process."""

    def __init__(self, members: int, time_scale: float) -> None:
        self.emulator, self.facts = _started_emulator(members, time_scale)

    def __enter__(self) -> InProcessSlack:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.emulator.__exit__(None, None, None)

    def clear_calls(self) -> None:
        self.emulator.call_log.clear()

    def calls(self) -> list[CallSummary]:
        return _summaries(self.emulator)

    def first_post_args(self) -> dict[str, Any]:
        return _first_post_args(self.emulator)

    def emulated_now(self) -> float:
        return self.emulator.clock.now()

    def peak_rss_kib(self) -> int | None:
        return None

    def cpu_seconds(self) -> float | None:
        return None


def _serve(connection: Connection, members: int, time_scale: float) -> None:
    """The emulator process: start, tell the facts, then answer requests until "stop"."""
    emulator, facts = _started_emulator(members, time_scale)
    # Slack's servers do not pause. Python's cyclic garbage collector does: its full
    # collections walk every object the emulator holds, and 5,000 stored DMs are millions
    # of them, so each one stalled every answer (the fan-out ran at 440-475 posts a real
    # second with it, at the pacer's 500 without it). What the emulator stores is
    # JSON-shaped, without reference cycles, so reference counting alone frees it; the
    # emulator's peak RSS is the same either way. The bot's process (and the emulator
    # with --emulator-in-process) keeps its collector.
    gc.freeze()
    gc.disable()
    answers = {
        "clear": lambda: emulator.call_log.clear(),
        "calls": lambda: _summaries(emulator),
        "first_post_args": lambda: _first_post_args(emulator),
        "now": lambda: emulator.clock.now(),
        "peak_rss": lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "cpu": cpu_seconds,
    }
    try:
        connection.send(facts)
        while (request := connection.recv()) != "stop":
            connection.send(answers[request]())
    finally:
        emulator.__exit__(None, None, None)
        connection.close()


class SlackProcess:
    """The emulator in a process of its own, asked over a pipe."""

    def __init__(self, members: int, time_scale: float) -> None:
        context = multiprocessing.get_context("spawn")
        self._connection, child = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(child, members, time_scale), name="emulator", daemon=True
        )
        self._process.start()
        child.close()
        if not self._connection.poll(STARTUP_SECONDS):
            self._process.kill()
            raise RuntimeError("the emulator process did not start")
        self.facts: SlackFacts = self._connection.recv()

    def __enter__(self) -> SlackProcess:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._process.is_alive():
            self._connection.send("stop")
        self._process.join(timeout=10)
        if self._process.is_alive():
            self._process.kill()

    def _ask(self, request: str) -> Any:
        self._connection.send(request)
        return self._connection.recv()

    def clear_calls(self) -> None:
        self._ask("clear")

    def calls(self) -> list[CallSummary]:
        return self._ask("calls")

    def first_post_args(self) -> dict[str, Any]:
        return self._ask("first_post_args")

    def emulated_now(self) -> float:
        return self._ask("now")

    def peak_rss_kib(self) -> int | None:
        return self._ask("peak_rss")

    def cpu_seconds(self) -> float | None:
        return self._ask("cpu")
