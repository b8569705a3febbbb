"""`/mot admin ...`: admins see and change the workspace's settings (every change is
audited); `/mot admin pulse` goes on to the pulse plan (pulse_admin.py).

Commands that ask Slack something first (a channel's visibility, a user group's members)
acknowledge at once and answer through the response URL, so a slow Slack never makes
the acknowledgement late.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain import policy_areas
from bot.domain import workspace_admin as admin
from bot.domain.directory import Requester
from bot.domain.errors import DomainError
from bot.slack import admin_text
from bot.slack.admin_text import (
    AddPolicyArea,
    AddValue,
    ChangeRole,
    ListPolicyAreas,
    ListValues,
    Overview,
    RemovePolicyArea,
    RemoveValue,
    SetChannel,
    SetLocale,
    SetNumber,
    SetRoleGroup,
    SetSchedule,
    SetTimezone,
    ShowAudit,
    ShowRole,
)
from bot.slack.channels import check_channel
from bot.slack.listeners import pulse_admin
from bot.slack.middleware import UnitOfWork
from bot.slack.mot_commands import MotCommands, MotRequest
from bot.slack.role_groups import usergroup_members
from bot.slack.views import admin as views
from bot.slack.views import policy_areas as area_views


def add_mot_commands(table: MotCommands) -> None:
    table.add("admin", handler=admin_command, guide="admin.help_command")
    table.mention("help.command.admin_pulse")  # `/mot admin pulse`, routed below


def admin_command(mot: MotRequest) -> None:
    """`/mot admin <text>`."""
    requester, ack = mot.requester, mot.ack
    words = mot.args
    if words[:1] and words[0].lower() == "pulse":
        pulse_admin.show_pulse_plan(mot)
        return
    if not requester.is_admin:
        _answer(ack, views.admin_error_message(requester.locale, "admin.errors.admins_only", {}))
        return
    try:
        request = admin_text.parse_admin_command(mot.text)
    except DomainError as error:
        _answer(ack, _error(requester, error))
        return
    if isinstance(request, SetChannel | SetRoleGroup) or (
        isinstance(request, ChangeRole) and not request.add
    ):
        # Slack is asked first: acknowledge now, answer when done.
        ack()
        try:
            message = _ask_slack_then_change(mot, request)
        except DomainError as error:
            message = _error(requester, error)
        mot.respond(response_type="ephemeral", **message)
        return
    try:
        message = _change(requester, mot.unit_of_work, mot.now(), request)
    except DomainError as error:
        message = _error(requester, error)
    _answer(ack, message)


def _change(
    requester: Requester,
    unit_of_work: UnitOfWork,
    now: datetime,
    request: admin_text.AdminRequest,
) -> dict[str, Any]:
    """Requests answered from the database alone."""
    locale = requester.locale
    with unit_of_work() as session:
        match request:
            case Overview():
                settings = admin.workspace_settings(session, requester, now)
                areas = policy_areas.policy_areas(session, requester)
                return views.admin_overview_message(locale, settings, areas)
            case ListValues():
                return views.values_message(locale, admin.company_values(session, requester))
            case AddValue(tag=tag, name=name):
                change = admin.add_value(session, requester, tag, name, now)
                return views.value_change_message(locale, change)
            case RemoveValue(tag=tag):
                change = admin.remove_value(session, requester, tag, now)
                return views.value_change_message(locale, change)
            case ListPolicyAreas():
                areas = policy_areas.policy_areas(session, requester)
                return area_views.areas_message(locale, areas)
            case AddPolicyArea(name=name):
                area_change = policy_areas.add_area(session, requester, name, now)
                return area_views.area_change_message(locale, area_change)
            case RemovePolicyArea(name=name):
                area_change = policy_areas.remove_area(session, requester, name, now)
                return area_views.area_change_message(locale, area_change)
            case ShowRole(role=role):
                return views.role_message(locale, admin.role_holders(session, requester, role))
            case ChangeRole(role=role, user_ids=user_ids):
                change = admin.add_to_role(session, requester, role, user_ids, now)
                return views.role_change_message(locale, change)
            case SetNumber(setting="budget", value=value):
                assert value is not None
                change = admin.set_weekly_budget(session, requester, value, now)
            case SetNumber(setting="leader-budget", value=value):
                change = admin.set_leader_budget(session, requester, value, now)
            case SetNumber(setting="k", value=value):
                assert value is not None
                change = admin.set_min_group(session, requester, value, now)
            case SetSchedule(weekday=weekday, at=at):
                change = admin.set_pulse_schedule(session, requester, weekday, at, now)
            case SetTimezone(name=name):
                change = admin.set_timezone(session, requester, name, now)
            case SetLocale(given=given):
                change = admin.set_locale(session, requester, given, now)
            case ShowAudit():
                lines = admin.audit_log(session, requester)
                return views.audit_message(locale, lines, requester.timezone)
            case _:
                word = request.word if isinstance(request, admin_text.Unknown) else ""
                return views.unknown_admin_command(locale, word)
    return views.change_message(locale, change)


def _ask_slack_then_change(
    mot: MotRequest, request: SetChannel | SetRoleGroup | ChangeRole
) -> dict[str, Any]:
    requester, client, unit_of_work = mot.requester, mot.client, mot.unit_of_work
    locale, now = requester.locale, mot.now()
    if isinstance(request, SetChannel):
        if request.channel_id is not None:
            check_channel(client, request.channel_id)
        with unit_of_work() as session:
            change = admin.set_channel(session, requester, request.which, request.channel_id, now)
        return views.change_message(locale, change)
    if isinstance(request, SetRoleGroup):
        members = _group_members(client, request.group_id) if request.group_id else ()
        with unit_of_work() as session:
            group_change = admin.set_role_group(
                session, requester, request.role, request.group_id, members, now
            )
        return views.group_change_message(locale, group_change)
    # Removing people: those still in the role's user group keep the role through it,
    # as Slack lists the group now.
    with unit_of_work() as session:
        group_id = admin.role_holders(session, requester, request.role).group_id
    members: tuple[str, ...] | None
    try:
        members = _group_members(client, group_id) if group_id else ()
    except DomainError:
        members = None  # as the group's last sync found; the next sync corrects it if due
    with unit_of_work() as session:
        role_change = admin.remove_from_role(
            session, requester, request.role, request.user_ids, now, members
        )
    return views.role_change_message(locale, role_change)


def _group_members(client: WebClient, group_id: str) -> tuple[str, ...]:
    try:
        return usergroup_members(client, group_id)
    except SlackApiError as error:
        if error.response.get("error") in ("no_such_subteam", "subteam_not_found"):
            raise DomainError("admin.errors.unknown_group") from None
        raise DomainError("admin.errors.group_unreadable") from None


def _error(requester: Requester, error: DomainError) -> dict[str, Any]:
    return views.admin_error_message(requester.locale, error.key, error.params)


def _answer(ack: Ack, message: dict[str, Any]) -> None:
    ack(response_type="ephemeral", **message)
