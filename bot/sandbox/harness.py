"""Runs the real bot against the emulator: in this process (tests, benchmarks) or as the
`motbot run` process users deploy (the sandbox and the process round-trip test)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlencode, urlsplit

from sqlalchemy import Engine
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from bot.app import create_app, start_up
from bot.config import Settings
from bot.db.engine import make_session_factory
from bot.db.types import utcnow
from bot.slack.socket_mode import socket_mode_handler
from bot.web.dashboard import install_dashboard
from bot.web.dashboard.signin import CALLBACK_PATH
from bot.web.server import SLACK_EVENTS_PATH, create_web_app
from slackemu.actors import World
from slackemu.inbound import InboundSender
from slackemu.server import Emulator
from slackemu.socket_mode import SocketModeSender
from slackemu.state import Workspace

SIGNING_SECRET = "emulator-signing-secret"
# Fixed so that tests are repeatable; a real deployment sets its own random key.
SECRET_KEY = "emulator-secret-key-for-pulse-response-keys"
STARTUP_TIMEOUT_SECONDS = 30.0

# How Slack's requests reach the bot: signed HTTP posts, or envelopes over Socket Mode.
Transport = Literal["http", "socket_mode"]
TRANSPORTS: tuple[Transport, ...] = ("http", "socket_mode")


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


def bot_environment(
    emulator: Emulator,
    *,
    database_url: str,
    port: int,
    extra: Mapping[str, str] = (),
    transport: Transport = "http",
) -> dict[str, str]:
    """The environment `motbot run` needs to serve the emulator's workspace: over HTTP
    on `port`, or with the emulator's app-level token, over Socket Mode."""
    workspace = emulator.workspace
    env = {
        "SLACK_BOT_TOKEN": workspace.bot.token,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "MOTBOT_SECRET_KEY": SECRET_KEY,
        "SLACK_API_URL": emulator.api_url,
        "DATABASE_URL": database_url,
        "PORT": str(port),
    }
    if transport == "socket_mode":
        env["SLACK_APP_TOKEN"] = emulator.socket_mode.app_token
    env.update(dict(extra))
    return env


DASHBOARD_CLIENT_ID = "1000000001.2000000002"
DASHBOARD_CLIENT_SECRET = "emulator-dashboard-client-secret"


def dashboard_environment(emulator: Emulator, port: int) -> dict[str, str]:
    """The settings that serve the web dashboard at http://127.0.0.1:`port`, with the app
    registered in the emulator for Sign in with Slack."""
    dashboard_url = f"http://127.0.0.1:{port}"
    emulator.openid.register_client(
        DASHBOARD_CLIENT_ID, DASHBOARD_CLIENT_SECRET, f"{dashboard_url}{CALLBACK_PATH}"
    )
    return {
        "MOTBOT_CLIENT_ID": DASHBOARD_CLIENT_ID,
        "MOTBOT_CLIENT_SECRET": DASHBOARD_CLIENT_SECRET,
        "MOTBOT_DASHBOARD_URL": dashboard_url,
    }


def sign_in_link(emulator: Emulator, user_id: str, dashboard_url: str) -> str:
    """A link that signs `user_id` in to the emulated Slack, then opens the dashboard
    (which signs them in with Slack at once)."""
    query = urlencode({"user": user_id, "next": f"{dashboard_url}/dashboard/"})
    return f"{emulator.base_url}/openid/connect/sign-in-as?{query}"


def connect(
    emulator: Emulator,
    request_url: str,
    settle: Callable[[], None] | None = None,
    *,
    workspace: Workspace | None = None,
) -> World:
    """The people of `workspace` (default: the emulator's first), sending to the bot at
    `request_url`.

    After each request, `settle` waits until the bot has finished the work the request
    started; by default, until the bot has made no Web API call for a moment.
    """
    settle = settle or (lambda: wait_for_quiet(emulator))
    return World(emulator, InboundSender(request_url, SIGNING_SECRET, settle=settle), workspace)


def connect_socket_mode(emulator: Emulator, settle: Callable[[], None] | None = None) -> World:
    """The people of the emulator's first workspace, their actions sent as envelopes to
    whichever bot is connected over Socket Mode; `settle` as in `connect`."""
    settle = settle or (lambda: wait_for_quiet(emulator))
    return World(emulator, SocketModeSender(emulator.socket_mode, settle=settle))


def wait_for_quiet(
    emulator: Emulator, quiet_seconds: float = 0.3, limit_seconds: float = 5.0
) -> None:
    """Wait until the emulator has seen no Web API call for `quiet_seconds`."""
    started = last_change = time.monotonic()
    seen = len(emulator.calls())
    while time.monotonic() - started < limit_seconds:
        time.sleep(0.05)
        count = len(emulator.calls())
        if count != seen:
            seen, last_change = count, time.monotonic()
        elif time.monotonic() - last_change >= quiet_seconds:
            return


class TrackingExecutor(ThreadPoolExecutor):
    """Runs Bolt's listeners and can wait until none is running, so that an in-process
    test sees everything a request caused without sleeping."""

    def __init__(self, max_workers: int = 16) -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix="bolt-listener")
        self._pending: set[Future[Any]] = set()
        self._pending_lock = threading.Lock()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future = super().submit(fn, *args, **kwargs)
        with self._pending_lock:
            self._pending.add(future)
        future.add_done_callback(self._forget)
        return future

    def wait_idle(self, timeout_seconds: float = 30.0) -> None:
        while True:
            with self._pending_lock:
                pending = list(self._pending)
            if not pending:
                return
            _, not_done = wait(pending, timeout=timeout_seconds)
            if not_done:
                raise TimeoutError(f"{len(not_done)} listener(s) still running")

    def _forget(self, future: Future[Any]) -> None:
        with self._pending_lock:
            self._pending.discard(future)


@contextmanager
def bot_in_process(
    emulator: Emulator,
    engine: Engine,
    env: Mapping[str, str] = (),
    clock: Callable[[], datetime] = utcnow,
    *,
    transport: Transport = "http",
) -> Iterator[World]:
    """The bot's App in this process, telling the time by `clock`, with its HTTP edge on
    a loopback port, or connected to the emulator over Socket Mode."""
    settings = Settings.from_env(
        bot_environment(
            emulator, database_url=str(engine.url), port=3000, extra=env, transport=transport
        )
    )
    executor = TrackingExecutor()
    sessions = make_session_factory(engine)
    bolt = create_app(settings, sessions, listener_executor=executor, clock=clock)
    start_up(bolt, settings, sessions)
    if transport == "socket_mode":
        handler = socket_mode_handler(bolt, settings.slack_app_token)
        handler.connect()
        try:
            emulator.socket_mode.wait_for_connections(1)
            yield connect_socket_mode(emulator, settle=executor.wait_idle)
        finally:
            # Closed from Slack's end first: slack_sdk's client otherwise waits out a
            # blocking read (three seconds) before it lets go of the connection; and an
            # empty message wakes its queue reader, which would wait out a second.
            handler.client.auto_reconnect_enabled = False
            emulator.socket_mode.close_connections()
            handler.client.message_queue.put("")
            handler.close()
            executor.shutdown(wait=True)
        return
    web = create_web_app(bolt, sessions)
    port = 0  # any free one
    if settings.dashboard and settings.dashboard_url:
        install_dashboard(web, settings)
        port = urlsplit(settings.dashboard_url).port or 0  # where the browser is sent back
    server: BaseWSGIServer = make_server(
        "127.0.0.1", port, web, threaded=True, request_handler=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}{SLACK_EVENTS_PATH}"
        yield connect(emulator, url, settle=executor.wait_idle)
    finally:
        executor.shutdown(wait=True)
        server.shutdown()
        server.server_close()
        thread.join()


class BotProcess:
    """`motbot run` as a child process, serving HTTP on a free port, or connected to the
    emulator over Socket Mode when `env` holds SLACK_APP_TOKEN."""

    def __init__(
        self,
        env: Mapping[str, str],
        *,
        port: int,
        log_path: Path,
        cwd: Path | None = None,
        options: Sequence[str] = (),
        ready: Callable[[], bool] | None = None,
    ) -> None:
        """`ready` says when the process serves Slack; by default, once GET /healthz
        answers (a Socket Mode process serves no HTTP: pass a check of its connection)."""
        self.options = tuple(options)
        self._ready = ready or self._healthy
        self.port = port
        self.log_path = log_path
        self._env = {**os.environ, **env}
        self._cwd = cwd
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def request_url(self) -> str:
        return self.base_url + SLACK_EVENTS_PATH

    def start(self) -> None:
        with self.log_path.open("wb") as log:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "bot", "run", "--host", "127.0.0.1", *self.options],
                env=self._env,
                cwd=self._cwd,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            self._wait_until_healthy()
        except BaseException:  # a `ready` that raises, too: `with` would not stop it then
            self.stop()
            raise

    def stop(self, stop_signal: signal.Signals = signal.SIGTERM) -> int | None:
        """Stop the process with `stop_signal` (SIGTERM as `docker stop` sends, or SIGINT
        as Ctrl-C does), killing it if it still runs after ten seconds; return its exit
        code, or None if it was not running."""
        if self._process is None:
            return None
        self._process.send_signal(stop_signal)
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        exit_code = self._process.returncode
        self._process = None
        return exit_code

    def __enter__(self) -> BotProcess:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        assert self._process is not None
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(
                    f"motbot run exited with {self._process.returncode}:\n"
                    + self.log_path.read_text(errors="replace")[-3000:]
                )
            if self._ready():
                return
            time.sleep(0.1)
        raise RuntimeError(f"motbot run did not become healthy within {STARTUP_TIMEOUT_SECONDS}s")

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.base_url + "/healthz", timeout=1) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
