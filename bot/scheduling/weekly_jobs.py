"""Monday's leaderboard post and Friday's leadership digests.

Both run on the scheduler's 15-minute tick and send only once their moment has come:
the leaderboard at Monday 09:00 in the workspace's time zone (for the week just ended),
each digest at Friday 15:00 in the leader's own time zone. Run by hand, they send now.
"""

from __future__ import annotations

from bot.db.engine import unit_of_work
from bot.domain.digest import leader_digest
from bot.domain.directory import people_with_role, register_workspace, workspace_channels
from bot.domain.leaderboard import Period, leaderboard
from bot.domain.pulse import iso_period
from bot.scheduling.context import JobContext
from bot.scheduling.fanout import FanOutReport
from bot.scheduling.timetable import DIGEST_AT, LEADERBOARD_AT, is_due, previous_period, week_of
from bot.slack.outcomes import NotDelivered, Sent
from bot.slack.views.digest import digest_message
from bot.slack.views.leaderboard import weekly_leaderboard_message

LEADERBOARD, DIGEST = "leaderboard", "digest"


def post_leaderboard(context: JobContext, period: str | None = None) -> FanOutReport:
    """Post the boards of `period` (default: last week, once Monday morning has come)."""
    now = context.clock()
    with unit_of_work(context.sessions) as session:
        workspace_id = register_workspace(session, context.team_id, context.defaults)
        channels = workspace_channels(session, workspace_id)
    tz = channels.timezone
    if period is None:
        this_week = iso_period(now, tz)
        if not context.by_hand and not is_due(now, this_week, *LEADERBOARD_AT, tz):
            return FanOutReport(LEADERBOARD, this_week, note="not Monday morning yet")
        period = previous_period(this_week)
    channel = channels.leaderboard_channel_id
    if not channel:
        return FanOutReport(LEADERBOARD, period, note="no leaderboard channel is set")
    # Any moment inside the week (its first, say) selects that whole week's boards.
    week_start, _ = week_of(period, tz)

    def send(recipient: str) -> Sent:
        with unit_of_work(context.sessions) as session:
            board = leaderboard(session, workspace_id, Period.WEEK, week_start, tz)
        return context.post(recipient, **weekly_leaderboard_message(channels.locale, board, tz))

    return context.fan_out(LEADERBOARD, workspace_id, period).run([channel], send)


def send_digests(context: JobContext, period: str | None = None) -> FanOutReport:
    """DM each leader the week's digest once their own Friday afternoon has come."""
    now = context.clock()
    context.refresh_directory()
    with unit_of_work(context.sessions) as session:
        workspace_id = register_workspace(session, context.team_id, context.defaults)
        channels = workspace_channels(session, workspace_id)
        leaders = people_with_role(session, workspace_id, "leader")
    tz = channels.timezone
    period = period or iso_period(now, tz)
    due = {
        leader.user_id: leader
        for leader in leaders
        if context.by_hand or is_due(now, period, *DIGEST_AT, leader.tz)
    }
    if not due:
        return FanOutReport(DIGEST, period, note="no leader's Friday afternoon yet")
    week_start, week_end = week_of(period, tz)

    def send(user_id: str) -> Sent:
        leader = due[user_id]
        with unit_of_work(context.sessions) as session:
            digest = leader_digest(
                session, workspace_id, leader.member_id, week_start, week_end, context.clock()
            )
        if digest is None:
            raise NotDelivered("not_a_leader", permanent=True)
        # The week is the workspace's calendar week, so its dates are shown in its zone.
        return context.post(user_id, **digest_message(leader.locale, digest, tz))

    return context.fan_out(DIGEST, workspace_id, period).run(
        due, send, final=len(due) == len(leaders)
    )
