"""The exactly-once fan-out: one delivery per recipient, a lease per run, and what happens
when Slack refuses, the process dies half-way, or two processes send the same run."""

from __future__ import annotations

import itertools
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.db.engine import unit_of_work
from bot.db.models import JobDelivery, JobRun, ProcessedEvent
from bot.db.repositories import jobs
from bot.domain.directory import WorkspaceDefaults, register_workspace
from bot.scheduling.fanout import FanOut, FanOutOptions, RunKey
from bot.slack.outcomes import NotDelivered, Sent, StopRun
from tests.support.clock import Clock
from tests.support.units import run

T0 = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
TEAM = "T0DEMO001"
LEASE = timedelta(minutes=5)
PEOPLE = [f"U0PERSON{n:02d}" for n in range(10)]
JOIN_TIMEOUT = 60


class Slack:
    """Counts every message Slack accepted, per recipient; safe from several threads."""

    def __init__(self) -> None:
        self.sent: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._ts = itertools.count(1)

    def send(self, recipient: str) -> Sent:
        with self._lock:
            self.sent[recipient] += 1
            number = next(self._ts)
        return Sent(channel=f"D{recipient[1:]}", ts=f"1764000000.{number:06d}")


class Crash(BaseException):
    """The process dies: nothing after it reaches Slack or the database."""


class MortalProcess:
    """A process that dies right after Slack accepts message number `dies_after + 1`, before
    it can record it; once dead, neither its database nor Slack answers it any more."""

    def __init__(self, sessions, slack: Slack, *, dies_after: int) -> None:
        self._sessions = sessions
        self._slack = slack
        self._dies_after = dies_after
        self.accepted = 0
        self.dead = False

    def sessions(self, **options):
        if self.dead:
            raise Crash
        return self._sessions(**options)

    def send(self, recipient: str) -> Sent:
        if self.dead:
            raise Crash
        sent = self._slack.send(recipient)
        self.accepted += 1
        if self.accepted > self._dies_after:
            self.dead = True
            raise Crash
        return sent


@dataclass(frozen=True)
class Delivery:
    status: str
    attempts: int
    channel_id: str | None
    message_ts: str | None
    last_error: str | None


def deliveries(sessions, key: RunKey) -> dict[str, Delivery]:
    with sessions() as session:
        rows = session.execute(
            select(JobDelivery)
            .join(JobRun, JobDelivery.job_run_id == JobRun.id)
            .where(
                JobRun.job == key.job,
                JobRun.workspace_id == key.workspace_id,
                JobRun.period == key.period,
            )
        ).scalars()
        return {
            row.recipient: Delivery(
                row.status, row.attempts, row.channel_id, row.message_ts, row.last_error
            )
            for row in rows
        }


def statuses(sessions, key: RunKey) -> dict[str, str]:
    return {recipient: row.status for recipient, row in deliveries(sessions, key).items()}


def job_run(sessions, key: RunKey) -> JobRun:
    with sessions() as session:
        found = session.scalars(
            select(JobRun).where(
                JobRun.job == key.job,
                JobRun.workspace_id == key.workspace_id,
                JobRun.period == key.period,
            )
        ).one()
        session.expunge(found)
        return found


def remember(key: RunKey, failing=frozenset()):
    """An on_sent that records what the message means (the pulse invite, say) as a row
    of its own, in the transaction it is given; it fails for the recipients in `failing`."""

    def record(session, recipient, sent):
        session.add(ProcessedEvent(workspace_id=key.workspace_id, event_id=f"meant:{recipient}"))
        session.flush()
        if recipient in failing:
            raise RuntimeError("the invite could not be recorded")

    return record


def meanings(sessions) -> set[str]:
    with sessions() as session:
        events = session.scalars(select(ProcessedEvent.event_id)).all()
    return {event.removeprefix("meant:") for event in events}


def fan_out(sessions, key, clock, owner, *, workers=2, max_attempts=5) -> FanOut:
    options = FanOutOptions(workers=workers, lease=LEASE, max_attempts=max_attempts)
    return FanOut(sessions, key, clock=clock, owner=owner, options=options)


def hold_lease(sessions, key: RunKey, owner: str, now: datetime) -> None:
    """Leave the run's lease held by `owner`, as a process that died holding it would."""
    with unit_of_work(sessions) as session:
        run_id = jobs.ensure_run(session, key.workspace_id, key.job, key.period)
    with unit_of_work(sessions) as session:
        assert jobs.take_lease(session, run_id, owner, now, now + LEASE)


def in_threads(*targets, timeout: float = JOIN_TIMEOUT) -> list:
    """Run each target in its own thread, all released at once; their results in order."""
    start = threading.Barrier(len(targets))
    results: list = [None] * len(targets)
    errors: list[BaseException] = []

    def call(index: int, target) -> None:
        try:
            start.wait(timeout=timeout)
            results[index] = target()
        except BaseException as error:
            errors.append(error)

    threads = [
        threading.Thread(target=call, args=(index, target), daemon=True)
        for index, target in enumerate(targets)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a thread never finished"
    assert errors == []
    return results


@pytest.fixture
def workspace_id(sessions) -> int:
    return run(sessions, register_workspace, TEAM, WorkspaceDefaults())


@pytest.fixture
def key(workspace_id) -> RunKey:
    return RunKey("pulse-send", workspace_id, "2026-W48")


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
def slack() -> Slack:
    return Slack()


# --- exactly once -----------------------------------------------------------------------


def test_every_recipient_is_sent_exactly_one_message(sessions, key, clock, slack):
    report = fan_out(sessions, key, clock, "owner-a", workers=4).run(PEOPLE, slack.send)

    assert slack.sent == Counter(PEOPLE)
    assert (report.planned, report.sent, report.failed, report.dropped) == (10, 10, 0, 0)
    assert report.ok and not report.busy and report.resent_in_doubt == 0
    rows = deliveries(sessions, key)
    assert {row.status for row in rows.values()} == {"sent"}
    assert {row.attempts for row in rows.values()} == {1}
    assert rows["U0PERSON03"].channel_id == "D0PERSON03"
    assert len({row.message_ts for row in rows.values()}) == 10


def test_running_the_same_run_again_sends_nothing(sessions, key, clock, slack):
    fan_out(sessions, key, clock, "owner-a").run(PEOPLE, slack.send)
    clock.advance(timedelta(minutes=15))

    again = fan_out(sessions, key, clock, "owner-b").run(PEOPLE, slack.send)
    same_owner = fan_out(sessions, key, clock, "owner-a").run(PEOPLE, slack.send)

    assert slack.sent == Counter(PEOPLE)
    for report in (again, same_owner):
        assert (report.planned, report.sent, report.busy) == (0, 0, False)


def test_recipients_added_later_are_the_only_ones_sent_to(sessions, key, clock, slack):
    fan_out(sessions, key, clock, "owner-a").run(PEOPLE[:4], slack.send, final=False)
    clock.advance(timedelta(minutes=15))

    report = fan_out(sessions, key, clock, "owner-b").run(PEOPLE, slack.send)

    assert slack.sent == Counter(PEOPLE)
    assert (report.planned, report.sent) == (6, 6)


def test_a_recipient_listed_twice_is_sent_once(sessions, key, clock, slack):
    listed = ["U0ALICE01", "U0BOB0001", "U0ALICE01", "U0BOB0001", "U0ALICE01"]

    report = fan_out(sessions, key, clock, "owner-a").run(listed, slack.send)

    assert slack.sent == Counter({"U0ALICE01": 1, "U0BOB0001": 1})
    assert (report.planned, report.sent) == (2, 2)


def test_runs_for_another_period_or_job_are_separate(sessions, key, clock, slack):
    fan_out(sessions, key, clock, "owner-a").run(["U0ALICE01"], slack.send)
    next_week = RunKey(key.job, key.workspace_id, "2026-W49")
    reminder = RunKey("pulse-remind", key.workspace_id, key.period)

    fan_out(sessions, next_week, clock, "owner-a").run(["U0ALICE01"], slack.send)
    fan_out(sessions, reminder, clock, "owner-a").run(["U0ALICE01"], slack.send)

    assert slack.sent == Counter({"U0ALICE01": 3})


# --- recording what a message means -----------------------------------------------------


def test_on_sent_is_given_where_slack_put_the_message(sessions, key, clock, slack):
    recorded: list[tuple[str, Sent]] = []

    def record(session, recipient, sent):
        assert session.in_transaction()
        recorded.append((recipient, sent))

    fan_out(sessions, key, clock, "owner-a", workers=1).run(PEOPLE[:2], slack.send, record)

    rows = deliveries(sessions, key)
    assert recorded == [
        (recipient, Sent(rows[recipient].channel_id, rows[recipient].message_ts))
        for recipient in PEOPLE[:2]
    ]


def test_what_on_sent_writes_commits_with_the_sent_mark(sessions, key, clock, slack):
    """on_sent shares the transaction that marks the delivery sent: both or neither."""

    fan_out(sessions, key, clock, "owner-a").run(PEOPLE[:3], slack.send, remember(key))

    assert meanings(sessions) == set(PEOPLE[:3])


def test_when_on_sent_fails_the_delivery_is_not_recorded_as_sent_and_is_sent_again(
    sessions, key, clock, slack
):
    """What the code does: the mark and on_sent's writes roll back together, the error
    stops the run, and the delivery is left in flight ("sending"), so the next run treats
    it as in doubt and sends it again. Slack did take the first message, so the recipient
    gets two; while on_sent keeps failing, one more each run, up to max_attempts."""
    failing = {"U0PERSON01"}
    record = remember(key, failing)

    with pytest.raises(RuntimeError, match="could not be recorded"):
        fan_out(sessions, key, clock, "owner-a", workers=1).run(PEOPLE[:3], slack.send, record)

    rows = deliveries(sessions, key)
    assert rows["U0PERSON01"].status == "sending"
    assert (rows["U0PERSON01"].channel_id, rows["U0PERSON01"].message_ts) == (None, None)
    assert rows["U0PERSON00"].status == "sent"
    assert "U0PERSON01" not in meanings(sessions)
    run_row = job_run(sessions, key)
    assert (run_row.status, run_row.lease_owner) == ("running", None)  # released, not done

    failing.clear()
    report = fan_out(sessions, key, clock, "owner-b").run(PEOPLE[:3], slack.send, record)

    assert report.resent_in_doubt == 1
    assert slack.sent == Counter({"U0PERSON00": 1, "U0PERSON01": 2, "U0PERSON02": 1})
    assert set(statuses(sessions, key).values()) == {"sent"}
    assert meanings(sessions) == set(PEOPLE[:3])
    assert job_run(sessions, key).status == "done"


def test_an_on_sent_that_always_fails_costs_at_most_max_attempts_messages(
    sessions, key, clock, slack
):
    record = remember(key, failing={"U0ALICE01"})

    for attempt in range(3):
        with pytest.raises(RuntimeError):
            fan_out(sessions, key, clock, f"owner-{attempt}", max_attempts=3).run(
                ["U0ALICE01"], slack.send, record
            )

    report = fan_out(sessions, key, clock, "owner-last", max_attempts=3).run(
        ["U0ALICE01"], slack.send, record
    )

    assert slack.sent == Counter({"U0ALICE01": 3})
    assert report.sent == 0 and report.resent_in_doubt == 0
    assert report.dropped == 1
    row = deliveries(sessions, key)["U0ALICE01"]
    assert (row.status, row.attempts) == ("dropped", 3)
    assert job_run(sessions, key).status == "done"


# --- what Slack answers -----------------------------------------------------------------


def test_a_permanent_refusal_is_dropped_and_never_tried_again(sessions, key, clock, slack):
    calls: Counter[str] = Counter()

    def send(recipient):
        calls[recipient] += 1
        if recipient == "U0GONE001":
            raise NotDelivered("user_not_found", permanent=True)
        return slack.send(recipient)

    report = fan_out(sessions, key, clock, "owner-a").run(["U0ALICE01", "U0GONE001"], send)
    clock.advance(timedelta(hours=1))
    again = fan_out(sessions, key, clock, "owner-b").run(["U0ALICE01", "U0GONE001"], send)

    assert (report.sent, report.dropped, report.failed) == (1, 1, 0)
    assert report.errors == {"user_not_found": 1}
    assert report.ok
    assert calls == Counter({"U0ALICE01": 1, "U0GONE001": 1})
    assert (again.sent, again.dropped) == (0, 0)
    gone = deliveries(sessions, key)["U0GONE001"]
    assert (gone.status, gone.attempts, gone.last_error) == ("dropped", 1, "user_not_found")
    assert job_run(sessions, key).status == "done"


def test_a_check_that_refuses_drops_the_delivery_before_its_message_is_composed(
    sessions, key, clock, slack
):
    composed: list[str] = []

    def compose_and_send(recipient):
        composed.append(recipient)
        return slack.send(recipient)

    def check(session, recipient):
        if recipient == "U0DONE001":
            raise NotDelivered("already_invited", permanent=True)

    report = fan_out(sessions, key, clock, "owner-a").run(
        ["U0ALICE01", "U0DONE001"], compose_and_send, check=check
    )

    assert (report.sent, report.dropped, report.failed) == (1, 1, 0)
    assert report.errors == {"already_invited": 1}
    assert composed == ["U0ALICE01"]
    done = deliveries(sessions, key)["U0DONE001"]
    assert (done.status, done.attempts, done.last_error) == ("dropped", 1, "already_invited")
    assert job_run(sessions, key).status == "done"


def test_the_check_reads_in_the_transaction_that_claims_the_delivery(sessions, key, clock, slack):
    """What the check reads, it reads with the claim already made: no transaction of its
    own, and a refusal leaves the claim's change and nothing else."""
    seen: list[str] = []

    def check(session, recipient):
        seen.append(
            session.scalar(select(JobDelivery.status).where(JobDelivery.recipient == recipient))
        )

    fan_out(sessions, key, clock, "owner-a").run(["U0ALICE01"], slack.send, check=check)

    assert seen == ["sending"]
    assert slack.sent == Counter({"U0ALICE01": 1})


def test_a_transient_refusal_by_the_check_is_tried_again_by_the_next_run(
    sessions, key, clock, slack
):
    refusing = True

    def check(session, recipient):
        if refusing:
            raise NotDelivered("not_yet", permanent=False)

    report = fan_out(sessions, key, clock, "owner-a").run(["U0ALICE01"], slack.send, check=check)
    refusing = False
    clock.advance(timedelta(hours=1))
    again = fan_out(sessions, key, clock, "owner-b").run(["U0ALICE01"], slack.send, check=check)

    assert (report.sent, report.failed) == (0, 1)
    assert (again.sent, again.failed) == (1, 0)
    assert slack.sent == Counter({"U0ALICE01": 1})
    assert deliveries(sessions, key)["U0ALICE01"].attempts == 2


def test_a_check_that_breaks_fails_its_delivery_and_keeps_the_one_sent_before(
    sessions, key, clock, slack
):
    """A delivery's record rides with the next claim; when that claim's check raises, the
    record of the message Slack already took must still be kept."""

    def check(session, recipient):
        if recipient == "U0BROKEN1":
            raise RuntimeError("a bug in the check")

    report = fan_out(sessions, key, clock, "owner-a", workers=1).run(
        ["U0ALICE01", "U0BROKEN1", "U0BOB0001"], slack.send, remember(key), check=check
    )

    assert (report.sent, report.failed) == (2, 1)
    assert report.errors == {"RuntimeError": 1}
    assert statuses(sessions, key) == {
        "U0ALICE01": "sent",
        "U0BROKEN1": "failed",
        "U0BOB0001": "sent",
    }
    assert meanings(sessions) == {"U0ALICE01", "U0BOB0001"}
    assert deliveries(sessions, key)["U0BROKEN1"].attempts == 1
    assert slack.sent == Counter({"U0ALICE01": 1, "U0BOB0001": 1})


def test_a_transient_failure_is_tried_again_by_the_next_run(sessions, key, clock, slack):
    down = {"U0BOB0001"}

    def send(recipient):
        if recipient in down:
            raise NotDelivered("internal_error", permanent=False)
        return slack.send(recipient)

    report = fan_out(sessions, key, clock, "owner-a").run(["U0ALICE01", "U0BOB0001"], send)

    assert (report.sent, report.failed, report.ok) == (1, 1, False)
    bob = deliveries(sessions, key)["U0BOB0001"]
    assert (bob.status, bob.attempts, bob.last_error) == ("failed", 1, "internal_error")
    assert job_run(sessions, key).status == "running"

    down.clear()
    again = fan_out(sessions, key, clock, "owner-b").run(["U0ALICE01", "U0BOB0001"], send)

    assert (again.sent, again.failed) == (1, 0)
    assert slack.sent == Counter({"U0ALICE01": 1, "U0BOB0001": 1})
    bob = deliveries(sessions, key)["U0BOB0001"]
    assert (bob.status, bob.attempts, bob.last_error) == ("sent", 2, None)
    assert job_run(sessions, key).status == "done"


def test_a_failure_that_lasts_is_dropped_after_max_attempts(sessions, key, clock):
    calls = 0

    def send(recipient):
        nonlocal calls
        calls += 1
        raise NotDelivered("internal_error", permanent=False)

    reports = [
        fan_out(sessions, key, clock, f"owner-{n}", max_attempts=3).run(["U0BOB0001"], send)
        for n in range(5)
    ]

    assert calls == 3
    assert [(r.failed, r.dropped) for r in reports] == [(1, 0), (1, 0), (0, 1), (0, 0), (0, 0)]
    bob = deliveries(sessions, key)["U0BOB0001"]
    assert (bob.status, bob.attempts) == ("dropped", 3)
    assert job_run(sessions, key).status == "done"


def test_a_bug_composing_one_message_fails_that_one_only(sessions, key, clock, slack):
    def send(recipient):
        if recipient == "U0PERSON02":
            raise KeyError("locale")
        return slack.send(recipient)

    report = fan_out(sessions, key, clock, "owner-a").run(PEOPLE, send)

    assert (report.sent, report.failed, report.errors) == (9, 1, {"KeyError": 1})
    assert deliveries(sessions, key)["U0PERSON02"].status == "failed"
    assert slack.sent == Counter(PEOPLE[:2] + PEOPLE[3:])


def test_stop_run_ends_the_run_early_and_the_next_run_sends_the_rest(sessions, key, clock, slack):
    revoked = True

    def send(recipient):
        if revoked and recipient == "U0PERSON03":
            raise StopRun("token_revoked")
        return slack.send(recipient)

    report = fan_out(sessions, key, clock, "owner-a", workers=1).run(PEOPLE, send)

    assert report.stopped == "token_revoked"
    assert not report.ok
    assert (report.sent, report.failed) == (3, 1)
    assert slack.sent == Counter(PEOPLE[:3])
    assert statuses(sessions, key) == {
        **dict.fromkeys(PEOPLE[:3], "sent"),
        "U0PERSON03": "failed",
        **dict.fromkeys(PEOPLE[4:], "pending"),
    }
    assert (job_run(sessions, key).status, job_run(sessions, key).lease_owner) == (
        "running",
        None,
    )

    revoked = False
    again = fan_out(sessions, key, clock, "owner-b").run(PEOPLE, send)

    assert (again.sent, again.stopped) == (7, None)
    assert slack.sent == Counter(PEOPLE)
    assert job_run(sessions, key).status == "done"


# --- finishing --------------------------------------------------------------------------


def test_a_final_run_is_done_once_everything_is_sent_or_dropped(sessions, key, clock, slack):
    def send(recipient):
        if recipient == "U0GONE001":
            raise NotDelivered("user_not_found", permanent=True)
        return slack.send(recipient)

    clock.advance(timedelta(seconds=42))
    fan_out(sessions, key, clock, "owner-a").run([*PEOPLE, "U0GONE001"], send, final=True)

    done = job_run(sessions, key)
    assert done.status == "done"
    assert done.finished_at == T0 + timedelta(seconds=42)
    assert (done.lease_owner, done.lease_expires_at) == (None, None)


def test_a_run_that_may_get_more_recipients_is_not_done(sessions, key, clock, slack):
    fan_out(sessions, key, clock, "owner-a").run(PEOPLE[:5], slack.send, final=False)

    not_done = job_run(sessions, key)
    assert (not_done.status, not_done.finished_at) == ("running", None)
    assert (not_done.lease_owner, not_done.lease_expires_at) == (None, None)

    fan_out(sessions, key, clock, "owner-a").run(PEOPLE, slack.send, final=True)

    assert job_run(sessions, key).status == "done"
    assert slack.sent == Counter(PEOPLE)


# --- leases -----------------------------------------------------------------------------


def test_another_owner_is_busy_while_the_lease_is_held(sessions, key, clock, slack):
    reports = []

    def send(recipient):
        if recipient == "U0PERSON01":
            clock.advance(timedelta(minutes=1))
            reports.append(fan_out(sessions, key, clock, "owner-b").run(PEOPLE, slack.send))
        return slack.send(recipient)

    first = fan_out(sessions, key, clock, "owner-a", workers=1).run(PEOPLE[:3], send)

    [busy] = reports
    assert busy.busy
    assert (busy.planned, busy.sent) == (0, 0)
    assert "another process" in str(busy)
    assert first.sent == 3
    assert slack.sent == Counter(PEOPLE[:3])  # the busy one planned and sent nothing


def test_an_expired_lease_is_taken_over_and_the_run_resumes(sessions, key, clock, slack):
    fan_out(sessions, key, clock, "owner-a").run(PEOPLE[:4], slack.send, final=False)
    hold_lease(sessions, key, "owner-dead", clock())

    clock.advance(LEASE - timedelta(seconds=1))
    still_busy = fan_out(sessions, key, clock, "owner-b").run(PEOPLE, slack.send)
    clock.advance(timedelta(seconds=1))
    resumed = fan_out(sessions, key, clock, "owner-b").run(PEOPLE, slack.send)

    assert still_busy.busy
    assert not resumed.busy
    assert (resumed.planned, resumed.sent) == (6, 6)
    assert slack.sent == Counter(PEOPLE)
    assert job_run(sessions, key).status == "done"


def test_the_holder_keeps_its_lease_by_renewing_it_while_it_sends(sessions, key, clock, slack):
    """A long fan-out renews its lease (every lease/3 of its own clock), so a run that
    takes longer than one lease is not taken over."""
    intruders = []

    def send(recipient):
        clock.advance(timedelta(minutes=1))
        if recipient == "U0PERSON08":
            intruders.append(fan_out(sessions, key, clock, "owner-b").run(PEOPLE, slack.send))
        return slack.send(recipient)

    report = fan_out(sessions, key, clock, "owner-a", workers=1).run(PEOPLE, send)

    assert clock() - T0 > LEASE
    assert [intruder.busy for intruder in intruders] == [True]
    assert report.sent == 10 and report.stopped is None
    assert slack.sent == Counter(PEOPLE)


# --- a crash half-way -------------------------------------------------------------------


def test_after_a_crash_the_next_owner_sends_only_what_is_missing(sessions, key, clock, slack):
    """Three messages sent and recorded; Slack takes the fourth, then the process dies
    before recording it. The fourth is the one in doubt: sent again (at least once beats
    lost); everything else exactly once."""
    dying = MortalProcess(sessions, slack, dies_after=3)
    options = FanOutOptions(workers=1, lease=LEASE)

    with pytest.raises(Crash):
        FanOut(dying.sessions, key, clock=clock, owner="owner-a", options=options).run(
            PEOPLE, dying.send
        )

    assert slack.sent == Counter(PEOPLE[:4])
    assert statuses(sessions, key) == {
        **dict.fromkeys(PEOPLE[:3], "sent"),
        "U0PERSON03": "sending",
        **dict.fromkeys(PEOPLE[4:], "pending"),
    }
    assert job_run(sessions, key).lease_owner == "owner-a"  # the dead still holds it

    clock.advance(timedelta(minutes=1))
    too_soon = fan_out(sessions, key, clock, "owner-b").run(PEOPLE, slack.send)
    assert too_soon.busy
    assert slack.sent == Counter(PEOPLE[:4])

    clock.advance(LEASE)
    resumed = fan_out(sessions, key, clock, "owner-b").run(PEOPLE, slack.send)

    assert not resumed.busy
    assert (resumed.planned, resumed.sent, resumed.resent_in_doubt) == (0, 7, 1)
    assert "in doubt" in str(resumed)
    assert slack.sent == Counter({**Counter(PEOPLE), "U0PERSON03": 2})
    rows = deliveries(sessions, key)
    assert {row.status for row in rows.values()} == {"sent"}
    assert rows["U0PERSON03"].attempts == 2
    assert job_run(sessions, key).status == "done"


# --- a takeover while the first holder is still sending ---------------------------------


def test_a_holder_taken_over_mid_run_sends_nothing_the_new_holder_sent(sessions, key, clock, slack):
    """The first holder's clock is far behind, so it never sees its lease go. The new
    holder takes over while the first has one message in flight; from then on both work
    from their own lists of the same deliveries, and the per-delivery claim lets each be
    sent by one of them only. The message that was in flight at the takeover is the one
    the new holder cannot know about: it is sent again, and reported in doubt."""
    stale = Clock(T0)
    current = Clock(T0 + timedelta(minutes=30))
    takeovers = []

    def first_send(recipient):
        if recipient == "U0PERSON03":
            takeover = fan_out(sessions, key, current, "owner-b", workers=2)
            takeovers.append(takeover.run(PEOPLE, slack.send))
        return slack.send(recipient)

    first = fan_out(sessions, key, stale, "owner-a", workers=1).run(PEOPLE, first_send)

    [second] = takeovers
    assert (second.busy, second.resent_in_doubt, second.sent) == (False, 1, 7)
    assert first.sent == 4  # PERSON00-02, and PERSON03 that it had in flight
    assert slack.sent == Counter({**Counter(PEOPLE), "U0PERSON03": 2})
    assert set(statuses(sessions, key).values()) == {"sent"}
    assert job_run(sessions, key).status == "done"


def test_a_taken_over_holder_whose_send_fails_does_not_undo_the_new_holders_send(
    sessions, key, clock, slack
):
    """The first holder's message never reached Slack (it timed out) while the new
    holder sent that delivery: it stays sent, so no later run sends it a second time."""
    stale = Clock(T0)
    current = Clock(T0 + timedelta(minutes=30))

    def first_send(recipient):
        if recipient == "U0PERSON03":
            fan_out(sessions, key, current, "owner-b").run(PEOPLE, slack.send)
            raise NotDelivered("timeout", permanent=False)
        return slack.send(recipient)

    first = fan_out(sessions, key, stale, "owner-a", workers=1).run(PEOPLE, first_send)

    assert (first.sent, first.failed) == (3, 1)
    assert set(statuses(sessions, key).values()) == {"sent"}

    current.advance(timedelta(hours=1))
    later = fan_out(sessions, key, current, "owner-c").run(PEOPLE, slack.send)

    assert later.sent == 0
    assert slack.sent == Counter(PEOPLE)


# --- concurrency ------------------------------------------------------------------------


def test_two_schedulers_and_a_manual_run_send_each_message_once(sessions, key, slack):
    recipients = [f"U0P{n:05d}" for n in range(200)]
    clock = Clock(T0)

    def start(owner):
        return lambda: fan_out(sessions, key, clock, owner, workers=4).run(recipients, slack.send)

    reports = in_threads(start("scheduler-1"), start("scheduler-2"), start("run-job"))

    assert slack.sent == Counter(recipients)
    assert sum(report.sent for report in reports) == 200
    assert sum(report.planned for report in reports) == 200
    assert all(report.busy or report.failed == 0 for report in reports)
    assert job_run(sessions, key).status == "done"


def test_while_one_process_sends_the_others_starting_with_it_are_busy(sessions, key, slack):
    """The holder's first message waits until both others have returned, so they are
    sure to meet the lease held."""
    recipients = [f"U0P{n:05d}" for n in range(200)]
    clock = Clock(T0)
    returned = threading.Semaphore(0)

    def send(recipient):
        if slack.sent.total() == 0:
            for _ in range(2):
                assert returned.acquire(timeout=JOIN_TIMEOUT), "the others never returned"
        return slack.send(recipient)

    def start(owner):
        def go():
            report = fan_out(sessions, key, clock, owner, workers=1).run(recipients, send)
            if report.busy:
                returned.release()
            return report

        return go

    reports = in_threads(start("scheduler-1"), start("scheduler-2"), start("run-job"))

    assert sorted(report.busy for report in reports) == [False, True, True]
    [holder] = [report for report in reports if not report.busy]
    assert (holder.planned, holder.sent) == (200, 200)
    assert slack.sent == Counter(recipients)


def test_of_owners_racing_for_a_free_lease_exactly_one_wins(sessions, key):
    with unit_of_work(sessions) as session:
        run_id = jobs.ensure_run(session, key.workspace_id, key.job, key.period)

    def take(owner):
        def go():
            with unit_of_work(sessions) as session:
                return jobs.take_lease(session, run_id, owner, T0, T0 + LEASE)

        return go

    won = in_threads(*(take(f"owner-{n}") for n in range(8)))

    assert sorted(won) == [False] * 7 + [True]
    assert job_run(sessions, key).lease_owner == f"owner-{won.index(True)}"


def test_of_processes_racing_to_claim_one_delivery_exactly_one_wins(sessions, key):
    with unit_of_work(sessions) as session:
        run_id = jobs.ensure_run(session, key.workspace_id, key.job, key.period)
        jobs.add_recipients(session, key.workspace_id, run_id, ["U0ALICE01"], T0)
        [row] = jobs.to_send(session, run_id, max_attempts=5)

    def claim():
        with unit_of_work(sessions) as session:
            return jobs.claim(session, row.id, T0)

    won = in_threads(*([claim] * 8))

    assert sorted(won) == [False] * 7 + [True]
    alice = deliveries(sessions, key)["U0ALICE01"]
    assert (alice.status, alice.attempts) == ("sending", 1)
