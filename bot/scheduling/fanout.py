"""Exactly-once fan-out: one job run per (job, workspace, period), one delivery per
recipient, each claimed before it is sent and recorded in the transaction that also
records what the message means (an invite, say).

How it holds up:
- Two schedulers, or a scheduler and `motbot run-job`: only the holder of the run's
  lease sends; the other returns at once ("busy"). Each delivery is also claimed with a
  conditional UPDATE, so even a holder whose lease was taken over cannot send a
  delivery twice.
- A crash half-way: deliveries already recorded as sent are never sent again; pending
  ones are sent by the next run once the dead holder's lease has expired.
- The one window no database can close is between Slack accepting a message and our
  commit recording it (milliseconds). A delivery left "sending" by a dead holder is sent
  again, because losing a message is worse than a rare repeat; pulse DMs stay safe,
  because only the DM recorded on the invite accepts answers.
- Slack's errors: permanent ones (no such user) are dropped, transient ones (5xx after
  the client's retries, timeouts) are tried again by the next run, up to MAX_ATTEMPTS.

Cost: each worker sends one delivery at a time, and one commit does two jobs: it records
the delivery the worker has just sent and claims (and checks) its next one. A delivery
therefore costs one transaction of four statements, on a connection the worker holds for
the whole fan-out; at thousands of DMs the database work per message is what limits the
pace (docs/benchmarks.md).
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.db.engine import SessionFactory, unit_of_work
from bot.db.owners import new_owner
from bot.db.repositories import jobs
from bot.slack.outcomes import NotDelivered, PostingStats, Sent, StopRun

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
DEFAULT_LEASE = timedelta(minutes=5)
RENEWAL_POLL_SECONDS = 5.0

Send = Callable[[str], Sent]
OnSent = Callable[[Session, str, Sent], None]
# Runs in the transaction that claims a delivery, before its message is composed: raises
# NotDelivered when the message is no longer wanted (its round closed, say). Checking
# there costs no transaction of its own.
Check = Callable[[Session, str], None]
Clock = Callable[[], datetime]
SKIPPED = object()
CLAIMED = object()


@dataclass(frozen=True)
class RunKey:
    job: str
    workspace_id: int
    period: str


@dataclass(frozen=True)
class FanOutOptions:
    workers: int = 4
    lease: timedelta = DEFAULT_LEASE
    max_attempts: int = MAX_ATTEMPTS


@dataclass
class FanOutReport:
    job: str
    period: str
    busy: bool = False
    planned: int = 0
    sent: int = 0
    failed: int = 0
    dropped: int = 0
    resent_in_doubt: int = 0
    stopped: str | None = None
    note: str | None = None
    rate_limited: int = 0
    errors: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.stopped

    def __str__(self) -> str:
        if self.busy:
            return f"{self.job} {self.period}: another process is sending it"
        if self.note and not (self.planned or self.sent or self.failed or self.dropped):
            return f"{self.job} {self.period}: {self.note}"
        text = (
            f"{self.job} {self.period}: {self.sent} sent, {self.failed} failed, "
            f"{self.dropped} dropped"
        )
        if self.resent_in_doubt:
            text += f", {self.resent_in_doubt} in doubt after a crash sent again"
        if self.rate_limited:
            text += f", {self.rate_limited} times rate-limited"
        if self.stopped:
            text += f" (stopped: {self.stopped})"
        return text


class FanOut:
    """Sends one run's messages; `run` may be called again to resume or add recipients."""

    def __init__(
        self,
        sessions: SessionFactory,
        key: RunKey,
        *,
        clock: Clock,
        owner: str | None = None,
        options: FanOutOptions | None = None,
        stats: PostingStats | None = None,
    ) -> None:
        self.stats = stats
        self.sessions = sessions
        self.key = key
        self.clock = clock
        self.owner = owner or new_owner()
        self.options = options or FanOutOptions()

    def run(
        self,
        recipients: Iterable[str],
        send: Send,
        on_sent: OnSent | None = None,
        *,
        check: Check | None = None,
        final: bool = True,
    ) -> FanOutReport:
        """Plan `recipients` (those already planned are not planned again), then send
        every delivery not yet sent that `check` lets through. `final`: no more
        recipients will be added to this run, so it is done once everything is sent."""
        report = FanOutReport(self.key.job, self.key.period)
        run_id = self._take_lease()
        if run_id is None:
            report.busy = True
            return report
        try:
            with unit_of_work(self.sessions) as session:
                report.planned = jobs.add_recipients(
                    session, self.key.workspace_id, run_id, recipients, self.clock()
                )
                in_doubt = jobs.in_flight(session, run_id)
                # One out of attempts is given up, or it would stay pending and the run
                # could never finish (a message whose on_sent always fails, say).
                spent = [row for row in in_doubt if row.attempts >= self.options.max_attempts]
                in_doubt = [row for row in in_doubt if row.attempts < self.options.max_attempts]
                for row in spent:
                    jobs.mark_unsent(session, row.id, "in_doubt", self.clock(), permanent=True)
                report.dropped = len(spent)
                jobs.requeue(session, [row.id for row in in_doubt], self.clock())
                to_send = jobs.to_send(session, run_id, self.options.max_attempts)
            if in_doubt:
                report.resent_in_doubt = len(in_doubt)
                log.warning(
                    "%s %s: %d deliveries were in flight when a previous run stopped; "
                    "sending them again",
                    self.key.job,
                    self.key.period,
                    len(in_doubt),
                )
            self._send_all(run_id, to_send, Steps(send, on_sent, check), report)
        finally:
            self._release(run_id, final=final)
            if self.stats is not None:
                report.rate_limited = self.stats.rate_limited
        return report

    # --- lease --------------------------------------------------------------------------

    def _take_lease(self) -> int | None:
        now = self.clock()
        with unit_of_work(self.sessions) as session:
            run_id = jobs.ensure_run(session, self.key.workspace_id, self.key.job, self.key.period)
        with unit_of_work(self.sessions) as session:
            held = jobs.take_lease(session, run_id, self.owner, now, now + self.options.lease)
        return run_id if held else None

    def _renew(self, run_id: int) -> bool:
        with unit_of_work(self.sessions) as session:
            return jobs.renew_lease(session, run_id, self.owner, self.clock() + self.options.lease)

    def _release(self, run_id: int, *, final: bool) -> None:
        with unit_of_work(self.sessions) as session:
            counts = jobs.status_counts(session, run_id)
            unfinished = counts.get(jobs.PENDING, 0) + counts.get(jobs.SENDING, 0)
            retriable = jobs.to_send(session, run_id, self.options.max_attempts)
            finished = final and not unfinished and not retriable
            jobs.release_lease(session, run_id, self.owner, self.clock(), finished=finished)

    # --- sending ------------------------------------------------------------------------

    def _send_all(
        self,
        run_id: int,
        rows: list[jobs.DeliveryRow],
        steps: Steps,
        report: FanOutReport,
    ) -> None:
        stop = threading.Event()
        lock = threading.Lock()
        queue = iter(rows)
        renew_every = self.options.lease / 3
        last_renewal = self.clock()

        def next_row() -> jobs.DeliveryRow | None:
            with lock:
                return None if stop.is_set() else next(queue, None)

        def count(outcome: NotDelivered | object | None) -> None:
            with lock:
                if outcome is SKIPPED:
                    return
                if not isinstance(outcome, NotDelivered):
                    report.sent += 1
                    return
                report.errors[outcome.error] = report.errors.get(outcome.error, 0) + 1
                if outcome.permanent:
                    report.dropped += 1
                else:
                    report.failed += 1
                if isinstance(outcome, StopRun):
                    report.stopped = outcome.error
                    stop.set()

        def keep_lease() -> None:
            nonlocal last_renewal
            with lock:
                if self.clock() - last_renewal < renew_every:
                    return
                last_renewal = self.clock()
            if not self._renew(run_id):
                report.stopped = "lease_lost"
                stop.set()

        def work() -> None:
            accepted: Accepted | None = None
            with self._worker_sessions() as sessions:
                while True:
                    keep_lease()
                    row = next_row()
                    outcome = self._record_and_claim(sessions, accepted, row, steps)
                    if accepted is not None:
                        count(None)
                    accepted = None
                    if row is None:
                        return
                    if outcome is CLAIMED:
                        outcome = self._send(sessions, row, steps)
                        if isinstance(outcome, Accepted):
                            accepted = outcome
                            continue
                    count(outcome)

        workers = max(1, self.options.workers)
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fanout") as pool:
            running = {pool.submit(work) for _ in range(workers)}
            # Meanwhile the lease is renewed here too: every worker may be sitting out a
            # long Retry-After, and the lease must outlive it.
            while running:
                done, running = wait(
                    running, timeout=RENEWAL_POLL_SECONDS, return_when=FIRST_EXCEPTION
                )
                if any(future.exception() for future in done):
                    stop.set()  # the other workers finish what they hold, then stop
                _raise_first(done)
                keep_lease()

    @contextmanager
    def _worker_sessions(self) -> Iterator[Callable[[], Session]]:
        """Sessions on one connection that a worker holds for the whole fan-out: taking
        a connection from the pool for each delivery costs a ping and a reset, each a
        round trip to the database."""
        with self.sessions() as session:
            engine = session.get_bind()
        with engine.connect() as connection:
            yield functools.partial(self.sessions, bind=connection)

    def _record_and_claim(
        self,
        sessions: Callable[[], Session],
        accepted: Accepted | None,
        row: jobs.DeliveryRow | None,
        steps: Steps,
    ) -> NotDelivered | object | None:
        """In one transaction: record the delivery Slack has `accepted` (with what it
        means), then claim and check `row`. CLAIMED when `row` is to be sent, SKIPPED when
        another process claimed it, NotDelivered when the check refused it. A failure
        claiming or checking `row` never undoes the record of `accepted`."""
        try:
            with unit_of_work(sessions) as session:
                if accepted is not None:
                    self._record_sent(session, accepted, steps)
                return self._claim(session, row, steps) if row is not None else None
        except Exception as error:
            if accepted is None or row is None:
                raise
            failure = error
        with unit_of_work(sessions) as session:
            self._record_sent(session, accepted, steps)
        return self._failed_claim(sessions, row, failure)

    def _record_sent(self, session: Session, accepted: Accepted, steps: Steps) -> None:
        sent = accepted.sent
        jobs.mark_sent(session, accepted.row.id, sent.channel, sent.ts, self.clock())
        if steps.on_sent is not None:
            steps.on_sent(session, accepted.row.recipient, sent)

    def _claim(
        self, session: Session, row: jobs.DeliveryRow, steps: Steps
    ) -> NotDelivered | object:
        if not jobs.claim(session, row.id, self.clock()):
            return SKIPPED
        if steps.check is not None:
            try:
                steps.check(session, row.recipient)
            except NotDelivered as error:
                return self._record_unsent(session, row, error.error, error.permanent)
        return CLAIMED

    def _failed_claim(
        self, sessions: Callable[[], Session], row: jobs.DeliveryRow, error: Exception
    ) -> NotDelivered | object:
        """Claiming or checking one delivery failed (a bug, the database): it counts as an
        attempt, as a failed send would, so it cannot keep a run from ending."""
        log.error("%s: checking one recipient failed", self.key.job, exc_info=error)
        with unit_of_work(sessions) as session:
            if not jobs.claim(session, row.id, self.clock()):
                return SKIPPED
            return self._record_unsent(session, row, type(error).__name__, False)

    def _send(
        self, sessions: Callable[[], Session], row: jobs.DeliveryRow, steps: Steps
    ) -> Accepted | NotDelivered:
        try:
            return Accepted(row, steps.send(row.recipient))
        except NotDelivered as error:
            with unit_of_work(sessions) as session:
                unsent = self._record_unsent(session, row, error.error, error.permanent)
            return error if isinstance(error, StopRun) else unsent
        except Exception as error:  # a bug in composing one message must not stop the rest
            log.exception("%s: composing or sending to one recipient failed", self.key.job)
            with unit_of_work(sessions) as session:
                return self._record_unsent(session, row, type(error).__name__, False)

    def _record_unsent(
        self, session: Session, row: jobs.DeliveryRow, error: str, permanent: bool
    ) -> NotDelivered:
        # Out of attempts counts as given up, so the run can finish.
        permanent = permanent or row.attempts + 1 >= self.options.max_attempts
        jobs.mark_unsent(session, row.id, error, self.clock(), permanent=permanent)
        log.warning("%s %s: not delivered (%s)", self.key.job, self.key.period, error)
        return NotDelivered(error, permanent=permanent)


@dataclass(frozen=True)
class Accepted:
    """A delivery Slack has taken, not yet recorded: its record rides in the transaction
    that claims the worker's next delivery, so each delivery costs one commit."""

    row: jobs.DeliveryRow
    sent: Sent


@dataclass(frozen=True)
class Steps:
    """What the fan-out does for each delivery: check it, send it, record what it means."""

    send: Send
    on_sent: OnSent | None = None
    check: Check | None = None


def _raise_first(done: set[Future[None]]) -> None:
    for future in done:
        future.result()
