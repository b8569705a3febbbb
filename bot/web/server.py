"""The HTTP edge: Slack's requests at POST /slack/events beside health and readiness.

Slack's requests are checked for a well-formed body before Bolt sees them, so that a
malformed request gets 400 instead of an exception deep inside the framework.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import parse_qs

from flask import Flask, jsonify, request
from slack_bolt import App
from slack_bolt.adapter.flask import SlackRequestHandler
from sqlalchemy import Engine, text
from waitress import serve as waitress_serve

log = logging.getLogger(__name__)

SLACK_EVENTS_PATH = "/slack/events"
MAX_BODY_BYTES = 1024 * 1024


def create_web_app(bolt_app: App, engine: Engine) -> Flask:
    web = Flask("motbot")
    web.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    slack_handler = SlackRequestHandler(bolt_app)

    @web.post(SLACK_EVENTS_PATH)
    def slack_events() -> Any:
        problem = malformed_body_problem(request.get_data(cache=True), request.content_type)
        if problem:
            log.info("rejected a malformed Slack request: %s", problem)
            return jsonify(ok=False, error="malformed_body", detail=problem), 400
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

    return web


def malformed_body_problem(body: bytes, content_type: str | None) -> str | None:
    """Why `body` is not a request Slack could have sent, or None if it could be."""
    try:
        decoded = body.decode("utf-8")
    except UnicodeDecodeError:
        return "body is not UTF-8"
    media_type = (content_type or "").split(";")[0].strip().lower()
    if media_type == "application/json":
        return _json_object_problem(decoded, "body")
    if media_type == "application/x-www-form-urlencoded":
        try:
            fields = parse_qs(decoded, strict_parsing=True, keep_blank_values=True)
        except ValueError:
            return "body is not form data"
        if "payload" in fields:
            return _json_object_problem(fields["payload"][0], "payload field")
        return None
    return f"unsupported content type {media_type or 'none'}"


def _json_object_problem(text: str, what: str) -> str | None:
    try:
        value = json.loads(text)
    except ValueError:
        return f"{what} is not JSON"
    if not isinstance(value, dict):
        return f"{what} is not a JSON object"
    return None


def serve(web: Flask, host: str, port: int, threads: int = 8) -> None:
    """Serve with waitress, a production WSGI server that needs no C extensions."""
    log.info("motbot listening on http://%s:%d%s", host, port, SLACK_EVENTS_PATH)
    waitress_serve(web, host=host, port=port, threads=threads, ident="motbot")
