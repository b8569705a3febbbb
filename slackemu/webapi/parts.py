"""What the Web API needs from the emulator that serves it."""

from __future__ import annotations

from typing import Protocol

from slackemu.faults import FaultInjector
from slackemu.oauth import Installs
from slackemu.openid import OpenIDConnect
from slackemu.ratelimit import RateLimiter
from slackemu.socket_mode import SocketModeHub
from slackemu.state import Workspace
from slackemu.webapi.calls import CallLog


class EmulatorParts(Protocol):
    """What the Web API needs from the emulator (server.Emulator provides it)."""

    workspace: Workspace
    rate_limiter: RateLimiter
    faults: FaultInjector
    call_log: CallLog
    installs: Installs
    openid: OpenIDConnect
    socket_mode: SocketModeHub

    def workspaces(self) -> list[Workspace]: ...

    def workspace_by_team(self, team_id: str) -> Workspace: ...

    def workspace_by_token(self, token: str | None) -> Workspace: ...

    def workspace_of_response_url(self, token: str) -> Workspace: ...
