"""Keeping the emulator (or the sandbox) in the foreground until it is told to stop.

With a person at a terminal, that is the console; under nohup, systemd, a container or
`< /dev/null` there is nobody to read from, and end-of-file must not stop a server that
others are using: it serves until SIGINT or SIGTERM.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import TextIO

from bot.sandbox.console import Console

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
HEADLESS_NOTICE = (
    "Standard input is not a terminal, so there is no console (--console forces one); "
    "serving until SIGINT (Ctrl-C) or SIGTERM."
)


def console_or_serve(
    console: Console,
    commands: TextIO,
    say: Callable[[str], None],
    *,
    help_text: str,
    prompt: Callable[[], None],
    force_console: bool = False,
) -> None:
    """Run the console on `commands` when they come from a terminal (or when forced);
    otherwise wait for a stop signal."""
    if force_console or commands.isatty():
        say(help_text)
        console.run(commands, prompt=prompt)
        return
    say(HEADLESS_NOTICE)
    caught = wait_for_stop_signal()
    say(f"{signal.Signals(caught).name}: stopping.")


def wait_for_stop_signal() -> int:
    """Block until SIGINT or SIGTERM arrives; return which. The previous handlers are
    restored afterwards, so stopping (closing servers, the bot's process) runs as usual."""
    stopped = threading.Event()
    caught: list[int] = []

    def on_signal(number: int, _frame: FrameType | None) -> None:
        caught.append(number)
        stopped.set()

    previous = {number: signal.signal(number, on_signal) for number in STOP_SIGNALS}
    try:
        # A timeout, so the main thread returns to Python often enough to run the handler.
        while not stopped.wait(0.5):
            pass
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    return caught[0]
