"""Installing an app into emulated workspaces over OAuth v2, as slack.com does it.

A person approves the install at GET /oauth/v2/authorize (here: the `team` and `user`
query parameters say who, where Slack would ask in the browser); Slack redirects to the
app's redirect URL with a one-time `code` and the app's `state`; the app exchanges the
code with oauth.v2.access for the workspace's bot token. Uninstalling revokes the token:
calls with it then fail with `token_revoked`.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from urllib.parse import urlencode

from slackemu.records import JSON, SlackError
from slackemu.state import Workspace

CODE_LIFETIME_SECONDS = 600.0


@dataclass(frozen=True)
class OAuthApp:
    client_id: str
    client_secret: str
    redirect_url: str


@dataclass(frozen=True)
class _Grant:
    client_id: str
    team_id: str
    user_id: str
    scopes: str
    redirect_uri: str | None
    issued_at: float


class Installs:
    """Which workspaces the app is installed in, the apps that may be installed, and the
    one-time codes of installs in progress."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._apps: dict[str, OAuthApp] = {}
        self._grants: dict[str, _Grant] = {}
        self._revoked: set[str] = set()  # bot tokens of workspaces the app is not in

    def register_app(self, client_id: str, client_secret: str, redirect_url: str) -> OAuthApp:
        app = OAuthApp(client_id, client_secret, redirect_url)
        with self._lock:
            self._apps[client_id] = app
        return app

    def holds_code(self, code: str | None) -> bool:
        """Whether `code` is an install's code not yet exchanged."""
        with self._lock:
            return (code or "") in self._grants

    def is_revoked(self, token: str) -> bool:
        with self._lock:
            return token in self._revoked

    def revoke(self, workspace: Workspace) -> None:
        with self._lock:
            self._revoked.add(workspace.bot.token)

    def authorize(
        self,
        workspace: Workspace,
        *,
        client_id: str,
        user_id: str,
        scopes: str,
        state: str,
        redirect_uri: str | None,
        now: float,
    ) -> str:
        """The URL Slack sends the browser back to once `user_id` approves the install."""
        with self._lock:
            app = self._apps.get(client_id)
            if app is None:
                raise SlackError("invalid_client_id")
            if redirect_uri and redirect_uri != app.redirect_url:
                raise SlackError("bad_redirect_uri")
            workspace.user_by_id(user_id)
            code = f"{workspace.team.id}.{secrets.token_hex(16)}"
            self._grants[code] = _Grant(
                client_id, workspace.team.id, user_id, scopes, redirect_uri, now
            )
        return f"{redirect_uri or app.redirect_url}?{urlencode({'code': code, 'state': state})}"

    def exchange(
        self,
        workspaces: dict[str, Workspace],
        *,
        client_id: str | None,
        client_secret: str | None,
        code: str | None,
        redirect_uri: str | None,
        now: float,
    ) -> JSON:
        """oauth.v2.access: a code for the workspace's bot token, once."""
        with self._lock:
            app = self._apps.get(client_id or "")
            if app is None:
                raise SlackError("invalid_client_id")
            if client_secret != app.client_secret:
                raise SlackError("bad_client_secret")
            grant = self._grants.pop(code or "", None)
            if grant is None or grant.client_id != app.client_id:
                raise SlackError("invalid_code")
            if now - grant.issued_at > CODE_LIFETIME_SECONDS:
                raise SlackError("invalid_code")
            if grant.redirect_uri and redirect_uri != grant.redirect_uri:
                raise SlackError("bad_redirect_uri")
            workspace = workspaces[grant.team_id]
            self._revoked.discard(workspace.bot.token)
        return {
            "access_token": workspace.bot.token,
            "token_type": "bot",
            "scope": grant.scopes,
            "bot_user_id": workspace.bot.user_id,
            "app_id": workspace.bot.app_id,
            "team": {"id": workspace.team.id, "name": workspace.team.name},
            "enterprise": None,
            "authed_user": {"id": grant.user_id},
            "is_enterprise_install": False,
        }
