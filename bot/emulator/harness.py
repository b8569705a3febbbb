"""Runs the real bot against the emulator: in this process (tests, benchmarks) or as the
`motbot run` process users deploy (the sandbox and the process round-trip test)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from bot.app import create_app
from bot.config import Settings
from bot.db.engine import make_session_factory
from bot.emulator.actors import World
from bot.emulator.inbound import InboundSender
from bot.emulator.server import Emulator
from bot.web.server import SLACK_EVENTS_PATH, create_web_app

SIGNING_SECRET = "emulator-signing-secret"
STARTUP_TIMEOUT_SECONDS = 30.0


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


def bot_environment(
    emulator: Emulator, *, database_url: str, port: int, extra: Mapping[str, str] = ()
) -> dict[str, str]:
    """The environment `motbot run` needs to serve the emulator's workspace."""
    workspace = emulator.workspace
    env = {
        "SLACK_BOT_TOKEN": workspace.bot.token,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": emulator.api_url,
        "DATABASE_URL": database_url,
        "PORT": str(port),
    }
    env.update(dict(extra))
    return env


def connect(emulator: Emulator, request_url: str) -> World:
    """The emulator's people, sending to the bot at `request_url`."""
    return World(emulator, InboundSender(request_url, SIGNING_SECRET))


@contextmanager
def bot_in_process(
    emulator: Emulator, engine: Engine, env: Mapping[str, str] = ()
) -> Iterator[World]:
    """The bot's App and HTTP edge on a loopback port in this process."""
    settings = Settings.from_env(
        bot_environment(emulator, database_url=str(engine.url), port=3000, extra=env)
    )
    bolt = create_app(settings, make_session_factory(engine))
    server: BaseWSGIServer = make_server(
        "127.0.0.1", 0, create_web_app(bolt, engine), threaded=True, request_handler=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield connect(emulator, f"http://127.0.0.1:{server.server_port}{SLACK_EVENTS_PATH}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class BotProcess:
    """`motbot run` as a child process, serving HTTP on a free port."""

    def __init__(
        self, env: Mapping[str, str], *, port: int, log_path: Path, cwd: Path | None = None
    ) -> None:
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
                [sys.executable, "-m", "bot", "run", "--host", "127.0.0.1"],
                env=self._env,
                cwd=self._cwd,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self._wait_until_healthy()

    def stop(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None

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
            try:
                with urllib.request.urlopen(self.base_url + "/healthz", timeout=1) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"motbot run did not become healthy within {STARTUP_TIMEOUT_SECONDS}s")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
