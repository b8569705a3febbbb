"""`motbot emulator` without a terminal keeps serving until it is told to stop: under
nohup, systemd or a container (stdin closed or /dev/null) end-of-file is not a request
to quit. With a terminal, or `--console`, it reads console commands."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

EXPORT = re.compile(r"export (\w+)=(\S+)")


def start_emulator(
    tmp_path: Path, *options: str, stdin: int = subprocess.DEVNULL
) -> subprocess.Popen:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MOTBOT_"))}
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "emulator", "--port", "0", *options],
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=tmp_path,
        env=clean,
    )


def settings_of(process: subprocess.Popen) -> dict[str, str]:
    """Read the emulator's output until it has said what to give the bot and that it
    serves without a console."""
    assert process.stdout is not None
    seen: list[str] = []
    exported: dict[str, str] = {}
    for line in process.stdout:
        seen.append(line)
        found = EXPORT.search(line)
        if found:
            exported[found.group(1)] = found.group(2)
        if "no console" in line:
            return exported
    raise AssertionError("the emulator stopped before it served: " + "".join(seen))


def auth_test(settings: dict[str, str]) -> dict:
    request = urllib.request.Request(
        settings["SLACK_API_URL"] + "auth.test",
        data=b"",
        headers={"Authorization": f"Bearer {settings['SLACK_BOT_TOKEN']}"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
@pytest.mark.parametrize("stdin", ["closed", "devnull"])
def test_without_a_terminal_it_serves_until_a_stop_signal(tmp_path, stop, stdin):
    process = start_emulator(
        tmp_path, stdin=subprocess.DEVNULL if stdin == "devnull" else subprocess.PIPE
    )
    try:
        if stdin == "closed":
            assert process.stdin is not None
            process.stdin.close()
        settings = settings_of(process)
        time.sleep(1.5)  # long past the end-of-file that used to stop it

        assert process.poll() is None
        assert auth_test(settings)["ok"] is True

        process.send_signal(stop)
        process.wait(timeout=20)
        assert process.stdout is not None
        output = process.stdout.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    assert process.returncode == 0, output
    assert f"{stop.name}: stopping." in output


def test_with_console_it_reads_commands_from_a_pipe_and_quits_when_told(tmp_path):
    process = start_emulator(tmp_path, "--console", stdin=subprocess.PIPE)
    try:
        output, _ = process.communicate("people\nquit\n", timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    assert process.returncode == 0, output
    assert "Console commands:" in output
    assert re.search(r"alice\s+Alice Andersson", output)


def test_with_socket_mode_it_prints_the_app_token_a_bot_connects_with(tmp_path):
    emulator = start_emulator(tmp_path, "--socket-mode")
    try:
        settings = settings_of(emulator)
        assert settings["SLACK_APP_TOKEN"].startswith("xapp-")
        assert "SLACK_SIGNING_SECRET" not in settings, "Socket Mode needs no signing secret"
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MOTBOT_"))}
        log_path = tmp_path / "bot.log"
        with log_path.open("wb") as log:
            bot = subprocess.Popen(
                [sys.executable, "-m", "bot", "run"],
                env={**clean, **settings, "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}"},
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=tmp_path,
            )
        try:
            deadline = time.monotonic() + 30
            while "A new session has been established" not in log_path.read_text():
                assert bot.poll() is None, log_path.read_text()
                assert time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.1)
        finally:
            bot.terminate()
            bot.wait(timeout=10)
    finally:
        emulator.terminate()
        emulator.wait(timeout=10)

    assert emulator.returncode == 0
