"""The Slack Web API over HTTP, answering as slack.com does.

`create_webapi_app(emulator)` returns a Flask app serving `/api/<method>`:

- form-encoded and JSON bodies; JSON needs `Authorization: Bearer` (Slack ignores a
  token inside a JSON body), form and query strings may carry `token` instead;
- `not_authed` without a token, `invalid_auth` with a wrong one;
- `unknown_method` (HTTP 200) for methods the emulator does not serve;
- `invalid_arguments` for missing required arguments, `invalid_blocks` for bad
  Block Kit, and each method's own errors, with Slack's response shapes;
- HTTP 429 + Retry-After when a rate limit is on and exceeded (ratelimit.py), and
  whatever faults a test armed (faults.py).

It also serves the response_url endpoint (`/hooks/response/<token>`), through which
an app answers a slash command or interaction.

Every call is recorded in the emulator's `CallLog`, answered or not.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from flask import Flask, Request, Response, request

from slackemu.blockkit import (
    MESSAGE_TEXT_MAX_LENGTH,
    validate_message_blocks,
    validate_view,
)
from slackemu.faults import BAD_GATEWAY_PAGE, RESET_CONNECTION, FaultInjector
from slackemu.oauth import Installs
from slackemu.ratelimit import RateLimiter
from slackemu.records import JSON, Channel, SlackError
from slackemu.socket_mode import SocketModeHub
from slackemu.state import Workspace

_T = TypeVar("_T")
log = logging.getLogger(__name__)
MAX_PAGE_SIZE = 1000


# ------------------------------------------------------------------ call records


@dataclass(frozen=True)
class ApiCall:
    """One request the emulator answered: what was asked, and what it said.

    The answer is kept as the JSON text that was sent: parsed, a fan-out's thousands of
    answers would weigh on the emulator's memory and garbage collection, call after call.
    """

    method: str  # "chat.postMessage", or "response_url" for response_url posts
    args: JSON  # the arguments, without the token
    status: int
    body: str = field(repr=False)  # the answer, as sent
    at: float  # emulator time the request arrived
    ok: bool
    error: str | None

    @property
    def response(self) -> JSON:
        """The answer, parsed afresh: changing it changes nothing in the log."""
        body: JSON = json.loads(self.body)
        return body


class CallLog:
    """The calls the emulator answered, in order of arrival, for tests to inspect."""

    def __init__(self) -> None:
        self._calls: list[ApiCall] = []
        self._lock = threading.Lock()

    def record(self, call: ApiCall) -> None:
        with self._lock:
            self._calls.append(call)

    def calls(self, method: str | None = None) -> list[ApiCall]:
        """Every call so far, oldest first, or only those to `method`."""
        with self._lock:
            return [call for call in self._calls if method is None or call.method == method]

    def clear(self) -> None:
        with self._lock:
            self._calls.clear()


class EmulatorParts(Protocol):
    """What the Web API needs from the emulator (server.Emulator provides it)."""

    workspace: Workspace
    rate_limiter: RateLimiter
    faults: FaultInjector
    call_log: CallLog
    installs: Installs
    socket_mode: SocketModeHub

    def workspaces(self) -> list[Workspace]: ...

    def workspace_by_team(self, team_id: str) -> Workspace: ...

    def workspace_by_token(self, token: str | None) -> Workspace: ...

    def workspace_of_response_url(self, token: str) -> Workspace: ...


# -------------------------------------------------------------------- arguments


class Arguments:
    """A request's arguments, from a form, a query string or a JSON body.

    Form values are strings ("true", "[{...}]"); JSON values keep their types. The
    accessors accept both, as Slack does.
    """

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = dict(values)

    def as_dict(self) -> JSON:
        return dict(self._values)

    def has(self, name: str) -> bool:
        return self._values.get(name) not in (None, "")

    def text(self, name: str) -> str | None:
        value = self._values.get(name)
        return None if value in (None, "") else str(value)

    def flag(self, name: str) -> bool:
        return self._values.get(name) in (True, 1, "1", "true", "True")

    def integer(self, name: str, default: int) -> int:
        value = self._values.get(name)
        if value in (None, ""):
            return default
        try:
            return int(value)
        except (TypeError, ValueError) as error:
            raise _invalid_argument(f"{name} must be an integer") from error

    def id_list(self, name: str) -> list[str]:
        """A comma-separated list (form) or a JSON array of ids."""
        value = self._values.get(name)
        if isinstance(value, list):
            return [str(item).strip() for item in value if str(item).strip()]
        return [part.strip() for part in str(value or "").split(",") if part.strip()]

    def structured(self, name: str, *, error: str) -> Any:
        """A JSON argument: given as JSON, or as a JSON string in a form; `error` if bad."""
        value = self._values.get(name)
        if not isinstance(value, str):
            return value
        if not value.strip():
            return None
        try:
            return json.loads(value)
        except ValueError as parse_error:
            raise SlackError(error, f"{name} is not valid JSON") from parse_error


def _invalid_argument(reason: str) -> SlackError:
    return SlackError("invalid_arguments", reason, messages=[f"[ERROR] {reason}"])


# ------------------------------------------------------------ method registry


@dataclass(frozen=True)
class ApiRequest:
    args: Arguments
    workspace: Workspace

    @property
    def now(self) -> float:
        return self.workspace.clock.now()


Handler = Callable[[ApiRequest], JSON]


@dataclass(frozen=True)
class ApiMethod:
    name: str
    handler: Handler
    required: tuple[str, ...] = ()  # beyond the token; from ../shared/slack-api-ref
    reads: bool = False  # also served on GET, as slack_sdk calls read methods with GET


METHODS: dict[str, ApiMethod] = {}


def _method(
    name: str, *, required: Sequence[str] = (), reads: bool = False
) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        METHODS[name] = ApiMethod(name, handler, tuple(required), reads)
        return handler

    return register


# ------------------------------------------------------------------ the app


def create_webapi_app(emulator: EmulatorParts) -> Flask:
    app = Flask("slackemu")

    @app.route("/api/<method_name>", methods=["GET", "POST"])
    def api(method_name: str) -> Response:
        return _serve_api_call(emulator, method_name, request)

    @app.post("/hooks/response/<token>")
    def response_url(token: str) -> Response:
        return _serve_response_url(emulator, token, request)

    @app.get("/oauth/v2/authorize")
    def authorize() -> Response:
        return _serve_authorize(emulator, request)

    return app


@dataclass
class _Answer:
    status: int
    body: JSON
    headers: dict[str, str] = field(default_factory=dict)
    # An HTML page sent instead of `body` (a proxy's error page); `body` is what is logged.
    page: str | None = None


def _serve_api_call(emulator: EmulatorParts, method_name: str, http: Request) -> Response:
    arrived = emulator.workspace.clock.now()
    values, token, parse_error = _read_request(http)
    basic = _basic_credentials(http.headers.get("Authorization", ""))
    answer = _answer_api_call(emulator, method_name, http.method, values, token, parse_error, basic)
    return _logged_response(emulator, method_name, values, answer, arrived)


def _answer_api_call(
    emulator: EmulatorParts,
    method_name: str,
    http_method: str,
    values: JSON,
    token: str | None,
    parse_error: str | None,
    basic: tuple[str, str] | None = None,
) -> _Answer:
    fault = emulator.faults.take(method_name)
    if fault is not None and fault.kind == "timeout":
        emulator.faults.hold(fault)  # then answer normally: the client has given up by now
    elif fault is not None and fault.kind == "lost":
        emulator.faults.hold(fault)  # then nothing is done: the request never reached Slack
        return _Answer(fault.status, {"ok": False, "error": "service_unavailable"})
    elif fault is not None and fault.kind == "ratelimited":
        return _Answer(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"})
    elif fault is not None and fault.kind == "bad_gateway_html":
        # A load balancer's page, not Slack's JSON; the request never reached Slack.
        return _Answer(502, {"ok": False, "error": "bad_gateway"}, page=BAD_GATEWAY_PAGE)
    elif fault is not None and fault.kind == "reset":
        # server.py cuts the connection instead of sending this; nothing is done.
        request.environ[RESET_CONNECTION] = True
        return _Answer(fault.status, {"ok": False, "error": "connection_reset"})
    elif fault is not None:
        return _Answer(fault.status, {"ok": False, "error": "internal_error"})

    if method_name == CONNECTIONS_OPEN:
        # Called with the app-level token, which belongs to the app, not a workspace.
        try:
            return _Answer(200, {"ok": True, "url": emulator.socket_mode.connection_url(token)})
        except SlackError as error:
            return _Answer(200, _error_body(error))
    if method_name == OAUTH_ACCESS:
        try:
            if parse_error:
                raise SlackError(parse_error)
            return _Answer(200, {"ok": True, **_oauth_access(emulator, Arguments(values), basic)})
        except SlackError as error:
            return _Answer(200, _error_body(error))
    method = METHODS.get(method_name)
    if method is None:
        return _Answer(200, {"ok": False, "error": "unknown_method", "req_method": method_name})
    if http_method == "GET" and not method.reads:
        return _Answer(
            405,
            {
                "ok": False,
                "error": "method_not_allowed",
                "detail": f"{method_name} is served on POST only",
            },
        )
    try:
        if parse_error:
            raise SlackError(parse_error)
        workspace = emulator.workspace_by_token(token)
        args = Arguments(values)
        wait = emulator.rate_limiter.acquire(token or "", method_name, args.text("channel"))
        if wait is not None:
            retry_after = emulator.rate_limiter.retry_after_header(wait)
            return _Answer(
                429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)}
            )
        missing = [name for name in method.required if not args.has(name)]
        if missing:
            raise SlackError(
                "invalid_arguments",
                ", ".join(missing),
                messages=[f"[ERROR] missing required field: {name}" for name in missing],
            )
        body = method.handler(ApiRequest(args, workspace))
    except SlackError as error:
        return _Answer(200, _error_body(error))
    except Exception:
        # A bug in the emulator, not in the caller: answer like Slack's own failures,
        # and keep the call in the log so the test that met it can see it.
        log.exception("emulator failed to serve %s", method_name)
        return _Answer(500, {"ok": False, "error": "internal_error"})
    return _Answer(200, {"ok": True, **body})


def _read_request(http: Request) -> tuple[JSON, str | None, str | None]:
    """(arguments without the token, the token, an error code if the body is unreadable)."""
    values: JSON = {key: http.args.get(key) for key in http.args}
    bearer = _bearer_token(http.headers.get("Authorization", ""))
    # slack_sdk labels even body-less calls (auth.test) JSON; an empty body is no body.
    if http.is_json and http.get_data(cache=True).strip():
        body = http.get_json(silent=True)
        if not isinstance(body, dict):
            return values, bearer, "invalid_json"
        values.update(body)
        values.pop("token", None)  # Slack reads a JSON request's token from the header only
        return values, bearer, None
    values.update({key: http.form.get(key) for key in http.form})
    form_token = values.pop("token", None)
    return values, bearer or form_token, None


def _bearer_token(header: str) -> str | None:
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return credentials.strip() or None


def _basic_credentials(header: str) -> tuple[str, str] | None:
    """(client id, client secret) from HTTP Basic authentication, which slack_sdk uses
    for oauth.v2.access."""
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, separator, client_secret = decoded.partition(":")
    return (client_id, client_secret) if separator else None


def _error_body(error: SlackError) -> JSON:
    body: JSON = {"ok": False, "error": error.error}
    if error.messages:
        body["response_metadata"] = {"messages": list(error.messages)}
    return body


def _logged_response(
    emulator: EmulatorParts, method_name: str, args: JSON, answer: _Answer, arrived: float
) -> Response:
    """The HTTP answer, recorded in the call log as it is sent."""
    body = answer.page if answer.page is not None else json.dumps(answer.body, ensure_ascii=False)
    error = answer.body.get("error")
    emulator.call_log.record(
        ApiCall(
            method_name,
            args,
            answer.status,
            body,
            arrived,
            ok=bool(answer.body.get("ok")),
            error=str(error) if error is not None else None,
        )
    )
    if answer.page is not None:
        response = Response(answer.page, status=answer.status, mimetype="text/html")
    else:
        response = Response(body, status=answer.status, mimetype="application/json")
    response.headers.update(answer.headers)
    return response


# --------------------------------------------------------------- shared rules


def _message_content(args: Arguments) -> tuple[str, list[JSON]]:
    """A message's text and blocks, checked as chat.* methods check them."""
    text = args.text("text") or ""
    blocks = args.structured("blocks", error="invalid_blocks_format")
    if blocks is not None and not isinstance(blocks, list):
        raise SlackError("invalid_blocks_format")
    problems = validate_message_blocks(blocks) if blocks else []
    if problems:
        raise SlackError("invalid_blocks", messages=[f"[ERROR] {p}" for p in problems])
    if len(text) > MESSAGE_TEXT_MAX_LENGTH:
        raise SlackError("msg_too_long")
    if not text and not blocks and not args.has("attachments"):
        raise SlackError("no_text")
    return text, list(blocks or [])


def _view_payload(args: Arguments, *, view_type: str | None) -> JSON:
    """The `view` argument, validated; Slack answers bad views with invalid_arguments."""
    view = args.structured("view", error="invalid_arguments")
    problems = validate_view(view)
    if not problems and view_type is not None and view.get("type") != view_type:
        raise _invalid_argument(f"must be {view_type} [json-pointer:/view/type]")
    if problems:
        raise SlackError(
            "invalid_arguments", str(problems[0]), messages=[f"[ERROR] {p}" for p in problems]
        )
    return dict(view)


def _visible_channel(call: ApiRequest, channel_id: str) -> Channel:
    """A conversation the bot can see: private ones it is not in do not exist for it."""
    workspace = call.workspace
    channel = workspace.channel_by_id(channel_id)
    if not workspace.can_see(channel.id, workspace.bot.user_id):
        raise SlackError("channel_not_found", channel_id)
    return channel


def _page(
    items: Sequence[_T],
    item_id: Callable[[_T], str],
    args: Arguments,
    *,
    kind: str,
    default_limit: int,
) -> tuple[list[_T], str]:
    """One page of `items` and the cursor of the next ("" on the last), as Slack pages.

    Cursors are base64 of "<kind>:<id of the next item>", the shape Slack's have.
    """
    limit = args.integer("limit", default_limit)
    if limit < 0:
        raise SlackError("invalid_limit")
    limit = min(limit or MAX_PAGE_SIZE, MAX_PAGE_SIZE)
    start = 0
    cursor = args.text("cursor")
    if cursor:
        next_id = _decode_cursor(cursor, kind)
        ids = [item_id(item) for item in items]
        if next_id not in ids:
            raise SlackError("invalid_cursor")
        start = ids.index(next_id)
    end = start + limit
    next_cursor = _encode_cursor(kind, item_id(items[end])) if end < len(items) else ""
    return list(items[start:end]), next_cursor


def _encode_cursor(kind: str, item_id: str) -> str:
    return base64.b64encode(f"{kind}:{item_id}".encode()).decode()


def _decode_cursor(cursor: str, kind: str) -> str:
    try:
        decoded = base64.b64decode(cursor, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as error:
        raise SlackError("invalid_cursor") from error
    prefix, _, item_id = decoded.partition(":")
    if prefix != kind or not item_id:
        raise SlackError("invalid_cursor")
    return item_id


# -------------------------------------------------------------- auth and team


@_method("auth.test")
def _auth_test(call: ApiRequest) -> JSON:
    team, bot = call.workspace.team, call.workspace.bot
    return {
        "url": f"https://{team.domain}.slack.com/",
        "team": team.name,
        "user": bot.name,
        "team_id": team.id,
        "user_id": bot.user_id,
        "bot_id": bot.bot_id,
        "is_enterprise_install": False,
    }


OAUTH_ACCESS = "oauth.v2.access"
CONNECTIONS_OPEN = "apps.connections.open"


def _oauth_access(emulator: EmulatorParts, args: Arguments, basic: tuple[str, str] | None) -> JSON:
    """oauth.v2.access takes the app's credentials, not a token: as HTTP Basic (what
    slack_sdk sends) or as client_id and client_secret arguments."""
    client_id, client_secret = basic or (args.text("client_id"), args.text("client_secret"))
    return emulator.installs.exchange(
        {workspace.team.id: workspace for workspace in emulator.workspaces()},
        client_id=client_id,
        client_secret=client_secret,
        code=args.text("code"),
        redirect_uri=args.text("redirect_uri"),
        now=emulator.workspace.clock.now(),
    )


def _serve_authorize(emulator: EmulatorParts, http: Request) -> Response:
    """The page where a person approves an install; here they approve at once. Slack's
    own `team` parameter picks the workspace; `user` (the emulator's) picks who."""
    query = http.args
    try:
        workspace = emulator.workspace_by_team(query.get("team") or emulator.workspace.team.id)
        user_id = query.get("user") or _first_admin(workspace)
        location = emulator.installs.authorize(
            workspace,
            client_id=query.get("client_id", ""),
            user_id=user_id,
            scopes=query.get("scope", ""),
            state=query.get("state", ""),
            redirect_uri=query.get("redirect_uri"),
            now=workspace.clock.now(),
        )
    except SlackError as error:
        return Response(f"Installation failed: {error.error}", status=400, mimetype="text/plain")
    return Response(status=302, headers={"Location": location})


def _first_admin(workspace: Workspace) -> str:
    for user in workspace.users():
        if user.is_admin and not user.is_bot:
            return user.id
    raise SlackError("no_admin_to_approve")


@_method("team.info", reads=True)
def _team_info(call: ApiRequest) -> JSON:
    return {"team": call.workspace.team.to_api()}


# -------------------------------------------------------------------- users


@_method("users.info", required=["user"], reads=True)
def _users_info(call: ApiRequest) -> JSON:
    user = call.workspace.user_by_id(call.args.text("user") or "")
    return {
        "user": user.to_api(
            call.workspace.team.id, call.now, include_locale=call.args.flag("include_locale")
        )
    }


@_method("users.list", reads=True)
def _users_list(call: ApiRequest) -> JSON:
    page, next_cursor = _page(
        call.workspace.users(), lambda u: u.id, call.args, kind="user", default_limit=0
    )
    include_locale = call.args.flag("include_locale")
    members = [
        user.to_api(call.workspace.team.id, call.now, include_locale=include_locale)
        for user in page
    ]
    return {
        "members": members,
        "cache_ts": int(call.now),
        "response_metadata": {"next_cursor": next_cursor},
    }


@_method("users.lookupByEmail", required=["email"], reads=True)
def _users_lookup_by_email(call: ApiRequest) -> JSON:
    user = call.workspace.user_by_email(call.args.text("email") or "")
    return {"user": user.to_api(call.workspace.team.id, call.now)}


# ------------------------------------------------------------ conversations


@_method("conversations.open")
def _conversations_open(call: ApiRequest) -> JSON:
    workspace = call.workspace
    channel_id = call.args.text("channel")
    users = call.args.id_list("users")
    if channel_id:
        channel = workspace.channel_by_id(channel_id)
        if not channel.is_im or not workspace.can_see(channel.id, workspace.bot.user_id):
            raise SlackError("method_not_supported_for_channel_type")
    elif not users:
        raise SlackError("users_list_not_supplied")
    elif len(users) > 1:
        # Multi-person DMs (mpim) are not something the bot opens.
        raise _invalid_argument("the emulator opens 1:1 DMs only: pass one user")
    else:
        already_open = workspace.find_dm(users[0]) is not None
        channel = workspace.open_dm(users[0])
        if call.args.flag("return_im"):
            return {
                "no_op": already_open,
                "already_open": already_open,
                "channel": channel.to_api(),
            }
    return {"channel": channel.to_api() if call.args.flag("return_im") else {"id": channel.id}}


@_method("conversations.info", required=["channel"], reads=True)
def _conversations_info(call: ApiRequest) -> JSON:
    channel = _visible_channel(call, call.args.text("channel") or "")
    return {"channel": channel.to_api(include_num_members=call.args.flag("include_num_members"))}


@_method("conversations.members", required=["channel"], reads=True)
def _conversations_members(call: ApiRequest) -> JSON:
    channel = _visible_channel(call, call.args.text("channel") or "")
    page, next_cursor = _page(
        sorted(channel.members), lambda m: m, call.args, kind="member", default_limit=100
    )
    return {"members": page, "response_metadata": {"next_cursor": next_cursor}}


@_method("conversations.join", required=["channel"])
def _conversations_join(call: ApiRequest) -> JSON:
    workspace = call.workspace
    channel = workspace.channel_by_id(call.args.text("channel") or "")
    if channel.is_private or channel.is_im:
        # Apps are invited to private channels; they cannot join them.
        raise SlackError("method_not_supported_for_channel_type")
    already_in = workspace.bot.user_id in channel.members
    joined = workspace.join_channel(channel.id, workspace.bot.user_id)
    body: JSON = {"channel": joined.to_api()}
    if already_in:
        body["warning"] = "already_in_channel"
        body["response_metadata"] = {"warnings": ["already_in_channel"]}
    return body


# --------------------------------------------------------------- usergroups


@_method("usergroups.list", reads=True)
def _usergroups_list(call: ApiRequest) -> JSON:
    include_users = call.args.flag("include_users")
    return {
        "usergroups": [
            group.to_api(call.workspace.team.id, include_users=include_users)
            for group in call.workspace.user_groups()
        ]
    }


@_method("usergroups.users.list", required=["usergroup"], reads=True)
def _usergroups_users_list(call: ApiRequest) -> JSON:
    return {"users": call.workspace.user_group_by_id(call.args.text("usergroup") or "").users}


# --------------------------------------------------------------------- chat


@_method("chat.postMessage", required=["channel"])
def _chat_post_message(call: ApiRequest) -> JSON:
    workspace = call.workspace
    channel = workspace.resolve_conversation(call.args.text("channel") or "")
    text, blocks = _message_content(call.args)
    metadata = call.args.structured("metadata", error="invalid_metadata_format")
    message = workspace.post_message(
        channel.id,
        workspace.bot.user_id,
        text=text,
        blocks=blocks,
        thread_ts=call.args.text("thread_ts"),
        metadata=metadata,
    )
    return {"channel": channel.id, "ts": message.ts, "message": message.to_api(workspace.team.id)}


@_method("chat.postEphemeral", required=["channel", "user"])
def _chat_post_ephemeral(call: ApiRequest) -> JSON:
    workspace = call.workspace
    channel = workspace.resolve_conversation(call.args.text("channel") or "")
    user = workspace.user_by_id(call.args.text("user") or "")
    text, blocks = _message_content(call.args)
    ephemeral = workspace.post_ephemeral(
        channel.id,
        user.id,
        workspace.bot.user_id,
        text=text,
        blocks=blocks,
        thread_ts=call.args.text("thread_ts"),
    )
    return {"message_ts": ephemeral.ts}


@_method("chat.update", required=["channel", "ts"])
def _chat_update(call: ApiRequest) -> JSON:
    workspace = call.workspace
    channel_id, ts = call.args.text("channel") or "", call.args.text("ts") or ""
    text, blocks = _message_content(call.args)
    metadata = call.args.structured("metadata", error="invalid_metadata_format")
    message = workspace.update_message(
        channel_id, ts, workspace.bot.user_id, text=text, blocks=blocks, metadata=metadata
    )
    return {
        "channel": channel_id,
        "ts": ts,
        "text": message.text,
        "message": message.to_api(workspace.team.id),
    }


@_method("chat.delete", required=["channel", "ts"])
def _chat_delete(call: ApiRequest) -> JSON:
    channel_id, ts = call.args.text("channel") or "", call.args.text("ts") or ""
    call.workspace.delete_message(channel_id, ts, call.workspace.bot.user_id)
    return {"channel": channel_id, "ts": ts}


@_method("chat.getPermalink", required=["channel", "message_ts"], reads=True)
def _chat_get_permalink(call: ApiRequest) -> JSON:
    channel_id = call.args.text("channel") or ""
    _visible_channel(call, channel_id)
    permalink = call.workspace.permalink(channel_id, call.args.text("message_ts") or "")
    return {"channel": channel_id, "permalink": permalink}


# ---------------------------------------------------------------- reactions


def _reaction_target(call: ApiRequest) -> tuple[str, str]:
    channel_id, ts = call.args.text("channel"), call.args.text("timestamp")
    if not channel_id or not ts:
        raise SlackError("no_item_specified")
    _visible_channel(call, channel_id)
    return channel_id, ts


@_method("reactions.add", required=["channel", "name", "timestamp"])
def _reactions_add(call: ApiRequest) -> JSON:
    channel_id, ts = _reaction_target(call)
    call.workspace.add_reaction(
        channel_id, ts, call.workspace.bot.user_id, call.args.text("name") or ""
    )
    return {}


@_method("reactions.remove", required=["name"])
def _reactions_remove(call: ApiRequest) -> JSON:
    channel_id, ts = _reaction_target(call)
    call.workspace.remove_reaction(
        channel_id, ts, call.workspace.bot.user_id, call.args.text("name") or ""
    )
    return {}


@_method("reactions.get", reads=True)
def _reactions_get(call: ApiRequest) -> JSON:
    channel_id, ts = _reaction_target(call)
    workspace = call.workspace
    message = workspace.message(channel_id, ts).to_api(workspace.team.id)
    message["permalink"] = workspace.permalink(channel_id, ts)
    return {"type": "message", "channel": channel_id, "message": message}


# -------------------------------------------------------------------- views


@_method("views.open", required=["trigger_id", "view"])
def _views_open(call: ApiRequest) -> JSON:
    payload = _view_payload(call.args, view_type="modal")  # before using up the trigger
    user_id = call.workspace.redeem_trigger_id(call.args.text("trigger_id") or "")
    return {"view": call.workspace.open_modal(user_id, payload).to_api()}


@_method("views.push", required=["trigger_id", "view"])
def _views_push(call: ApiRequest) -> JSON:
    payload = _view_payload(call.args, view_type="modal")
    user_id = call.workspace.redeem_trigger_id(call.args.text("trigger_id") or "")
    return {"view": call.workspace.push_modal(user_id, payload).to_api()}


@_method("views.update", required=["view"])
def _views_update(call: ApiRequest) -> JSON:
    view_id, external_id = call.args.text("view_id"), call.args.text("external_id")
    if not view_id and not external_id:
        raise _invalid_argument("either view_id or external_id is required")
    payload = _view_payload(call.args, view_type=None)
    view = call.workspace.update_view(
        payload, view_id=view_id, external_id=external_id, expected_hash=call.args.text("hash")
    )
    return {"view": view.to_api()}


@_method("views.publish", required=["user_id", "view"])
def _views_publish(call: ApiRequest) -> JSON:
    payload = _view_payload(call.args, view_type="home")
    view = call.workspace.publish_home(
        call.args.text("user_id") or "", payload, expected_hash=call.args.text("hash")
    )
    return {"view": view.to_api()}


# -------------------------------------------------------------- response_url


def _serve_response_url(emulator: EmulatorParts, token: str, http: Request) -> Response:
    arrived = emulator.workspace.clock.now()
    values = _response_url_payload(http)
    try:
        if values is None:
            raise SlackError("invalid_payload")
        workspace = emulator.workspace_of_response_url(token)
        _answer_response_url(workspace, token, Arguments(values))
        answer = _Answer(200, {"ok": True})
    except SlackError as error:
        status = 404 if error.error in ("invalid_url", "expired_url", "used_url") else 400
        answer = _Answer(status, _error_body(error))
    return _logged_response(emulator, "response_url", values or {}, answer, arrived)


def _response_url_payload(http: Request) -> JSON | None:
    """The posted message: a JSON body (Bolt's respond) or a form field `payload`."""
    payload: object = http.get_json(silent=True) if http.is_json else None
    if payload is None and "payload" in http.form:
        try:
            payload = json.loads(http.form["payload"])
        except ValueError:
            return None
    return payload if isinstance(payload, dict) else None


def apply_reply(workspace: Workspace, response_url: str, payload: JSON) -> None:
    """Show an answer posted to `response_url`, or a slash command's acknowledgement body,
    which Slack treats the same way (checked blocks; ephemeral unless `in_channel`)."""
    _answer_response_url(workspace, response_url.rsplit("/", 1)[-1], Arguments(payload))


def _answer_response_url(workspace: Workspace, token: str, args: Arguments) -> None:
    """Apply a response_url post: a new ephemeral or in-channel message, or a change to
    the message the interaction came from (replace_original / delete_original)."""
    target = workspace.use_response_url(token)
    bot_user = workspace.bot.user_id
    source_ts = target.message_ts
    if args.flag("delete_original"):
        if not source_ts:
            raise SlackError("message_not_found")
        if any(e.ts == source_ts for e in workspace.ephemerals(target.user)):
            workspace.delete_ephemeral(target.user, source_ts)
        else:
            workspace.delete_message(target.channel, source_ts, bot_user)
        return
    text, blocks = _message_content(args)
    if args.flag("replace_original") and source_ts:
        if any(e.ts == source_ts for e in workspace.ephemerals(target.user)):
            workspace.replace_ephemeral(target.user, source_ts, text=text, blocks=blocks)
        else:
            workspace.update_message(target.channel, source_ts, bot_user, text=text, blocks=blocks)
    elif args.text("response_type") == "in_channel":
        workspace.post_message(
            target.channel,
            bot_user,
            text=text,
            blocks=blocks,
            thread_ts=args.text("thread_ts"),
            require_membership=False,
        )
    else:
        workspace.post_ephemeral(
            target.channel,
            target.user,
            bot_user,
            text=text,
            blocks=blocks,
            thread_ts=args.text("thread_ts"),
            require_membership=False,
        )
