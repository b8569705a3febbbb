"""Pacing for fan-out: keep chat.postMessage under Slack's workspace posting rate.

Slack lets an app post about one message a second into one channel and "several
hundred" a minute across a workspace; above that it answers 429 with Retry-After. A
fan-out of thousands of DMs therefore goes out at a steady pace shared by every worker
thread, and a 429 holds *all* of them back for Retry-After, not only the thread that
met it (slack_sdk's own RateLimitErrorRetryHandler sleeps in one thread only).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class Pacer:
    """Evenly spaced turns at `per_minute`, shared by threads; `hold_off` after a 429."""

    def __init__(
        self,
        per_minute: float,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if per_minute <= 0:
            raise ValueError("per_minute must be positive")
        self.interval = 60.0 / per_minute
        self._monotonic = monotonic
        self._sleep = sleep
        self._next_turn = monotonic()
        self._lock = threading.Lock()

    def wait_turn(self) -> None:
        """Block until this caller's turn; turns are `interval` apart across all callers."""
        with self._lock:
            now = self._monotonic()
            turn = max(now, self._next_turn)
            self._next_turn = turn + self.interval
        delay = turn - now
        if delay > 0:
            self._sleep(delay)

    def hold_off(self, seconds: float) -> None:
        """No turn starts before `seconds` from now (Slack's Retry-After)."""
        with self._lock:
            self._next_turn = max(self._next_turn, self._monotonic() + seconds)
