"""The browser's side of Sign in with Slack: the pages slack.com shows a person, plus the
emulator's own way of saying who is signed in to Slack in a browser.

    GET /openid/connect/authorize?response_type=code&scope=openid%20profile%20email
        &client_id=...&state=...&redirect_uri=...&nonce=...[&team=T...]

        A person signed in to that workspace in this browser (the SIGN_IN_COOKIE) is
        approved at once: 302 to redirect_uri?code=...&state=... . Anyone else sees
        "Sign in to <workspace>": a "Continue as <real name>" link for every person who
        can sign in (no bots, no deactivated accounts), through sign-in-as and back to
        the same authorize URL, and a "Cancel" link to redirect_uri?error=access_denied
        &state=... . Without `team`, the workspace is the signed-in person's, else the
        emulator's first. Errors are a 400 page naming them, never a redirect:
        invalid_client_id, bad_redirect_uri, unsupported_response_type (not `code`),
        invalid_scope (no `openid`, or a scope other than openid, profile, email),
        team_not_found.

    GET /openid/connect/sign-in-as?user=U...[&team=T...][&next=<url>]

        Signs `user` in to the emulated Slack in this browser: sets the SIGN_IN_COOKIE
        (HttpOnly, SameSite=Lax, path=/) to "<team id>.<user id>", then 302 to `next`,
        or a page saying who is signed in. `next` must be a relative URL ("/..."), a URL
        on the emulator itself, or one on the site (scheme, host and port) of a
        registered redirect URI; anything else is a 400 (no open redirect). The sandbox
        prints such a link for a demo person, next=<the dashboard's URL>.

    GET /openid/connect/sign-out[?next=<url>]

        Clears the cookie; then `next` (the same rule) or a page.

    GET /avatars/<team id>/<user id>.svg

        A person's picture (their initials), which the ID token and userInfo point to,
        so pages showing it need nothing beyond the emulator.

Browsers share cookies between the ports of a host: the cookie reaches an app on the
same host too, hence its distinctive name.
"""

from __future__ import annotations

import hashlib
import html
from urllib.parse import urlencode, urlsplit

from flask import Request, Response

from slackemu.openid import SIGN_IN_COOKIE, can_sign_in, origin, parse_scopes, with_query
from slackemu.records import SlackError, User
from slackemu.state import Workspace
from slackemu.webapi.parts import EmulatorParts

AUTHORIZE_PATH = "/openid/connect/authorize"
SIGN_IN_AS_PATH = "/openid/connect/sign-in-as"
SIGN_OUT_PATH = "/openid/connect/sign-out"

_EXPLANATIONS = {
    "invalid_client_id": "No app with this client_id is registered with this Slack.",
    "bad_redirect_uri": "The redirect_uri is not one of the app's registered redirect URLs.",
    "unsupported_response_type": "Sign in with Slack needs response_type=code.",
    "invalid_scope": "The scope must include openid, and may add profile and email only.",
    "team_not_found": "There is no workspace with this team id.",
    "user_not_found": "There is no such person in the workspace.",
    "cannot_sign_in": "Bots and deactivated accounts cannot sign in.",
    "bad_next_url": "The next URL leads off the emulator and the apps registered with it.",
}
_STYLE = """
body { font-family: system-ui, sans-serif; background: #f8f8f8; color: #1d1c1d; }
main { max-width: 32rem; margin: 3rem auto; background: #fff; padding: 2rem;
       border-radius: 8px; box-shadow: 0 1px 3px rgba(0, 0, 0, .15); }
h1 { font-size: 1.6rem; margin-top: 0; }
.domain, .handle { color: #616061; }
ul.people { list-style: none; padding: 0; }
ul.people li { margin: .4rem 0; }
ul.people a { display: inline-block; padding: .5rem .8rem; border: 1px solid #ddd;
              border-radius: 4px; text-decoration: none; color: #1264a3; }
"""


def serve_authorize(emulator: EmulatorParts, http: Request) -> Response:
    query = http.args
    try:
        # The redirect_uri is checked before anything else: until then, no redirect.
        redirect_uri = emulator.openid.redirect_uri_for(
            query.get("client_id"), query.get("redirect_uri")
        )
        if query.get("response_type") != "code":
            raise SlackError("unsupported_response_type")
        scopes = parse_scopes(query.get("scope"))
        signed_in = _signed_in(emulator, http)
        if query.get("team"):
            workspace = emulator.workspace_by_team(query["team"])
        else:
            workspace = signed_in[0] if signed_in else emulator.workspace
    except SlackError as error:
        return _error_page(error.error)
    state = query.get("state")
    if signed_in is not None and signed_in[0].team.id == workspace.team.id:
        code, target = emulator.openid.authorize(
            workspace,
            client_id=query.get("client_id", ""),
            user_id=signed_in[1].id,
            scopes=scopes,
            redirect_uri=query.get("redirect_uri"),
            nonce=query.get("nonce"),
            now=emulator.workspace.clock.now(),
        )
        answer = {"code": code, **({"state": state} if state is not None else {})}
        return Response(status=302, headers={"Location": with_query(target, answer)})
    back = f"{AUTHORIZE_PATH}?{http.query_string.decode('ascii', 'replace')}"
    cancel = {"error": "access_denied", **({"state": state} if state is not None else {})}
    return _sign_in_page(workspace, back, with_query(redirect_uri, cancel), scopes)


def serve_sign_in_as(emulator: EmulatorParts, http: Request) -> Response:
    query = http.args
    next_url = query.get("next")
    try:
        workspace = _workspace_of(emulator, query.get("user", ""), query.get("team"))
        user = workspace.user_by_id(query.get("user", ""))
        if not can_sign_in(user):
            raise SlackError("cannot_sign_in")
        if next_url and not _may_go_to(emulator, http, next_url):
            raise SlackError("bad_next_url")
    except SlackError as error:
        return _error_page(error.error)
    if next_url:
        response = Response(status=302, headers={"Location": next_url})
    else:
        response = _page(
            f"Signed in to {workspace.team.name}",
            f"<p>This browser is signed in to Slack as "
            f"<strong>{_text(_shown_name(user))}</strong>.</p>"
            f'<p><a href="{SIGN_OUT_PATH}">Sign out</a></p>',
        )
    response.set_cookie(
        SIGN_IN_COOKIE,
        f"{workspace.team.id}.{user.id}",
        httponly=True,
        samesite="Lax",
        path="/",
    )
    return response


def serve_sign_out(emulator: EmulatorParts, http: Request) -> Response:
    next_url = http.args.get("next")
    if next_url and not _may_go_to(emulator, http, next_url):
        return _error_page("bad_next_url")
    if next_url:
        response = Response(status=302, headers={"Location": next_url})
    else:
        response = _page("Signed out", "<p>This browser is not signed in to Slack.</p>")
    response.delete_cookie(SIGN_IN_COOKIE, path="/", httponly=True, samesite="Lax")
    return response


def serve_avatar(emulator: EmulatorParts, team_id: str, user_id: str) -> Response:
    try:
        user = emulator.workspace_by_team(team_id).user_by_id(user_id)
    except SlackError:
        return Response("no such person", status=404, mimetype="text/plain")
    name = _shown_name(user)
    initials = "".join(word[0] for word in name.split()[:2]).upper() or "?"
    hue = int(hashlib.sha256(user.id.encode()).hexdigest()[:4], 16) % 360
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" '
        'viewBox="0 0 100 100">'
        f'<rect width="100" height="100" rx="12" fill="hsl({hue}, 45%, 45%)"/>'
        '<text x="50" y="50" dy=".35em" text-anchor="middle" font-size="40" '
        f'font-family="sans-serif" fill="#fff">{_text(initials)}</text></svg>'
    )
    return Response(svg, mimetype="image/svg+xml")


def _signed_in(emulator: EmulatorParts, http: Request) -> tuple[Workspace, User] | None:
    """The workspace and person the browser's cookie signs in, if they still can."""
    team_id, _, user_id = http.cookies.get(SIGN_IN_COOKIE, "").partition(".")
    try:
        workspace = emulator.workspace_by_team(team_id)
        user = workspace.user_by_id(user_id)
    except SlackError:
        return None
    return (workspace, user) if can_sign_in(user) else None


def _workspace_of(emulator: EmulatorParts, user_id: str, team_id: str | None) -> Workspace:
    if team_id:
        return emulator.workspace_by_team(team_id)
    for workspace in emulator.workspaces():
        if any(user.id == user_id for user in workspace.users()):
            return workspace
    raise SlackError("user_not_found")


def _may_go_to(emulator: EmulatorParts, http: Request, url: str) -> bool:
    """A relative URL, or one on the emulator, or on a registered app's site."""
    if "\\" in url or any(ord(char) < 0x20 or char == "\x7f" for char in url):
        return False
    parts = urlsplit(url)
    if not parts.scheme and not parts.netloc:
        return url.startswith("/") and not url.startswith("//")
    if origin(url) is not None and origin(url) == origin(http.host_url):
        return "@" not in parts.netloc
    return "@" not in parts.netloc and emulator.openid.trusts(url)


def _sign_in_page(workspace: Workspace, back: str, cancel: str, scopes: frozenset[str]) -> Response:
    team = workspace.team
    people = sorted(
        (user for user in workspace.users() if can_sign_in(user)),
        key=lambda user: _shown_name(user).casefold(),
    )
    items = "".join(
        "<li><a href="
        f'"{_text(_sign_in_link(team.id, user.id, back))}">'
        f"Continue as {_text(_shown_name(user))}</a> "
        f'<span class="handle">@{_text(user.name)}</span></li>'
        for user in people
    )
    shared = ["who you are in Slack"]
    if "profile" in scopes:
        shared.append("your name, picture and language")
    if "email" in scopes:
        shared.append("your email address")
    body = (
        f'<p class="domain">{_text(team.domain)}.slack.com</p>'
        f"<p>An app asks you to sign in with Slack. It will see {_text(', '.join(shared))}.</p>"
        f'<ul class="people">{items}</ul>'
        f'<p><a class="cancel" href="{_text(cancel)}">Cancel</a></p>'
    )
    return _page(f"Sign in to {team.name}", body)


def _sign_in_link(team_id: str, user_id: str, back: str) -> str:
    return f"{SIGN_IN_AS_PATH}?{urlencode({'user': user_id, 'team': team_id, 'next': back})}"


def _error_page(error: str) -> Response:
    explanation = _EXPLANATIONS.get(error, "")
    body = f"<p>Error: <code>{_text(error)}</code></p><p>{_text(explanation)}</p>"
    return _page("Sign in with Slack failed", body, status=400)


def _page(title: str, body: str, *, status: int = 200) -> Response:
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_text(title)}</title><style>{_STYLE}</style></head>"
        f"<body><main><h1>{_text(title)}</h1>{body}</main></body></html>\n"
    )
    return Response(page, status=status, mimetype="text/html")


def _shown_name(user: User) -> str:
    return user.real_name or user.display_name or user.name


def _text(value: str) -> str:
    return html.escape(value, quote=True)
