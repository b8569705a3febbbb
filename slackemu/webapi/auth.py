"""Who is calling, and installing the app: auth.test and team.info (a workspace's bot
token), plus the calls made with the app's own credentials instead: oauth.v2.access
(client id and secret), apps.connections.open (the app-level token), Sign in with
Slack's openid.connect.token and openid.connect.userInfo (openid_connect.py), and the
/oauth/v2/authorize page where a person approves an install."""

from __future__ import annotations

from flask import Request, Response

from slackemu.records import JSON, SlackError
from slackemu.state import Workspace
from slackemu.webapi.answers import error_body
from slackemu.webapi.arguments import Arguments
from slackemu.webapi.openid_connect import OPENID_METHODS, answer_openid
from slackemu.webapi.parts import EmulatorParts
from slackemu.webapi.registry import ApiMethod, ApiRequest

OAUTH_ACCESS = "oauth.v2.access"
CONNECTIONS_OPEN = "apps.connections.open"
APP_LEVEL_METHODS = (CONNECTIONS_OPEN, OAUTH_ACCESS, *OPENID_METHODS)


def _auth_test(call: ApiRequest) -> JSON:
    team, bot = call.workspace.team, call.workspace.bot
    return {
        "url": f"https://{team.domain}.slack.com/",
        "team": team.name,
        "user": bot.name,
        "team_id": team.id,
        "user_id": bot.user_id,
        "bot_id": bot.bot_id,
        "is_enterprise_install": False,
    }


def _team_info(call: ApiRequest) -> JSON:
    return {"team": call.workspace.team.to_api()}


METHODS = (
    ApiMethod("auth.test", _auth_test),
    ApiMethod("team.info", _team_info, reads=True),
)


def answer_app_level(
    emulator: EmulatorParts,
    method_name: str,
    values: JSON,
    token: str | None,
    parse_error: str | None,
    basic: tuple[str, str] | None,
    emulator_url: str = "",
) -> JSON | None:
    """The answer to a method of APP_LEVEL_METHODS, which belong to the app rather than a
    workspace: no workspace token, no rate limit, on GET as on POST. None for others.
    `emulator_url` is where the caller reaches the emulator (http://127.0.0.1:PORT)."""
    try:
        if method_name == CONNECTIONS_OPEN:
            return {"ok": True, "url": emulator.socket_mode.connection_url(token)}
        if method_name == OAUTH_ACCESS:
            if parse_error:
                raise SlackError(parse_error)
            return {"ok": True, **_oauth_access(emulator, Arguments(values), basic)}
        if method_name in OPENID_METHODS:
            if parse_error:
                raise SlackError(parse_error)
            args = Arguments(values)
            return {
                "ok": True,
                **answer_openid(emulator, method_name, args, token, basic, emulator_url),
            }
    except SlackError as error:
        return error_body(error)
    return None


def _oauth_access(emulator: EmulatorParts, args: Arguments, basic: tuple[str, str] | None) -> JSON:
    """oauth.v2.access takes the app's credentials, not a token: as HTTP Basic (what
    slack_sdk sends) or as client_id and client_secret arguments."""
    client_id, client_secret = basic or (args.text("client_id"), args.text("client_secret"))
    return emulator.installs.exchange(
        {workspace.team.id: workspace for workspace in emulator.workspaces()},
        client_id=client_id,
        client_secret=client_secret,
        code=args.text("code"),
        redirect_uri=args.text("redirect_uri"),
        now=emulator.workspace.clock.now(),
    )


def serve_authorize(emulator: EmulatorParts, http: Request) -> Response:
    """The page where a person approves an install; here they approve at once. Slack's
    own `team` parameter picks the workspace; `user` (the emulator's) picks who."""
    query = http.args
    try:
        workspace = emulator.workspace_by_team(query.get("team") or emulator.workspace.team.id)
        user_id = query.get("user") or _first_admin(workspace)
        location = emulator.installs.authorize(
            workspace,
            client_id=query.get("client_id", ""),
            user_id=user_id,
            scopes=query.get("scope", ""),
            state=query.get("state", ""),
            redirect_uri=query.get("redirect_uri"),
            now=workspace.clock.now(),
        )
    except SlackError as error:
        return Response(f"Installation failed: {error.error}", status=400, mimetype="text/plain")
    return Response(status=302, headers={"Location": location})


def _first_admin(workspace: Workspace) -> str:
    for user in workspace.users():
        if user.is_admin and not user.is_bot:
            return user.id
    raise SlackError("no_admin_to_approve")
