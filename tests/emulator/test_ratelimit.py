"""Rate limits: Slack's tiers in emulator time, HTTP 429 + Retry-After, and clients that cope.

The clock is frozen, so a window refills only when a test advances it: no test here
sleeps or depends on how fast the machine is.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import builtin_handlers
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.sandbox.demo import ALICE, LEADERBOARD_CHANNEL, STORIES_CHANNEL
from slackemu import Clock, Emulator
from slackemu.ratelimit import TIER_2, Limit, RateLimiter


def ratelimited(call: object) -> SlackApiError:
    with pytest.raises(SlackApiError) as raised:
        call()  # type: ignore[operator]
    assert raised.value.response.status_code == 429
    assert raised.value.response.data == {"ok": False, "error": "ratelimited"}
    return raised.value


def retry_after(error: SlackApiError) -> int:
    headers = {key.lower(): value for key, value in error.response.headers.items()}
    value = headers["retry-after"]
    return int(value[0] if isinstance(value, list) else value)


def test_rate_limits_are_off_unless_enabled(client: WebClient, emulator: Emulator) -> None:
    for _ in range(TIER_2.burst + 5):
        assert client.users_list(limit=1)["ok"]

    assert {call.status for call in emulator.calls("users.list")} == {200}


def test_a_tier_2_method_allows_20_calls_then_answers_429(
    client: WebClient, emulator: Emulator, clock: Clock
) -> None:
    emulator.rate_limiter.enable()
    for _ in range(20):
        client.users_list(limit=1)
    error = ratelimited(lambda: client.users_list(limit=1))
    assert retry_after(error) == 3  # 20 a minute: the next call is allowed in 3 seconds
    clock.advance(3)
    assert client.users_list(limit=1)["ok"]


def test_limits_are_per_method(client: WebClient, emulator: Emulator) -> None:
    emulator.rate_limiter.set_limit("users.list", Limit(per_minute=1, burst=1))
    emulator.rate_limiter.enable()
    client.users_list(limit=1)
    ratelimited(lambda: client.users_list(limit=1))
    assert client.users_info(user=ALICE)["ok"]


def test_posting_is_limited_per_channel_with_a_small_burst(
    client: WebClient, emulator: Emulator, clock: Clock
) -> None:
    emulator.rate_limiter.enable()
    for n in range(3):
        client.chat_postMessage(channel=STORIES_CHANNEL, text=str(n))
    error = ratelimited(lambda: client.chat_postMessage(channel=STORIES_CHANNEL, text="4"))
    assert retry_after(error) == 1
    assert client.chat_postMessage(channel=LEADERBOARD_CHANNEL, text="elsewhere")["ok"]
    clock.advance(1)
    assert client.chat_postMessage(channel=STORIES_CHANNEL, text="4")["ok"]


def test_slack_sdks_retry_handler_waits_out_the_429_and_succeeds(
    emulator: Emulator, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The handler sleeps Retry-After (+ jitter) seconds. Instead of sleeping, let that
    # time pass on the emulator's clock, as it would in real life.
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.advance(seconds * clock.time_scale)

    monkeypatch.setattr(builtin_handlers, "time", SimpleNamespace(sleep=sleep))
    emulator.rate_limiter.enable()
    client = WebClient(
        base_url=emulator.api_url,
        token=emulator.workspace.bot.token,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )
    for n in range(3):
        client.chat_postMessage(channel=STORIES_CHANNEL, text=str(n))

    assert client.chat_postMessage(channel=STORIES_CHANNEL, text="after a wait")["ok"]

    assert len(slept) == 1 and slept[0] >= 1
    assert [call.status for call in emulator.calls("chat.postMessage")] == [200, 200, 200, 429, 200]
    assert emulator.workspace.last_message(STORIES_CHANNEL).text == "after a wait"


class TestRetryAfter:
    """Retry-After is whole real seconds: the scaled wait, rounded up, at least 1."""

    @pytest.mark.parametrize(("time_scale", "expected"), [(1, 3), (2, 2), (60, 1), (0.5, 6)])
    def test_scaled_and_rounded_up(self, time_scale: float, expected: int) -> None:
        limiter = RateLimiter(Clock.frozen_at(time_scale=time_scale), enabled=True)
        for _ in range(20):
            assert limiter.acquire("token", "users.list") is None
        wait = limiter.acquire("token", "users.list")
        assert wait == pytest.approx(3.0)  # emulator seconds
        assert limiter.retry_after_header(wait) == expected

    def test_a_reset_refills_every_bucket(self) -> None:
        limiter = RateLimiter(Clock.frozen_at(), enabled=True)
        limiter.set_limit("auth.test", Limit(per_minute=1, burst=1))
        assert limiter.acquire("token", "auth.test") is None
        assert limiter.acquire("token", "auth.test") is not None
        limiter.reset()
        assert limiter.acquire("token", "auth.test") is None
