"""The web dashboard for HR and leaders, beside Slack's routes: Sign in with Slack, then
pages drawn from the same domain functions (and under the same privacy rules) as what
motbot posts in Slack.

    install_dashboard(web, settings)   when settings.dashboard: MOTBOT_DASHBOARD_URL, the
                                       app's client id and secret, MOTBOT_SECRET_KEY

signin.py signs people in and out; rendering.py has `viewer_required` (who may read
what: bot/domain/dashboard_access.py) and the page rendering; pages.py builds the
blueprint: the culture pulse (pulse_page.py), the adoption curve (adoption_page.py),
recognition (recognition_page.py), the story wall (story_wall_page.py) and policy
signals (policies_page.py) each add their routes; charts.py draws the SVG charts when a
page is rendered; csv_files.py sends the CSVs; slack_links.py links stories to their
cards; templates/ are Jinja (autoescaped).
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import Flask

from bot.config import Settings
from bot.web.dashboard.pages import dashboard_blueprint
from bot.web.dashboard.signin import SignInConfig

SESSION_HOURS = 8


def install_dashboard(web: Flask, settings: Settings) -> None:
    """Serve the dashboard from `web` at /dashboard/ (settings.dashboard must hold)."""
    assert settings.dashboard and settings.secret_key and settings.dashboard_url
    assert settings.client_id and settings.client_secret
    web.secret_key = session_key(settings.secret_key)
    web.config.update(
        SESSION_COOKIE_NAME="motbot_dashboard",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=urlsplit(settings.dashboard_url).scheme == "https",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS),
        WTF_CSRF_TIME_LIMIT=SESSION_HOURS * 3600,
    )
    config = SignInConfig(
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        slack_api_url=settings.slack_api_url,
        dashboard_url=settings.dashboard_url,
    )
    web.register_blueprint(dashboard_blueprint(config))


def session_key(secret_key: str) -> bytes:
    """A key of its own for the dashboard's cookies, derived from MOTBOT_SECRET_KEY, so
    a leaked cookie key says nothing about the keys that keep pulse answers unlinkable."""
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"motbot dashboard sessions"
    ).derive(secret_key.encode())
