"""The real `motbot run` process, as deployed, serving the emulator's workspace."""

from __future__ import annotations

import sqlite3

from bot.sandbox.harness import BotProcess, bot_environment, connect, free_port
from bot.scheduling.jobs import JOBS


def test_mot_help_round_trip_through_a_real_motbot_run_process(emulator, demo, tmp_path):
    port = free_port()
    env = bot_environment(
        emulator,
        database_url=f"sqlite:///{tmp_path / 'motbot.db'}",
        port=port,
        extra=demo.env(),
    )

    with BotProcess(env, port=port, log_path=tmp_path / "bot.log", cwd=tmp_path) as bot:
        world = connect(emulator, bot.request_url)
        alice = world.user("alice")
        reply = alice.runs("/mot help")

    assert reply.delivery.acknowledged
    assert alice.last_ephemeral().text == "motbot: moments of truth"
    assert emulator.calls("auth.test"), "the process checks its token with Slack at start"


def test_run_with_scheduler_serves_slack_and_registers_every_job(emulator, demo, tmp_path):
    port = free_port()
    database = tmp_path / "motbot.db"
    env = bot_environment(
        emulator, database_url=f"sqlite:///{database}", port=port, extra=demo.env()
    )
    options = ["--with-scheduler"]

    with BotProcess(env, port=port, log_path=tmp_path / "bot.log", options=options) as bot:
        alice = connect(emulator, bot.request_url).user("alice")
        alice.runs("/mot help")
        with sqlite3.connect(database) as connection:
            stored = {row[0] for row in connection.execute("SELECT id FROM apscheduler_jobs")}

    assert alice.last_ephemeral().text == "motbot: moments of truth"
    assert stored == set(JOBS)
