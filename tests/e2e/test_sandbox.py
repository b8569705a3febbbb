"""`motbot sandbox` plays its scenario against the emulator and shows what people saw."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    ("options", "served"),
    [([], "on http://127.0.0.1:"), (["--socket-mode"], "over Socket Mode")],
    ids=["http", "socket_mode"],
)
def test_the_sandbox_scenario_runs_and_shows_each_person_what_they_saw(tmp_path, options, served):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "sandbox",
            "--scenario-only",
            "--dir",
            str(tmp_path),
            *options,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )

    assert result.returncode == 0, result.stderr
    assert f"Starting motbot run --with-scheduler {served}" in result.stdout
    assert "Alice Andersson sees (only visible to them)" in result.stdout
    assert "MOTBOT: MOMENTS OF TRUTH" in result.stdout
    assert "MOTBOT：关键时刻" in result.stdout
    assert "Only leaders can back a decision" in result.stdout
    assert ":star: 2 positive moments of truth   :handshake: Backed by @Erik" in result.stdout
    assert "App Home of Alice Andersson" in result.stdout
    assert "LEADERBOARD · THIS WEEK" in result.stdout
    assert "yourself" in result.stdout
    assert "pulse-send" in result.stdout and "0 failed" in result.stdout
    assert "CULTURE PULSE" in result.stdout
    assert "8 of 17 people answered" in result.stdout
    assert "CULTURE PULSE SUMMARY" in result.stdout  # posted to #hr-culture-pulse at close
    assert "*Service recovery* · Phone" in result.stdout
    assert "Service recoveries, something that went wrong put right: 1 of 4" in result.stdout
    assert "Went beyond: *Refunds and compensation* · Refunds over 50 euros need a" in (
        result.stdout
    )
    assert "A rule is gone beyond only by a decision on the spot" in result.stdout
    assert "*Refunds and compensation* · 2 signals" in result.stdout  # Erik's /mot policies
    assert "*Refunds and compensation* · 2 个信号" in result.stdout  # Wang Fang's
    assert "is for leaders, HR and admins" in result.stdout  # Bjorn's
    assert "2 signals closed, and 2 people told" in result.stdout
    assert "revised the policy on *Refunds and compensation*" in result.stdout  # Daniel's DM
    assert "2 raised, 2 closed by a policy revision; 0 still open" in result.stdout  # HR
    assert "*Adoption of the culture, last 12 weeks*" in result.stdout
    assert "A-B-C, the first impression:" in result.stdout
    assert "YOUR WEEKLY LEADERSHIP DIGEST" in result.stdout
    assert "你的每周领导者摘要" in result.stdout
    assert "RECOGNITION OF THE WEEK" in result.stdout
    assert "/openid/connect/sign-in-as?user=U0KARIN01&next=http" in result.stdout  # dashboard
    assert (tmp_path / "motbot.db").exists()


def test_each_sandbox_run_starts_fresh(tmp_path):
    command = [sys.executable, "-m", "bot", "sandbox", "--scenario-only", "--dir", str(tmp_path)]
    subprocess.run(command, capture_output=True, text=True, timeout=180, cwd=tmp_path, check=True)

    again = subprocess.run(command, capture_output=True, text=True, timeout=180, cwd=tmp_path)

    assert again.returncode == 0, again.stderr
    assert "pulse-send 2026-W" in again.stdout and "17 sent, 0 failed" in again.stdout
