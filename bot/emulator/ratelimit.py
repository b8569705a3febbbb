"""Slack's rate-limit tiers, enforced per token and method in emulator time.

Each limit is a token bucket: it holds up to `burst` calls and refills at
`per_minute` calls a minute of *emulator* time, so a Clock with time_scale=100 makes
a Tier 2 minute pass in 0.6 real seconds. Slack's message posting is "about one per
second per channel, with short bursts allowed", so chat.postMessage and
chat.postEphemeral are bucketed per channel instead of per method.

When a call is over its limit the Web API answers HTTP 429 with `Retry-After`, which
HTTP defines as whole seconds: the wait is converted to real seconds at the clock's
time scale and rounded *up* (math.ceil), never below 1, so a client that honours it
never comes back too early.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

from bot.emulator.clock import Clock


@dataclass(frozen=True)
class Limit:
    per_minute: float
    burst: int

    @property
    def per_second(self) -> float:
        return self.per_minute / 60.0


TIER_1 = Limit(per_minute=1, burst=1)
TIER_2 = Limit(per_minute=20, burst=20)
TIER_3 = Limit(per_minute=50, burst=50)
TIER_4 = Limit(per_minute=100, burst=100)
POSTING = Limit(per_minute=60, burst=3)  # "special": ~1 per second per channel, small bursts

# Slack's published tier for each method the emulator serves. The reference data marks
# auth.test and chat.getPermalink "special" (hundreds a minute); Tier 4 is close enough.
METHOD_LIMITS: dict[str, Limit] = {
    "auth.test": TIER_4,
    "team.info": TIER_3,
    "users.info": TIER_4,
    "users.list": TIER_2,
    "users.lookupByEmail": TIER_3,
    "conversations.open": TIER_3,
    "conversations.info": TIER_3,
    "conversations.members": TIER_4,
    "conversations.join": TIER_3,
    "usergroups.list": TIER_2,
    "usergroups.users.list": TIER_2,
    "chat.postMessage": POSTING,
    "chat.postEphemeral": POSTING,
    "chat.update": TIER_3,
    "chat.delete": TIER_3,
    "chat.getPermalink": TIER_4,
    "reactions.add": TIER_3,
    "reactions.remove": TIER_3,
    "reactions.get": TIER_3,
    "views.open": TIER_4,
    "views.push": TIER_4,
    "views.update": TIER_4,
    "views.publish": TIER_4,
}
PER_CHANNEL_METHODS = frozenset({"chat.postMessage", "chat.postEphemeral"})


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Token buckets keyed by (token, method) or, for posting, (token, method, channel).

    Off by default: most tests want every call through. Turn it on with `enable()`
    (or `Emulator(rate_limits=True)`) to exercise a client's 429 handling.
    """

    def __init__(
        self, clock: Clock, *, enabled: bool = False, limits: dict[str, Limit] | None = None
    ) -> None:
        self._clock = clock
        self._limits = dict(METHOD_LIMITS if limits is None else limits)
        self._buckets: dict[tuple[str, ...], _Bucket] = {}
        self._lock = threading.Lock()
        self.enabled = enabled

    def enable(self) -> None:
        self.enabled = True

    def disable(self) -> None:
        self.enabled = False

    def reset(self) -> None:
        """Forget every call so far: all buckets full again."""
        with self._lock:
            self._buckets.clear()

    def set_limit(self, method: str, limit: Limit) -> None:
        """Change one method's limit (e.g. a tiny burst to reach a 429 in a few calls)."""
        with self._lock:
            self._limits[method] = limit

    def acquire(self, token: str, method: str, channel: str | None = None) -> float | None:
        """Count a call; None if allowed, else the emulator seconds until one would be."""
        limit = self._limits.get(method)
        if not self.enabled or limit is None:
            return None
        key = (token, method, channel or "") if method in PER_CHANNEL_METHODS else (token, method)
        now = self._clock.now()
        with self._lock:
            bucket = self._buckets.setdefault(key, _Bucket(tokens=limit.burst, updated=now))
            elapsed = max(0.0, now - bucket.updated)
            bucket.tokens = min(limit.burst, bucket.tokens + elapsed * limit.per_second)
            bucket.updated = now
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return None
            return (1 - bucket.tokens) / limit.per_second

    def retry_after_header(self, wait: float) -> int:
        """`Retry-After` for an emulator-time wait: real seconds, rounded up, at least 1."""
        # Rounded to microseconds first, so float noise (3.0000000004) is not a whole second.
        return max(1, math.ceil(round(self._clock.to_real_seconds(wait), 6)))
