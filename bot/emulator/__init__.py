"""A local, in-memory Slack: the Web API, Block Kit validation, rate limits and faults.

See DESIGN.md, "The local Slack emulator". The pieces:

- state.py: `Workspace`, the store (users, channels, messages, views, triggers)
- records.py: what it stores (`User`, `Channel`, `Message`, `View`, ...) and `SlackError`
- clock.py: `Clock`, emulator time that tests can freeze and the sandbox can speed up
- webapi.py: the Web API over HTTP (`create_webapi_app`) and the call log
- blockkit.py: Block Kit validation with Slack's error messages
- ratelimit.py / faults.py: HTTP 429s by tier, and injected failures
- server.py: `Emulator`, which runs it all on loopback
- demo.py / workspace_file.py: the demo workspace, and workspaces from files
"""

from bot.emulator.clock import Clock
from bot.emulator.faults import FaultInjector
from bot.emulator.ratelimit import RateLimiter
from bot.emulator.records import (
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
from bot.emulator.server import Emulator
from bot.emulator.state import Workspace
from bot.emulator.webapi import ApiCall
from bot.emulator.workspace_file import (
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
