"""The method table: each Web API method, what it requires, and the handler serving it.

Each family module (auth.py, users.py, ...) offers its methods as a tuple `METHODS`;
`method_table` puts them together, refusing a name two families both claim.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from slackemu.records import JSON
from slackemu.state import Workspace
from slackemu.webapi.arguments import Arguments


@dataclass(frozen=True)
class ApiRequest:
    """A call a handler serves: its arguments and the workspace its token belongs to."""

    args: Arguments
    workspace: Workspace

    @property
    def now(self) -> float:
        return self.workspace.clock.now()


Handler = Callable[[ApiRequest], JSON]


@dataclass(frozen=True)
class ApiMethod:
    name: str
    handler: Handler
    required: tuple[str, ...] = ()  # beyond the token; from ../shared/slack-api-ref
    reads: bool = False  # also served on GET, as slack_sdk calls read methods with GET


def method_table(*families: Iterable[ApiMethod]) -> Mapping[str, ApiMethod]:
    """The methods of `families` by name, read-only; a name served twice is a bug."""
    table: dict[str, ApiMethod] = {}
    for family in families:
        for method in family:
            if method.name in table:
                raise ValueError(f"{method.name} is served twice")
            table[method.name] = method
    return MappingProxyType(table)
