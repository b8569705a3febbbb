"""Exactly once, the hard way: two schedulers and a manual run-job at the same moment, a
process killed in the middle of a fan-out, and a duplicate DM left by such a crash."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED
from slack_sdk import WebClient
from sqlalchemy import func, select

from bot.config import Settings
from bot.db.engine import make_session_factory
from bot.db.models import JobRun, PulseBallot, PulseInvite, PulseRound
from bot.domain import pulse
from bot.domain.ballots import new_ballot
from bot.sandbox import demo as people
from bot.sandbox.harness import bot_environment
from bot.scheduling.fanout import FanOutOptions
from bot.scheduling.runtime import WorkspaceRuntimes
from bot.scheduling.scheduler import build_scheduler, install_runtime
from bot.slack.pacing import Pacer
from bot.slack.views.pulse import pulse_dm
from tests.e2e.test_scheduled_jobs import everyone_invited, pulse_receivers

TUESDAY_AFTERNOON = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


@pytest.fixture
def settings(emulator, engine, demo) -> Settings:
    url = engine.url.render_as_string(hide_password=False)
    return Settings.from_env(
        bot_environment(emulator, database_url=url, port=3000, extra=demo.env())
    )


def runtimes_at(settings, engine, now: datetime, *, workers: int = 4) -> WorkspaceRuntimes:
    """The bot's runtimes for every workspace (here, the demo's), at `now`."""
    runtimes = WorkspaceRuntimes(settings, make_session_factory(engine), clock=lambda: now)
    for team_id, token in runtimes.bot_tokens().items():
        runtime = runtimes.runtime(team_id, token)
        runtime.pacer = Pacer(60_000)
        runtime.fanout = FanOutOptions(workers=workers)
    return runtimes


def runtime_at(settings, engine, emulator, now: datetime, *, workers: int = 4):
    runtimes = runtimes_at(settings, engine, now, workers=workers)
    return runtimes.runtime(emulator.workspace.team.id, emulator.workspace.bot.token)


def invites(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(PulseInvite)).scalar_one()


def test_two_schedulers_and_a_manual_run_job_send_each_dm_once(settings, engine, emulator):
    runtimes = runtimes_at(settings, engine, TUESDAY_AFTERNOON)
    install_runtime(runtimes)
    finished = threading.Semaphore(0)
    schedulers = [build_scheduler(engine) for _ in range(2)]
    try:
        for scheduler in schedulers:
            scheduler.add_listener(
                lambda _event: finished.release(), EVENT_JOB_EXECUTED | EVENT_JOB_ERROR
            )
            scheduler.start(paused=True)
        for name in ("pulse-remind", "pulse-close", "leaderboard", "digest"):
            schedulers[0].pause_job(name)
        start = threading.Barrier(3)
        by_hand = threading.Thread(
            target=lambda: (start.wait(), runtimes.run("pulse-send", by_hand=True))
        )
        by_hand.start()
        for scheduler in schedulers:
            scheduler.modify_job("pulse-send", next_run_time=datetime.now(UTC))
            threading.Thread(target=lambda s=scheduler: (start.wait(), s.resume())).start()
        by_hand.join(timeout=60)
        assert not by_hand.is_alive()
        # A scheduler that finds the tick already moved on by the other one (they share
        # the store) skips it; at least one of them runs it beside the manual run.
        assert finished.acquire(timeout=60)
    finally:
        # Waits for any tick still running.
        for scheduler in schedulers:
            scheduler.shutdown(wait=True)
        install_runtime(None)

    expected = everyone_invited(emulator)
    assert pulse_receivers(emulator) == Counter({user: 1 for user in expected})
    assert invites(engine) == len(expected)


def test_a_run_job_killed_mid_fan_out_is_finished_by_the_next_run_without_duplicates(
    settings, engine, emulator, demo
):
    # The sixth DM never reaches Slack: the process hangs on it, and is killed there.
    emulator.faults.fail("chat.postMessage", "lost", after=5, delay=60)
    url = engine.url.render_as_string(hide_password=False)
    env = {
        **bot_environment(emulator, database_url=url, port=3000, extra=demo.env()),
        "MOTBOT_FANOUT_WORKERS": "1",
        "PATH": "/usr/bin:/bin",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run-job", "pulse-send"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while emulator.faults.held() == 0 and process.poll() is None:
            assert time.monotonic() < deadline, "the run-job never reached the sixth DM"
            time.sleep(0.02)
        assert process.poll() is None, "run-job ended before it could be killed"
        process.kill()
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        emulator.faults.release_held()
    assert sum(pulse_receivers(emulator).values()) == 5

    # Once the dead run's lease has expired, the next run picks up where it stopped (the
    # dead run's week, even if this test runs as a new week begins).
    with engine.connect() as connection:
        period = connection.execute(select(JobRun.period)).scalar_one()
    later = datetime.now(UTC) + timedelta(minutes=6)
    report = runtime_at(settings, engine, emulator, later).run("pulse-send", period, by_hand=True)

    expected = everyone_invited(emulator)
    assert report.resent_in_doubt == 1
    assert report.sent == len(expected) - 5
    assert pulse_receivers(emulator) == Counter({user: 1 for user in expected})
    assert invites(engine) == len(expected)


def test_only_the_recorded_dm_accepts_answers_when_a_crash_left_a_second_one(
    settings, engine, emulator, world
):
    # The bot answers clicks at the real time, so the round must be open now: this week's.
    now = datetime.now(UTC)
    runtime_at(settings, engine, emulator, now).run("pulse-send", by_hand=True)
    alice = world.user("alice")
    recorded = alice.direct_messages()[-1]
    # What a crash between Slack's answer and our commit leaves behind: another DM for
    # the same round, whose buttons carry another secret.
    with make_session_factory(engine)() as session:
        workspace_id = session.scalar(select(PulseInvite.workspace_id))
        period = session.scalar(select(PulseRound.period))
        round_info = pulse.round_for_period(session, workspace_id, period)
    WebClient(token=emulator.workspace.bot.token, base_url=emulator.api_url).chat_postMessage(
        channel=people.ALICE, **pulse_dm("en", round_info, new_ballot(), {})
    )
    duplicate = alice.direct_messages()[-1]
    assert duplicate.ts != recorded.ts

    alice.clicks("Agree", on=duplicate)

    assert "replaced by a newer one" in alice.direct_messages()[-1].text
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(PulseBallot)).scalar_one() == 0

    alice.clicks("Agree", on=recorded)

    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(PulseBallot)).scalar_one() == 1
