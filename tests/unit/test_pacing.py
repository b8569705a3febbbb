"""The Pacer: evenly spaced turns shared by every posting thread, and a 429 holds off all."""

from __future__ import annotations

import threading
from collections import Counter

import pytest

from bot.slack.pacing import Pacer

JOIN_TIMEOUT = 30


class FakeTime:
    """A monotonic clock that moves only when someone sleeps (or the test says so)."""

    def __init__(self, *, sleeping_moves_time: bool = True) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []
        self._moves = sleeping_moves_time
        self._lock = threading.Lock()

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            if self._moves:
                self.now += seconds


def pacer(per_minute: float, time: FakeTime, *, burst: int = 1) -> Pacer:
    return Pacer(per_minute, burst=burst, monotonic=time.monotonic, sleep=time.sleep)


def test_turns_are_an_interval_apart_for_one_caller():
    time = FakeTime()
    posts = pacer(60, time)  # one a second

    starts = []
    for _ in range(4):
        posts.wait_turn()
        starts.append(time.now)

    assert posts.interval == 1.0
    assert starts == [1000.0, 1001.0, 1002.0, 1003.0]
    assert time.sleeps == [1.0, 1.0, 1.0]


def test_a_caller_that_comes_late_does_not_wait():
    time = FakeTime()
    posts = pacer(30, time)  # one every two seconds

    posts.wait_turn()
    time.now += 5
    posts.wait_turn()

    assert time.sleeps == []


def test_idle_time_does_not_bank_a_burst():
    time = FakeTime()
    posts = pacer(60, time)

    posts.wait_turn()
    time.now += 60
    for _ in range(3):
        posts.wait_turn()

    assert time.sleeps == [1.0, 1.0]


def test_with_a_burst_turns_missed_in_a_pause_are_taken_back_to_back():
    time = FakeTime()
    posts = pacer(60, time, burst=3)

    posts.wait_turn()
    time.now += 10
    for _ in range(4):
        posts.wait_turn()

    assert time.sleeps == [1.0]  # three caught up at once, then the pace again


def test_a_burst_starts_the_first_turns_at_once():
    time = FakeTime()
    posts = pacer(60, time, burst=3)

    for _ in range(5):
        posts.wait_turn()

    assert time.sleeps == [1.0, 1.0]


def test_over_any_stretch_a_burst_adds_at_most_itself_to_the_rate():
    time = FakeTime()
    posts = pacer(60, time, burst=5)

    started = time.now
    for _ in range(100):
        posts.wait_turn()

    assert time.now - started == pytest.approx(100 - 5)


def test_no_burst_follows_a_hold_off():
    time = FakeTime()
    posts = pacer(60, time, burst=5)

    posts.hold_off(30)
    for _ in range(3):
        posts.wait_turn()

    assert time.sleeps == [30.0, 1.0, 1.0]


@pytest.mark.parametrize("burst", [0, -1])
def test_a_burst_below_one_is_refused(burst):
    with pytest.raises(ValueError):
        Pacer(60, burst=burst)


def test_turns_are_shared_by_all_threads():
    """Eight threads asking at the same instant get eight turns, one interval apart: one
    goes now, the others wait 0.5, 1.0, ... 3.5 s, whichever thread gets which."""
    time = FakeTime(sleeping_moves_time=False)
    posts = pacer(120, time)
    start = threading.Barrier(8)

    def take_turn():
        start.wait(timeout=JOIN_TIMEOUT)
        posts.wait_turn()

    threads = [threading.Thread(target=take_turn, daemon=True) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOIN_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a thread never finished"

    assert Counter(time.sleeps) == Counter([0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5])


def test_hold_off_delays_the_next_turn_for_everyone():
    time = FakeTime(sleeping_moves_time=False)
    posts = pacer(60, time)
    posts.wait_turn()

    posts.hold_off(30)  # a 429 with Retry-After: 30
    posts.wait_turn()
    posts.wait_turn()

    assert time.sleeps == [30.0, 31.0]


def test_hold_off_met_by_one_thread_holds_back_another():
    time = FakeTime(sleeping_moves_time=False)
    posts = pacer(60, time)

    rate_limited = threading.Thread(target=posts.hold_off, args=(20,))
    rate_limited.start()
    rate_limited.join(timeout=JOIN_TIMEOUT)
    waiting = threading.Thread(target=posts.wait_turn)
    waiting.start()
    waiting.join(timeout=JOIN_TIMEOUT)

    assert not rate_limited.is_alive() and not waiting.is_alive()
    assert time.sleeps == [20.0]


def test_a_shorter_hold_off_does_not_bring_turns_forward():
    time = FakeTime(sleeping_moves_time=False)
    posts = pacer(60, time)
    posts.hold_off(30)

    posts.hold_off(2)
    posts.wait_turn()

    assert time.sleeps == [30.0]


def test_a_hold_off_that_has_passed_costs_nothing():
    time = FakeTime()
    posts = pacer(60, time)
    posts.hold_off(10)

    time.now += 11
    posts.wait_turn()

    assert time.sleeps == []


@pytest.mark.parametrize("per_minute", [0, -1, -0.5])
def test_a_rate_that_is_not_positive_is_refused(per_minute):
    with pytest.raises(ValueError, match="positive"):
        Pacer(per_minute)
