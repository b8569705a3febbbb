"""The migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, time

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import DateTime, Time, column, insert, inspect, select, table

from bot.db.base import Base
from bot.db.engine import make_engine
from bot.db.migrate import alembic_config, downgrade, upgrade
from bot.db.models import Member


def test_upgrade_to_head_creates_exactly_the_models_schema(empty_database_url):
    upgrade(empty_database_url)

    engine = make_engine(empty_database_url)
    with engine.connect() as connection:
        differences = compare_metadata(
            MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata
        )
        tables = set(inspect(connection).get_table_names())
    engine.dispose()

    assert differences == []
    assert set(Base.metadata.tables) <= tables


def test_downgrade_to_base_removes_every_table(empty_database_url):
    upgrade(empty_database_url)
    downgrade(empty_database_url, "base")

    engine = make_engine(empty_database_url)
    with engine.connect() as connection:
        remaining = set(inspect(connection).get_table_names())
    engine.dispose()

    assert remaining <= {"alembic_version"}


def test_upgrading_twice_leaves_the_database_at_head(empty_database_url):
    upgrade(empty_database_url)
    upgrade(empty_database_url)

    head = ScriptDirectory.from_config(alembic_config(empty_database_url)).get_current_head()
    engine = make_engine(empty_database_url)
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    engine.dispose()

    assert current == head is not None


def _insert(connection, table_name: str, rows: list[dict]) -> list[int]:
    """Insert rows as they are at an old revision (the models may have moved on)."""
    types = {time: Time(), datetime: DateTime(timezone=True)}
    columns = [column(name, types.get(type(value))) for name, value in rows[0].items()]
    target = table(table_name, *columns, column("id"))
    return [
        connection.execute(insert(target).values(row).returning(target.c.id)).scalar_one()
        for row in rows
    ]


def test_who_holds_a_role_before_0006_holds_it_by_name_after(empty_database_url):
    upgrade(empty_database_url, "0005")
    engine = make_engine(empty_database_url)
    now = datetime(2026, 12, 1, tzinfo=UTC)
    with engine.begin() as connection:
        [workspace_id] = _insert(
            connection,
            "workspaces",
            [
                {
                    "team_id": "T0MIGRATE",
                    "name": "",
                    "locale": "en",
                    "timezone": "UTC",
                    "tag_emoji": "star",
                    "points_per_tag": 1,
                    "weekly_budget": 10,
                    "leader_weight": 1,
                    "max_kudos_per_pair_per_week": 3,
                    "pulse_min_group": 5,
                    "pulse_weekday": 1,
                    "pulse_time": time(10, 0),
                    "pulse_open_days": 4,
                    "pulse_reminder_hours": 24,
                    "pulse_include_guests": False,
                    "installed_at": now,
                }
            ],
        )
        _insert(
            connection,
            "members",
            [
                {
                    "workspace_id": workspace_id,
                    "slack_user_id": user_id,
                    "display_name": "",
                    "real_name": "",
                    "is_admin": False,
                    "is_leader": leader,
                    "is_hr": hr,
                    "is_bot": False,
                    "is_guest": False,
                    "is_active": True,
                    "leaderboard_opt_out": False,
                    "created_at": now,
                }
                for user_id, leader, hr in [
                    ("U0LEADER1", True, False),
                    ("U0HRHRHR1", False, True),
                    ("U0NOBODY1", False, False),
                ]
            ],
        )

    upgrade(empty_database_url)

    with engine.connect() as connection:
        rows = connection.execute(
            select(
                Member.slack_user_id,
                Member.leader_named,
                Member.leader_via_group,
                Member.hr_named,
                Member.hr_via_group,
            ).order_by(Member.slack_user_id)
        ).all()
    assert [tuple(row) for row in rows] == [
        ("U0HRHRHR1", False, False, True, False),
        ("U0LEADER1", True, False, False, False),
        ("U0NOBODY1", False, False, False, False),
    ]

    downgrade(empty_database_url, "0005")
    with engine.connect() as connection:
        left = {found["name"] for found in inspect(connection).get_columns("members")}
    engine.dispose()
    assert not left & {"leader_named", "leader_via_group", "hr_named", "hr_via_group"}
    assert {"is_leader", "is_hr"} <= left
