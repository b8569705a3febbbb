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

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Row, bindparam, func, inspect, select
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
    primary_key = inspect(model).primary_key[0]
    return len(insert_missing_returning(session, model, rows, unique_on, [primary_key]))


def insert_missing_returning(
    session: Session,
    model: type[Base],
    rows: Sequence[Mapping[str, Any]],
    unique_on: Sequence[str],
    returning: Sequence[ColumnElement[Any]],
) -> list[Row[Any]]:
    """insert_missing, answering `returning` of exactly the rows this statement inserted
    (not those it found there already, nor those a racing transaction inserted first)."""
    if not rows:
        return []
    statement = _insert_missing_statement(
        session.get_bind().dialect.name, model, tuple(unique_on), tuple(returning)
    )
    if len(rows) == 1:
        return list(session.execute(statement, dict(rows[0])).all())
    # Many rows go as one executemany, which SQLAlchemy sends in batches of multi-row
    # INSERTs compiled once; a VALUES clause built from the rows is compiled per row.
    return list(session.execute(statement, [dict(row) for row in rows]).all())


def insert_missing_for_each(
    session: Session,
    model: type[Base],
    shared: Mapping[str, Any],
    column: str,
    values: Sequence[Any],
    unique_on: Sequence[str],
) -> int:
    """insert_missing of one row per value of `column`, every other column as `shared`
    (a delivery for each recipient, say); how many were new. On PostgreSQL the values go
    as one array that the statement unnests: a fraction of the time of sending thousands
    of rows of parameters."""
    if not values:
        return 0
    dialect = session.get_bind().dialect.name
    if dialect != "postgresql":
        rows = [{**shared, column: value} for value in values]
        return insert_missing(session, model, rows, unique_on)
    table = model.__table__
    names = [*shared, column]
    source = select(
        *(
            bindparam(f"shared_{name}", value, type_=table.c[name].type)
            for name, value in shared.items()
        ),
        func.unnest(
            bindparam("values", list(values), type_=postgresql.ARRAY(table.c[column].type))
        ),
    )
    statement = (
        postgresql.insert(table)
        .from_select(names, source)
        .on_conflict_do_nothing(index_elements=list(unique_on))
        .returning(inspect(model).primary_key[0])
    )
    return len(session.execute(statement).all())


@functools.cache
def _insert_missing_statement(
    dialect: str,
    model: type[Base],
    unique_on: tuple[str, ...],
    returning: tuple[ColumnElement[Any], ...],
) -> postgresql.Insert | sqlite.Insert:
    """The statement, its rows given when it is executed: built once, because building a
    statement costs several times what executing it does."""
    return (
        backend_insert(dialect, model)
        .on_conflict_do_nothing(index_elements=list(unique_on))
        .returning(*returning)
    )


def dialect_insert(session: Session, model: type[Base]) -> postgresql.Insert | sqlite.Insert:
    """The backend's own INSERT, which knows ON CONFLICT."""
    return backend_insert(session.get_bind().dialect.name, model)


def backend_insert(dialect: str, model: type[Base]) -> postgresql.Insert | sqlite.Insert:
    # On the model's table: the ORM's bulk-insert path would add nothing here but its cost.
    table = model.__table__
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"insert_missing does not support the {dialect} backend")
