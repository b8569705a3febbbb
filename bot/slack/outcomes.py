"""What a single send can come to, shared by the fan-out and the Slack code that posts."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Sent:
    """Where Slack put the message."""

    channel: str
    ts: str


class NotDelivered(Exception):
    """Slack did not take the message. Permanent: it never will (no such user, archived
    channel); otherwise the next run tries again."""

    def __init__(self, error: str, *, permanent: bool, retry_after: float | None = None) -> None:
        super().__init__(error)
        self.error = error
        self.permanent = permanent
        # Seconds Slack asked us to wait (a 429's Retry-After), when it said.
        self.retry_after = retry_after


class StopRun(NotDelivered):
    """Nothing more can be sent in this run (the token was revoked, say)."""

    def __init__(self, error: str) -> None:
        super().__init__(error, permanent=False)


@dataclass
class PostingStats:
    """Counts of Slack's pushback during one fan-out, safe to bump from several threads."""

    rate_limited: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def count_rate_limited(self) -> None:
        with self._lock:
            self.rate_limited += 1
