"""Slack's routes: events, commands and interactions at POST /slack/events, and with
OAuth the install page and its redirect.

Every route Slack calls is wrapped by `slack_endpoint`, which counts and times it for
GET /metrics and checks a POST's body before Bolt sees it, so that a malformed request
gets 400 instead of an exception deep inside the framework.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any

from flask import Blueprint, jsonify, make_response, request
from slack_bolt import App
from slack_bolt.adapter.flask import SlackRequestHandler
from werkzeug.exceptions import HTTPException

from bot import metrics
from bot.slack.oauth import INSTALL_PATH, REDIRECT_PATH
from bot.web.slack_body import read_slack_body

log = logging.getLogger(__name__)

SLACK_EVENTS_PATH = "/slack/events"

View = Callable[[], Any]


def slack_blueprint(bolt_app: App) -> Blueprint:
    slack = Blueprint("slack", __name__)
    slack_handler = SlackRequestHandler(bolt_app)

    @slack.post(SLACK_EVENTS_PATH)
    @slack_endpoint()
    def slack_events() -> Any:
        return slack_handler.handle(request)

    if bolt_app.oauth_flow is not None:
        # Installs into more workspaces: Bolt renders the install page and finishes the
        # OAuth exchange at the redirect.
        @slack.get(INSTALL_PATH)
        @slack_endpoint("install")
        def slack_install() -> Any:
            return slack_handler.handle(request)

        @slack.get(REDIRECT_PATH)
        @slack_endpoint("oauth_redirect")
        def slack_oauth_redirect() -> Any:
            return slack_handler.handle(request)

    return slack


def slack_endpoint(kind: str | None = None) -> Callable[[View], View]:
    """Wraps a route that Slack calls. Each request is counted and timed by kind (read
    from the body unless `kind` is given) and outcome (from the HTTP status); a POST whose
    body Slack could not have sent is answered 400 without reaching the route."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def endpoint() -> Any:
            started = time.perf_counter()
            request_kind, outcome = kind or metrics.UNKNOWN, metrics.SERVER_ERROR
            try:
                if request.method == "POST":
                    body = read_slack_body(request.get_data(cache=True), request.content_type)
                    if body.problem:
                        log.info("rejected a malformed Slack request: %s", body.problem)
                        outcome = metrics.REJECTED_MALFORMED
                        return jsonify(ok=False, error="malformed_body", detail=body.problem), 400
                    request_kind = kind or body.kind
                response = make_response(view())
                outcome = metrics.http_outcome(response.status_code)
                return response
            except HTTPException as error:  # such as 413 for a body over MAX_BODY_BYTES
                outcome = metrics.http_outcome(error.code or 500)
                raise
            finally:
                metrics.observe_slack_request(request_kind, outcome, time.perf_counter() - started)

        return endpoint

    return decorate
