"""How fast leaderboards come out of a large ledger: a benchmark that prints figures.

A fresh PostgreSQL database (migrated to head) is filled in bulk, with INSERT ... SELECT
over generate_series: one workspace of 10,000 members in 20 teams (some opted out,
deactivated or bots), 100,000 stories (2% deleted) with their tags, and 1,000,000 ledger
entries over two years (the story tags' entries plus kudos, mostly within a team, to a
skewed set of people), 2% of them reversed. The all-time totals (`member_totals`,
`kudos_pairs`) are then computed from those rows with the same INSERT ... SELECT as
migration 0003's backfill, which is what the ledger writer would have kept them at. Then
VACUUM ANALYZE, as autovacuum would,
and a CHECKPOINT, so the load's writes do not land in the measurements. Each period's
`leaderboard()` and `member_standing()` (for the all-time leader and a median member)
is timed: median, p95 and max of `--runs` calls after two warm-up calls.

    .venv/bin/python bench/leaderboard.py [--scale 0.1] [--runs 20] [--explain] [--keep]

`--scale` multiplies the row counts (at least 200 members; always 20 teams), so a small
run takes seconds; `--explain` prints EXPLAIN ANALYZE of every statement of the weekly
and the all-time board; `--keep` leaves the database behind to study.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

from bot.db.engine import make_engine, make_session_factory
from bot.db.migrate import upgrade
from bot.db.models import Team, Workspace
from bot.db.repositories import totals
from bot.domain.leaderboard import Period, leaderboard, member_standing

POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
"""The ledger's last moment: a Monday morning, when the weekly board is posted."""
AS_OF = datetime(2026, 11, 22, 22, 0, tzinfo=UTC)
"""The moment boards are computed for: Sunday 23:00 in Berlin, so "this week" is a full
week of entries, "this month" most of November and "this quarter" two months."""
ALL_AS_OF = NOW + timedelta(minutes=1)
"""All time is read from the totals only when no ledger entry or story is newer than the
moment asked for (otherwise it is computed from the ledger, exactly); the ledger runs up
to NOW, so the all-time board is timed just after it, as `/mot top all` would ask."""


def moment(period: Period) -> datetime:
    return ALL_AS_OF if period is Period.ALL else AS_OF


TZ = "Europe/Berlin"
TEAMS = 20
MEMBERS = 10_000
STORIES = 100_000
KUDOS = 1_000_000
TAGS_PER_STORY = 3  # on average; their ledger entries are part of KUDOS
DAYS = 730


@contextmanager
def database(keep: bool = False) -> Iterator[str]:
    """A new PostgreSQL database, dropped afterwards unless `keep` (to study plans)."""
    name = f"motbot_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(False)
    finally:
        if keep:
            print(f"kept database {name}")
        else:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# Each statement is one INSERT ... SELECT; :parameters come from fill(). Members are
# numbered 1..members, so member i is in team 1 + i % teams; a recipient "in the giver's
# team" is the giver plus a multiple of the team count.
FILL = [
    (
        "members",
        """
        INSERT INTO members (workspace_id, slack_user_id, display_name, real_name, team_id,
            is_admin, is_leader, leader_named, is_hr, is_bot, is_guest, is_active,
            leaderboard_opt_out, created_at)
        SELECT :ws, 'U' || lpad(i::text, 8, '0'), 'member ' || i, 'Member ' || i,
            CASE WHEN i % 50 = 7 THEN NULL ELSE :team0 + i % :teams END,
            false, i % 25 = 0, i % 25 = 0, false, i % 1000 = 999, false, i % 20 <> 13,
            i % 33 = 5, :now - interval '800 days'
        FROM generate_series(1, :members) AS i
        ORDER BY i
        """,
    ),
    (
        "stories",
        """
        INSERT INTO stories (workspace_id, author_id, touchpoint, customer_need, action_taken,
            outcome, decided_on_spot, abc_appearance, abc_behaviour, abc_communication,
            created_at, deleted_at)
        SELECT :ws, :member0 + floor(power(random(), 1.5) * :members)::int,
            'phone', 'A customer needed help.', 'We helped on the spot.', 'Happy customer.',
            random() < 0.4, random() < 0.3, random() < 0.5, random() < 0.5, at,
            CASE WHEN random() < 0.02 THEN at + interval '1 day' END
        FROM (
            SELECT :now - random() * interval '730 days' AS at
            FROM generate_series(1, :stories)
        ) AS s
        ORDER BY at
        """,
    ),
    (
        "story_tags",
        """
        INSERT INTO story_tags (workspace_id, story_id, tagger_id, source, created_at)
        SELECT s.workspace_id, s.id,
            :member0 + (s.author_id - :member0 + :teams * k) % :members,
            'button', LEAST(s.created_at + random() * interval '3 days', :now)
        FROM stories AS s
        -- "+ 0 * s.id" ties the series to the row, so each story draws its own count
        CROSS JOIN LATERAL generate_series(
            1, floor(random() * (2 * :tags_per_story + 1))::int + 0 * s.id) AS k
        WHERE s.deleted_at IS NULL
        ORDER BY 5
        """,
    ),
    (
        "kudos",
        """
        INSERT INTO kudos (workspace_id, giver_id, recipient_id, kind, points, reason,
            story_id, giver_is_leader, budget_week, source_key, created_at)
        SELECT :ws, giver, recipient, kind, points, '', story_id, false,
            date_trunc('week', at AT TIME ZONE :tz)::date, key, at
        FROM (
            SELECT t.tagger_id AS giver, s.author_id AS recipient, 'tag' AS kind,
                1 AS points, s.id AS story_id, 'tag:' || t.id AS key, t.created_at AS at
            FROM story_tags AS t JOIN stories AS s ON s.id = t.story_id
            UNION ALL
            SELECT giver,
                CASE WHEN random() < 0.8
                    THEN :member0 + (giver - :member0
                          + :teams * (1 + floor(power(random(), 2) * 200)::int)) % :members
                    ELSE :member0 + (giver - :member0
                          + 1 + floor(random() * (:members - 1))::int) % :members
                END,
                'kudos', 1 + floor(random() * 3)::int, NULL, 'kudos:' || i, at
            FROM (
                SELECT i, :member0 + floor(power(random(), 1.3) * :members)::int AS giver,
                    :now - random() * interval '730 days' AS at
                FROM generate_series(1, :kudos - (SELECT count(*) FROM story_tags)) AS i
            ) AS g
        ) AS entries
        ORDER BY at
        """,
    ),
    (
        "kudos_reversals",
        """
        INSERT INTO kudos_reversals (workspace_id, kudos_id, cause, reason, created_at)
        SELECT workspace_id, id, 'revoked', '', LEAST(created_at + interval '1 hour', :now)
        FROM kudos
        WHERE random() < 0.02
        """,
    ),
]


def fill(engine: Engine, scale: float) -> dict[str, int]:
    """Generate the workspace; returns the row count of each table."""
    teams = TEAMS
    members = max(10 * TEAMS, round(MEMBERS * scale))
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        workspace = Workspace(team_id="T0BENCH01", name="Bench", timezone=TZ)
        session.add(workspace)
        session.flush()
        session.add_all(
            Team(workspace_id=workspace.id, name=f"Team {n:02d}") for n in range(1, teams + 1)
        )
        session.flush()
        workspace_id = workspace.id
        team0 = session.scalar(text("SELECT min(id) FROM teams"))
    params = {
        "ws": workspace_id,
        "team0": team0,
        "teams": teams,
        "members": members,
        "stories": round(STORIES * scale),
        "kudos": round(KUDOS * scale),
        "tags_per_story": TAGS_PER_STORY,
        "now": NOW,
        "tz": TZ,
    }
    counts: dict[str, int] = {}
    with engine.begin() as connection:
        for table, statement in FILL:
            started = time.perf_counter()
            if table == "stories":
                params["member0"] = connection.scalar(text("SELECT min(id) FROM members"))
            connection.execute(text(statement), params)
            counts[table] = connection.scalar(text(f"SELECT count(*) FROM {table}"))
            print(
                f"  {table:<16}{counts[table]:>10,} rows {time.perf_counter() - started:7.1f} s",
                flush=True,
            )
        # The ledger was written in bulk, not by the ledger writer: fill the totals.
        started = time.perf_counter()
        for statement in totals.REBUILD:
            connection.execute(text(statement))
        for table in ("kudos_pairs", "member_totals"):
            counts[table] = connection.scalar(text(f"SELECT count(*) FROM {table}"))
        print(
            f"  {'totals':<16}{counts['member_totals']:>10,} rows "
            f"{time.perf_counter() - started:7.1f} s ({counts['kudos_pairs']:,} pairs)",
            flush=True,
        )
    started = time.perf_counter()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
        # Write the load's dirty pages now rather than during the measurements.
        connection.execute(text("CHECKPOINT"))
    print(f"  VACUUM ANALYZE, CHECKPOINT {time.perf_counter() - started:8.1f} s", flush=True)
    counts["workspace_id"] = workspace_id
    return counts


def timings(call: Callable[[], object], runs: int) -> tuple[float, float, float]:
    """Median, p95 and max in ms, after two warm-up calls."""
    for _ in range(2):
        call()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95, samples[-1]


def explain(engine: Engine, workspace_id: int, period: Period) -> None:
    """EXPLAIN ANALYZE every statement one leaderboard() call runs."""
    captured: list[tuple[str, object]] = []

    def capture(*args: Any) -> None:
        statement, parameters = args[2], args[3]
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            captured.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    with make_session_factory(engine)() as session:
        leaderboard(session, workspace_id, period, moment(period), TZ)
    event.remove(engine, "before_cursor_execute", capture)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for statement, parameters in captured:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
            print("\n".join(row[0] for row in cursor.fetchall()), end="\n\n")
    finally:
        raw.close()


def run(scale: float, runs: int, show_plans: bool, keep: bool) -> None:
    with database(keep) as url:
        upgrade(url)
        engine = make_engine(url)
        print(f"scale {scale}: generating", flush=True)
        counts = fill(engine, scale)
        workspace_id = counts["workspace_id"]
        sessions = make_session_factory(engine)

        with sessions() as session:
            top = leaderboard(session, workspace_id, Period.ALL, ALL_AS_OF, TZ, limit=1).recognised
            leader_id = session.scalar(
                text("SELECT id FROM members WHERE slack_user_id = :u"), {"u": top[0].user_id}
            )
            by_points = session.scalars(
                text(
                    "SELECT k.recipient_id FROM kudos AS k JOIN members AS m"
                    " ON m.id = k.recipient_id WHERE m.is_active AND NOT m.is_bot"
                    " AND NOT m.leaderboard_opt_out GROUP BY k.recipient_id"
                    " ORDER BY sum(k.points), k.recipient_id"
                )
            ).all()
            typical_id = by_points[len(by_points) // 2]
        print(
            f"\n{'call':<34}{'median ms':>10}{'p95 ms':>10}{'max ms':>10}{'rows in period':>16}",
            flush=True,
        )
        for period in Period:
            with sessions() as session:
                board = leaderboard(session, workspace_id, period, moment(period), TZ)
                start = board.start or datetime(1970, 1, 1, tzinfo=UTC)
                in_period = session.scalar(
                    text("SELECT count(*) FROM kudos WHERE created_at >= :s AND created_at < :e"),
                    {"s": start, "e": board.end},
                )

            def board_call(period: Period = period) -> object:
                with sessions() as session:
                    return leaderboard(session, workspace_id, period, moment(period), TZ)

            median, p95, worst = timings(board_call, runs)
            print(
                f"{'leaderboard ' + period:<34}{median:>10.1f}{p95:>10.1f}{worst:>10.1f}"
                f"{in_period:>16,}",
                flush=True,
            )

        def ledger_all() -> object:
            with sessions() as session:
                return leaderboard(session, workspace_id, Period.ALL, AS_OF, TZ)

        median, p95, worst = timings(ledger_all, runs)
        label = "leaderboard all (ledger, AS_OF)"
        print(f"{label:<34}{median:>10.1f}{p95:>10.1f}{worst:>10.1f}", flush=True)
        for period in Period:
            for who, member_id in (("leader", leader_id), ("typical", typical_id)):

                def standing_call(period: Period = period, member_id: int = member_id) -> object:
                    with sessions() as session:
                        return member_standing(
                            session, workspace_id, member_id, period, moment(period), TZ
                        )

                median, p95, worst = timings(standing_call, runs)
                label = f"member_standing {period} {who}"
                print(f"{label:<34}{median:>10.1f}{p95:>10.1f}{worst:>10.1f}", flush=True)
        if show_plans:
            for period in (Period.WEEK, Period.ALL):
                print(f"\n--- plans: leaderboard {period} ---\n")
                explain(engine, workspace_id, period)
        engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies every row count")
    parser.add_argument("--runs", type=int, default=20, help="timed calls per measurement")
    parser.add_argument("--explain", action="store_true", help="print the query plans")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    run(args.scale, args.runs, args.explain, args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
