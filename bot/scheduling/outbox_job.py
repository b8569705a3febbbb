"""The outbox drain: deliver what Slack did not take when it was owed.

Every minute, per workspace, with that workspace's bot token: the entries whose next
attempt has come, and those whose claim expired because the process holding them died
(so nothing owed is lost to a restart). Entries are claimed one by one, so two drains
(two schedulers, or a scheduler and `motbot run-job outbox`) never send one twice. A 429
or a token Slack no longer accepts ends the workspace's drain until the next tick.
Entries finished a week ago are forgotten.
"""

from __future__ import annotations

from bot import metrics
from bot.db.engine import unit_of_work
from bot.db.repositories import outbox as repo
from bot.domain.directory import register_workspace
from bot.domain.outbox import KEEP_FINISHED_FOR, Effect
from bot.scheduling.context import JobContext
from bot.scheduling.fanout import FanOutReport
from bot.slack.listeners import mot_commands
from bot.slack.outbox import Courier, Deliveries
from bot.slack.people import People

JOB = "outbox"
BATCH = 100
MAX_BATCHES = 10  # at most this many batches a tick; the next tick goes on


def drain_outbox(context: JobContext, _period: str | None = None) -> FanOutReport:
    now = context.clock()
    with unit_of_work(context.sessions) as session:
        workspace_id = register_workspace(session, context.team_id, context.defaults)
        forgotten = repo.forget_finished_before(session, now - KEEP_FINISHED_FOR)
    courier = Courier(
        context.sessions,
        context.client,
        context.team_id,
        workspace_id,
        People(context.sessions, context.defaults, context.clock),
        context.clock,
        guide=mot_commands().guide,
        owner=context.owner,
    )
    done = Deliveries()
    for _ in range(MAX_BATCHES):
        batch = courier.deliver_due(BATCH)
        done.add(batch)
        handled = batch.delivered + batch.gone + len(batch.undelivered)
        if batch.stopped or handled < BATCH:
            break
    with unit_of_work(context.sessions) as session:
        metrics.set_outbox_waiting([kind.value for kind in Effect], repo.waiting_counts(session))
    later = [entry for entry in done.undelivered if entry.later]
    report = FanOutReport(
        JOB,
        "-",
        sent=done.delivered,
        failed=len(later),
        dropped=len(done.undelivered) - len(later),
        stopped=done.stopped,
        note=f"nothing due; {forgotten} finished entries forgotten",
    )
    for entry in done.undelivered:
        report.errors[entry.error] = report.errors.get(entry.error, 0) + 1
    return report
