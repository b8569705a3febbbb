"""Settings: read once from the environment (and `.env`, loaded by the CLI), validated.

Nothing here runs at import time; `Settings.from_env()` is called by the entry points.
Every problem found is reported at once, named by its environment variable, so an
admin fixes the whole file in one go instead of one error per restart.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.i18n import SUPPORTED_LOCALES, normalize_locale

DEFAULT_DATABASE_URL = "sqlite:///motbot.db"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
MIN_PULSE_GROUP = 3
DEFAULT_PULSE_GROUP = 5
MIN_SECRET_LENGTH = 32
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("text", "json")

_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,}$")
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
_USERGROUP_ID = re.compile(r"^S[A-Z0-9]{2,}$")
# Settings whose values are credentials, by the end of their name.
_CREDENTIAL_FIELD = re.compile(r"(_token|_secret|secret_key)$")


class SettingsError(ValueError):
    """One or more settings are missing or invalid; `problems` lists each of them."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("Invalid configuration:\n" + "\n".join(f"  - {p}" for p in problems))


@dataclass(frozen=True)
class Settings:
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    database_url: str = DEFAULT_DATABASE_URL
    slack_api_url: str = DEFAULT_SLACK_API_URL
    port: int = 3000
    log_level: str = "INFO"
    log_format: str = "text"
    stories_channel: str | None = None
    leaderboard_channel: str | None = None
    hr_channel: str | None = None
    admins: tuple[str, ...] = ()
    leaders: tuple[str, ...] = ()
    hr_users: tuple[str, ...] = ()
    team_groups: tuple[str, ...] = ()
    pulse_min_group: int = DEFAULT_PULSE_GROUP
    timezone: str = "UTC"
    locale: str = "en"
    tag_emoji: str = "star"
    secret_key: str | None = None
    posts_per_minute: int = 300
    fanout_workers: int = 4
    client_id: str | None = None
    client_secret: str | None = None
    dashboard_url: str | None = None

    @property
    def socket_mode(self) -> bool:
        return bool(self.slack_app_token)

    @property
    def oauth(self) -> bool:
        """Many workspaces, each installed over OAuth, instead of one SLACK_BOT_TOKEN. With
        SLACK_BOT_TOKEN set, the app's client credentials serve Sign in with Slack only."""
        return bool(self.client_id and self.client_secret and not self.slack_bot_token)

    @property
    def dashboard(self) -> bool:
        """The web dashboard is served: it has a public address, the app's credentials for
        Sign in with Slack, and a secret key to sign its sessions with."""
        return bool(
            self.dashboard_url and self.client_id and self.client_secret and self.secret_key
        )

    def secret_values(self) -> tuple[str, ...]:
        """Every credential set here (tokens, secrets, the secret key, the database
        password), for the log filter that masks them wherever they appear."""
        values = [
            value
            for field in fields(self)
            if _CREDENTIAL_FIELD.search(field.name) and (value := getattr(self, field.name))
        ]
        try:
            password = urlsplit(self.database_url).password
        except ValueError:
            password = None
        if password:
            values.append(password)
        return tuple(values)

    def require_secret_key(self) -> str:
        """The key that keeps pulse answers unlinkable; the pulse refuses to run without it."""
        if not self.secret_key:
            raise SettingsError(
                [
                    "MOTBOT_SECRET_KEY is not set: the weekly pulse needs it to keep answers "
                    "anonymous (see docs/privacy.md)"
                ]
            )
        return self.secret_key

    def require_slack_credentials(self) -> None:
        """Raise SettingsError naming every credential `motbot run` still needs."""
        problems = []
        if self.oauth and self.socket_mode:
            problems.append(
                "MOTBOT_CLIENT_ID and MOTBOT_CLIENT_SECRET install workspaces over HTTP "
                "(/slack/install); unset SLACK_APP_TOKEN to serve HTTP"
            )
        if not self.slack_bot_token and not self.oauth:
            problems.append(
                "SLACK_BOT_TOKEN is not set (the bot token, xoxb-...), nor "
                "MOTBOT_CLIENT_ID and MOTBOT_CLIENT_SECRET (to install in many workspaces)"
            )
        if not self.slack_signing_secret and not self.socket_mode:
            problems.append("SLACK_SIGNING_SECRET is not set (Basic Information > App Credentials)")
        if problems:
            raise SettingsError(problems)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        reader = _Reader(env)
        settings = cls(
            slack_bot_token=reader.text("SLACK_BOT_TOKEN"),
            slack_signing_secret=reader.text("SLACK_SIGNING_SECRET"),
            slack_app_token=reader.app_token("SLACK_APP_TOKEN"),
            database_url=reader.text("DATABASE_URL") or DEFAULT_DATABASE_URL,
            slack_api_url=reader.api_url("SLACK_API_URL"),
            port=reader.integer("PORT", default=3000, minimum=1, maximum=65535),
            log_level=reader.choice("LOG_LEVEL", LOG_LEVELS, default="INFO", upper=True),
            log_format=reader.choice("LOG_FORMAT", LOG_FORMATS, default="text"),
            stories_channel=reader.channel("MOTBOT_STORIES_CHANNEL"),
            leaderboard_channel=reader.channel("MOTBOT_LEADERBOARD_CHANNEL"),
            hr_channel=reader.channel("MOTBOT_HR_CHANNEL"),
            admins=reader.user_ids("MOTBOT_ADMINS"),
            leaders=reader.user_ids("MOTBOT_LEADERS"),
            hr_users=reader.user_ids("MOTBOT_HR_USERS"),
            team_groups=reader.ids(
                "MOTBOT_TEAM_GROUPS", _USERGROUP_ID, "Slack user group ids such as S0123ABCD"
            ),
            pulse_min_group=reader.integer(
                "MOTBOT_PULSE_MIN_GROUP",
                default=DEFAULT_PULSE_GROUP,
                minimum=MIN_PULSE_GROUP,
                maximum=1000,
                why_minimum="anonymity needs at least 3 respondents per group",
            ),
            timezone=reader.timezone("MOTBOT_TIMEZONE"),
            locale=reader.locale("MOTBOT_LOCALE"),
            tag_emoji=reader.emoji("MOTBOT_TAG_EMOJI"),
            secret_key=reader.secret("MOTBOT_SECRET_KEY"),
            posts_per_minute=reader.integer(
                "MOTBOT_POSTS_PER_MINUTE", default=300, minimum=1, maximum=1_000_000
            ),
            fanout_workers=reader.integer(
                "MOTBOT_FANOUT_WORKERS", default=4, minimum=1, maximum=32
            ),
            client_id=reader.text("MOTBOT_CLIENT_ID"),
            client_secret=reader.text("MOTBOT_CLIENT_SECRET"),
            dashboard_url=reader.base_url("MOTBOT_DASHBOARD_URL"),
        )
        if bool(settings.client_id) != bool(settings.client_secret):
            reader.problems.append(
                "MOTBOT_CLIENT_ID and MOTBOT_CLIENT_SECRET go together (Basic Information > "
                "App Credentials): set both to install in many workspaces, or neither"
            )
        if settings.dashboard_url and not (settings.client_id and settings.secret_key):
            reader.problems.append(
                "MOTBOT_DASHBOARD_URL serves the web dashboard, which signs people in with "
                "Slack: it needs MOTBOT_CLIENT_ID and MOTBOT_CLIENT_SECRET (Basic Information > "
                "App Credentials) and MOTBOT_SECRET_KEY (it signs the dashboard's sessions)"
            )
        reader.raise_if_problems()
        return settings


class _Reader:
    """Reads and checks environment values, collecting every problem it meets."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env
        self.problems: list[str] = []

    def raise_if_problems(self) -> None:
        if self.problems:
            raise SettingsError(self.problems)

    def text(self, name: str) -> str | None:
        value = self.env.get(name, "").strip()
        return value or None

    def secret(self, name: str) -> str | None:
        value = self.text(name)
        if value is not None and len(value) < MIN_SECRET_LENGTH:
            self.problems.append(
                f"{name} must be at least {MIN_SECRET_LENGTH} characters of random text "
                "(for example the output of: python -c 'import secrets; "
                "print(secrets.token_urlsafe(32))')"
            )
        return value

    def app_token(self, name: str) -> str | None:
        value = self.text(name)
        if value and not value.startswith("xapp-"):
            self.problems.append(
                f"{name} must be an app-level token starting with xapp- (or be left unset "
                "to serve HTTP)"
            )
        return value

    def base_url(self, name: str) -> str | None:
        """A public address such as https://motbot.example.com (no trailing slash)."""
        value = self.text(name)
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
            self.problems.append(
                f"{name} must be the http(s) address people open, such as "
                f"https://motbot.example.com, got {value!r}"
            )
            return None
        return value.rstrip("/")

    def api_url(self, name: str) -> str:
        value = self.text(name) or DEFAULT_SLACK_API_URL
        if not re.match(r"^https?://", value):
            self.problems.append(f"{name} must be an http(s) URL, got {value!r}")
        return value if value.endswith("/") else value + "/"

    def integer(
        self,
        name: str,
        *,
        default: int,
        minimum: int,
        maximum: int,
        why_minimum: str = "",
    ) -> int:
        raw = self.text(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            self.problems.append(f"{name} must be a whole number, got {raw!r}")
            return default
        if value < minimum:
            reason = f" ({why_minimum})" if why_minimum else ""
            self.problems.append(f"{name} must be at least {minimum}{reason}, got {value}")
        elif value > maximum:
            self.problems.append(f"{name} must be at most {maximum}, got {value}")
        return value

    def choice(
        self, name: str, choices: tuple[str, ...], *, default: str, upper: bool = False
    ) -> str:
        raw = self.text(name)
        if raw is None:
            return default
        value = raw.upper() if upper else raw.lower()
        if value not in choices:
            self.problems.append(f"{name} must be one of {', '.join(choices)}, got {raw!r}")
            return default
        return value

    def channel(self, name: str) -> str | None:
        value = self.text(name)
        if value and not _CHANNEL_ID.match(value):
            self.problems.append(
                f"{name} must be a channel id such as C0123ABCD (not a #name), got {value!r}"
            )
        return value

    def user_ids(self, name: str) -> tuple[str, ...]:
        return self.ids(name, _USER_ID, "Slack user ids such as U0123ABCD")

    def ids(self, name: str, pattern: re.Pattern[str], what: str) -> tuple[str, ...]:
        raw = self.text(name) or ""
        ids = tuple(part.strip() for part in raw.split(",") if part.strip())
        bad = [item for item in ids if not pattern.match(item)]
        if bad:
            self.problems.append(
                f"{name} must be comma-separated {what}, got {', '.join(repr(b) for b in bad)}"
            )
        return ids

    def timezone(self, name: str) -> str:
        value = self.text(name) or "UTC"
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            self.problems.append(
                f"{name} must be an IANA time zone such as Europe/Stockholm or "
                f"Asia/Shanghai, got {value!r}"
            )
            return "UTC"
        return value

    def locale(self, name: str) -> str:
        raw = self.text(name)
        if raw is None:
            return "en"
        value = normalize_locale(raw)
        if value is None:
            self.problems.append(
                f"{name} must be one of {', '.join(SUPPORTED_LOCALES)}, got {raw!r}"
            )
            return "en"
        return value

    def emoji(self, name: str) -> str:
        value = (self.text(name) or "star").strip(":")
        if not re.match(r"^[a-z0-9_+\-']+$", value):
            self.problems.append(
                f"{name} must be an emoji name such as star (without colons), got {value!r}"
            )
            return "star"
        return value
