"""`Emulator`: the workspace, its clock, rate limits, faults and the HTTP server, together.

    with Emulator(demo_workspace(Clock.frozen_at())) as emulator:
        client = WebClient(base_url=emulator.api_url, token=emulator.workspace.bot.token)
        client.chat_postMessage(channel="U0ALICE01", text="hi")
        assert emulator.workspace.last_message(emulator.workspace.open_dm("U0ALICE01").id)

The server listens on loopback only, on a free port unless told otherwise, and serves
each connection on its own thread (werkzeug's threaded server) so a request held by a
"timeout" fault does not stall the others. It speaks HTTP/1.1 with keep-alive: a client
that reuses its connection saves a TCP handshake and a server thread per call, and one
that does not (slack_sdk's WebClient says `Connection: close`) is served as before.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import struct
import threading
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import IO, Any

from flask import Flask
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler
from werkzeug.wsgi import LimitedStream, get_content_length

from slackemu.clock import Clock
from slackemu.faults import RESET_CONNECTION, FaultInjector
from slackemu.oauth import Installs
from slackemu.openid import OpenIDConnect
from slackemu.ratelimit import RateLimiter
from slackemu.records import SlackError
from slackemu.socket_mode import SocketModeHub
from slackemu.state import Workspace
from slackemu.webapi import ApiCall, CallLog, create_webapi_app

log = logging.getLogger(__name__)

SHUTDOWN_POLL_SECONDS = 0.02


_WSGIApp = Callable[[dict[str, Any], Callable[..., object]], Iterable[bytes]]
# Hop-by-hop headers: how the answer travels on this connection is the server's business.
_CONNECTION_HEADERS = frozenset({"connection", "keep-alive", "transfer-encoding"})


class _Server(ThreadedWSGIServer):
    """werkzeug's threaded server, knowing which connections wait for a next request,
    so that stopping closes them instead of leaving their threads waiting."""

    def __init__(self, host: str, port: int, app: Flask) -> None:
        self._busy: dict[socket.socket, bool] = {}  # open connections: answering a request?
        self._busy_lock = threading.Lock()
        self.stopping = False
        super().__init__(host, port, app, handler=_RequestHandler)

    def mark(self, connection: socket.socket, *, busy: bool) -> None:
        with self._busy_lock:
            self._busy[connection] = busy
            closing = self.stopping and not busy
        if closing:  # accepted just before stopping
            _close(connection)

    def forget(self, connection: socket.socket) -> None:
        with self._busy_lock:
            self._busy.pop(connection, None)

    def close_idle_connections(self) -> None:
        """Serve no more requests on kept-alive connections: close the idle ones now
        (their threads wake up to an end of stream), the busy ones once answered."""
        with self._busy_lock:
            self.stopping = True
            idle = [connection for connection, busy in self._busy.items() if not busy]
        for connection in idle:
            _close(connection)


def _close(connection: socket.socket) -> None:
    with contextlib.suppress(OSError):  # the client has closed it already
        connection.shutdown(socket.SHUT_RDWR)


class _RequestHandler(WSGIRequestHandler):
    """HTTP/1.1 with keep-alive, and no access log line per request (tests make
    thousands; errors are still logged).

    werkzeug's own handler closes every connection, as it cannot tell where a request
    body ends. This one reads each body to its end (by Content-Length, or chunked), what
    the app left unread included, and gives every answer a Content-Length, so the next
    request on the connection starts where it should. Answers are small, so each is
    built whole before it is sent.
    """

    protocol_version = "HTTP/1.1"
    wbufsize = 64 * 1024  # so that an answer's head and body leave in one send
    disable_nagle_algorithm = True  # and a longer answer's last piece without delay
    server: _Server

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass

    def setup(self) -> None:
        super().setup()
        self.server.mark(self.connection, busy=False)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.forget(self.connection)

    def handle_one_request(self) -> None:
        self.server.mark(self.connection, busy=False)  # until a request line arrives
        super().handle_one_request()

    def parse_request(self) -> bool:
        self.server.mark(self.connection, busy=True)
        return super().parse_request()

    def run_wsgi(self) -> None:
        if self.headers.get("Expect", "").lower().strip(" \t") == "100-continue":
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            self.wfile.flush()  # the client waits for it before sending the body
        self.environ = environ = self.make_environ()
        body = self._delimit_body(environ)
        try:
            answer = _call_app(self.server.app, environ)
        except Exception:
            log.exception("emulator failed to serve %s %s", self.command, self.path)
            self.close_connection = True
            answer = _call_app(InternalServerError(), environ)
        if environ.get(RESET_CONNECTION):
            self._reset()  # a "reset" fault (faults.py): no answer at all
            return
        try:
            body.readall()  # what the app left unread
        except (OSError, HTTPException):  # a broken chunk, or the client went away
            self.close_connection = True
        if self.server.stopping:
            self.close_connection = True
        self._send(*answer)

    def _reset(self) -> None:
        """Cut the connection with a TCP reset (RST) instead of answering."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            # A linger of zero makes close() send RST rather than FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        # The handler's files still refer to the socket and would keep it open until the
        # handler ends (then with FIN first): close the descriptor itself now. The closed
        # socket object makes what the handler does next with it a no-op.
        socket.socket(fileno=self.connection.detach()).close()

    def _delimit_body(self, environ: dict[str, Any]) -> IO[bytes]:
        """The request body as a stream that ends where the body does, as WSGI input."""
        if environ.get("wsgi.input_terminated"):
            return environ["wsgi.input"]  # chunked: werkzeug's DechunkedInput ends with it
        if not str(environ.get("CONTENT_LENGTH", "0")).strip().isdigit():
            self.close_connection = True  # no telling where the next request would start
        body = LimitedStream(environ["wsgi.input"], get_content_length(environ) or 0)
        environ["wsgi.input"] = body
        return body

    def _send(self, status: str, headers: list[tuple[str, str]], content: bytes) -> None:
        code_text, _, reason = status.partition(" ")
        code = int(code_text)
        # A HEAD answer keeps the app's Content-Length: that of the body it would have.
        has_body = not (self.command == "HEAD" or 100 <= code < 200 or code in (204, 304))
        server_sets = _CONNECTION_HEADERS | {"content-length"} if has_body else _CONNECTION_HEADERS
        self.send_response(code, reason)
        for name, value in headers:
            if name.lower() not in server_sets:
                self.send_header(name, value)
        if has_body:
            self.send_header("Content-Length", str(len(content)))
        if self.close_connection:
            self.send_header("Connection", "close")
        elif self.request_version == "HTTP/1.0":
            self.send_header("Connection", "keep-alive")  # it asked; 1.0 closes otherwise
        self.end_headers()
        if has_body:
            self.wfile.write(content)


def _call_app(app: _WSGIApp, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
    """A WSGI app's answer, whole: (status, headers, body)."""
    started: list[tuple[str, list[tuple[str, str]]]] = []
    chunks: list[bytes] = []

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: object = None
    ) -> Callable[[bytes], None]:
        started[:] = [(status, headers)]  # nothing is sent yet, so an error may replace it
        return chunks.append

    result = app(environ, start_response)
    try:
        chunks.extend(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    status, headers = started[0]
    return status, headers, b"".join(chunks)


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
        self.openid = OpenIDConnect()  # Sign in with Slack: register_client(...)
        self.rate_limiter = RateLimiter(self.workspace.clock, enabled=rate_limits)
        self.faults = FaultInjector(seed=fault_seed)
        self.call_log = CallLog()
        # Socket Mode listens only once the app asks for a connection.
        self.socket_mode = SocketModeHub(self.workspace.bot.app_id, host=host)
        self.app: Flask = create_webapi_app(self)
        self._host = host
        self._port = port
        self._server: _Server | None = None
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
        self._server = _Server(self._host, self._port, self.app)
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
        """Stop serving; requests held by a "timeout" fault are released first, and
        kept-alive connections are closed."""
        if self._server is None:
            return
        self.faults.close()
        self.socket_mode.stop()
        self._server.shutdown()
        self._server.close_idle_connections()
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
