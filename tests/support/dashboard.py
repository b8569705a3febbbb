"""The dashboard served by Flask's test client, for the page tests: the app with its own
unit of work, and a browser session as Sign in with Slack leaves it (signing in itself is
tested against the emulator, tests/e2e/test_dashboard_signin.py)."""

from __future__ import annotations

import codecs
import csv
import io

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from bot.config import Settings
from bot.db.engine import SessionFactory
from bot.web.dashboard import install_dashboard
from bot.web.dashboard.signin import VIEWER
from bot.web.unit_of_work import install_unit_of_work

SETTINGS = Settings(
    client_id="1.2",
    client_secret="client-secret",
    secret_key="k" * 40,
    dashboard_url="http://127.0.0.1:3000",
    slack_api_url="http://127.0.0.1:9/api/",  # nothing answers: pages never call Slack
)


def dashboard_app(sessions: SessionFactory) -> Flask:
    app = Flask("dashboard-test")
    install_unit_of_work(app, sessions)
    install_dashboard(app, SETTINGS)
    return app


def signed_in(
    web: Flask, team: str, user_id: str, locale: str = "en-US", domain: str | None = None
) -> FlaskClient:
    """A browser in which `user_id` of workspace `team` (Slack domain `domain`) has signed
    in; without a domain, as a session from before the dashboard kept it."""
    client = web.test_client()
    with client.session_transaction() as session:
        session[VIEWER] = {"team": team, "user": user_id, "locale": locale, "domain": domain}
    return client


def csv_text(answer: TestResponse) -> str:
    """A CSV download's text, which starts with the byte-order mark Excel needs to read
    UTF-8 (and Chinese) rather than the computer's legacy code page."""
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert answer.headers["Content-Disposition"].startswith('attachment; filename="motbot-')
    body = answer.get_data()
    assert body.startswith(codecs.BOM_UTF8), "Excel needs the byte-order mark"
    return body.decode("utf-8-sig")


def csv_rows(answer: TestResponse) -> list[list[str]]:
    """A CSV download's rows (`csv_text` checks the file first)."""
    return list(csv.reader(io.StringIO(csv_text(answer))))
