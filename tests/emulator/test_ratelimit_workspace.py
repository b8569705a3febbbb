"""The workspace-wide posting limit: chat.postMessage passes its channel's bucket *and*
the workspace's ("several hundred messages per minute"), each refusal leaves the other
bucket alone, and Retry-After is the longer of the two waits.

The clock is frozen, as in test_ratelimit.py: buckets refill only when a test advances it.
"""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox.demo import (
    ALICE,
    BJORN,
    ERIK,
    HR_CHANNEL,
    LEADERBOARD_CHANNEL,
    STORIES_CHANNEL,
)
from slackemu import Clock, Emulator
from slackemu.ratelimit import POSTING, WORKSPACE_POSTING, Limit, RateLimiter

FIVE_CHANNELS = (STORIES_CHANNEL, LEADERBOARD_CHANNEL, HR_CHANNEL, ALICE, BJORN)


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


def post(client: WebClient, channel: str, text: str = "hi") -> object:
    return lambda: client.chat_postMessage(channel=channel, text=text)


def test_the_default_is_300_a_minute_with_a_burst_of_30() -> None:
    limiter = RateLimiter(Clock.frozen_at(), enabled=True)

    assert limiter.workspace_posting == WORKSPACE_POSTING == Limit(per_minute=300, burst=30)
    for n in range(30):  # 30 channels: no channel bucket is the one that says no
        assert limiter.acquire("token", "chat.postMessage", f"C{n:03d}") is None
    assert limiter.acquire("token", "chat.postMessage", "C999") == pytest.approx(0.2)


def test_posts_to_five_channels_are_refused_over_the_workspace_limit(
    client: WebClient, emulator: Emulator
) -> None:
    emulator.rate_limiter.set_workspace_posting_limit(Limit(per_minute=60, burst=4))
    emulator.rate_limiter.enable()
    for channel in FIVE_CHANNELS[:4]:
        assert client.chat_postMessage(channel=channel, text="hi")["ok"]

    error = ratelimited(post(client, FIVE_CHANNELS[4]))

    assert retry_after(error) == 1  # 60 a minute: the next post is allowed in a second
    assert [call.status for call in emulator.calls("chat.postMessage")] == [200] * 4 + [429]
    assert emulator.workspace.find_dm(BJORN) is None  # the refused post did nothing


def test_the_workspace_limit_refills_in_emulator_time(
    client: WebClient, emulator: Emulator, clock: Clock
) -> None:
    emulator.rate_limiter.set_workspace_posting_limit(Limit(per_minute=60, burst=4))
    emulator.rate_limiter.enable()
    for channel in FIVE_CHANNELS[:4]:
        client.chat_postMessage(channel=channel, text="hi")
    ratelimited(post(client, FIVE_CHANNELS[4]))

    clock.advance(1)

    assert client.chat_postMessage(channel=FIVE_CHANNELS[4], text="hi")["ok"]
    ratelimited(post(client, ERIK))


def test_a_per_channel_refusal_does_not_use_up_workspace_budget(
    client: WebClient, emulator: Emulator
) -> None:
    emulator.rate_limiter.set_workspace_posting_limit(Limit(per_minute=1, burst=5))
    emulator.rate_limiter.enable()
    for n in range(POSTING.burst):  # the channel's burst: workspace budget 5 -> 2
        client.chat_postMessage(channel=STORIES_CHANNEL, text=str(n))
    for _ in range(3):  # refused by the channel, three times
        ratelimited(post(client, STORIES_CHANNEL))

    # The workspace still has its 2: the channel's refusals took none of it.
    assert client.chat_postMessage(channel=LEADERBOARD_CHANNEL, text="a")["ok"]
    assert client.chat_postMessage(channel=HR_CHANNEL, text="b")["ok"]
    ratelimited(post(client, ALICE))


def test_a_workspace_refusal_does_not_use_up_the_channels_budget() -> None:
    clock = Clock.frozen_at()
    limiter = RateLimiter(clock, enabled=True, workspace_posting=Limit(per_minute=60, burst=1))
    limiter.set_limit("chat.postMessage", Limit(per_minute=1, burst=2))  # slow to refill
    assert limiter.acquire("token", "chat.postMessage", "C1") is None  # channel 2 -> 1
    for _ in range(3):  # refused by the workspace, three times
        assert limiter.acquire("token", "chat.postMessage", "C1") == pytest.approx(1.0)

    clock.advance(1)  # the workspace refills one; the channel only 1/60 of one

    assert limiter.acquire("token", "chat.postMessage", "C1") is None  # its 1 was kept
    assert limiter.acquire("token", "chat.postMessage", "C2") is not None


class TestRetryAfterIsTheLongerWait:
    def test_the_workspace_wait_when_it_is_longer(
        self, client: WebClient, emulator: Emulator
    ) -> None:
        emulator.rate_limiter.set_workspace_posting_limit(Limit(per_minute=2, burst=3))
        emulator.rate_limiter.enable()
        for n in range(POSTING.burst):  # both buckets empty now
            client.chat_postMessage(channel=STORIES_CHANNEL, text=str(n))

        error = ratelimited(post(client, STORIES_CHANNEL))

        # Channel: 1 second; workspace: 2 a minute, 30 seconds.
        assert retry_after(error) == 30

    def test_the_channel_wait_when_it_is_longer(
        self, client: WebClient, emulator: Emulator
    ) -> None:
        emulator.rate_limiter.set_limit("chat.postMessage", Limit(per_minute=6, burst=1))
        emulator.rate_limiter.set_workspace_posting_limit(Limit(per_minute=20, burst=1))
        emulator.rate_limiter.enable()
        client.chat_postMessage(channel=STORIES_CHANNEL, text="one")

        error = ratelimited(post(client, STORIES_CHANNEL))

        # Channel: 6 a minute, 10 seconds; workspace: 20 a minute, 3 seconds.
        assert retry_after(error) == 10

    def test_only_the_refusing_bucket_counts(self) -> None:
        # The channel has a token to spare and a slow refill; its rate does not matter.
        limiter = RateLimiter(
            Clock.frozen_at(), enabled=True, workspace_posting=Limit(per_minute=30, burst=1)
        )
        limiter.set_limit("chat.postMessage", Limit(per_minute=1, burst=5))
        assert limiter.acquire("token", "chat.postMessage", "C1") is None

        assert limiter.acquire("token", "chat.postMessage", "C1") == pytest.approx(2.0)

    def test_scaled_to_real_seconds_like_every_other_wait(self) -> None:
        limiter = RateLimiter(Clock.frozen_at(time_scale=100), enabled=True)
        for n in range(WORKSPACE_POSTING.burst):
            limiter.acquire("token", "chat.postMessage", f"C{n:03d}")

        wait = limiter.acquire("token", "chat.postMessage", "C999")

        assert wait == pytest.approx(0.2)  # emulator seconds: 300 a minute
        assert limiter.retry_after_header(wait) == 1  # 2 ms real, rounded up to a second


def test_ephemeral_messages_are_limited_per_channel_only(
    client: WebClient, emulator: Emulator
) -> None:
    emulator.rate_limiter.set_workspace_posting_limit(Limit(per_minute=1, burst=1))
    emulator.rate_limiter.enable()
    for channel in (STORIES_CHANNEL, LEADERBOARD_CHANNEL, HR_CHANNEL):
        assert client.chat_postEphemeral(channel=channel, user="U0KARIN01", text="psst")["ok"]

    assert client.chat_postMessage(channel=STORIES_CHANNEL, text="still has its 1")["ok"]


def test_the_workspace_limit_can_be_removed(client: WebClient, emulator: Emulator) -> None:
    emulator.rate_limiter.set_workspace_posting_limit(Limit(per_minute=1, burst=1))
    emulator.rate_limiter.enable()
    client.chat_postMessage(channel=STORIES_CHANNEL, text="one")
    ratelimited(post(client, LEADERBOARD_CHANNEL))

    emulator.rate_limiter.set_workspace_posting_limit(None)

    assert emulator.rate_limiter.workspace_posting is None
    for channel in FIVE_CHANNELS:
        assert client.chat_postMessage(channel=channel, text="per channel only")["ok"]


def test_tokens_have_separate_workspace_buckets() -> None:
    limiter = RateLimiter(Clock.frozen_at(), enabled=True, workspace_posting=Limit(60, 1))
    assert limiter.acquire("xoxb-one", "chat.postMessage", "C1") is None
    assert limiter.acquire("xoxb-one", "chat.postMessage", "C2") is not None
    assert limiter.acquire("xoxb-two", "chat.postMessage", "C2") is None
