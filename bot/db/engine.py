"""Engines and sessions. Built by the entry points from Settings, never at import."""

from __future__ import annotations

import threading
from collections.abc import Iterator
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
        SQLiteWriterQueue().attach(engine)
        return engine
    options.setdefault("pool_pre_ping", True)
    return create_engine(url, **options)


def make_session_factory(engine: Engine) -> SessionFactory:
    return sessionmaker(bind=engine, expire_on_commit=False)


def engine_of(sessions: SessionFactory) -> Engine:
    """The engine `sessions` was made for (by make_session_factory)."""
    return sessions.kw["bind"]


@contextmanager
def unit_of_work(sessions: SessionFactory) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back if it raises."""
    with sessions() as session, session.begin():
        yield session


SQLITE_BUSY_TIMEOUT_SECONDS = 5.0
_HOLDS_WRITER = "motbot_holds_sqlite_writer"


class SQLiteWriterQueue:
    """This process's writers take turns here before SQLite's own write lock.

    SQLite lets one transaction write at a time; a second writer waits in SQLite's busy
    handler, which sleeps 1, 2, 5, 10 ms and longer between tries. Threads writing short
    transactions back to back (fan-out workers, concurrent requests) then spend more
    time asleep than writing. Here they queue on a lock that wakes the next one as soon
    as the writer before it commits. The lock is taken where SQLite would take its own:
    at the transaction's first write (the sqlite3 driver begins the transaction right
    before it), and given back at commit or rollback. A writer that waits longer than
    the busy timeout goes on to SQLite, which decides, as before. Other processes on
    the same file still meet at SQLite's lock.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def attach(self, engine: Engine) -> None:
        event.listen(engine, "before_cursor_execute", self._before_execute)
        event.listen(engine, "commit", self._transaction_ended)
        event.listen(engine, "rollback", self._transaction_ended)
        # A connection handed back to the pool is rolled back without those events.
        event.listen(engine.pool, "checkin", self._checked_in)

    def _before_execute(self, connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if connection.info.get(_HOLDS_WRITER) or _reads_only(statement):
            return
        connection.info[_HOLDS_WRITER] = self._lock.acquire(timeout=SQLITE_BUSY_TIMEOUT_SECONDS)

    def _transaction_ended(self, connection: Any) -> None:
        self._release(connection.info)

    def _checked_in(self, _dbapi_connection: Any, record: Any) -> None:
        if record is not None:
            self._release(record.info)

    def _release(self, info: dict[str, Any]) -> None:
        if info.pop(_HOLDS_WRITER, False):
            self._lock.release()


def _reads_only(statement: str) -> bool:
    return statement.lstrip()[:6].upper() in ("SELECT", "PRAGMA")


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # Foreign keys are off by default in SQLite; WAL lets the web process and the
    # scheduler read while the other writes; the busy timeout waits instead of failing.
    # synchronous=NORMAL is WAL's recommended setting: a commit survives a crash of the
    # process at once and is on disk at the next checkpoint, instead of an fsync per
    # commit (which made the file the bottleneck of a fan-out); only a power cut or an
    # OS crash may lose the last commits, never corrupt the file.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT_SECONDS * 1000)}")
    cursor.close()
