"""Sign in with Slack (OpenID Connect) for the dashboard, and signing out.

    GET  /dashboard/login?next=/dashboard/pulse   to Slack's sign-in page, with a fresh
                                                  state and nonce kept in the session
    GET  /dashboard/auth/callback?code&state      back from Slack: the code is exchanged
                                                  (openid.connect.token), the person read
                                                  (openid.connect.userInfo)
    POST /dashboard/logout                        (with the CSRF token) ends the session

The session is Flask's signed cookie: it holds only who signed in (workspace and user
ids, their language, and the workspace's Slack domain, which links to cards need); what
they may read is decided from the database at every
request (bot/domain/dashboard_access.py). The ID token comes straight from Slack's token
endpoint over TLS, so its signature is not checked (OpenID Connect Core 3.1.3.7); its
audience, expiry and nonce are.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import jwt
from flask import Blueprint, Response, redirect, request, session, url_for
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.oauth import OpenIDConnectAuthorizeUrlGenerator

from bot.slack.oauth import SLACK_OPENID_AUTHORIZE_PATH, authorization_url

log = logging.getLogger(__name__)

SCOPES = ("openid", "profile", "email")
CALLBACK_PATH = "/dashboard/auth/callback"
_PENDING = "signin"
VIEWER = "viewer"
# A workspace's Slack domain (DOMAIN.slack.com): what Slack allows, so that a link built
# from it cannot point anywhere else.
_DOMAIN = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")


@dataclass(frozen=True)
class SignInConfig:
    client_id: str
    client_secret: str
    slack_api_url: str
    dashboard_url: str

    @property
    def redirect_uri(self) -> str:
        return f"{self.dashboard_url}{CALLBACK_PATH}"


class SignInFailed(Exception):
    """Slack's answer did not sign anyone in; `key` names why for the person."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def start(config: SignInConfig) -> Response:
    """Send the browser to Slack's sign-in page."""
    state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    session[_PENDING] = {
        "state": state,
        "nonce": nonce,
        "next": safe_next(request.args.get("next")),
    }
    generator = OpenIDConnectAuthorizeUrlGenerator(
        client_id=config.client_id,
        scopes=list(SCOPES),
        redirect_uri=config.redirect_uri,
        authorization_url=authorization_url(config.slack_api_url, SLACK_OPENID_AUTHORIZE_PATH),
    )
    return redirect(generator.generate(state=state, nonce=nonce))


def finish(config: SignInConfig) -> str:
    """Complete the sign-in from Slack's redirect; where to go next. Raises SignInFailed."""
    pending = session.pop(_PENDING, None)
    if not pending or not secrets.compare_digest(
        str(pending.get("state", "")), request.args.get("state", "")
    ):
        raise SignInFailed("dashboard.signin.bad_state")
    if request.args.get("error"):
        raise SignInFailed("dashboard.signin.cancelled")
    code = request.args.get("code", "")
    if not code:
        raise SignInFailed("dashboard.signin.bad_state")
    client = WebClient(base_url=config.slack_api_url)
    try:
        tokens = client.openid_connect_token(
            client_id=config.client_id,
            client_secret=config.client_secret,
            code=code,
            redirect_uri=config.redirect_uri,
        )
        claims = _id_claims(str(tokens["id_token"]), config.client_id, str(pending["nonce"]))
        person = WebClient(
            base_url=config.slack_api_url, token=str(tokens["access_token"])
        ).openid_connect_userInfo()
    except (SlackApiError, SlackClientError, OSError, KeyError) as error:
        log.warning("dashboard: Slack did not complete a sign-in (%s)", type(error).__name__)
        raise SignInFailed("dashboard.signin.slack_failed") from None
    user_id = str(person.get("https://slack.com/user_id") or "")
    team_id = str(person.get("https://slack.com/team_id") or "")
    if not user_id or (user_id, team_id) != (
        claims.get("https://slack.com/user_id"),
        claims.get("https://slack.com/team_id"),
    ):
        raise SignInFailed("dashboard.signin.slack_failed")
    session.clear()  # a fresh session for the signed-in person (no fixation)
    session.permanent = True
    session[VIEWER] = {
        "team": team_id,
        "user": user_id,
        "locale": str(person.get("locale", "")),
        "domain": workspace_domain(person.get("https://slack.com/team_domain")),
    }
    return str(pending.get("next") or url_for("dashboard.home"))


def _id_claims(id_token: str, client_id: str, nonce: str) -> dict:
    try:
        claims = jwt.decode(
            id_token,
            options={"verify_signature": False, "require": ["exp", "aud", "sub"]},
            audience=client_id,
        )
    except jwt.PyJWTError as error:
        log.warning("dashboard: an ID token was refused (%s)", type(error).__name__)
        raise SignInFailed("dashboard.signin.slack_failed") from None
    if not secrets.compare_digest(str(claims.get("nonce", "")), nonce):
        raise SignInFailed("dashboard.signin.bad_state")
    return claims


def sign_out() -> None:
    session.clear()


def signed_in() -> tuple[str, str] | None:
    """(Slack team id, user id) of who signed in to this browser, or None."""
    viewer = session.get(VIEWER)
    if not isinstance(viewer, dict):
        return None
    team, user = viewer.get("team"), viewer.get("user")
    return (team, user) if isinstance(team, str) and isinstance(user, str) else None


def signed_in_domain() -> str | None:
    """The Slack domain of the signed-in person's workspace, as Slack named it at sign-in."""
    viewer = session.get(VIEWER)
    domain = viewer.get("domain") if isinstance(viewer, dict) else None
    return domain if isinstance(domain, str) else None


def workspace_domain(claim: object) -> str | None:
    return claim if isinstance(claim, str) and _DOMAIN.fullmatch(claim) else None


def safe_next(target: str | None) -> str | None:
    """A page of the dashboard to return to, never another site (no open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/dashboard"):
        return None
    if "\\" in target or target.startswith("//"):
        return None
    return target


def register(blueprint: Blueprint, config: SignInConfig, failed: Callable[[str], Response]) -> None:
    """The sign-in routes; `failed` renders the page for a sign-in that did not succeed."""

    def callback() -> Response:
        try:
            return redirect(finish(config))
        except SignInFailed as failure:
            return failed(failure.key)

    blueprint.add_url_rule("/login", "login", lambda: start(config))
    blueprint.add_url_rule("/auth/callback", "callback", callback)
