"""`motbot sandbox` plays its scenario against the emulator and shows what people saw.

The sandbox is run twice in one directory, over Socket Mode and then over HTTP (each run
takes half a minute): both must show the whole scenario, and the second must start fresh."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class SandboxRuns:
    directory: Path
    socket_mode: str  # what the first run printed
    http: str  # what the second, in the same directory, printed


def run_sandbox(directory: Path, *options: str) -> str:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "sandbox",
            "--scenario-only",
            "--dir",
            str(directory),
            *options,
        ],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=directory,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> SandboxRuns:
    directory = tmp_path_factory.mktemp("sandbox")
    socket_mode = run_sandbox(directory, "--socket-mode")
    return SandboxRuns(directory, socket_mode, run_sandbox(directory))


@pytest.mark.parametrize("transport", ["http", "socket_mode"])
def test_the_sandbox_scenario_runs_and_shows_each_person_what_they_saw(runs, transport):
    output = getattr(runs, transport)

    assert "Alice Andersson sees (only visible to them)" in output
    assert "MOTBOT: MOMENTS OF TRUTH" in output
    assert "MOTBOT：关键时刻" in output
    assert "Only leaders can back a decision" in output
    assert ":star: 2 positive moments of truth   :handshake: Backed by @Erik" in output
    assert "App Home of Alice Andersson" in output
    assert "LEADERBOARD · THIS WEEK" in output
    assert "yourself" in output
    assert "pulse-send" in output and "0 failed" in output
    assert "CULTURE PULSE" in output
    assert "8 of 17 people answered" in output
    assert "CULTURE PULSE SUMMARY" in output  # posted to #hr-culture-pulse at close
    assert "*Service recovery* · Phone" in output
    assert "Service recoveries, something that went wrong put right: 1 of 4" in output
    assert "Went beyond: *Refunds and compensation* · Refunds over 50 euros need a" in (output)
    assert "A rule is gone beyond only by a decision on the spot" in output
    assert "*Refunds and compensation* · 2 signals" in output  # Erik's /mot policies
    assert "*Refunds and compensation* · 2 个信号" in output  # Wang Fang's
    assert "is for leaders, HR and admins" in output  # Bjorn's
    assert "2 signals closed, and 2 people told" in output
    assert "revised the policy on *Refunds and compensation*" in output  # Daniel's DM
    assert "2 raised, 2 closed by a policy revision; 0 still open" in output  # HR
    assert "*Adoption of the culture, last 12 weeks*" in output
    assert "A-B-C, the first impression:" in output
    assert "YOUR WEEKLY LEADERSHIP DIGEST" in output
    assert "你的每周领导者摘要" in output
    assert "RECOGNITION OF THE WEEK" in output
    assert "/openid/connect/sign-in-as?user=U0KARIN01&next=http" in output  # dashboard


def test_the_sandbox_says_how_the_bot_talks_to_slack(runs):
    assert "Starting motbot run --with-scheduler over Socket Mode" in runs.socket_mode
    assert "Starting motbot run --with-scheduler on http://127.0.0.1:" in runs.http
    assert (runs.directory / "motbot.db").exists()


def test_each_sandbox_run_starts_fresh(runs):
    assert "pulse-send 2026-W" in runs.http and "17 sent, 0 failed" in runs.http
