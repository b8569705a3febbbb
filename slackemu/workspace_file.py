"""Workspaces described in a file: JSON, or YAML when PyYAML is installed.

The shape (every section but `users` is optional):

    {
      "team": {"id": "T0DEMO001", "name": "Nordlys Air", "domain": "nordlys-air"},
      "bot": {"user_id": "U0MOTBOT1", "bot_id": "B0MOTBOT1", "app_id": "A0MOTBOT1",
              "token": "xoxb-...", "name": "motbot"},
      "users": [{"id": "U0ALICE01", "name": "alice", "real_name": "Alice Andersson",
                 "display_name": "Alice", "tz": "Europe/Stockholm", "locale": "en-US",
                 "email": "alice@example.com", "is_admin": false, "is_restricted": false,
                 "deleted": false}],
      "channels": [{"id": "C0MOMENTS", "name": "moments-of-truth", "is_private": false,
                    "members": ["U0ALICE01", "U0MOTBOT1"], "topic": "", "purpose": ""}],
      "user_groups": [{"id": "S0GATE001", "handle": "checkin-gate", "name": "Check-in & Gate",
                       "users": ["U0ALICE01"], "description": ""}],
      "roles": {"leaders": ["U0ERIK001"], "hr_users": [], "admins": [],
                "stories_channel": "C0MOMENTS", "leaderboard_channel": null,
                "hr_channel": null}
    }

The bot's own user comes from "bot"; members and roles refer to users by id. `roles`
is what the bot is told about the workspace (MOTBOT_LEADERS, ...), so a sandbox can be
configured from the same file. Every problem is reported at once, each with where it is
("users[3].tz: unknown time zone 'Europe/Stokholm'").
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slackemu.clock import Clock
from slackemu.records import Bot, Channel, Team, User, UserGroup
from slackemu.state import Workspace

_PATTERNS = {
    "team": re.compile(r"^T[A-Z0-9]{2,}$"),
    "user": re.compile(r"^[UW][A-Z0-9]{2,}$"),
    "channel": re.compile(r"^[CG][A-Z0-9]{2,}$"),
    "group": re.compile(r"^S[A-Z0-9]{2,}$"),
    "bot": re.compile(r"^B[A-Z0-9]{2,}$"),
    "app": re.compile(r"^A[A-Z0-9]{2,}$"),
    "locale": re.compile(r"^[a-z]{2}(-[A-Z]{2})?$"),
    "name": re.compile(r"^[a-z0-9][a-z0-9._-]*$"),
}
_SECTIONS = ("team", "bot", "users", "channels", "user_groups", "roles")
_ROLE_LISTS = {
    "leaders": "MOTBOT_LEADERS",
    "hr_users": "MOTBOT_HR_USERS",
    "admins": "MOTBOT_ADMINS",
    "team_groups": "MOTBOT_TEAM_GROUPS",
}
_ROLE_CHANNELS = {
    "stories_channel": "MOTBOT_STORIES_CHANNEL",
    "leaderboard_channel": "MOTBOT_LEADERBOARD_CHANNEL",
    "hr_channel": "MOTBOT_HR_CHANNEL",
}


class WorkspaceFileError(ValueError):
    """The file cannot be used; `problems` says every reason, each with its place."""

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        listing = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"{source} is not a valid workspace:\n{listing}")


@dataclass(frozen=True)
class Roles:
    """Who the bot should treat as leaders, HR and admins, and where it posts."""

    leaders: tuple[str, ...] = ()
    hr_users: tuple[str, ...] = ()
    admins: tuple[str, ...] = ()
    team_groups: tuple[str, ...] = ()
    stories_channel: str | None = None
    leaderboard_channel: str | None = None
    hr_channel: str | None = None

    def to_env(self) -> dict[str, str]:
        """The MOTBOT_* settings (see bot/config.py) that describe these roles."""
        env = {variable: ",".join(getattr(self, role)) for role, variable in _ROLE_LISTS.items()}
        env.update(
            {
                variable: getattr(self, role)
                for role, variable in _ROLE_CHANNELS.items()
                if getattr(self, role)
            }
        )
        return env


@dataclass(frozen=True)
class LoadedWorkspace:
    workspace: Workspace
    roles: Roles

    def env(self, api_url: str | None = None) -> dict[str, str]:
        """Environment for a bot pointed at this workspace: token, roles, and the API URL."""
        env = {"SLACK_BOT_TOKEN": self.workspace.bot.token, **self.roles.to_env()}
        if api_url:
            env["SLACK_API_URL"] = api_url
        return env


def load_workspace_file(path: str | Path, clock: Clock | None = None) -> LoadedWorkspace:
    """Read, check and build a workspace from a .json, .yaml or .yml file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise WorkspaceFileError(str(path), [f"cannot be read: {error.strerror}"]) from error
    spec = _parse(text, path)
    return build_workspace(spec, clock, source=str(path))


def build_workspace(
    spec: object, clock: Clock | None = None, *, source: str = "workspace"
) -> LoadedWorkspace:
    """Check a workspace description (the file's shape, as Python data) and build it."""
    checker = _Checker()
    parts = checker.workspace(spec)
    if checker.problems or parts is None:
        raise WorkspaceFileError(source, checker.problems)
    team, bot, users, channels, groups, roles = parts
    workspace = Workspace(team, bot, clock)
    for user in users:
        workspace.add_user(user)
    for channel in channels:
        workspace.add_channel(channel)
    for group in groups:
        workspace.add_user_group(group)
    return LoadedWorkspace(workspace, roles)


def _parse(text: str, path: Path) -> object:
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            import yaml  # optional: only YAML files need it
        except ImportError as error:
            raise WorkspaceFileError(
                str(path), ["is YAML, which needs PyYAML (pip install pyyaml); or write it as JSON"]
            ) from error
        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise WorkspaceFileError(str(path), [f"is not valid YAML: {error}"]) from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise WorkspaceFileError(
            str(path),
            [f"is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"],
        ) from error


_Parts = tuple[Team, Bot, list[User], list[Channel], list[UserGroup], Roles]


class _Checker:
    """Turns the description into records, collecting every problem on the way."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def workspace(self, spec: object) -> _Parts | None:
        if not isinstance(spec, Mapping):
            self.problems.append("the top level must be an object with a 'users' list")
            return None
        self._known_keys(spec, _SECTIONS, "the top level")
        team = self._team(self._section(spec, "team"))
        bot = self._bot(self._section(spec, "bot"))
        users = self._records(spec, "users", self._user, required=True)
        user_ids = [user.id for user in users]
        self._unique(user_ids, "users", "id")
        self._unique([user.name for user in users], "users", "name")
        if bot.user_id in user_ids:
            self.problems.append(f"users: {bot.user_id} is the bot's user, which 'bot' defines")
        known_users = {*user_ids, bot.user_id}
        channels = self._records(
            spec, "channels", lambda item, where: self._channel(item, where, known_users)
        )
        self._unique([channel.id for channel in channels], "channels", "id")
        self._unique([channel.name for channel in channels], "channels", "name")
        groups = self._records(
            spec, "user_groups", lambda item, where: self._group(item, where, known_users)
        )
        self._unique([group.id for group in groups], "user_groups", "id")
        self._unique([group.handle for group in groups], "user_groups", "handle")
        roles = self._roles(
            self._section(spec, "roles"),
            known_users,
            {channel.id for channel in channels},
            {group.id for group in groups},
        )
        return team, bot, users, channels, groups, roles

    # ------------------------------------------------------------- sections

    def _team(self, spec: Mapping[str, Any]) -> Team:
        self._known_keys(spec, ("id", "name", "domain"), "team")
        default = Team()
        return Team(
            id=self._text(spec, "id", "team", pattern="team", default=default.id),
            name=self._text(spec, "name", "team", default=default.name),
            domain=self._text(spec, "domain", "team", pattern="name", default=default.domain),
        )

    def _bot(self, spec: Mapping[str, Any]) -> Bot:
        self._known_keys(spec, ("user_id", "bot_id", "app_id", "token", "name"), "bot")
        default = Bot()
        token = self._text(spec, "token", "bot", default=default.token)
        if not token.startswith("xoxb-"):
            self.problems.append("bot.token: must be a bot token starting with xoxb-")
        return Bot(
            user_id=self._text(spec, "user_id", "bot", pattern="user", default=default.user_id),
            bot_id=self._text(spec, "bot_id", "bot", pattern="bot", default=default.bot_id),
            app_id=self._text(spec, "app_id", "bot", pattern="app", default=default.app_id),
            token=token,
            name=self._text(spec, "name", "bot", pattern="name", default=default.name),
        )

    def _user(self, spec: Mapping[str, Any], where: str) -> User | None:
        fields = (
            "id",
            "name",
            "real_name",
            "display_name",
            "tz",
            "locale",
            "email",
            "is_admin",
            "is_restricted",
            "deleted",
            "is_bot",
        )
        self._known_keys(spec, fields, where)
        user_id = self._text(spec, "id", where, pattern="user")
        name = self._text(spec, "name", where, pattern="name")
        tz = self._text(spec, "tz", where, default="UTC")
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            self.problems.append(
                f"{where}.tz: unknown time zone {tz!r} (an IANA name such as Europe/Stockholm)"
            )
            tz = "UTC"
        email = self._text(spec, "email", where, default="")
        if email and "@" not in email:
            self.problems.append(f"{where}.email: {email!r} is not an email address")
        if not user_id or not name:
            return None
        return User(
            id=user_id,
            name=name,
            real_name=self._text(spec, "real_name", where, default=name),
            display_name=self._text(spec, "display_name", where, default=""),
            tz=tz,
            locale=self._text(spec, "locale", where, pattern="locale", default="en-US"),
            email=email or None,
            is_admin=self._flag(spec, "is_admin", where),
            is_restricted=self._flag(spec, "is_restricted", where),
            deleted=self._flag(spec, "deleted", where),
            is_bot=self._flag(spec, "is_bot", where),
        )

    def _channel(
        self, spec: Mapping[str, Any], where: str, known_users: set[str]
    ) -> Channel | None:
        self._known_keys(spec, ("id", "name", "is_private", "members", "topic", "purpose"), where)
        channel_id = self._text(spec, "id", where, pattern="channel")
        name = self._text(spec, "name", where, pattern="name")
        members = self._user_refs(spec, "members", where, known_users)
        if not channel_id or not name:
            return None
        return Channel(
            id=channel_id,
            name=name,
            is_private=self._flag(spec, "is_private", where),
            members=set(members),
            topic=self._text(spec, "topic", where, default=""),
            purpose=self._text(spec, "purpose", where, default=""),
        )

    def _group(
        self, spec: Mapping[str, Any], where: str, known_users: set[str]
    ) -> UserGroup | None:
        self._known_keys(spec, ("id", "handle", "name", "users", "description"), where)
        group_id = self._text(spec, "id", where, pattern="group")
        handle = self._text(spec, "handle", where, pattern="name")
        users = self._user_refs(spec, "users", where, known_users)
        if not group_id or not handle:
            return None
        return UserGroup(
            id=group_id,
            handle=handle,
            name=self._text(spec, "name", where, default=handle),
            users=users,
            description=self._text(spec, "description", where, default=""),
        )

    def _roles(
        self,
        spec: Mapping[str, Any],
        known_users: set[str],
        known_channels: set[str],
        known_groups: set[str],
    ) -> Roles:
        self._known_keys(spec, (*_ROLE_LISTS, *_ROLE_CHANNELS, "team_groups"), "roles")

        def people(role: str) -> tuple[str, ...]:
            return tuple(self._user_refs(spec, role, "roles", known_users))

        def channel(role: str) -> str | None:
            channel_id = self._text(spec, role, "roles", pattern="channel", default="")
            if channel_id and channel_id not in known_channels:
                self.problems.append(f"roles.{role}: no channel {channel_id} in 'channels'")
            return channel_id or None

        team_groups = spec.get("team_groups") or []
        if not isinstance(team_groups, list) or not all(isinstance(g, str) for g in team_groups):
            self.problems.append("roles.team_groups: must be a list of user group ids")
            team_groups = []
        for group_id in team_groups:
            if group_id not in known_groups:
                self.problems.append(
                    f"roles.team_groups: no user group {group_id} in 'user_groups'"
                )

        return Roles(
            team_groups=tuple(team_groups),
            leaders=people("leaders"),
            hr_users=people("hr_users"),
            admins=people("admins"),
            stories_channel=channel("stories_channel"),
            leaderboard_channel=channel("leaderboard_channel"),
            hr_channel=channel("hr_channel"),
        )

    # -------------------------------------------------------------- helpers

    def _section(self, spec: Mapping[str, Any], key: str) -> Mapping[str, Any]:
        value = spec.get(key)
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.problems.append(f"{key}: must be an object")
            return {}
        return value

    def _records(
        self,
        spec: Mapping[str, Any],
        key: str,
        build: Callable[[Mapping[str, Any], str], Any],
        *,
        required: bool = False,
    ) -> list[Any]:
        items = spec.get(key)
        if items is None:
            if required:
                self.problems.append(f"{key}: missing (a list of objects)")
            return []
        if not isinstance(items, list):
            self.problems.append(f"{key}: must be a list of objects")
            return []
        records = []
        for index, item in enumerate(items):
            where = f"{key}[{index}]"
            if not isinstance(item, Mapping):
                self.problems.append(f"{where}: must be an object")
                continue
            record = build(item, where)
            if record is not None:
                records.append(record)
        return records

    def _text(
        self,
        spec: Mapping[str, Any],
        key: str,
        where: str,
        *,
        pattern: str | None = None,
        default: str | None = None,
    ) -> str:
        value = spec.get(key)
        if value is None:
            if default is None:
                self.problems.append(f"{where}.{key}: missing")
                return ""
            return default
        if not isinstance(value, str):
            self.problems.append(f"{where}.{key}: must be a string, got {value!r}")
            return default or ""
        if pattern and value and not _PATTERNS[pattern].match(value):
            self.problems.append(
                f"{where}.{key}: {value!r} is not a valid {pattern} ({_PATTERNS[pattern].pattern})"
            )
        return value

    def _flag(self, spec: Mapping[str, Any], key: str, where: str) -> bool:
        value = spec.get(key, False)
        if not isinstance(value, bool):
            self.problems.append(f"{where}.{key}: must be true or false, got {value!r}")
            return False
        return value

    def _user_refs(
        self, spec: Mapping[str, Any], key: str, where: str, known_users: set[str]
    ) -> list[str]:
        value = spec.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.problems.append(f"{where}.{key}: must be a list of user ids")
            return []
        for index, user_id in enumerate(value):
            if user_id not in known_users:
                self.problems.append(f"{where}.{key}[{index}]: no user {user_id} in 'users'")
        return [user_id for user_id in value if user_id in known_users]

    def _known_keys(self, spec: Mapping[str, Any], allowed: Sequence[str], where: str) -> None:
        for key in spec:
            if key not in allowed:
                self.problems.append(
                    f"{where}: unknown field {key!r} (known: {', '.join(allowed)})"
                )

    def _unique(self, values: Sequence[str], section: str, key: str) -> None:
        seen: set[str] = set()
        for value in values:
            if value in seen:
                self.problems.append(f"{section}: {key} {value!r} is used twice")
            seen.add(value)
