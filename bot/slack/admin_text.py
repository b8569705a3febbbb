"""Reads the text of `/mot admin ...` as Slack delivers it into one request.

Slack escapes people as `<@U123|name>`, user groups as `<!subteam^S123|@team>`, channels
as `<#C123|name>` (kudos_text.slack_reference reads them); bare ids are accepted too. A
command the words do not make raises DomainError with the usage of that command, so the
admin sees how to write it.

    /mot admin                                   the overview (also `help`)
    /mot admin channel stories|leaderboard|hr #channel|none
    /mot admin values [add #tag Name | remove #tag]
    /mot admin policies [add Name of the area | remove Name of the area]
    /mot admin leaders|hr [add|remove @a @b ... | group @group|none]
    /mot admin budget N
    /mot admin leader-budget N|none
    /mot admin k N
    /mot admin schedule <weekday> <HH:MM>
    /mot admin timezone Area/City
    /mot admin locale en|zh-CN
    /mot admin audit
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import time

from bot.domain.errors import DomainError
from bot.domain.workspace_admin import CHANNEL_ID, USER_ID, USERGROUP_ID
from bot.slack.kudos_text import slack_reference

_TOKENS = re.compile(r"<[^<>]+>|\S+")
_TIME = re.compile(r"^(\d{1,2})[:：.](\d{2})$")
_NONE = ("none", "off", "clear", "-", "无")

_WEEKDAYS = {
    **dict.fromkeys(("monday", "mon"), 0),
    **dict.fromkeys(("tuesday", "tue", "tues"), 1),
    **dict.fromkeys(("wednesday", "wed"), 2),
    **dict.fromkeys(("thursday", "thu", "thur", "thurs"), 3),
    **dict.fromkeys(("friday", "fri"), 4),
    **dict.fromkeys(("saturday", "sat"), 5),
    **dict.fromkeys(("sunday", "sun"), 6),
}
_CHINESE_DAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_CHINESE_WEEK = ("周", "星期", "礼拜")

CHANNEL_SETTINGS = {
    "stories": "stories",
    "story": "stories",
    "leaderboard": "leaderboard",
    "hr": "hr",
}
ROLE_WORDS = {"leaders": "leader", "leader": "leader", "hr": "hr"}


@dataclass(frozen=True)
class Overview:
    pass


@dataclass(frozen=True)
class SetChannel:
    which: str  # "stories", "leaderboard" or "hr"
    channel_id: str | None


@dataclass(frozen=True)
class ListValues:
    pass


@dataclass(frozen=True)
class AddValue:
    tag: str
    name: str


@dataclass(frozen=True)
class RemoveValue:
    tag: str


@dataclass(frozen=True)
class ListPolicyAreas:
    pass


@dataclass(frozen=True)
class AddPolicyArea:
    name: str


@dataclass(frozen=True)
class RemovePolicyArea:
    name: str


@dataclass(frozen=True)
class ShowRole:
    role: str  # "leader" or "hr"


@dataclass(frozen=True)
class ChangeRole:
    role: str
    add: bool
    user_ids: tuple[str, ...]


@dataclass(frozen=True)
class SetRoleGroup:
    role: str
    group_id: str | None


@dataclass(frozen=True)
class SetNumber:
    setting: str  # "budget", "leader-budget" or "k"
    value: int | None


@dataclass(frozen=True)
class SetSchedule:
    weekday: int  # 0 = Monday
    at: time


@dataclass(frozen=True)
class SetTimezone:
    name: str


@dataclass(frozen=True)
class SetLocale:
    given: str


@dataclass(frozen=True)
class ShowAudit:
    pass


@dataclass(frozen=True)
class Unknown:
    word: str


AdminRequest = (
    Overview
    | SetChannel
    | ListValues
    | AddValue
    | RemoveValue
    | ListPolicyAreas
    | AddPolicyArea
    | RemovePolicyArea
    | ShowRole
    | ChangeRole
    | SetRoleGroup
    | SetNumber
    | SetSchedule
    | SetTimezone
    | SetLocale
    | ShowAudit
    | Unknown
)


def parse_admin_command(text: str) -> AdminRequest:
    """The request `/mot admin <text>` makes. Raises DomainError("admin.usage.…")."""
    tokens = _TOKENS.findall(text or "")
    if not tokens:
        return Overview()
    word, args = tokens[0].lower(), tokens[1:]
    if word in ("help", "settings"):
        return Overview()
    if word in ("channel", "channels"):
        return _channel(args)
    if word in ("values", "value"):
        return _values(args)
    if word in ("policies", "policy", "policy-areas", "areas"):
        return _policy_areas(args)
    if word in ROLE_WORDS:
        return _role(ROLE_WORDS[word], args)
    if word == "budget":
        return SetNumber("budget", _number(args, "admin.usage.budget"))
    if word in ("leader-budget", "leader_budget", "leaderbudget"):
        return SetNumber("leader-budget", _number(args, "admin.usage.leader_budget", none=True))
    if word == "k":
        return SetNumber("k", _number(args, "admin.usage.k"))
    if word == "schedule":
        return _schedule(args)
    if word in ("timezone", "tz", "time-zone"):
        if len(args) != 1:
            raise DomainError("admin.usage.timezone")
        return SetTimezone(html.unescape(args[0]))
    if word in ("locale", "language", "lang"):
        if len(args) != 1:
            raise DomainError("admin.usage.locale")
        return SetLocale(args[0])
    if word in ("audit", "log", "history"):
        return ShowAudit()
    return Unknown(html.unescape(tokens[0]))


def parse_weekday(word: str) -> int | None:
    """0 (Monday) to 6 for an English day name or abbreviation, or 周一…周日 / 星期一…星期日."""
    word = word.strip().rstrip(".,").casefold()
    if word in _WEEKDAYS:
        return _WEEKDAYS[word]
    for prefix in _CHINESE_WEEK:
        if word.startswith(prefix) and word[len(prefix) :] in _CHINESE_DAYS:
            return _CHINESE_DAYS[word[len(prefix) :]]
    return None


def parse_time(word: str) -> time | None:
    """A 24-hour time, HH:MM (9:30 and 09:30 alike)."""
    match = _TIME.match(word.strip())
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _channel(args: list[str]) -> SetChannel:
    if len(args) != 2 or args[0].lower() not in CHANNEL_SETTINGS:
        raise DomainError("admin.usage.channel")
    which, given = CHANNEL_SETTINGS[args[0].lower()], args[1]
    if given.lower() in _NONE:
        return SetChannel(which, None)
    reference = slack_reference(given)
    if reference is not None and reference.kind == "channel":
        return SetChannel(which, reference.id)
    if CHANNEL_ID.match(given):
        return SetChannel(which, given)
    if reference is None and given.startswith("#"):
        raise DomainError("admin.errors.channel_unlinked", given=_shown(given))
    raise DomainError("admin.usage.channel")


def _values(args: list[str]) -> ListValues | AddValue | RemoveValue:
    if not args:
        return ListValues()
    verb = args[0].lower()
    if verb == "add" and len(args) >= 3:
        return AddValue(_tag(args[1]), _plain(args[2:]))
    if verb == "add":
        raise DomainError("admin.usage.values_add")
    if verb in ("remove", "rm", "delete", "retire") and len(args) == 2:
        return RemoveValue(_tag(args[1]))
    raise DomainError("admin.usage.values")


def _policy_areas(args: list[str]) -> ListPolicyAreas | AddPolicyArea | RemovePolicyArea:
    if not args:
        return ListPolicyAreas()
    verb = args[0].lower()
    if verb == "add" and len(args) >= 2:
        return AddPolicyArea(_plain(args[1:]))
    if verb in ("remove", "rm", "delete", "retire") and len(args) >= 2:
        return RemovePolicyArea(_plain(args[1:]))
    raise DomainError("admin.usage.policies")


def _role(role: str, args: list[str]) -> ShowRole | ChangeRole | SetRoleGroup:
    usage = f"admin.usage.{role}"
    if not args:
        return ShowRole(role)
    verb = args[0].lower()
    if verb in ("add", "remove", "rm") and len(args) >= 2:
        return ChangeRole(role, verb == "add", tuple(_user(token, role) for token in args[1:]))
    if verb == "group" and len(args) == 2:
        return SetRoleGroup(role, _group(args[1], usage))
    raise DomainError(usage)


def _user(token: str, role: str) -> str:
    reference = slack_reference(token)
    if reference is not None and reference.kind == "user":
        return reference.id
    if reference is not None and reference.kind in ("usergroup", "special"):
        raise DomainError(f"admin.errors.group_in_people_{role}")
    if reference is None and USER_ID.match(token):
        return token
    raise DomainError("admin.errors.unreadable_person", given=_shown(token))


def _group(token: str, usage: str) -> str | None:
    if token.lower() in _NONE:
        return None
    reference = slack_reference(token)
    if reference is not None and reference.kind == "usergroup":
        return reference.id
    if reference is None and USERGROUP_ID.match(token):
        return token
    if reference is None and token.startswith("@"):
        raise DomainError("admin.errors.group_unlinked", given=_shown(token))
    raise DomainError(usage)


def _number(args: list[str], usage: str, *, none: bool = False) -> int | None:
    if len(args) != 1:
        raise DomainError(usage)
    if none and args[0].lower() in _NONE:
        return None
    try:
        return int(args[0])
    except ValueError:
        raise DomainError(usage) from None


def _schedule(args: list[str]) -> SetSchedule:
    if len(args) == 2:
        for day_word, time_word in (args, reversed(args)):
            weekday, at = parse_weekday(day_word), parse_time(time_word)
            if weekday is not None and at is not None:
                return SetSchedule(weekday, at)
    raise DomainError("admin.usage.schedule")


def _tag(token: str) -> str:
    """A value's tag: `#tag`, `tag`, or the channel link Slack makes of #tag when a
    channel of that name exists."""
    reference = slack_reference(token)
    if reference is not None and reference.kind == "channel" and reference.label:
        return reference.label
    if reference is not None:
        raise DomainError("admin.usage.values")
    return html.unescape(token).lstrip("#")


def _plain(tokens: list[str]) -> str:
    """Words as the admin wrote them: escapes back to their names, entities decoded."""
    words = []
    for token in tokens:
        reference = slack_reference(token)
        if reference is None:
            words.append(token)
        elif reference.kind == "channel":
            words.append(f"#{reference.label or reference.id}")
        else:
            words.append(reference.label or reference.id)
    return html.unescape(" ".join(words))


def _shown(token: str) -> str:
    return html.unescape(token)[:40]
