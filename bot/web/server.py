"""The HTTP edge: Slack's requests at POST /slack/events beside health, readiness and
metrics.

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

from flask import Flask, Response, jsonify, make_response, request
from slack_bolt import App
from slack_bolt.adapter.flask import SlackRequestHandler
from sqlalchemy import Engine, text
from waitress import serve as waitress_serve
from werkzeug.exceptions import HTTPException

from bot import metrics
from bot.slack.oauth import INSTALL_PATH, REDIRECT_PATH
from bot.web.slack_body import read_slack_body

log = logging.getLogger(__name__)

SLACK_EVENTS_PATH = "/slack/events"
METRICS_PATH = "/metrics"
MAX_BODY_BYTES = 1024 * 1024

View = Callable[[], Any]


def create_web_app(bolt_app: App, engine: Engine) -> Flask:
    web = Flask("motbot")
    web.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    slack_handler = SlackRequestHandler(bolt_app)

    @web.post(SLACK_EVENTS_PATH)
    @slack_endpoint()
    def slack_events() -> Any:
        return slack_handler.handle(request)

    if bolt_app.oauth_flow is not None:
        # Installs into more workspaces: Bolt renders the install page and finishes the
        # OAuth exchange at the redirect.
        @web.get(INSTALL_PATH)
        @slack_endpoint("install")
        def slack_install() -> Any:
            return slack_handler.handle(request)

        @web.get(REDIRECT_PATH)
        @slack_endpoint("oauth_redirect")
        def slack_oauth_redirect() -> Any:
            return slack_handler.handle(request)

    @web.get("/healthz")
    def healthz() -> Any:
        return jsonify(ok=True)

    @web.get("/readyz")
    def readyz() -> Any:
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as error:  # any failure means "not ready", and says why
            log.warning("readiness check failed: %s", error)
            return jsonify(ok=False, error="database_unavailable"), 503
        return jsonify(ok=True)

    @web.get(METRICS_PATH)
    def prometheus_metrics() -> Any:
        body, content_type = metrics.exposition(request.headers.get("Accept"))
        return Response(body, content_type=content_type)

    return web


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


def serve(web: Flask, host: str, port: int, threads: int = 8) -> None:
    """Serve with waitress, a production WSGI server that needs no C extensions."""
    log.info("motbot listening on http://%s:%d%s", host, port, SLACK_EVENTS_PATH)
    waitress_serve(web, host=host, port=port, threads=threads, ident="motbot")
