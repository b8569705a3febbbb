"""The Web API methods of Sign in with Slack (OpenID Connect), as slack.com answers them:

- openid.connect.token: the app's client id and secret (HTTP Basic, as slack_sdk's
  `WebClient.openid_connect_token` sends them, or `client_id` and `client_secret`
  arguments), the one-time `code`, the `redirect_uri` of the authorize request (required
  if it named one) and `grant_type` (authorization_code, the default), for
  `{"access_token": "xoxp-...", "token_type": "Bearer", "id_token": <JWT>,
  "expires_in": 43200}`. Errors: invalid_client_id, bad_client_secret,
  invalid_grant_type (refresh tokens are not emulated), invalid_code (unknown, used or
  expired), oauth_authorization_url_mismatch (a code of /oauth/v2/authorize, an install's,
  not of /openid/connect/authorize), bad_redirect_uri.
- openid.connect.userInfo: the access token (`Authorization: Bearer` or a `token`
  argument) for who signed in. Errors: not_authed, invalid_auth (unknown), token_revoked
  (OpenIDConnect.revoke), token_expired, account_inactive (deactivated since).

Both are app-level methods (auth.APP_LEVEL_METHODS): no workspace bot token, no rate
limit, served on GET as on POST. The state behind them is slackemu/openid.py; the
browser pages of the dance are sign_in_pages.py.
"""

from __future__ import annotations

from slackemu.records import JSON, SlackError
from slackemu.webapi.arguments import Arguments
from slackemu.webapi.parts import EmulatorParts

OPENID_TOKEN = "openid.connect.token"
OPENID_USER_INFO = "openid.connect.userInfo"
OPENID_METHODS = (OPENID_TOKEN, OPENID_USER_INFO)


def answer_openid(
    emulator: EmulatorParts,
    method_name: str,
    args: Arguments,
    token: str | None,
    basic: tuple[str, str] | None,
    emulator_url: str,
) -> JSON:
    """The body of a successful call to a method of OPENID_METHODS (without "ok");
    raises SlackError otherwise. `emulator_url` is where the browser reaches the
    emulator, for the pictures' URLs."""
    workspaces = {workspace.team.id: workspace for workspace in emulator.workspaces()}
    now = emulator.workspace.clock.now()
    if method_name == OPENID_TOKEN:
        client_id, client_secret = basic or (args.text("client_id"), args.text("client_secret"))
        try:
            return emulator.openid.exchange(
                workspaces,
                client_id=client_id,
                client_secret=client_secret,
                code=args.text("code"),
                redirect_uri=args.text("redirect_uri"),
                grant_type=args.text("grant_type"),
                now=now,
                emulator_url=emulator_url,
            )
        except SlackError as error:
            if error.error == "invalid_code" and emulator.installs.holds_code(args.text("code")):
                raise SlackError("oauth_authorization_url_mismatch") from None
            raise
    if method_name == OPENID_USER_INFO:
        return emulator.openid.user_info(workspaces, token, now=now, emulator_url=emulator_url)
    raise SlackError("unknown_method")
