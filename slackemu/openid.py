"""Sign in with Slack (OpenID Connect), as slack.com does it, for apps that sign people in
to their own web pages with their Slack identity.

The dance, and where each step is served:

1. The app sends the browser to GET /openid/connect/authorize (webapi/sign_in_pages.py).
   A person signed in to the emulated Slack in that browser (the `SIGN_IN_COOKIE`) is
   approved at once; anyone else picks who they are on a "Sign in to <workspace>" page.
2. Slack redirects to the app's redirect_uri with a one-time `code` and the app's
   `state`: the code lives CODE_LIFETIME_SECONDS of emulator clock, and is bound to the
   client, the redirect_uri, the person, the workspace and the app's `nonce`.
3. The app exchanges the code at openid.connect.token (webapi/openid_connect.py) with
   its client id and secret, for a user access token (xoxp-) and an ID token: a JWT
   signed HS256 with the client secret, whose claims say who signed in.
4. openid.connect.userInfo, with that access token, says who again, freshly read.

`OpenIDConnect` keeps the registered clients, the codes in flight and the access tokens.
A test or the sandbox registers the app first:

    emulator.openid.register_client("1111.2222", "secret",
                                    ["http://127.0.0.1:8000/dashboard/auth/callback"])

A redirect_uri is accepted when it equals a registered one or lies below it: same
scheme, host and port, and a path under the registered path (`/cb` admits `/cb` and
`/cb/more`, not `/cbx`), as Slack admits "subdirectories" of an app's redirect URLs. The
same client id and secret may also be registered for OAuth installs (oauth.py): on
slack.com one app has one set of credentials for both.

Times: codes and access tokens expire by the emulator's clock, which the emulator
checks itself. The ID token's iat, exp and auth_time are wall-clock epoch seconds, as
the app checks them against its own clock (as inbound.py's request timestamps are).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

from slackemu.oauth import CODE_LIFETIME_SECONDS  # the same ten minutes as OAuth's codes
from slackemu.records import JSON, SlackError, User
from slackemu.state import Workspace

ACCESS_TOKEN_LIFETIME_SECONDS = 43_200  # openid.connect.token's expires_in
ID_TOKEN_LIFETIME_SECONDS = 300
ISSUER = "https://slack.com"
SCOPES = frozenset({"openid", "profile", "email"})
# Who is signed in to the emulated Slack in a browser: "<team id>.<user id>".
SIGN_IN_COOKIE = "slackemu_signed_in"
_SLACK = "https://slack.com/"
_USER_IMAGE_SIZES = (24, 32, 48, 72, 192, 512)


def can_sign_in(user: User) -> bool:
    """People sign in; bots and deactivated accounts do not."""
    return not user.is_bot and not user.deleted


def parse_scopes(text: str | None) -> frozenset[str]:
    """The scopes of an authorize request, separated by spaces (OpenID's way) or commas
    (slack_sdk's OpenIDConnectAuthorizeUrlGenerator's); `invalid_scope` without `openid`
    or with a scope Sign in with Slack does not know."""
    scopes = frozenset(part for part in re.split(r"[\s,]+", text or "") if part)
    if "openid" not in scopes or not scopes <= SCOPES:
        raise SlackError("invalid_scope")
    return scopes


def with_query(url: str, params: Mapping[str, str]) -> str:
    """`url` with `params` added to its query string."""
    parts = urlsplit(url)
    query = "&".join(part for part in (parts.query, urlencode(params)) if part)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def origin(url: str) -> tuple[str, str] | None:
    """(scheme, host:port) of an absolute http(s) URL, lower-cased; None for others."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return parts.scheme.lower(), parts.netloc.lower()


@dataclass(frozen=True)
class OpenIDClient:
    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...]

    def admits(self, redirect_uri: str) -> bool:
        """Whether `redirect_uri` is one of the registered ones, or below one."""
        return any(_below(redirect_uri, registered) for registered in self.redirect_uris)


def _below(candidate: str, registered: str) -> bool:
    if candidate == registered:
        return True
    wanted, allowed = urlsplit(candidate), urlsplit(registered)
    if "\\" in candidate or wanted.fragment or "@" in wanted.netloc or allowed.query:
        return False
    if origin(candidate) is None or origin(candidate) != origin(registered):
        return False
    if any(segment in (".", "..") for segment in wanted.path.split("/")):
        return False
    base = allowed.path.rstrip("/")
    return wanted.path == allowed.path or wanted.path.startswith(base + "/")


@dataclass(frozen=True)
class _Grant:
    client_id: str
    team_id: str
    user_id: str
    scopes: frozenset[str]
    redirect_uri: str
    redirect_uri_given: bool  # then the token call must repeat it
    nonce: str | None
    issued_at: float  # emulator clock
    auth_time: int  # wall clock


@dataclass(frozen=True)
class _AccessToken:
    client_id: str
    team_id: str
    user_id: str
    scopes: frozenset[str]
    issued_at: float  # emulator clock


class OpenIDConnect:
    """The OpenID clients (apps) Slack knows, the codes of sign-ins in progress, and the
    access tokens they were exchanged for."""

    def __init__(self, *, wall_time: Callable[[], float] = time.time) -> None:
        self._lock = threading.Lock()
        self._wall_time = wall_time
        self._clients: dict[str, OpenIDClient] = {}
        self._grants: dict[str, _Grant] = {}
        self._tokens: dict[str, _AccessToken] = {}
        self._revoked: set[str] = set()

    # --------------------------------------------------------------- clients

    def register_client(
        self, client_id: str, client_secret: str, redirect_uris: str | Iterable[str]
    ) -> OpenIDClient:
        """Let the app `client_id` sign people in, back to `redirect_uris` (one URL or
        several) or below them. Registering the same id again replaces it."""
        uris = (redirect_uris,) if isinstance(redirect_uris, str) else tuple(redirect_uris)
        if not uris or any(origin(uri) is None for uri in uris):
            raise ValueError(f"redirect URIs must be absolute http(s) URLs, got {uris!r}")
        client = OpenIDClient(client_id, client_secret, uris)
        with self._lock:
            self._clients[client_id] = client
        return client

    def redirect_uri_for(self, client_id: str | None, redirect_uri: str | None) -> str:
        """Where an authorize request of `client_id` returns: `redirect_uri` if the client
        admits it, its first registered one if none is given. Raises invalid_client_id or
        bad_redirect_uri: then the browser must not be sent anywhere."""
        with self._lock:
            client = self._clients.get(client_id or "")
        if client is None:
            raise SlackError("invalid_client_id")
        if not redirect_uri:
            return client.redirect_uris[0]
        if not client.admits(redirect_uri):
            raise SlackError("bad_redirect_uri")
        return redirect_uri

    def trusts(self, url: str) -> bool:
        """Whether `url` is on the site (scheme, host and port) of a registered redirect
        URI, so that the emulator may send a browser there."""
        wanted = origin(url)
        with self._lock:
            uris = [uri for client in self._clients.values() for uri in client.redirect_uris]
        return wanted is not None and any(origin(uri) == wanted for uri in uris)

    # -------------------------------------------------------------- sign-ins

    def authorize(
        self,
        workspace: Workspace,
        *,
        client_id: str,
        user_id: str,
        scopes: frozenset[str],
        redirect_uri: str | None,
        nonce: str | None,
        now: float,
    ) -> tuple[str, str]:
        """(the one-time code, the redirect_uri it returns to) once `user_id` approves."""
        target = self.redirect_uri_for(client_id, redirect_uri)
        user = workspace.user_by_id(user_id)
        if not can_sign_in(user):
            raise SlackError("user_not_found")
        code = f"{workspace.team.id}.{secrets.token_hex(20)}"
        grant = _Grant(
            client_id=client_id,
            team_id=workspace.team.id,
            user_id=user_id,
            scopes=scopes,
            redirect_uri=target,
            redirect_uri_given=bool(redirect_uri),
            nonce=nonce or None,
            issued_at=now,
            auth_time=int(self._wall_time()),
        )
        with self._lock:
            self._grants[code] = grant
        return code, target

    def exchange(
        self,
        workspaces: Mapping[str, Workspace],
        *,
        client_id: str | None,
        client_secret: str | None,
        code: str | None,
        redirect_uri: str | None,
        grant_type: str | None,
        now: float,
        emulator_url: str,
    ) -> JSON:
        """openid.connect.token: a code, once, for an access token and an ID token."""
        with self._lock:
            client = self._clients.get(client_id or "")
            if client is None:
                raise SlackError("invalid_client_id")
            given, expected = (client_secret or "").encode(), client.client_secret.encode()
            if not hmac.compare_digest(given, expected):
                raise SlackError("bad_client_secret")
            if grant_type not in (None, "authorization_code"):
                raise SlackError("invalid_grant_type")
            grant = self._grants.get(code or "")
            if grant is None or grant.client_id != client.client_id:
                raise SlackError("invalid_code")
            del self._grants[code or ""]  # used, whatever comes of it
            if now - grant.issued_at > CODE_LIFETIME_SECONDS:
                raise SlackError("invalid_code")
            if redirect_uri != grant.redirect_uri and (redirect_uri or grant.redirect_uri_given):
                raise SlackError("bad_redirect_uri")
            access_token = f"xoxp-{grant.team_id}-{grant.user_id}-{secrets.token_hex(16)}"
            self._tokens[access_token] = _AccessToken(
                client.client_id, grant.team_id, grant.user_id, grant.scopes, now
            )
        workspace = workspaces[grant.team_id]
        issued = int(self._wall_time())
        claims: JSON = {
            "iss": ISSUER,
            "sub": grant.user_id,
            "aud": client.client_id,
            "exp": issued + ID_TOKEN_LIFETIME_SECONDS,
            "iat": issued,
            "auth_time": grant.auth_time,
        }
        if grant.nonce is not None:
            claims["nonce"] = grant.nonce
        claims.update(
            identity_claims(
                workspace, workspace.user_by_id(grant.user_id), grant.scopes, emulator_url
            )
        )
        return {
            "access_token": access_token,
            "token_type": "Bearer",
            "id_token": encode_jwt(claims, client.client_secret),
            "expires_in": ACCESS_TOKEN_LIFETIME_SECONDS,
        }

    def user_info(
        self,
        workspaces: Mapping[str, Workspace],
        token: str | None,
        *,
        now: float,
        emulator_url: str,
    ) -> JSON:
        """openid.connect.userInfo: who the access token `token` signed in, read now."""
        if not token:
            raise SlackError("not_authed")
        with self._lock:
            access = self._tokens.get(token)
            revoked = token in self._revoked
        if revoked:
            raise SlackError("token_revoked")
        if access is None:
            raise SlackError("invalid_auth")
        if now - access.issued_at > ACCESS_TOKEN_LIFETIME_SECONDS:
            raise SlackError("token_expired")
        workspace = workspaces[access.team_id]
        user = workspace.user_by_id(access.user_id)
        if user.deleted:
            raise SlackError("account_inactive")
        return {"sub": user.id, **identity_claims(workspace, user, access.scopes, emulator_url)}

    def revoke(self, access_token: str) -> None:
        """The access token no longer works, as after Slack's auth.revoke: userInfo
        answers token_revoked (tests call it; no emulated flow revokes yet)."""
        with self._lock:
            if self._tokens.pop(access_token, None) is not None:
                self._revoked.add(access_token)


def identity_claims(
    workspace: Workspace, user: User, scopes: frozenset[str], emulator_url: str
) -> JSON:
    """What Slack says about a person who signed in, as far as `scopes` allow: always
    the Slack ids and workspace, with `email` the address, with `profile` the name, the
    picture and the locale."""
    team = workspace.team
    claims: JSON = {
        f"{_SLACK}user_id": user.id,
        f"{_SLACK}team_id": team.id,
        f"{_SLACK}team_name": team.name,
        f"{_SLACK}team_domain": team.domain,
    }
    if "email" in scopes and user.email:
        claims["email"] = user.email
        claims["email_verified"] = True
    if "profile" in scopes:
        name = user.real_name or user.display_name or user.name
        given, _, family = name.partition(" ")
        picture = f"{emulator_url}/avatars/{team.id}/{user.id}.svg"
        claims.update(
            {
                "name": name,
                "given_name": given,
                "family_name": family.strip(),
                "locale": user.locale,
                "picture": f"{picture}?s=512",
            }
        )
        for size in _USER_IMAGE_SIZES:
            claims[f"{_SLACK}user_image_{size}"] = f"{picture}?s={size}"
    return claims


def encode_jwt(claims: JSON, secret: str) -> str:
    """A JWS in compact form (header.payload.signature, base64url): HS256 with `secret`."""
    header = _b64url(json.dumps({"typ": "JWT", "alg": "HS256"}, separators=(",", ":")).encode())
    payload = _b64url(json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode())
    signing_input = f"{header}.{payload}"
    signature = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64url(signature)}"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
