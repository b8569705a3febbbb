"""The real `motbot run` process, as deployed, serving the emulator's workspace."""

from __future__ import annotations

from bot.emulator.harness import BotProcess, bot_environment, connect, free_port


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
