"""The migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from bot.db.base import Base
from bot.db.engine import make_engine
from bot.db.migrate import alembic_config, downgrade, upgrade


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
