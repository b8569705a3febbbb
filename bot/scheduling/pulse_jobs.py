"""The weekly pulse's jobs: send the DMs, remind those who have not finished, close and
tell HR.

The scheduler runs `send_pulse` every 15 minutes: each member gets the DM when their own
local time reaches the workspace's pulse weekday and time (Tuesday 10:00 by default), and
the round opens with the first of them. `motbot run-job` runs the same functions by hand,
when everyone is sent to at once. Every message goes through a FanOut, so a job may run
again, or twice at the same time, without anyone getting a message twice.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.db.engine import engine_of, unit_of_work
from bot.db.repositories import jobs
from bot.db.wipe import wipe_counted_ballots
from bot.domain import ballots, pulse
from bot.domain.culture_pulse import hr_summary
from bot.domain.directory import people_with_role, register_workspace, workspace_channels
from bot.domain.pulse_bank import ensure_bank
from bot.i18n import translate
from bot.scheduling.context import JobContext
from bot.scheduling.fanout import FanOutReport
from bot.scheduling.timetable import is_due
from bot.slack.outcomes import NotDelivered, Sent
from bot.slack.views.hr_summary import hr_summary_message
from bot.slack.views.pulse import pulse_dm

log = logging.getLogger(__name__)

SEND, REMIND, CLOSE = "pulse-send", "pulse-remind", "pulse-close"
EARLIEST_ZONE = "Pacific/Kiritimati"  # UTC+14


def send_pulse(context: JobContext, period: str | None = None) -> FanOutReport:
    """DM every member whose local pulse time has come and who has no DM yet."""
    now = context.clock()
    with unit_of_work(context.sessions) as session:
        workspace_id = register_workspace(session, context.team_id, context.defaults)
        ensure_bank(session, workspace_id)
        schedule = pulse.pulse_schedule(session, workspace_id)
        period = period or pulse.iso_period(now, schedule.timezone)
        round_info = pulse.round_for_period(session, workspace_id, period)
    if round_info is None and (context.by_hand or _may_be_due(now, period, schedule)):
        # Before the round opens, know everyone Slack knows: newcomers are invited,
        # people who left or became guests are not, and time zones are current.
        context.refresh_directory()
    with unit_of_work(context.sessions) as session:
        waiting = pulse.members_to_invite(
            session, workspace_id, round_info.id if round_info else None
        )
    if round_info is not None and round_info.status == pulse.CLOSED:
        return FanOutReport(SEND, period, note="round closed")

    def has_come(member: pulse.Invitee) -> bool:
        return context.by_hand or is_due(now, period, schedule.weekday, schedule.at, member.tz)

    due = [member for member in waiting if has_come(member)]
    if due and round_info is None:
        with unit_of_work(context.sessions) as session:
            round_info = pulse.open_round(session, workspace_id, period, now)
    if not due:
        return FanOutReport(SEND, period, note="no one's pulse time has come yet")
    invitees = {member.user_id: member for member in due}
    opened = round_info
    server_key = context.require_secret_key()
    # Each DM's ballot lives only in its buttons; its invite keeps the check, recorded in
    # the transaction after Slack accepted the DM (on the same worker thread).
    checks: dict[str, str] = {}

    def check(session: Session, user_id: str) -> None:
        reason = pulse.reason_not_to_invite(session, opened.id, invitees[user_id].member_id)
        if reason is not None:
            raise NotDelivered(reason, permanent=True)

    def send(user_id: str) -> Sent:
        ballot = ballots.new_ballot()
        checks[user_id] = ballots.ballot_check(server_key, ballot)
        return context.post(user_id, **pulse_dm(invitees[user_id].locale, opened, ballot, {}))

    def record(session: Session, user_id: str, sent: Sent) -> None:
        member_id = invitees[user_id].member_id
        pulse.record_invite(
            session, workspace_id, opened.id, member_id, sent.channel, sent.ts, checks[user_id]
        )

    everyone_due = len(due) == len(waiting)
    return context.fan_out(SEND, workspace_id, period).run(
        invitees, send, record, check=check, final=everyone_due
    )


def _may_be_due(now: datetime, period: str, schedule: pulse.PulseSchedule) -> bool:
    """Whether anyone, in the earliest time zone on Earth (UTC+14), could be due."""
    return is_due(now, period, schedule.weekday, schedule.at, EARLIEST_ZONE)


def remind_pulse(context: JobContext, _period: str | None = None) -> FanOutReport:
    """One reminder, in the round's last hours, to each member who has not finished (of
    the open round, whatever period is asked for)."""
    now = context.clock()
    with unit_of_work(context.sessions) as session:
        workspace_id = register_workspace(session, context.team_id, context.defaults)
        round_info = pulse.current_round(session, workspace_id, now)
        if round_info is None:
            return FanOutReport(REMIND, "-", note="no open round")
        to_remind = {
            invitee.user_id: invitee
            for invitee in pulse.members_to_remind(session, round_info.id, now)
        }
    if not to_remind:
        return FanOutReport(REMIND, round_info.period, note="no one to remind now")

    def send(user_id: str) -> Sent:
        invitee = to_remind[user_id]
        text = translate(invitee.locale, "pulse.reminder", k=round_info.min_group)
        return context.post(user_id, text=text)

    def record(session: Session, user_id: str, _sent: Sent) -> None:
        pulse.mark_reminded(session, round_info.id, to_remind[user_id].member_id)

    return context.fan_out(REMIND, workspace_id, round_info.period).run(to_remind, send, record)


def close_pulse(context: JobContext, period: str | None = None) -> FanOutReport:
    """Close the round whose window has passed (by hand: the current one, or `period`'s),
    then post the HR summary to the HR channel and DM it to each HR person. Closing counts
    the ballot box; its files are wiped of the counted ballots right after."""
    now = context.clock()
    server_key = context.require_secret_key()
    with unit_of_work(context.sessions) as session:
        workspace_id = register_workspace(session, context.team_id, context.defaults)
        if period is not None:
            round_info = pulse.round_for_period(session, workspace_id, period)
        else:
            round_info = pulse.round_to_close(
                session, workspace_id, now, include_current=context.by_hand
            )
        if round_info is None and period is None:
            round_info = _closed_round_still_telling_hr(session, workspace_id)
        if round_info is None:
            return FanOutReport(CLOSE, period or "-", note="no round to close")
        try:
            pulse.close_round(session, workspace_id, round_info.id, now, server_key)
        except ballots.BallotBoxSealed:
            log.error(
                "pulse %s not closed: its ballots do not open with this MOTBOT_SECRET_KEY; "
                "restore the key the round was opened with, then close it again",
                round_info.period,
            )
            return FanOutReport(CLOSE, round_info.period, stopped="ballots sealed with another key")
        channels = workspace_channels(session, workspace_id)
        hr_people = people_with_role(session, workspace_id, "hr")
    wipe_counted_ballots(engine_of(context.sessions))
    locales = {person.user_id: person.locale for person in hr_people}
    if channels.hr_channel_id:
        locales[channels.hr_channel_id] = channels.locale
    if not locales:
        log.warning("pulse %s closed; no HR channel or HR people to tell", round_info.period)
        return FanOutReport(CLOSE, round_info.period, note="closed; no HR channel or people")
    messages: dict[str, dict[str, Any]] = {}

    def send(recipient: str) -> Sent:
        locale = locales[recipient]
        if locale not in messages:
            with unit_of_work(context.sessions) as session:
                summary = hr_summary(session, workspace_id, round_info.id, context.clock())
            if summary is None:
                raise NotDelivered("unknown_round", permanent=True)
            messages[locale] = hr_summary_message(locale, summary)
        return context.post(recipient, **messages[locale])

    return context.fan_out(CLOSE, workspace_id, round_info.period).run(locales, send)


def _closed_round_still_telling_hr(session: Session, workspace_id: int) -> pulse.RoundInfo | None:
    """The last closed round, if its summary has not reached everyone yet (a failed DM is
    tried again at the next tick, not only when another round closes)."""
    round_id = pulse.last_closed_round_id(session, workspace_id)
    found = pulse.round_info(session, workspace_id, round_id) if round_id else None
    if found is None or jobs.run_status(session, workspace_id, CLOSE, found.period) != jobs.RUNNING:
        return None
    return found
