"""Injected failures: 5xx answers, slow answers, 429s, by count or by seeded chance."""

from __future__ import annotations

import threading

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import (
    FixedValueRetryIntervalCalculator,
)

from bot.emulator import Emulator, Workspace
from bot.emulator.demo import STORIES_CHANNEL
from bot.emulator.faults import FaultInjector


def test_a_5xx_then_success_with_slack_sdks_server_error_retries(
    emulator: Emulator, workspace: Workspace
) -> None:
    emulator.faults.fail("chat.postMessage", 503, times=2)
    client = WebClient(
        base_url=emulator.api_url,
        token=workspace.bot.token,
        retry_handlers=[
            ServerErrorRetryHandler(
                max_retry_count=2, interval_calculator=FixedValueRetryIntervalCalculator(0.01)
            )
        ],
    )

    assert client.chat_postMessage(channel=STORIES_CHANNEL, text="eventually")["ok"]

    assert [call.status for call in emulator.calls("chat.postMessage")] == [503, 503, 200]
    assert [m.text for m in workspace.messages(STORIES_CHANNEL)] == ["eventually"]


def test_a_5xx_reaches_a_client_without_retries(client: WebClient, emulator: Emulator) -> None:
    emulator.faults.fail("auth.test", 500)
    with pytest.raises(SlackApiError) as raised:
        client.auth_test()
    assert raised.value.response.status_code == 500
    assert raised.value.response["error"] == "internal_error"
    assert client.auth_test()["ok"]  # one failure by default


def test_other_methods_are_untouched(client: WebClient, emulator: Emulator) -> None:
    emulator.faults.fail("chat.postMessage", 500, times=5)
    assert client.auth_test()["ok"]


def test_a_ratelimited_fault_answers_429_with_retry_after(
    client: WebClient, emulator: Emulator
) -> None:
    emulator.faults.fail("*", "ratelimited")
    with pytest.raises(SlackApiError) as raised:
        client.team_info()
    assert raised.value.response.status_code == 429
    assert {k.lower(): v for k, v in raised.value.response.headers.items()}["retry-after"] in (
        "1",
        ["1"],
    )


def test_clear_disarms_faults(client: WebClient, emulator: Emulator) -> None:
    emulator.faults.fail("auth.test", 500, times=10)
    emulator.faults.clear("auth.test")
    assert client.auth_test()["ok"]
    assert emulator.faults.armed() == []


def test_a_timeout_leaves_the_client_waiting_yet_the_work_is_done(
    emulator: Emulator, workspace: Workspace
) -> None:
    # The answer is held far longer than the client waits; the test releases it
    # afterwards instead of sleeping, so nothing depends on the machine's speed.
    emulator.faults.fail("chat.postMessage", "timeout", delay=60)
    impatient = WebClient(
        base_url=emulator.api_url, token=workspace.bot.token, timeout=0.2, retry_handlers=[]
    )
    with pytest.raises(OSError):  # a socket timeout, possibly wrapped in URLError
        impatient.chat_postMessage(channel=STORIES_CHANNEL, text="did it post?")

    emulator.faults.release_held()
    answered = threading.Event()
    for _ in range(500):  # the held request finishes on its own thread
        if emulator.calls("chat.postMessage"):
            answered.set()
            break
        answered.wait(0.01)
    assert answered.is_set()
    assert [m.text for m in workspace.messages(STORIES_CHANNEL)] == ["did it post?"]
    assert impatient.chat_postMessage(channel=STORIES_CHANNEL, text="again")["ok"]


def test_stopping_the_server_releases_held_requests(workspace: Workspace) -> None:
    emulator = Emulator(workspace)
    emulator.start()
    emulator.faults.fail("auth.test", "timeout", delay=60)
    client = WebClient(
        base_url=emulator.api_url, token=workspace.bot.token, timeout=0.2, retry_handlers=[]
    )
    with pytest.raises(OSError):
        client.auth_test()
    emulator.stop()  # returns although a request was told to wait a minute


class TestFractions:
    def test_the_same_seed_fails_the_same_calls(self) -> None:
        def pattern(seed: int) -> list[bool]:
            injector = FaultInjector(seed=seed)
            injector.fail("users.info", 500, fraction=0.3)
            return [injector.take("users.info") is not None for _ in range(200)]

        assert pattern(7) == pattern(7)
        assert pattern(7) != pattern(8)
        assert 30 < sum(pattern(7)) < 90  # about 30%

    def test_times_caps_a_fractional_fault(self) -> None:
        injector = FaultInjector(seed=1)
        injector.fail("users.info", 500, fraction=0.5, times=3)
        assert sum(injector.take("users.info") is not None for _ in range(100)) == 3

    @pytest.mark.parametrize(
        ("kind", "options"), [(404, {}), ("slow", {}), (500, {"fraction": 0}), (500, {"times": 0})]
    )
    def test_nonsense_is_refused(self, kind: object, options: dict) -> None:
        with pytest.raises(ValueError):
            FaultInjector().fail("auth.test", kind, **options)  # type: ignore[arg-type]

    def test_through_http(self, emulator: Emulator, client: WebClient) -> None:
        emulator.faults.fail("auth.test", 502, fraction=0.5)
        outcomes = []
        for _ in range(20):
            try:
                outcomes.append(client.auth_test()["ok"])
            except SlackApiError:
                outcomes.append(False)
        assert True in outcomes and False in outcomes
        assert {call.status for call in emulator.calls("auth.test")} == {200, 502}
