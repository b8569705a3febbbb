"""The weekly pulse's jobs: send the DMs, remind those who have not finished, close.

`motbot run-job pulse-send|pulse-remind|pulse-close` runs them now; the scheduler
(issue 7) will run the same functions on a timetable. Each job is safe to run again:
a member is invited once per round, reminded once, and a closed round stays closed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.db.engine import SessionFactory, unit_of_work
from bot.db.models import Workspace
from bot.domain import pulse
from bot.domain.directory import WorkspaceDefaults, register_workspace
from bot.domain.pulse_bank import ensure_bank
from bot.i18n import translate
from bot.slack.member_sync import sync_members
from bot.slack.views.pulse import pulse_dm

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobReport:
    job: str
    period: str
    done: int
    failed: int

    def __str__(self) -> str:
        return f"{self.job} {self.period}: {self.done} done, {self.failed} failed"


@dataclass(frozen=True)
class PulseContext:
    """What every pulse job needs: where the data is, how to reach Slack, the clock."""

    sessions: SessionFactory
    client: WebClient
    defaults: WorkspaceDefaults
    team_id: str
    now: datetime


def send_pulse(context: PulseContext, period: str | None = None) -> JobReport:
    """Open this week's round and DM every member who has not been invited yet."""
    sync_members(context.client, context.sessions, context.team_id, context.defaults, context.now)
    with unit_of_work(context.sessions) as session:
        workspace_id = register_workspace(session, context.team_id, context.defaults)
        ensure_bank(session, workspace_id)
        timezone = session.get(Workspace, workspace_id).timezone
        period = period or pulse.iso_period(context.now, timezone)
        round_info = pulse.open_round(session, workspace_id, period, context.now)
        invitees = pulse.members_to_invite(session, workspace_id, round_info.id)
    sent = failed = 0
    for invitee in invitees:
        # The secret exists only in this DM; if the DM fails, no invite is recorded and
        # the next run tries again with a new one.
        secret = pulse.new_invite_secret()
        try:
            posted = context.client.chat_postMessage(
                channel=invitee.user_id, **pulse_dm(invitee.locale, round_info, secret, {})
            )
        except SlackApiError as error:
            failed += 1
            log.warning("pulse DM not delivered: %s", error.response.get("error"))
            continue
        with unit_of_work(context.sessions) as session:
            pulse.record_invite(
                session, round_info.id, invitee.member_id, posted["channel"], posted["ts"]
            )
        sent += 1
    return JobReport("pulse-send", period, sent, failed)


def remind_pulse(context: PulseContext) -> JobReport:
    """One reminder, before the round closes, to each member who has not finished."""
    with unit_of_work(context.sessions) as session:
        workspace_id = register_workspace(session, context.team_id, context.defaults)
        round_info = pulse.current_round(session, workspace_id, context.now)
        if round_info is None:
            return JobReport("pulse-remind", "-", 0, 0)
        to_remind = pulse.members_to_remind(session, round_info.id, context.now)
    reminded = failed = 0
    for invitee in to_remind:
        text = translate(invitee.locale, "pulse.reminder", k=round_info.min_group)
        try:
            context.client.chat_postMessage(channel=invitee.user_id, text=text)
        except SlackApiError as error:
            failed += 1
            log.warning("pulse reminder not delivered: %s", error.response.get("error"))
            continue
        with unit_of_work(context.sessions) as session:
            pulse.mark_reminded(session, round_info.id, invitee.member_id)
        reminded += 1
    return JobReport("pulse-remind", round_info.period, reminded, failed)


def close_pulse(context: PulseContext) -> JobReport:
    """Close the round whose window has passed (or the current one, when run by hand)."""
    with unit_of_work(context.sessions) as session:
        workspace_id = register_workspace(session, context.team_id, context.defaults)
        round_info = pulse.round_to_close(session, workspace_id, context.now)
        if round_info is None:
            return JobReport("pulse-close", "-", 0, 0)
        pulse.close_round(session, workspace_id, round_info.id, context.now)
    return JobReport("pulse-close", round_info.period, 1, 0)
