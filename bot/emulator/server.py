"""`Emulator`: the workspace, its clock, rate limits, faults and the HTTP server, together.

    with Emulator(demo_workspace(Clock.frozen_at())) as emulator:
        client = WebClient(base_url=emulator.api_url, token=emulator.workspace.bot.token)
        client.chat_postMessage(channel="U0ALICE01", text="hi")
        assert emulator.workspace.last_message(emulator.workspace.open_dm("U0ALICE01").id)

The server listens on loopback only, on a free port unless told otherwise, and serves
each request on its own thread (werkzeug's threaded server) so a request held by a
"timeout" fault does not stall the others.
"""

from __future__ import annotations

import logging
import threading
from types import TracebackType

from flask import Flask
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from bot.emulator.clock import Clock
from bot.emulator.faults import FaultInjector
from bot.emulator.oauth import Installs
from bot.emulator.ratelimit import RateLimiter
from bot.emulator.records import SlackError
from bot.emulator.state import Workspace
from bot.emulator.webapi import ApiCall, CallLog, create_webapi_app

log = logging.getLogger(__name__)

SHUTDOWN_POLL_SECONDS = 0.02


class _QuietRequestHandler(WSGIRequestHandler):
    """No access log line per request: tests make thousands. Errors are still logged."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


class Emulator:
    """A local Slack: state in memory, the Web API on http://127.0.0.1:<port>/api/.

    It starts with one workspace (`workspace`); `add_workspace` adds more, for apps
    installed in several over OAuth. A call's token says which workspace it acts on.
    """

    def __init__(
        self,
        workspace: Workspace | None = None,
        *,
        rate_limits: bool = False,
        fault_seed: int = 0,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.workspace = workspace or Workspace()
        self._workspaces = {self.workspace.team.id: self.workspace}
        self.installs = Installs()
        self.rate_limiter = RateLimiter(self.workspace.clock, enabled=rate_limits)
        self.faults = FaultInjector(seed=fault_seed)
        self.call_log = CallLog()
        self.app: Flask = create_webapi_app(self)
        self._host = host
        self._port = port
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def clock(self) -> Clock:
        return self.workspace.clock

    # ----------------------------------------------------------- workspaces

    def add_workspace(self, workspace: Workspace, *, installed: bool = True) -> Workspace:
        """Another workspace on the same Slack. Not `installed`: its bot token works only
        once an OAuth install has issued it."""
        if workspace.team.id in self._workspaces:
            raise ValueError(f"workspace {workspace.team.id} already exists")
        if any(w.bot.token == workspace.bot.token for w in self._workspaces.values()):
            raise ValueError("each workspace needs its own bot token")
        self._workspaces[workspace.team.id] = workspace
        if not installed:
            self.installs.revoke(workspace)
        return workspace

    def workspaces(self) -> list[Workspace]:
        return list(self._workspaces.values())

    def workspace_by_team(self, team_id: str) -> Workspace:
        try:
            return self._workspaces[team_id]
        except KeyError:
            raise SlackError("team_not_found") from None

    def workspace_by_token(self, token: str | None) -> Workspace:
        """The workspace a bot token acts on: `not_authed`, `invalid_auth` or
        `token_revoked` as Slack answers when there is none."""
        if not token:
            raise SlackError("not_authed")
        for workspace in self._workspaces.values():
            if workspace.bot.token == token:
                if self.installs.is_revoked(token):
                    raise SlackError("token_revoked")
                return workspace
        raise SlackError("invalid_auth")

    def workspace_of_response_url(self, token: str) -> Workspace:
        for workspace in self._workspaces.values():
            if workspace.has_response_url(token):
                return workspace
        raise SlackError("invalid_url")

    # ------------------------------------------------------------- lifecycle

    def start(self) -> str:
        """Start serving in a daemon thread; returns the base URL (http://127.0.0.1:PORT)."""
        if self._server is not None:
            return self.base_url
        self.faults.open()
        self._server = make_server(
            self._host, self._port, self.app, threaded=True, request_handler=_QuietRequestHandler
        )
        # A short poll interval, so stop() (which waits for the next poll) is quick.
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": SHUTDOWN_POLL_SECONDS},
            name=f"slack-emulator:{self._server.server_port}",
            daemon=True,
        )
        self._thread.start()
        log.info("Slack emulator serving on %s", self.base_url)
        return self.base_url

    def stop(self) -> None:
        """Stop serving; requests held by a "timeout" fault are released first."""
        if self._server is None:
            return
        self.faults.close()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._server = None
        self._thread = None

    def __enter__(self) -> Emulator:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # ----------------------------------------------------------------- URLs

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the emulator is not running: call start() first")
        return f"http://{self._host}:{self._server.server_port}"

    @property
    def api_url(self) -> str:
        """The Web API base URL, for WebClient(base_url=...) and SLACK_API_URL."""
        return f"{self.base_url}/api/"

    def response_url(
        self,
        channel_id: str,
        user_id: str,
        message_ts: str | None = None,
        *,
        workspace: Workspace | None = None,
    ) -> str:
        """A fresh response_url for a command or interaction by `user_id` in a channel
        (of `workspace`, by default the first).

        `message_ts` is the message the interaction came from, which `replace_original`
        and `delete_original` act on.
        """
        token = (workspace or self.workspace).issue_response_url(channel_id, user_id, message_ts)
        return f"{self.base_url}/hooks/response/{token}"

    # ------------------------------------------------------------ inspection

    def calls(self, method: str | None = None) -> list[ApiCall]:
        """The Web API calls received so far, oldest first, or only those to `method`."""
        return self.call_log.calls(method)
