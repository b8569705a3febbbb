"""Pacing for fan-out: keep chat.postMessage under Slack's workspace posting rate.

Slack lets an app post about one message a second into one channel and "several
hundred" a minute across a workspace; above that it answers 429 with Retry-After. A
fan-out of thousands of DMs therefore goes out at a steady pace shared by every worker
thread, and a 429 holds *all* of them back for Retry-After, not only the thread that
met it (slack_sdk's own RateLimitErrorRetryHandler sleeps in one thread only).

With a `burst` above one, turns missed while no one was ready (every worker held up by
a slow call, say) may be taken back to back afterwards, up to `burst` of them: the pace
over any stretch of time then stays at the rate, plus at most the burst, instead of
losing every missed turn for good. Slack allows short bursts; a burst of one never
posts two messages less than an interval apart.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class Pacer:
    """Turns at `per_minute`, up to `burst` of them back to back after a pause, shared by
    threads; `hold_off` after a 429."""

    def __init__(
        self,
        per_minute: float,
        *,
        burst: int = 1,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if per_minute <= 0:
            raise ValueError("per_minute must be positive")
        if burst < 1:
            raise ValueError("burst must be at least 1")
        self.interval = 60.0 / per_minute
        # How far the schedule may fall behind the clock: that many turns can be caught
        # up at once (the generic cell rate algorithm's tolerance).
        self._tolerance = (burst - 1) * self.interval
        self._monotonic = monotonic
        self._sleep = sleep
        self._next_turn = monotonic() - self._tolerance
        self._lock = threading.Lock()

    def wait_turn(self) -> None:
        """Block until this caller's turn; turns are `interval` apart across all callers."""
        with self._lock:
            now = self._monotonic()
            turn = max(now - self._tolerance, self._next_turn)
            self._next_turn = turn + self.interval
        delay = turn - now
        if delay > 0:
            self._sleep(delay)

    def hold_off(self, seconds: float) -> None:
        """No turn starts before `seconds` from now (Slack's Retry-After)."""
        with self._lock:
            self._next_turn = max(self._next_turn, self._monotonic() + seconds)
