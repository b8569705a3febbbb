"""Posting one message of a fan-out: paced, a 429 holds off every thread for Retry-After,
and Slack's errors sorted into permanent, worth another try, and stop-the-run."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.web.slack_response import SlackResponse

from bot.slack.outcomes import NotDelivered, PostingStats, Sent, StopRun
from bot.slack.posting import MAX_RATE_LIMITED_TRIES, post_message

CHANNEL = "D0ALICE01"
TS = "1764000000.000100"


def slack_error(status_code: int, data: dict[str, Any], headers: dict[str, str] | None = None):
    response = SlackResponse(
        client=None,
        http_verb="POST",
        api_url="https://slack.com/api/chat.postMessage",
        req_args={},
        data=data,
        headers=headers or {},
        status_code=status_code,
    )
    return SlackApiError(f"The request to the Slack API failed: {data}", response)


def rate_limited(retry_after: str | None = "2", header: str = "Retry-After") -> SlackApiError:
    headers = {} if retry_after is None else {header: retry_after}
    return slack_error(429, {"ok": False, "error": "ratelimited"}, headers)


def refused(error: str) -> SlackApiError:
    return slack_error(200, {"ok": False, "error": error})


class FakeClient:
    """chat.postMessage that fails with each of `failures` in turn, then succeeds."""

    def __init__(self, *failures: BaseException) -> None:
        self.failures = list(failures)
        self.calls: list[dict[str, Any]] = []

    def chat_postMessage(self, **kwargs: Any) -> dict[str, Any]:
        self.calls.append(kwargs)
        if self.failures:
            raise self.failures.pop(0)
        return {"ok": True, "channel": CHANNEL, "ts": TS}

    def conversations_join(self, **kwargs: Any) -> dict[str, Any]:
        self.calls.append({"joined": kwargs["channel"]})
        return {"ok": True}


class FakePacer:
    def __init__(self) -> None:
        self.turns = 0
        self.held_off: list[float] = []

    def wait_turn(self) -> None:
        self.turns += 1

    def hold_off(self, seconds: float) -> None:
        self.held_off.append(seconds)


def post(client: FakeClient, pacer: FakePacer | None = None, stats: PostingStats | None = None):
    return post_message(
        client, pacer or FakePacer(), stats or PostingStats(), "U0ALICE01", text="Hello"
    )


def test_a_post_takes_a_turn_and_answers_where_slack_put_it():
    client, pacer, stats = FakeClient(), FakePacer(), PostingStats()

    sent = post(client, pacer, stats)

    assert sent == Sent(channel=CHANNEL, ts=TS)
    assert client.calls == [{"channel": "U0ALICE01", "text": "Hello"}]
    assert pacer.turns == 1 and pacer.held_off == []
    assert stats.rate_limited == 0


def test_a_429_holds_off_the_pacer_for_retry_after_then_posts_again():
    client, pacer, stats = FakeClient(rate_limited("2")), FakePacer(), PostingStats()

    sent = post(client, pacer, stats)

    assert sent == Sent(channel=CHANNEL, ts=TS)
    assert pacer.held_off == [2.0]
    assert pacer.turns == 2  # the second try waits for a turn too
    assert len(client.calls) == 2
    assert stats.rate_limited == 1


def test_retry_after_is_read_whatever_the_header_case():
    pacer = FakePacer()

    post(FakeClient(rate_limited("7", header="retry-after")), pacer)

    assert pacer.held_off == [7.0]


@pytest.mark.parametrize("retry_after", [None, "soon", "0"])
def test_a_missing_unreadable_or_zero_retry_after_holds_off_one_second(retry_after):
    pacer = FakePacer()

    post(FakeClient(rate_limited(retry_after)), pacer)

    assert pacer.held_off == [1.0]


def test_too_many_429s_in_a_row_leave_it_for_the_next_run():
    failures = [rate_limited("3") for _ in range(MAX_RATE_LIMITED_TRIES)]
    client, pacer, stats = FakeClient(*failures), FakePacer(), PostingStats()

    with pytest.raises(NotDelivered) as raised:
        post(client, pacer, stats)

    assert (raised.value.error, raised.value.permanent) == ("ratelimited", False)
    assert not isinstance(raised.value, StopRun)
    assert len(client.calls) == MAX_RATE_LIMITED_TRIES
    assert pacer.held_off == [3.0] * MAX_RATE_LIMITED_TRIES
    assert stats.rate_limited == MAX_RATE_LIMITED_TRIES


@pytest.mark.parametrize(
    "error", ["user_not_found", "channel_not_found", "cannot_dm_bot", "is_archived"]
)
def test_what_slack_will_never_take_is_permanent(error):
    client = FakeClient(refused(error))

    with pytest.raises(NotDelivered) as raised:
        post(client)

    assert (raised.value.error, raised.value.permanent) == (error, True)
    assert not isinstance(raised.value, StopRun)
    assert len(client.calls) == 1


@pytest.mark.parametrize("error", ["invalid_auth", "token_revoked", "missing_scope"])
def test_a_token_that_cannot_post_stops_the_run(error):
    client = FakeClient(refused(error))

    with pytest.raises(StopRun) as raised:
        post(client)

    assert raised.value.error == error
    assert len(client.calls) == 1


def test_a_server_error_is_worth_another_try_next_run():
    client = FakeClient(slack_error(500, {"ok": False}))

    with pytest.raises(NotDelivered) as raised:
        post(client)

    assert (raised.value.error, raised.value.permanent) == ("500", False)
    assert not isinstance(raised.value, StopRun)
    assert len(client.calls) == 1  # the client's own handlers did the retrying


def test_an_unknown_slack_error_is_worth_another_try_next_run():
    with pytest.raises(NotDelivered) as raised:
        post(FakeClient(refused("internal_error")))

    assert (raised.value.error, raised.value.permanent) == ("internal_error", False)


@pytest.mark.parametrize(
    "failure",
    [ConnectionResetError("reset by peer"), TimeoutError("timed out"), SlackRequestError("x")],
)
def test_a_lost_connection_is_worth_another_try_next_run(failure):
    with pytest.raises(NotDelivered) as raised:
        post(FakeClient(failure))

    assert (raised.value.error, raised.value.permanent) == (type(failure).__name__, False)


def test_a_public_channel_the_bot_is_not_in_is_joined_once_then_posted_to():
    client = FakeClient(refused("not_in_channel"))

    sent = post_message(client, FakePacer(), PostingStats(), "C0BOARD01", text="The board")

    assert sent == Sent(channel=CHANNEL, ts=TS)
    assert client.calls[1] == {"joined": "C0BOARD01"}
    assert len([call for call in client.calls if "text" in call]) == 2


def test_a_channel_still_refused_after_joining_is_not_joined_again():
    client = FakeClient(refused("not_in_channel"), refused("not_in_channel"))

    with pytest.raises(NotDelivered) as refusal:
        post_message(client, FakePacer(), PostingStats(), "C0BOARD01", text="The board")

    assert refusal.value.permanent
    assert [call for call in client.calls if "joined" in call] == [{"joined": "C0BOARD01"}]


def test_a_private_channel_is_never_joined_by_the_bot():
    client = FakeClient(refused("not_in_channel"))

    with pytest.raises(NotDelivered):
        post_message(client, FakePacer(), PostingStats(), "G0PRIVATE1", text="The summary")

    assert not [call for call in client.calls if "joined" in call]
