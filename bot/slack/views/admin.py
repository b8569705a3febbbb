"""`/mot admin`: the workspace's settings, each with the command that changes it, the
answers to those commands, and the audit log. Only admins see these (ephemeral)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.policy_areas import AreaRow
from bot.domain.workspace_admin import (
    AuditLine,
    Change,
    GroupChange,
    RoleChange,
    RoleHolders,
    ValueChange,
    ValueRow,
    WorkspaceSettings,
)
from bot.i18n import Translate, translator
from bot.slack import blocks
from bot.slack.blocks import escape_mrkdwn
from bot.slack.views.policy_areas import AREA_ACTIONS, area_audit_text, areas_section

PEOPLE_SHOWN = 25  # mentions listed before "and N more", so a section never cuts one
VALUES_SHOWN = 60
_SLACK_ID = re.compile(r"^[A-Z0-9]{2,32}$")
_ROLE_OF_PREFIX = {"leaders": "leader", "hr": "hr"}


# --- the overview -------------------------------------------------------------------------


def admin_overview_message(
    locale: str, settings: WorkspaceSettings, areas: Sequence[AreaRow] = ()
) -> dict[str, Any]:
    t = translator(locale)
    title = t("admin.title")
    body = [
        blocks.header(title),
        blocks.context(t("admin.intro")),
        blocks.section(_channels(t, settings)),
        blocks.section(_values_section(t, settings.values)),
        blocks.section(areas_section(t, [area for area in areas if area.is_active])),
        blocks.section(_role_section(t, settings.leaders)),
        blocks.section(_role_section(t, settings.hr)),
        blocks.section(_kudos_section(t, settings)),
        blocks.section(_pulse_section(t, settings)),
        blocks.section(_general_section(t, settings)),
        blocks.context(t("admin.footer")),
    ]
    return blocks.message(title, body)


def role_message(locale: str, holders: RoleHolders) -> dict[str, Any]:
    t = translator(locale)
    text = _role_section(t, holders)
    return blocks.message(text, [blocks.section(text)])


def values_message(locale: str, values: Sequence[ValueRow]) -> dict[str, Any]:
    t = translator(locale)
    title = t("admin.values.title")
    active = [value for value in values if value.is_active]
    retired = [value for value in values if not value.is_active]
    body = [blocks.header(title)]
    body.append(blocks.section(_value_lines(t, active) or t("admin.values.none")))
    if retired:
        body.append(blocks.section(f"{t('admin.values.retired')}\n{_value_lines(t, retired)}"))
    body.append(blocks.context(t("admin.values.commands")))
    return blocks.message(title, body)


# --- answers to changes -------------------------------------------------------------------


def change_message(locale: str, change: Change) -> dict[str, Any]:
    t = translator(locale)
    setting = t(f"admin.setting.{change.action}")
    if change.changed:
        text = t(
            "admin.changed",
            setting=setting,
            before=_shown(t, change.action, change.before),
            after=_shown(t, change.action, change.after),
        )
    else:
        text = t("admin.unchanged", setting=setting, value=_shown(t, change.action, change.after))
    return _text_message(text)


def value_change_message(locale: str, change: ValueChange) -> dict[str, Any]:
    t = translator(locale)
    tag = escape_mrkdwn(change.tag)
    before, after = _name(change.before), _name(change.after)
    if not change.changed:
        key = (
            "admin.values.unchanged_add"
            if change.action == "values.add"
            else "admin.values.unchanged_remove"
        )
        return _text_message(t(key, tag=tag, name=after))
    if change.action == "values.rename":
        return _text_message(t("admin.values.renamed", tag=tag, before=before, after=after))
    if change.action == "values.remove":
        return _text_message(t("admin.values.removed", tag=tag, name=before))
    return _text_message(t("admin.values.added", tag=tag, name=after))


def role_change_message(locale: str, change: RoleChange) -> dict[str, Any]:
    t = translator(locale)
    role = change.role
    adding = change.action.endswith(".add")
    lines = []
    if change.changed:
        key = "added" if adding else "removed"
        lines.append(t(f"admin.roles.{key}.{role}", people=_people(t, change.changed)))
    through_group = change.through_group
    untouched = [user for user in change.unchanged if user not in through_group]
    if untouched:
        key = "already" if adding else "not_holding"
        lines.append(t(f"admin.roles.{key}.{role}", people=_people(t, untouched)))
    if through_group:
        lines.append(t(f"admin.roles.still_through_group.{role}", people=_people(t, through_group)))
    if change.changed:
        lines.append(t("admin.recorded"))
    return _text_message("\n".join(lines))


def group_change_message(locale: str, change: GroupChange) -> dict[str, Any]:
    t = translator(locale)
    role = change.role
    if not change.changed:
        lines = [t(f"admin.group.unchanged.{role}", group=_group(t, change.after))]
    elif change.after is None:
        lines = [t(f"admin.group.cleared.{role}")]
    else:
        lines = [t(f"admin.group.set.{role}", group=_group(t, change.after))]
    if change.added:
        lines.append(t("admin.group.added", people=_people(t, change.added)))
    if change.removed:
        lines.append(t("admin.group.removed", people=_people(t, change.removed)))
    if not (change.added or change.removed):
        lines.append(t("admin.group.nobody_changed"))
    if change.changed or change.added or change.removed:
        lines.append(t("admin.recorded"))
    return _text_message("\n".join(lines))


def admin_error_message(locale: str, key: str, params: dict[str, Any]) -> dict[str, Any]:
    """A refusal or a usage hint, in the admin's language, with the way to the overview."""
    t = translator(locale)
    text = t(key, **_escaped(params))
    if key != "admin.errors.admins_only":
        text = f"{text}\n{t('admin.hint')}"
    return _text_message(text)


def unknown_admin_command(locale: str, word: str) -> dict[str, Any]:
    return admin_error_message(locale, "admin.errors.unknown_command", {"word": word[:40]})


# --- the audit log ------------------------------------------------------------------------


def audit_message(locale: str, lines: Sequence[AuditLine], tz: str) -> dict[str, Any]:
    t = translator(locale)
    title = t("admin.audit.title")
    zone = _zone(tz)
    body = [blocks.header(title)]
    if not lines:
        body.append(blocks.section(t("admin.audit.empty")))
    for line in lines[: blocks.MAX_MESSAGE_BLOCKS - 3]:
        who = f"<@{line.actor_user_id}>" if _is_id(line.actor_user_id) else t("admin.audit.bot")
        when = line.at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        body.append(
            blocks.section(t("admin.audit.line", when=when, who=who, what=_audit_what(t, line)))
        )
    body.append(blocks.context(t("admin.audit.footer", timezone=escape_mrkdwn(tz))))
    return blocks.message(title, body)


def _audit_what(t: Translate, line: AuditLine) -> str:
    action, detail = line.action, line.detail
    if action in AREA_ACTIONS:
        return area_audit_text(t, action, detail)
    if action in ("values.add", "values.rename", "values.remove"):
        tag = escape_mrkdwn(str(detail.get("tag", "")))
        before, after = _name(detail.get("from")), _name(detail.get("to"))
        key = {"values.add": "added", "values.rename": "renamed", "values.remove": "removed"}
        return t(f"admin.audit.value_{key[action]}", tag=tag, before=before, after=after)
    prefix, _, rest = action.partition(".")
    role = _ROLE_OF_PREFIX.get(prefix)
    if role and rest in ("add", "remove"):
        people = detail.get("added" if rest == "add" else "removed") or []
        return t(f"admin.audit.role_{rest}.{role}", people=_people(t, people))
    if role and rest == "group.sync":
        changes = _gained_lost(t, detail)
        return t(
            f"admin.audit.group_sync.{role}", group=_group(t, detail.get("group")), changes=changes
        )
    if role and rest == "group":
        what = t(
            "admin.audit.setting",
            setting=t(f"admin.setting.{action}"),
            before=_group(t, detail.get("from")),
            after=_group(t, detail.get("to")),
        )
        changes = _gained_lost(t, detail)
        return f"{what} ({changes})" if changes else what
    if action in _SETTINGS:
        return t(
            "admin.audit.setting",
            setting=t(f"admin.setting.{action}"),
            before=_shown(t, action, detail.get("from")),
            after=_shown(t, action, detail.get("to")),
        )
    return blocks.truncate(escape_mrkdwn(f"{action}: {detail}"), 500)


def _gained_lost(t: Translate, detail: dict[str, Any]) -> str:
    parts = []
    if detail.get("added"):
        parts.append(t("admin.audit.gained", people=_people(t, detail["added"])))
    if detail.get("removed"):
        parts.append(t("admin.audit.lost", people=_people(t, detail["removed"])))
    return "; ".join(parts)


# --- sections -----------------------------------------------------------------------------


def _channels(t: Translate, settings: WorkspaceSettings) -> str:
    return "\n".join(
        [
            t("admin.channels.heading"),
            t("admin.channels.stories", channel=_channel(t, settings.stories_channel_id)),
            t("admin.channels.leaderboard", channel=_channel(t, settings.leaderboard_channel_id)),
            t("admin.channels.hr", channel=_channel(t, settings.hr_channel_id)),
            t("admin.channels.hint"),
        ]
    )


def _values_section(t: Translate, values: Sequence[ValueRow]) -> str:
    listed = _value_lines(t, values) or t("admin.values.none")
    return "\n".join([t("admin.values.heading"), listed, t("admin.values.commands")])


def _value_lines(t: Translate, values: Sequence[ValueRow]) -> str:
    lines = [f"• `#{escape_mrkdwn(v.tag)}` {escape_mrkdwn(v.name)}" for v in values[:VALUES_SHOWN]]
    if len(values) > VALUES_SHOWN:
        lines.append(t("admin.more", count=len(values) - VALUES_SHOWN))
    return "\n".join(lines)


def _role_section(t: Translate, holders: RoleHolders) -> str:
    role = holders.role
    lines = [t(f"admin.roles.heading.{role}")]
    if holders.named or not holders.group_id:
        lines.append(t("admin.roles.named", people=_people(t, holders.named)))
    if holders.group_id:
        lines.append(
            t(
                "admin.roles.through_group",
                group=_group(t, holders.group_id),
                people=_people(t, holders.through_group),
            )
        )
    lines.append(t(f"admin.roles.commands.{role}"))
    return "\n".join(lines)


def _kudos_section(t: Translate, settings: WorkspaceSettings) -> str:
    leader_budget = (
        t("admin.kudos.leader_budget", count=settings.leader_weekly_budget)
        if settings.leader_weekly_budget is not None
        else t("admin.kudos.leader_budget_same")
    )
    return "\n".join(
        [
            t("admin.kudos.heading"),
            t("admin.kudos.budget", count=settings.weekly_budget),
            leader_budget,
        ]
    )


def _pulse_section(t: Translate, settings: WorkspaceSettings) -> str:
    lines = [
        t("admin.pulse.heading"),
        t("admin.pulse.k", k=settings.pulse_min_group),
    ]
    if settings.open_round:
        lines.append(t("admin.pulse.k_locked", period=escape_mrkdwn(settings.open_round)))
    lines += [
        t(
            "admin.pulse.schedule",
            day=_weekday(t, settings.pulse_weekday),
            time=settings.pulse_time.strftime("%H:%M"),
        ),
        t("admin.pulse.questions"),
    ]
    return "\n".join(lines)


def _general_section(t: Translate, settings: WorkspaceSettings) -> str:
    return "\n".join(
        [
            t("admin.general.heading"),
            t("admin.general.locale", language=_language(t, settings.locale)),
            t("admin.general.timezone", timezone=escape_mrkdwn(settings.timezone)),
        ]
    )


# --- values as people read them -------------------------------------------------------------

_SETTINGS = (
    "channel.stories",
    "channel.leaderboard",
    "channel.hr",
    "budget.weekly",
    "budget.leader",
    "pulse.k",
    "pulse.schedule",
    "timezone",
    "locale",
)


def _shown(t: Translate, action: str, value: Any) -> str:
    """A setting's value as the overview shows it."""
    if action.startswith("channel."):
        return _channel(t, value)
    if action.endswith(".group"):
        return _group(t, value)
    if value is None:
        return t("admin.same_as_everyone") if action == "budget.leader" else t("admin.none")
    if action == "locale":
        return _language(t, str(value))
    if action == "pulse.schedule":
        return _schedule(t, value)
    if action == "timezone":
        return f"`{escape_mrkdwn(str(value))}`"
    return f"*{escape_mrkdwn(str(value))}*"


def _schedule(t: Translate, value: Any) -> str:
    """(weekday, time) from a Change, or {"weekday", "time"} from the audit log."""
    if isinstance(value, dict):
        weekday, at = value.get("weekday"), value.get("time")
    else:
        weekday, at = value
    shown_time = at.strftime("%H:%M") if isinstance(at, time) else escape_mrkdwn(str(at))
    return t("admin.schedule_value", day=_weekday(t, weekday), time=shown_time)


def _weekday(t: Translate, weekday: Any) -> str:
    return t(f"admin.weekday.{weekday}") if weekday in range(7) else escape_mrkdwn(str(weekday))


def _language(t: Translate, locale: str) -> str:
    return t(f"admin.language.{locale}") if locale in ("en", "zh-CN") else escape_mrkdwn(locale)


def _channel(t: Translate, channel_id: Any) -> str:
    if not channel_id:
        return t("admin.none")
    return f"<#{channel_id}>" if _is_id(channel_id) else escape_mrkdwn(str(channel_id))


def _group(t: Translate, group_id: Any) -> str:
    if not group_id:
        return t("admin.none")
    return f"<!subteam^{group_id}>" if _is_id(group_id) else escape_mrkdwn(str(group_id))


def _people(t: Translate, user_ids: Sequence[str]) -> str:
    if not user_ids:
        return t("admin.roles.nobody")
    shown = [f"<@{user}>" for user in user_ids[:PEOPLE_SHOWN] if _is_id(user)]
    text = ", ".join(shown)
    if len(user_ids) > PEOPLE_SHOWN:
        text += " " + t("admin.more", count=len(user_ids) - PEOPLE_SHOWN)
    return text


def _name(name: Any) -> str:
    return escape_mrkdwn(str(name)) if name else "–"


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and bool(_SLACK_ID.match(value))


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _escaped(params: dict[str, Any]) -> dict[str, Any]:
    return {key: escape_mrkdwn(v) if isinstance(v, str) else v for key, v in params.items()}


def _text_message(text: str) -> dict[str, Any]:
    return blocks.message(text, [blocks.section(text)])
