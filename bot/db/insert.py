"""Insert rows unless an equal one already exists, without ever raising for the duplicate.

Slack delivers the same click, reaction or event more than once, sometimes at the same
instant, so "insert if absent" must hold when two transactions race. Both supported
backends have `INSERT ... ON CONFLICT DO NOTHING`: on PostgreSQL the second insert waits
for the first transaction and then does nothing (or inserts, if the first rolled back).

Why not a SAVEPOINT and catching IntegrityError: with the sqlite3 driver's default
transaction handling, a SAVEPOINT issued before any other write of the unit of work
*starts* the transaction and its RELEASE *commits* it, so the row would survive a later
rollback of the unit of work. ON CONFLICT keeps the insert an ordinary statement of the
surrounding transaction on both backends.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.db.base import Base


def insert_missing(
    session: Session,
    model: type[Base],
    rows: Sequence[Mapping[str, Any]],
    unique_on: Sequence[str],
) -> int:
    """Insert those of `rows` whose `unique_on` columns match no row yet; return how many.

    Only a conflict on exactly that unique key is ignored: any other violation (a missing
    foreign key, say) still raises.
    """
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        statement = postgresql.insert(model)
    elif dialect == "sqlite":
        statement = sqlite.insert(model)
    else:
        raise NotImplementedError(f"insert_missing does not support the {dialect} backend")
    primary_key = inspect(model).primary_key[0]
    statement = (
        statement.values([dict(row) for row in rows])
        .on_conflict_do_nothing(index_elements=list(unique_on))
        .returning(primary_key)
    )
    return len(session.execute(statement).all())
