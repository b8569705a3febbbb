"""How fast the bot acknowledges Slack's requests: a benchmark that prints figures.

The real `motbot run` process (waitress, as deployed) serves the emulator's demo
workspace; signed slash commands (`/mot help`, and `/kudos @someone reason`, which records
kudos and sends the recipient a DM after the acknowledgement) and events
(`app_home_opened`) are sent through the emulator's inbound side by 1, 10 and 50
concurrent senders, on SQLite and on PostgreSQL. Slack's limit is an acknowledgement
within 3 seconds.

    .venv/bin/python bench/ack_latency.py [--requests N] [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.sandbox.demo import load_demo
from bot.sandbox.harness import SIGNING_SECRET, BotProcess, bot_environment, free_port
from slackemu.inbound import Delivery, InboundSender
from slackemu.server import Emulator

POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
CONCURRENCY = (1, 10, 50)


@contextmanager
def database(backend: str, folder: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'bench.db'}"
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


def send_command(
    sender: InboundSender, emulator: Emulator, user: str, command: str, text: str
) -> Delivery:
    return sender.send_command(
        {
            "command": command,
            "text": text,
            "team_id": emulator.workspace.team.id,
            "user_id": user,
            "channel_id": "C0GENERAL",
            "response_url": emulator.response_url("C0GENERAL", user),
            "trigger_id": emulator.workspace.issue_trigger_id(user),
        }
    )


def command_sender(sender: InboundSender, emulator: Emulator, users: list[str]) -> Callable:
    def send(_: int) -> Delivery:
        return send_command(sender, emulator, random.choice(users), "/mot", "help")

    return send


def kudos_sender(sender: InboundSender, emulator: Emulator, users: list[str]) -> Callable:
    def send(_: int) -> Delivery:
        giver, recipient = random.sample(users, 2)
        text = f"<@{recipient}> thanks for covering the gate"
        return send_command(sender, emulator, giver, "/kudos", text)

    return send


def event_sender(sender: InboundSender, emulator: Emulator, users: list[str]) -> Callable:
    numbers = itertools.count()
    workspace = emulator.workspace

    def send(_: int) -> Delivery:
        user = random.choice(users)
        return sender.send_event(
            {
                "type": "event_callback",
                "team_id": workspace.team.id,
                "api_app_id": workspace.bot.app_id,
                "event_id": f"EvBench{next(numbers):08d}",
                "event_time": int(time.time()),
                "event": {"type": "app_home_opened", "user": user, "tab": "home"},
                "authorizations": [
                    {
                        "team_id": workspace.team.id,
                        "user_id": workspace.bot.user_id,
                        "is_bot": True,
                        "is_enterprise_install": False,
                    }
                ],
            }
        )

    return send


def unlimited_kudos(url: str) -> None:
    """A budget no sender runs out of, so every `/kudos` is given rather than refused."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE workspaces SET weekly_budget = 1000000"))
    engine.dispose()


def kudos_recorded(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM kudos")).scalar_one()
    engine.dispose()
    return count


def measure(send: Callable[[int], Delivery], requests: int, concurrency: int) -> dict:
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        deliveries = list(pool.map(send, range(requests)))
    elapsed = time.perf_counter() - started
    latencies = sorted(d.attempts[0].latency_seconds * 1000 for d in deliveries)
    failures = sum(1 for d in deliveries if not d.attempts[0].acknowledged)
    return {
        "rps": requests / elapsed,
        "p50": statistics.median(latencies),
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "max": latencies[-1],
        "failed": failures,
    }


def run(backends: list[str], requests: int) -> None:
    print(
        f"{'backend':<11}{'kind':<9}{'senders':>8}{'req/s':>9}{'p50 ms':>9}"
        f"{'p99 ms':>9}{'max ms':>9}{'failed':>8}"
    )
    for backend in backends:
        with tempfile.TemporaryDirectory() as folder, database(backend, Path(folder)) as url:
            demo = load_demo()
            with Emulator(demo.workspace) as emulator:
                port = free_port()
                env = bot_environment(emulator, database_url=url, port=port, extra=demo.env())
                log = Path(folder) / "bot.log"
                with BotProcess({**env, "LOG_LEVEL": "WARNING"}, port=port, log_path=log) as bot:
                    sender = InboundSender(bot.request_url, SIGNING_SECRET)
                    users = [u.id for u in demo.workspace.users() if not u.is_bot]
                    for user in users:  # first requests register members; not measured
                        command_sender(sender, emulator, [user])(0)
                    unlimited_kudos(url)
                    kinds = (
                        ("command", command_sender),
                        ("kudos", kudos_sender),
                        ("event", event_sender),
                    )
                    for kind, make in kinds:
                        for concurrency in CONCURRENCY:
                            row = measure(make(sender, emulator, users), requests, concurrency)
                            print(
                                f"{backend:<11}{kind:<9}{concurrency:>8}{row['rps']:>9.1f}"
                                f"{row['p50']:>9.1f}{row['p99']:>9.1f}{row['max']:>9.1f}"
                                f"{row['failed']:>8}",
                                flush=True,
                            )
                    time.sleep(2)  # the last listeners finish after their acknowledgement
                    print(f"{backend}: {kudos_recorded(url)} kudos recorded", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500, help="requests per measurement")
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    run(args.backends.split(","), args.requests)
    return 0


if __name__ == "__main__":
    sys.exit(main())
