"""Engines and sessions. Built by the entry points from Settings, never at import."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

SessionFactory = sessionmaker[Session]


def normalize_database_url(url: str) -> str:
    """Use psycopg 3 for plain postgresql:// URLs (SQLAlchemy would pick psycopg2)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str, **options: Any) -> Engine:
    url = normalize_database_url(url)
    # Statement parameters would put people and pulse answers side by side in DEBUG logs.
    options.setdefault("hide_parameters", True)
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_engine(url, **options)
        event.listen(engine, "connect", _configure_sqlite_connection)
        return engine
    options.setdefault("pool_pre_ping", True)
    return create_engine(url, **options)


def make_session_factory(engine: Engine) -> SessionFactory:
    return sessionmaker(bind=engine, expire_on_commit=False)


def engine_of(sessions: SessionFactory) -> Engine:
    """The engine `sessions` was made for (by make_session_factory)."""
    return sessions.kw["bind"]


@contextmanager
def unit_of_work(sessions: Callable[[], Session]) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back if it raises."""
    with sessions() as session, session.begin():
        yield session


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # Foreign keys are off by default in SQLite; WAL lets the web process and the
    # scheduler read while the other writes; the busy timeout waits instead of failing.
    # synchronous=NORMAL is WAL's recommended setting: a commit survives a crash of the
    # process at once and is on disk at the next checkpoint, instead of an fsync per
    # commit (which made the file the bottleneck of a fan-out); only a power cut or an
    # OS crash may lose the last commits, never corrupt the file.
    # secure_delete overwrites deleted and changed rows with zeros, so the file keeps no
    # old copy of a sealed pulse ballot (or anything else deleted) in its free space.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()
