"""The HTTP edge: a Flask app made of blueprints (Slack's routes, health and metrics, and
whatever pages are added beside them), each request with its own unit of work.

    web = create_web_app(bolt_app, sessions, blueprints=[dashboard_blueprint()])

Routes that need the database take `request_session()` (unit_of_work.py) rather than
opening sessions of their own, so a page is one transaction, as a Slack request is.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from flask import Blueprint, Flask
from slack_bolt import App
from waitress import serve as waitress_serve

from bot.db.engine import SessionFactory, engine_of
from bot.web.health import health_blueprint
from bot.web.slack_routes import SLACK_EVENTS_PATH, slack_blueprint
from bot.web.unit_of_work import install_unit_of_work

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024

__all__ = ["MAX_BODY_BYTES", "SLACK_EVENTS_PATH", "create_web_app", "serve"]


def create_web_app(
    bolt_app: App,
    sessions: SessionFactory,
    blueprints: Sequence[Blueprint] = (),
    *,
    slack_routes: bool = True,
) -> Flask:
    """`slack_routes=False` leaves out Slack's routes, for a bot that talks to Slack over
    Socket Mode: its Bolt app checks no request signature (its requests come over the
    authenticated websocket), so /slack/events would take anyone's forged request."""
    web = Flask("motbot")
    web.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    install_unit_of_work(web, sessions)
    if slack_routes:
        web.register_blueprint(slack_blueprint(bolt_app))
    web.register_blueprint(health_blueprint(engine_of(sessions)))
    for blueprint in blueprints:
        web.register_blueprint(blueprint)
    return web


def serve(web: Flask, host: str, port: int, threads: int = 8) -> None:
    """Serve with waitress, a production WSGI server that needs no C extensions."""
    serves_slack = any(rule.rule == SLACK_EVENTS_PATH for rule in web.url_map.iter_rules())
    log.info(
        "motbot listening on http://%s:%d%s", host, port, SLACK_EVENTS_PATH if serves_slack else ""
    )
    waitress_serve(web, host=host, port=port, threads=threads, ident="motbot")
