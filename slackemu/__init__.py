"""A local, in-memory Slack: the Web API, Socket Mode, Block Kit validation, rate limits
and faults. A test double for any Slack app: nothing here imports motbot (bot/), whose
sandbox (bot/sandbox) drives it.

See DESIGN.md, "The local Slack emulator". The pieces:

- state.py: `Workspace`, the store (users, channels, messages, views, triggers)
- records.py: what it stores (`User`, `Channel`, `Message`, `View`, ...) and `SlackError`
- clock.py: `Clock`, emulator time that tests can freeze and the sandbox can speed up
- webapi/: the Web API over HTTP (`create_webapi_app`), a module per method family, and
  the call log
- blockkit.py: Block Kit validation with Slack's error messages
- ratelimit.py / faults.py: HTTP 429s by tier, and injected failures
- server.py: `Emulator`, which runs it all on loopback
- socket_mode.py: apps.connections.open, the websocket and its envelopes
- oauth.py / openid.py: installing the app over OAuth v2, and Sign in with Slack
  (OpenID Connect) for the app's own web pages
- inbound.py / actors.py / render.py: requests to the app, people acting, what they see
- workspace_file.py: workspaces from JSON or YAML files
"""

from slackemu.clock import Clock
from slackemu.faults import FaultInjector
from slackemu.ratelimit import RateLimiter
from slackemu.records import (
    Bot,
    Channel,
    Ephemeral,
    Message,
    SlackError,
    Team,
    User,
    UserGroup,
    View,
)
from slackemu.server import Emulator
from slackemu.state import Workspace
from slackemu.webapi import ApiCall
from slackemu.workspace_file import (
    LoadedWorkspace,
    Roles,
    WorkspaceFileError,
    load_workspace_file,
)

__all__ = [
    "ApiCall",
    "Bot",
    "Channel",
    "Clock",
    "Emulator",
    "Ephemeral",
    "FaultInjector",
    "LoadedWorkspace",
    "Message",
    "RateLimiter",
    "Roles",
    "SlackError",
    "Team",
    "User",
    "UserGroup",
    "View",
    "Workspace",
    "WorkspaceFileError",
    "load_workspace_file",
]
