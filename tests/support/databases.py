"""Throw-away databases for tests: a SQLite file, or a fresh PostgreSQL database.

PostgreSQL is required in CI (CI=true or MOTBOT_REQUIRE_POSTGRES=1): there an unreachable
server fails the run. On a developer machine without it, PostgreSQL tests are skipped.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from bot.db.base import Base

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BACKENDS = ("sqlite", "postgresql")
# Socket Mode changes how Slack's requests arrive, not what the bot stores: over Socket
# Mode an end-to-end test runs on SQLite only, which keeps the suite a quarter shorter.
TRANSPORT_BACKENDS = (("sqlite", "http"), ("postgresql", "http"), ("sqlite", "socket_mode"))


def postgres_admin_url() -> str:
    return os.environ.get("MOTBOT_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


def postgres_required() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes") or os.environ.get(
        "MOTBOT_REQUIRE_POSTGRES", ""
    ) in ("1", "true", "yes")


def _admin_engine() -> Engine:
    return create_engine(postgres_admin_url(), isolation_level="AUTOCOMMIT")


def ensure_postgres_available() -> None:
    """Fail (in CI) or skip (elsewhere) when PostgreSQL cannot be reached."""
    try:
        engine = _admin_engine()
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as error:
        message = f"PostgreSQL at {postgres_admin_url()} is unreachable: {error}"
        if postgres_required():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


@contextmanager
def fresh_database(backend: str, tmp_dir: Path) -> Iterator[str]:
    """The URL of a new, empty database, dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_dir / f'motbot-{uuid.uuid4().hex[:8]}.db'}"
        return
    ensure_postgres_available()
    name = f"motbot_test_{uuid.uuid4().hex[:12]}"
    admin = _admin_engine()
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield (
            make_url(postgres_admin_url()).set(database=name).render_as_string(hide_password=False)
        )
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def delete_all_rows(engine: Engine) -> None:
    """Empty every table between tests (children first, so foreign keys hold)."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(table.delete())
