"""Leave no copy of a counted ballot in the database's files.

Counting a round deletes its ballots from the box in the closing transaction. A deleted
row can outlive its deletion, though, where someone holding the files could read it and
the order it was written in:
- SQLite: in the write-ahead log, until the log is checkpointed and emptied (the file
  itself is safe: secure_delete, set on every connection, zeroes deleted rows).
- PostgreSQL: as dead row versions in the table's pages, until the table is rewritten.

`wipe_counted_ballots` runs after the closing transaction has committed (neither step can
run inside one). It is cheap: the ballot box only ever holds the open rounds' ballots.
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine, text

log = logging.getLogger(__name__)


def wipe_counted_ballots(engine: Engine) -> bool:
    """Empty SQLite's write-ahead log, or rewrite PostgreSQL's ballot box; False (and a
    warning) when SQLite could not empty its log because a reader held it: the next
    close, or any later call, finishes the job."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if engine.dialect.name == "postgresql":
            # FULL writes the live rows to new files and drops the old ones, dead rows and
            # all; plain VACUUM would only mark their space free.
            connection.execute(text("VACUUM FULL pulse_ballots"))
            return True
        if engine.dialect.name == "sqlite":
            busy, _log_pages, _moved = connection.execute(
                text("PRAGMA wal_checkpoint(TRUNCATE)")
            ).one()
            if busy:
                log.warning("the SQLite write-ahead log is in use; it is emptied at a later close")
            return not busy
    return True
