"""Slack's rate-limit tiers, enforced per token and method in emulator time.

Each limit is a token bucket: it holds up to `burst` calls and refills at
`per_minute` calls a minute of *emulator* time, so a Clock with time_scale=100 makes
a Tier 2 minute pass in 0.6 real seconds. Slack's message posting is "about one per
second per channel, with short bursts allowed", so chat.postMessage and
chat.postEphemeral are bucketed per channel instead of per method.

chat.postMessage has a second limit on top: across the whole workspace Slack allows
"several hundred messages per minute" (https://api.slack.com/apis/rate-limits). Slack
publishes no exact figure; the emulator's stand-in is 300 a minute with a burst of 30
(`WORKSPACE_POSTING`, one bucket per token, i.e. per app and workspace), the low end of
"several hundred" and the rate the bot paces its fan-outs at by default
(MOTBOT_POSTS_PER_MINUTE). A post must pass both its channel's bucket and the
workspace bucket; a post refused by either takes no token from the other, and its wait
is the longer of the two. chat.postEphemeral is limited per channel only.
`set_workspace_posting_limit` changes the workspace limit, or removes it (None).

When a call is over its limit the Web API answers HTTP 429 with `Retry-After`, which
HTTP defines as whole seconds: the wait is converted to real seconds at the clock's
time scale and rounded *up* (math.ceil), never below 1, so a client that honours it
never comes back too early.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

from slackemu.clock import Clock


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
# "Several hundred messages per minute" across a workspace: 300 is the emulator's stand-in.
WORKSPACE_POSTING = Limit(per_minute=300, burst=30)

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
# Methods that also count against the workspace-wide posting bucket (per token).
WORKSPACE_POSTING_METHODS = frozenset({"chat.postMessage"})
WORKSPACE_POSTING_KEY = "workspace posting"


@dataclass
class _Bucket:
    tokens: float
    updated: float

    def refill(self, limit: Limit, now: float) -> None:
        elapsed = max(0.0, now - self.updated)
        self.tokens = min(limit.burst, self.tokens + elapsed * limit.per_second)
        self.updated = now

    def wait(self, limit: Limit) -> float:
        """Emulator seconds until this bucket holds a whole token (0 if it does now)."""
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / limit.per_second


class RateLimiter:
    """Token buckets keyed by (token, method) or, for posting, (token, method, channel);
    chat.postMessage also draws on a (token, "workspace posting") bucket.

    Off by default: most tests want every call through. Turn it on with `enable()`
    (or `Emulator(rate_limits=True)`) to exercise a client's 429 handling.
    """

    def __init__(
        self,
        clock: Clock,
        *,
        enabled: bool = False,
        limits: dict[str, Limit] | None = None,
        workspace_posting: Limit | None = WORKSPACE_POSTING,
    ) -> None:
        self._clock = clock
        self._limits = dict(METHOD_LIMITS if limits is None else limits)
        self._workspace_posting = workspace_posting
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

    @property
    def workspace_posting(self) -> Limit | None:
        """The workspace-wide chat.postMessage limit, None when there is none."""
        return self._workspace_posting

    def set_workspace_posting_limit(self, limit: Limit | None) -> None:
        """Change the workspace-wide chat.postMessage limit (None: per channel only).

        The buckets already counted are forgotten, so the new limit starts full.
        """
        with self._lock:
            self._workspace_posting = limit
            for key in [key for key in self._buckets if key[1:] == (WORKSPACE_POSTING_KEY,)]:
                del self._buckets[key]

    def acquire(self, token: str, method: str, channel: str | None = None) -> float | None:
        """Count a call; None if allowed, else the emulator seconds until one would be.

        A call is counted only when every bucket it draws on has a token: a post refused
        by the workspace bucket leaves its channel's bucket as it was, and the other way
        round. The wait is the longest of the refusing buckets' waits.
        """
        limit = self._limits.get(method)
        if not self.enabled or limit is None:
            return None
        key = (token, method, channel or "") if method in PER_CHANNEL_METHODS else (token, method)
        draws = [(key, limit)]
        workspace_limit = self._workspace_posting
        if workspace_limit is not None and method in WORKSPACE_POSTING_METHODS:
            draws.append(((token, WORKSPACE_POSTING_KEY), workspace_limit))
        now = self._clock.now()
        with self._lock:
            buckets = []
            for bucket_key, bucket_limit in draws:
                bucket = self._buckets.setdefault(
                    bucket_key, _Bucket(tokens=bucket_limit.burst, updated=now)
                )
                bucket.refill(bucket_limit, now)
                buckets.append((bucket, bucket_limit))
            wait = max(bucket.wait(bucket_limit) for bucket, bucket_limit in buckets)
            if wait > 0:
                return wait
            for bucket, _ in buckets:
                bucket.tokens -= 1
            return None

    def retry_after_header(self, wait: float) -> int:
        """`Retry-After` for an emulator-time wait: real seconds, rounded up, at least 1."""
        # Rounded to microseconds first, so float noise (3.0000000004) is not a whole second.
        return max(1, math.ceil(round(self._clock.to_real_seconds(wait), 6)))
