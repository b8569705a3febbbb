"""How fast the weekly pulse reaches a large workspace under Slack's rate limits: a
benchmark that prints figures.

The emulator runs with rate limits on (Slack's tiers; chat.postMessage about one a
second per channel and, across the workspace, 300 a minute with a burst of 30, the
emulator's stand-in for Slack's "several hundred a minute") on a Clock running
`--time-scale` times faster than real time, so an emulated minute of posting passes in
0.6 real seconds at the default 100. It runs in a process of its own, as Slack runs on
its own servers (`--emulator-in-process` puts it on a thread of the bot's process, one
GIL for both, as the bench did before 2026-11-30). The workspace is the demo's (17
active people) plus generated people up to `--members` active human members; users.list
pages over all of them. A fresh database is migrated to head (a SQLite file in a
temporary folder, a fresh PostgreSQL database with `--postgresql`, or `--database-url`).

`motbot run-job pulse-send` is then run by hand in its two parts, each timed against the
floor the rate limits allow, in real seconds at the time scale:
- the directory sync it starts with when the directory is stale (users.list, every
  member registered); its floor: the users.list pages beyond Tier 2's burst at 20 a
  minute. A scheduled pulse finds the directory fresh: the scheduler reads it at the
  first tick when anyone on Earth could be due, hours before most people's DM;
- the fan-out (`send_pulse` with the directory fresh: the round opened, 5,000 deliveries
  planned, one DM each through the exactly-once fan-out); its floor: the messages beyond
  the workspace burst at the workspace rate. Target: elapsed / floor <= 1.10.
The clients are those bot/scheduling/runtime.py builds (a read client that honours 429,
a post client without a 429 retry handler, both on kept-alive connections), with 8
fan-out workers: MOTBOT_FANOUT_WORKERS defaults to 4, plenty at Slack's real pace of 5
posts a second, but at x100 each worker must turn a delivery around in 8 ms, and on
PostgreSQL its round trips alone take much of that (4 workers: 1.13-1.16);
the Pacer runs at the emulator's posting rate times the time scale, with half the
emulator's burst (the other half absorbs posts that arrive closer together than they
were sent: a 429's Retry-After is in emulated seconds, a hundred times too long here).

It prints both ratios and the cold job's (the two together), 429s (seen by the bot's
fan-out, and answered by the emulator per method), CPU per post of the bot's process
and of the emulator's, where the time went (phases read from the emulator's call log),
and peak RSS of each process.

    .venv/bin/python -m bench.fanout [--members 5000] [--time-scale 100] [--workers 8]
        [--postgresql | --database-url URL] [--emulator-in-process] [--breakdown]
        [--profile FILE]

Quick mode: `--members 1000` (about 10 s); add `--time-scale 5` to watch the fan-out
run at the pacer's rate (25 posts a real second) instead. The default is 5,000 members.
`--postgresql` creates a fresh database on the local PostgreSQL (postgres@127.0.0.1)
and drops it afterwards; `--database-url` migrates and uses the given empty database.
`--breakdown` then times the parts of one delivery, one call at a time, against an
emulator of its own in this process with the limits off: Block Kit validation, the
chat.postMessage handler, the HTTP round trip, and the bot's own work (the same fan-out
for the week before, with a post client that answers at once). `--profile FILE` writes a
cProfile of every thread of the bot's process to FILE for `python -m pstats FILE`;
profiling slows the run a lot, so the figures of a profiled run are not the bench's.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import logging
import math
import pstats
import resource
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from slack_sdk import WebClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.slack_side import (
    CallSummary,
    InProcessSlack,
    SlackProcess,
    SlackSide,
    add_members,
    cpu_seconds,
)
from bot.config import Settings
from bot.db.engine import make_engine, make_session_factory
from bot.db.migrate import upgrade
from bot.sandbox.demo import load_demo
from bot.scheduling.fanout import FanOutOptions, FanOutReport
from bot.scheduling.pulse_jobs import send_pulse
from bot.scheduling.runtime import JobRuntime, make_runtime
from bot.scheduling.timetable import previous_period
from bot.slack.member_sync import PAGE_SIZE
from bot.slack.pacing import Pacer
from slackemu.blockkit import validate_message_blocks
from slackemu.clock import Clock
from slackemu.ratelimit import METHOD_LIMITS, Limit
from slackemu.server import Emulator

POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TARGET_RATIO = 1.10


@contextmanager
def database(url: str | None, postgresql: bool, folder: Path) -> Iterator[str]:
    """The database to migrate: `url` as given, a fresh PostgreSQL one, or SQLite."""
    if url:
        yield url
        return
    if not postgresql:
        yield f"sqlite:///{folder / 'fanout.db'}"
        return
    name = f"motbot_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def excess_seconds(calls: int, limit: Limit) -> float:
    """Emulator seconds `calls` back-to-back calls need under `limit`: those beyond the
    burst at its rate."""
    return max(0, calls - limit.burst) / limit.per_second


class ThreadProfiles:
    """cProfile for every thread started while it is on (cProfile alone sees one)."""

    def __init__(self) -> None:
        self.profiles: list[cProfile.Profile] = []
        self._lock = threading.Lock()
        self._original_run = threading.Thread.run

    def __enter__(self) -> ThreadProfiles:
        profiles, lock, original_run = self.profiles, self._lock, self._original_run

        def run(thread: threading.Thread) -> None:
            profile = cProfile.Profile()
            with lock:
                profiles.append(profile)
            profile.runcall(original_run, thread)

        threading.Thread.run = run  # type: ignore[method-assign]
        main = cProfile.Profile()
        self.profiles.append(main)
        main.enable()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.profiles[0].disable()
        threading.Thread.run = self._original_run  # type: ignore[method-assign]

    def save(self, path: str) -> None:
        stats = pstats.Stats(self.profiles[0])
        for profile in self.profiles[1:]:
            profile.create_stats()  # threads still running (the emulator's) stop here
            if profile.stats:  # type: ignore[attr-defined]
                stats.add(profile)
        stats.dump_stats(path)


@dataclass
class Measured:
    sync: float  # real seconds: the directory read from users.list and registered
    fanout: float  # real seconds: send_pulse with the directory fresh (open, plan, post)
    report: FanOutReport
    calls: list[CallSummary]
    started_emulated: float
    rss_before: int
    fanout_cpu: float  # the bot process's CPU seconds in the fan-out
    emulator_fanout_cpu: float | None  # the emulator process's, if it has its own

    @property
    def elapsed(self) -> float:
        return self.sync + self.fanout


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    slack_side = InProcessSlack if args.emulator_in_process else SlackProcess
    with (
        slack_side(args.members, args.time_scale) as slack,
        tempfile.TemporaryDirectory() as folder,
        database(args.database_url, args.postgresql, Path(folder)) as url,
    ):
        upgrade(url)
        engine = make_engine(url, pool_size=max(5, args.workers + 2))
        sessions = make_session_factory(engine)
        posting = slack.facts.posting
        real_rate = posting.per_minute * args.time_scale  # posts a real minute
        env = {**slack.facts.env, "DATABASE_URL": url}
        runtime = make_runtime(Settings.from_env(env), sessions)
        # Half the emulator's burst: turns lost to a slow call are caught up, and the
        # other half absorbs posts that arrive closer together than they were sent.
        runtime.pacer = Pacer(real_rate, burst=max(1, posting.burst // 2))
        runtime.fanout = FanOutOptions(workers=args.workers)
        slack.clear_calls()  # auth.test, asked by make_runtime, is not the job's
        measured = measure(runtime, slack, args.profile)
        status = print_figures(args, measured, slack, url)
        if args.breakdown:
            print_breakdown(runtime, slack, measured, args.workers)
        engine.dispose()
    return status


def measure(runtime: JobRuntime, slack: SlackSide, profile_path: str | None) -> Measured:
    """`motbot run-job pulse-send` in its two parts, timed (and profiled, if asked): the
    directory sync it starts with when the directory is stale, then the job itself."""
    context = runtime.context(by_hand=True)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    profiles = ThreadProfiles() if profile_path else None
    if profiles:
        profiles.__enter__()
    started_emulated = slack.emulated_now()
    started = time.perf_counter()
    context.refresh_directory()
    synced = time.perf_counter()
    cpu, emulator_cpu = cpu_seconds(), slack.cpu_seconds()
    report = send_pulse(context)  # the directory is fresh now, so it is not read again
    finished = time.perf_counter()
    cpu = cpu_seconds() - cpu
    emulator_after = slack.cpu_seconds()
    if emulator_cpu is not None and emulator_after is not None:
        emulator_cpu = emulator_after - emulator_cpu
    if profiles and profile_path:
        profiles.__exit__()
        profiles.save(profile_path)
        print(f"profile            {profile_path} (python -m pstats {profile_path})")
    return Measured(
        synced - started,
        finished - synced,
        report,
        slack.calls(),
        started_emulated,
        rss_before,
        cpu,
        emulator_cpu,
    )


def print_figures(args: argparse.Namespace, measured: Measured, slack: SlackSide, url: str) -> int:
    facts = slack.facts
    calls = measured.calls
    posts = [call for call in calls if call.method == "chat.postMessage"]
    sent = sum(1 for call in posts if call.status == 200 and call.ok)
    pages = [call for call in calls if call.method == "users.list"]
    answered_pages = sum(1 for call in pages if call.status == 200)
    emulator_429 = Counter(call.method for call in calls if call.status == 429)

    # The floors: users.list beyond its burst; every post beyond the workspace burst.
    expected_pages = max(1, math.ceil(facts.listed / PAGE_SIZE))
    list_floor = excess_seconds(expected_pages, METHOD_LIMITS["users.list"]) / args.time_scale
    post_floor = excess_seconds(sent, facts.posting) / args.time_scale
    real_rate = facts.posting.per_minute * args.time_scale
    where = "in the bot's process" if args.emulator_in_process else "in a process of its own"

    print(f"database           {make_url(url).get_backend_name()}")
    print(f"members            {facts.members:,} active humans ({facts.listed:,} users listed)")
    print(f"time scale         {args.time_scale:g}  (workers {args.workers})")
    print(f"emulator           {where}")
    print(
        f"workspace limit    {facts.posting.per_minute:g}/min, burst {facts.posting.burst} "
        f"(pacer {real_rate:,.0f}/min real, {real_rate / 60:,.0f}/s)"
    )
    print(f"messages sent      {sent:,}  ({measured.report})")
    fanout_ratio = print_ratio("fan-out", measured.fanout, post_floor, "posting")
    print_ratio("directory sync", measured.sync, list_floor, f"users.list {answered_pages} pages")
    print_ratio("cold job", measured.elapsed, list_floor + post_floor, "sync, then fan-out")
    verdict = "met" if fanout_ratio <= TARGET_RATIO else "MISSED"
    print(f"target             fan-out elapsed / floor <= {TARGET_RATIO:.2f}: {verdict}")
    per_post = 1000 / max(1, sent)
    cpu = f"bot {measured.fanout_cpu * per_post:.2f} ms"
    if measured.emulator_fanout_cpu is not None:
        cpu += f", emulator {measured.emulator_fanout_cpu * per_post:.2f} ms"
    print(f"CPU per post       {cpu}  (the whole fan-out's, divided by the posts)")
    print(f"429 seen by bot    {measured.report.rate_limited}  (fan-out's posts)")
    by_method = ", ".join(f"{method} {count}" for method, count in sorted(emulator_429.items()))
    print(f"429 from emulator  {sum(emulator_429.values())}  ({by_method or 'none'})")
    bot_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    emulator_rss = slack.peak_rss_kib()
    rss = f"bot {bot_rss / 1024:.0f} MiB ({measured.rss_before / 1024:.0f} before the job)"
    if emulator_rss is None:
        rss += ", the emulator's included"
    else:
        rss += f"; emulator {emulator_rss / 1024:.0f} MiB"
    print(f"peak RSS           {rss}")

    def real(at: float) -> float:
        return (at - measured.started_emulated) / args.time_scale

    print_phases(measured, [real(c.at) for c in pages], [real(c.at) for c in posts])
    return 0 if sent == facts.members and measured.report.ok else 1


def print_ratio(name: str, elapsed: float, floor: float, floor_of: str) -> float:
    ratio = elapsed / floor if floor else math.inf
    versus = f"elapsed / floor {ratio:.3f}" if floor else "no floor: within the burst"
    print(f"{name + ':':<19}{elapsed:6.2f} s real, floor {floor:5.2f} s ({floor_of}), {versus}")
    return ratio


class InstantSlack:
    """A post client that answers every chat.postMessage at once, without HTTP: what
    is left is the bot's own work per delivery (database, rendering, pacing)."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self._lock = threading.Lock()

    def chat_postMessage(self, *, channel: str, **_content: object) -> dict[str, str]:
        with self._lock:
            self.times.append(time.perf_counter())
            return {"channel": channel, "ts": f"{len(self.times)}.000000"}


def per_call_ms(call: Callable[[int], object], repeat: int) -> float:
    started = time.perf_counter()
    for n in range(repeat):
        call(n)
    return (time.perf_counter() - started) / repeat * 1000


def print_breakdown(
    runtime: JobRuntime, slack: SlackSide, measured: Measured, workers: int
) -> None:
    """What one delivery costs, part by part, one call at a time, against an emulator of
    its own in this process with the limits off."""
    args = slack.first_post_args()
    blocks = args.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    payload = {"text": args.get("text") or "", "blocks": blocks}
    repeat = 300
    demo = load_demo(Clock.frozen_at())
    add_members(demo.workspace, repeat + 20)
    users = [user.id for user in demo.workspace.users() if user.id.startswith("U1")]
    with Emulator(demo.workspace) as emulator:
        token = emulator.workspace.bot.token
        app = emulator.app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        client = WebClient(base_url=emulator.api_url, token=token, retry_handlers=[])

        def in_process(n: int) -> None:
            body = {"channel": users[n], **payload}
            app.post("/api/chat.postMessage", json=body, headers=headers)

        def over_http(n: int) -> None:
            client.chat_postMessage(channel=users[n + repeat // 2], **payload)

        size = len(json.dumps(payload))
        print(f"\nbreakdown, one call at a time ({size:,} bytes of pulse DM)")
        validate = per_call_ms(lambda _: validate_message_blocks(blocks), repeat)
        handler = per_call_ms(in_process, repeat // 2)
        posted = per_call_ms(over_http, repeat // 2)
        auth_in_process = per_call_ms(lambda _: app.post("/api/auth.test", headers=headers), repeat)
        auth_over_http = per_call_ms(lambda _: client.auth_test(), repeat)
    print(f"  emulator: Block Kit validation      {validate:6.2f} ms")
    print(f"  emulator: chat.postMessage handler  {handler:6.2f} ms  (Flask, no socket)")
    print(f"  chat.postMessage over HTTP          {posted:6.2f} ms  (client + server)")
    print(
        f"  HTTP per call (auth.test)           {auth_over_http - auth_in_process:6.2f} ms  "
        f"({auth_over_http:.2f} over HTTP - {auth_in_process:.2f} in process)"
    )

    # The bot alone: the same fan-out for another week, Slack answering at once.
    instant = InstantSlack()
    context = runtime.context(by_hand=True)
    context.post_client = instant  # type: ignore[assignment]
    context.pacer = Pacer(1e12)
    cpu = cpu_seconds()
    report = send_pulse(context, previous_period(measured.report.period))
    cpu = cpu_seconds() - cpu
    span = instant.times[-1] - instant.times[0] if len(instant.times) > 1 else 0.0
    rate = (len(instant.times) - 1) / span if span else math.inf
    print(
        f"  bot alone, {workers} workers: {report.sent:,} deliveries, "
        f"{rate:,.0f}/s ({1000 / rate:.2f} ms each) over the fan-out; "
        f"{cpu / max(1, report.sent) * 1000:.2f} ms CPU each for the whole job"
    )


def print_phases(measured: Measured, pages: list[float], posts: list[float]) -> None:
    """Where the time went, from the arrival times of the calls at the emulator."""
    if not pages or not posts:
        return
    rows = [
        ("before users.list", 0.0, pages[0]),
        ("users.list paging", pages[0], pages[-1]),
        ("registering", pages[-1], measured.sync),
        ("open, plan", measured.sync, posts[0]),
        ("posting", posts[0], posts[-1]),
        ("after the last post", posts[-1], measured.elapsed),
    ]
    phases = "; ".join(f"{name} {end - start:.2f}" for name, start, end in rows)
    print(f"phases (real s)    {phases}")
    span = posts[-1] - posts[0]
    if span > 0:
        print(f"posting rate       {(len(posts) - 1) / span:,.0f} calls/s real")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=5000, help="active human members")
    parser.add_argument("--time-scale", type=float, default=100.0, help="emulator speed-up")
    parser.add_argument(
        "--workers",
        type=int,
        default=8,
        help="fan-out worker threads (MOTBOT_FANOUT_WORKERS; see the module's doc)",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--postgresql", action="store_true", help="a fresh local PostgreSQL db")
    where.add_argument("--database-url", help="an empty database to migrate and use")
    parser.add_argument(
        "--emulator-in-process",
        action="store_true",
        help="run the emulator on a thread of the bot's process (one GIL for both)",
    )
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of all threads")
    parser.add_argument(
        "--breakdown", action="store_true", help="then time each part of one delivery"
    )
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
