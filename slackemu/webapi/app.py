"""The Flask app: reading a request, faults, the token, rate limits and required
arguments, then the method's handler from the table the families make up."""

from __future__ import annotations

import base64
import binascii
import logging
from collections.abc import Mapping
from types import ModuleType

from flask import Flask, Request, Response, request

from slackemu.faults import BAD_GATEWAY_PAGE, RESET_CONNECTION
from slackemu.records import JSON, SlackError
from slackemu.webapi import (
    auth,
    chat,
    conversations,
    reactions,
    sign_in_pages,
    usergroups,
    users,
    views,
)
from slackemu.webapi.answers import Answer, error_body, logged_response
from slackemu.webapi.arguments import Arguments, missing_arguments
from slackemu.webapi.parts import EmulatorParts
from slackemu.webapi.registry import ApiMethod, ApiRequest, method_table
from slackemu.webapi.response_url import serve_response_url

log = logging.getLogger(__name__)

# The family modules, each offering its methods as a tuple METHODS.
FAMILIES: tuple[ModuleType, ...] = (auth, users, conversations, usergroups, chat, reactions, views)
METHODS: Mapping[str, ApiMethod] = method_table(*(family.METHODS for family in FAMILIES))


def create_webapi_app(emulator: EmulatorParts) -> Flask:
    app = Flask("slackemu")

    @app.route("/api/<method_name>", methods=["GET", "POST"])
    def api(method_name: str) -> Response:
        return _serve_api_call(emulator, method_name, request)

    @app.post("/hooks/response/<token>")
    def response_url(token: str) -> Response:
        return serve_response_url(emulator, token, request)

    @app.get("/oauth/v2/authorize")
    def authorize() -> Response:
        return auth.serve_authorize(emulator, request)

    # Sign in with Slack's pages (sign_in_pages.py); its methods are app-level ones.
    @app.get(sign_in_pages.AUTHORIZE_PATH)
    def openid_authorize() -> Response:
        return sign_in_pages.serve_authorize(emulator, request)

    @app.get(sign_in_pages.SIGN_IN_AS_PATH)
    def openid_sign_in_as() -> Response:
        return sign_in_pages.serve_sign_in_as(emulator, request)

    @app.get(sign_in_pages.SIGN_OUT_PATH)
    def openid_sign_out() -> Response:
        return sign_in_pages.serve_sign_out(emulator, request)

    @app.get("/avatars/<team_id>/<user_id>.svg")
    def avatar(team_id: str, user_id: str) -> Response:
        return sign_in_pages.serve_avatar(emulator, team_id, user_id)

    return app


def _serve_api_call(emulator: EmulatorParts, method_name: str, http: Request) -> Response:
    arrived = emulator.workspace.clock.now()
    values, token, parse_error = _read_request(http)
    basic = _basic_credentials(http.headers.get("Authorization", ""))
    answer = _answer_api_call(emulator, method_name, http.method, values, token, parse_error, basic)
    return logged_response(emulator, method_name, values, answer, arrived)


def _answer_api_call(
    emulator: EmulatorParts,
    method_name: str,
    http_method: str,
    values: JSON,
    token: str | None,
    parse_error: str | None,
    basic: tuple[str, str] | None = None,
) -> Answer:
    fault = emulator.faults.take(method_name)
    if fault is not None and fault.kind == "timeout":
        emulator.faults.hold(fault)  # then answer normally: the client has given up by now
    elif fault is not None and fault.kind == "lost":
        emulator.faults.hold(fault)  # then nothing is done: the request never reached Slack
        return Answer(fault.status, {"ok": False, "error": "service_unavailable"})
    elif fault is not None and fault.kind == "ratelimited":
        return Answer(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"})
    elif fault is not None and fault.kind == "bad_gateway_html":
        # A load balancer's page, not Slack's JSON; the request never reached Slack.
        return Answer(502, {"ok": False, "error": "bad_gateway"}, page=BAD_GATEWAY_PAGE)
    elif fault is not None and fault.kind == "reset":
        # server.py cuts the connection instead of sending this; nothing is done.
        request.environ[RESET_CONNECTION] = True
        return Answer(fault.status, {"ok": False, "error": "connection_reset"})
    elif fault is not None:
        return Answer(fault.status, {"ok": False, "error": "internal_error"})

    emulator_url = request.host_url.rstrip("/")
    app_level = auth.answer_app_level(
        emulator, method_name, values, token, parse_error, basic, emulator_url
    )
    if app_level is not None:
        return Answer(200, app_level)
    method = METHODS.get(method_name)
    if method is None:
        return Answer(200, {"ok": False, "error": "unknown_method", "req_method": method_name})
    if http_method == "GET" and not method.reads:
        return Answer(
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
            return Answer(
                429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)}
            )
        missing = [name for name in method.required if not args.has(name)]
        if missing:
            raise missing_arguments(missing)
        body = method.handler(ApiRequest(args, workspace))
    except SlackError as error:
        return Answer(200, error_body(error))
    except Exception:
        # A bug in the emulator, not in the caller: answer like Slack's own failures,
        # and keep the call in the log so the test that met it can see it.
        log.exception("emulator failed to serve %s", method_name)
        return Answer(500, {"ok": False, "error": "internal_error"})
    return Answer(200, {"ok": True, **body})


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
