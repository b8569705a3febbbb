"""The real `motbot run` over Socket Mode with the web dashboard on: Slack's requests come
over the websocket while people sign in to the dashboard over HTTP on PORT, at once."""

from __future__ import annotations

import http.cookiejar
import signal
import time
import urllib.request

from bot.sandbox.demo import ALICE, KARIN
from bot.sandbox.harness import (
    BotProcess,
    bot_environment,
    connect_socket_mode,
    dashboard_environment,
    free_port,
    sign_in_link,
)
from bot.web.server import SLACK_EVENTS_PATH
from slackemu.inbound import command_body
from slackemu.server import Emulator
from tests.support.http import HttpResponse, get, post

# Ctrl-C stops waitress, and the process exits under a second with the websocket's threads
# still running (they are daemons): a thread that held it would take the ten seconds after
# which BotProcess kills it.
STOP_SECONDS = 5.0
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def browser() -> urllib.request.OpenerDirector:
    """A browser without JavaScript: it keeps cookies and follows redirects, between the
    emulated Slack and the dashboard alike."""
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )


def is_healthy(base_url: str) -> bool:
    try:
        return get(f"{base_url}/healthz").status == 200
    except OSError:  # not listening yet
        return False


def unsigned_command(emulator: Emulator, user_id: str) -> bytes:
    """`/mot help` as Slack would post it over HTTP, but with no signature: anyone who can
    reach PORT could send it."""
    workspace = emulator.workspace
    return command_body(
        {
            "team_id": workspace.team.id,
            "channel_id": workspace.find_channel("#general").id,
            "user_id": user_id,
            "command": "/mot",
            "text": "help",
            "api_app_id": workspace.bot.app_id,
        }
    )


def test_motbot_run_over_socket_mode_answers_slack_and_serves_the_dashboard_at_once(
    emulator, demo, tmp_path
):
    hub = emulator.socket_mode
    port = free_port()
    dashboard = f"http://127.0.0.1:{port}"
    env = bot_environment(
        emulator,
        database_url=f"sqlite:///{tmp_path / 'motbot.db'}",
        port=port,
        extra={**demo.env(), **dashboard_environment(emulator, port)},
        transport="socket_mode",
    )
    log_path = tmp_path / "bot.log"

    def serves_both() -> bool:
        return hub.connections() >= 1 and is_healthy(dashboard)

    bot = BotProcess(env, port=port, log_path=log_path, ready=serves_both)
    with bot:
        # Karin's first request makes her known to motbot, and HR (MOTBOT_HR_USERS).
        helped = connect_socket_mode(emulator).user("karin").runs("/mot help")
        karin = browser()
        karin.open(sign_in_link(emulator, KARIN, dashboard), timeout=10).close()
        with karin.open(f"{dashboard}/dashboard/pulse", timeout=10) as page:
            pulse = HttpResponse(page.status, page.read(), dict(page.headers))
            landed_on = page.url
        # Bolt checks no signature over Socket Mode, so PORT must not hand it requests.
        forged = post(dashboard + SLACK_EVENTS_PATH, unsigned_command(emulator, ALICE), FORM)
        # SIGINT runs motbot's own way out (waitress returns, then `motbot run`); SIGTERM,
        # which every other BotProcess test stops with, ends Python at once by default.
        stopping = time.monotonic()
        exit_code = bot.stop(signal.SIGINT)
        stopped_after = time.monotonic() - stopping

    assert helped.text == "motbot: moments of truth"
    assert landed_on == f"{dashboard}/dashboard/pulse", "her session cookie was enough"
    assert pulse.status == 200
    assert "<h1>Culture pulse</h1>" in pulse.text, pulse.text[:500]
    assert forged.status == 404, forged.text[:300]
    log = log_path.read_text()
    assert f"the dashboard: {dashboard}/dashboard/" in log
    assert "Traceback" not in log, log
    assert exit_code == 0
    assert stopped_after < STOP_SECONDS
