"""The Slack Web API over HTTP, answering as slack.com does.

`create_webapi_app(emulator)` returns a Flask app serving `/api/<method>`:

- form-encoded and JSON bodies; JSON needs `Authorization: Bearer` (Slack ignores a
  token inside a JSON body), form and query strings may carry `token` instead;
- `not_authed` without a token, `invalid_auth` with a wrong one;
- `unknown_method` (HTTP 200) for methods the emulator does not serve;
- `invalid_arguments` for missing required arguments, `invalid_blocks` for bad
  Block Kit, and each method's own errors, with Slack's response shapes;
- HTTP 429 + Retry-After when a rate limit is on and exceeded (ratelimit.py), and
  whatever faults a test armed (faults.py).

It also serves the response_url endpoint (`/hooks/response/<token>`), through which
an app answers a slash command or interaction.

Every call is recorded in the emulator's `CallLog`, answered or not.

The modules:

- app.py: the Flask app, and `METHODS`, the method table the families make up
- calls.py: `ApiCall` and `CallLog`; parts.py: `EmulatorParts`, what the app needs
- arguments.py: `Arguments`, and Slack's invalid_arguments errors
- registry.py: `ApiRequest`, `ApiMethod` and `method_table`
- answers.py: error bodies, and sending an answer while logging it
- rules.py: message content, view payloads, visible channels, paging cursors
- the families, each a tuple `METHODS`: auth.py (auth.test, team.info, and the
  app-level oauth.v2.access, apps.connections.open and install page), users.py,
  conversations.py, usergroups.py, chat.py, reactions.py, views.py
- response_url.py: the response_url endpoint and `apply_reply`
- openid_connect.py: the app-level openid.connect.token and openid.connect.userInfo;
  sign_in_pages.py: Sign in with Slack's browser pages (/openid/connect/authorize,
  sign-in-as, sign-out) and the people's pictures (/avatars/...)
"""

from slackemu.webapi.app import METHODS, create_webapi_app
from slackemu.webapi.arguments import Arguments
from slackemu.webapi.calls import ApiCall, CallLog
from slackemu.webapi.parts import EmulatorParts
from slackemu.webapi.registry import ApiMethod, ApiRequest
from slackemu.webapi.response_url import apply_reply

__all__ = [
    "METHODS",
    "ApiCall",
    "ApiMethod",
    "ApiRequest",
    "Arguments",
    "CallLog",
    "EmulatorParts",
    "apply_reply",
    "create_webapi_app",
]
