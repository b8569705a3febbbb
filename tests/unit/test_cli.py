"""The `motbot` command, as an admin meets it in a terminal."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys


def motbot(*args: str, cwd, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MOTBOT_"))}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env={**clean, **(env or {})},
    )


def test_run_without_credentials_exits_non_zero_and_names_what_to_set(tmp_path):
    result = motbot("run", cwd=tmp_path)

    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN" in result.stderr
    assert "SLACK_SIGNING_SECRET" in result.stderr
    assert "make sandbox" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_invalid_setting_is_reported_without_a_traceback(tmp_path):
    result = motbot("migrate", cwd=tmp_path, env={"MOTBOT_PULSE_MIN_GROUP": "2"})

    assert result.returncode == 2
    assert "MOTBOT_PULSE_MIN_GROUP must be at least 3" in result.stderr
    assert "Traceback" not in result.stderr


def test_settings_are_read_from_a_dotenv_file(tmp_path):
    (tmp_path / ".env").write_text("MOTBOT_LOCALE=klingon\n", encoding="utf-8")

    result = motbot("migrate", cwd=tmp_path)

    assert result.returncode == 2
    assert "MOTBOT_LOCALE must be one of en, zh-CN, got 'klingon'" in result.stderr


def test_migrate_creates_the_schema_in_the_configured_database(tmp_path):
    database = tmp_path / "fresh.db"

    result = motbot("migrate", cwd=tmp_path, env={"DATABASE_URL": f"sqlite:///{database}"})

    assert result.returncode == 0, result.stderr
    with sqlite3.connect(database) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert {"workspaces", "members", "stories", "kudos", "pulse_answers"} <= tables


def test_the_emulator_refuses_a_broken_workspace_file(tmp_path):
    broken = tmp_path / "workspace.json"
    broken.write_text('{"users": [{"name": "nobody"}]}', encoding="utf-8")

    result = motbot("emulator", "--port", "0", "--workspace", str(broken), cwd=tmp_path)

    assert result.returncode == 2
    assert "workspace.json" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_scheduler_needs_the_bot_token_and_says_how_to_try_without_one(tmp_path):
    result = motbot("scheduler", cwd=tmp_path)

    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN" in result.stderr
    assert "make sandbox" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_scheduler_refuses_to_start_without_the_pulse_secret_key(tmp_path):
    result = motbot("scheduler", cwd=tmp_path, env={"SLACK_BOT_TOKEN": "xoxb-test"})

    assert result.returncode == 2
    assert "MOTBOT_SECRET_KEY" in result.stderr


def test_run_job_refuses_a_week_that_does_not_exist(tmp_path):
    env = {"SLACK_BOT_TOKEN": "xoxb-test"}

    result = motbot("run-job", "leaderboard", "--period", "2027-W53", cwd=tmp_path, env=env)

    assert result.returncode == 2
    assert "--period must be an ISO week" in result.stderr


def test_run_job_lists_every_scheduled_job(tmp_path):
    result = motbot("run-job", "--help", cwd=tmp_path)

    for name in ("pulse-send", "pulse-remind", "pulse-close", "leaderboard", "digest"):
        assert name in result.stdout


def test_run_job_refuses_a_period_for_a_job_that_would_ignore_it(tmp_path):
    env = {"SLACK_BOT_TOKEN": "xoxb-test", "MOTBOT_SECRET_KEY": "k" * 32}

    result = motbot("run-job", "pulse-remind", "--period", "2026-W48", cwd=tmp_path, env=env)

    assert result.returncode == 2
    assert "pulse-remind works on what is current and takes no --period" in result.stderr


OAUTH = {"MOTBOT_CLIENT_ID": "1111.2222", "MOTBOT_CLIENT_SECRET": "client-secret"}


def test_the_client_id_and_secret_go_together(tmp_path):
    result = motbot("migrate", cwd=tmp_path, env={"MOTBOT_CLIENT_ID": "1111.2222"})

    assert result.returncode == 2
    assert "MOTBOT_CLIENT_ID and MOTBOT_CLIENT_SECRET go together" in result.stderr
    assert "Traceback" not in result.stderr


def test_installing_over_oauth_needs_http_not_socket_mode(tmp_path):
    env = {**OAUTH, "SLACK_APP_TOKEN": "xapp-1-A0-1-abc", "SLACK_SIGNING_SECRET": "s"}

    result = motbot("run", cwd=tmp_path, env=env)

    assert result.returncode == 2
    assert "unset SLACK_APP_TOKEN" in result.stderr


def test_run_job_with_oauth_and_nothing_installed_says_so(tmp_path):
    env = {**OAUTH, "DATABASE_URL": f"sqlite:///{tmp_path / 'motbot.db'}"}
    assert motbot("migrate", cwd=tmp_path, env=env).returncode == 0

    nothing = motbot("run-job", "leaderboard", cwd=tmp_path, env=env)
    elsewhere = motbot("run-job", "leaderboard", "--workspace", "T0NOWHERE", cwd=tmp_path, env=env)

    assert nothing.returncode == 0
    assert "no workspace is installed yet" in nothing.stdout
    assert elsewhere.returncode == 2
    assert "not installed in workspace T0NOWHERE" in elsewhere.stderr
