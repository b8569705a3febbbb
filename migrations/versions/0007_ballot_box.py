"""ballot box: checked ballots, sealed answers until a round closes, and stored answers
shuffled

- `pulse_ballots`: the open rounds' sealed answers and comments (no rowid on SQLite).
- `pulse_invites.ballot_check`: the digest of the ballot the invite's DM carries. Invites
  sent before this revision have none and adopt the first ballot they use.
- `pulse_answers` / `pulse_comments`: `response_key` may be NULL (answers counted at a
  round's close keep none). Existing rows are rewritten in a random order, so that their
  physical order (SQLite's rowid, PostgreSQL's heap) no longer follows the order people
  answered in, and the keys of closed rounds' rows are dropped. Rows of a round still
  open keep their keys, so their authors can still change them until it closes; they
  stay counted.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 09:00:00.000000
"""

import random
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ANSWER_COLUMNS = ("id", "workspace_id", "round_id", "question_id", "value", "team_id")
COMMENT_COLUMNS = ("id", "workspace_id", "round_id", "team_id", "text")


def upgrade() -> None:
    op.create_table(
        "pulse_ballots",
        sa.Column(
            "round_id",
            sa.Integer(),
            sa.ForeignKey("pulse_rounds.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("response_key", sa.String(64), primary_key=True),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_pulse_ballots_workspace_id", "pulse_ballots", ["workspace_id"])
    with op.batch_alter_table("pulse_invites") as batch:
        batch.add_column(sa.Column("ballot_check", sa.String(64), nullable=True))
    for table in ("pulse_answers", "pulse_comments"):
        with op.batch_alter_table(table) as batch:
            batch.alter_column("response_key", existing_type=sa.String(64), nullable=True)
    _rewrite_shuffled("pulse_answers", ANSWER_COLUMNS)
    _rewrite_shuffled("pulse_comments", COMMENT_COLUMNS)


def _rewrite_shuffled(name: str, columns: Sequence[str]) -> None:
    """Delete every row and insert them again in a random order, without the keys of
    closed rounds. On PostgreSQL TRUNCATE gives the table new files, so the old order is
    not left behind as dead rows; on SQLite secure_delete (bot/db/engine.py) overwrites
    the deleted rows."""
    bind = op.get_bind()
    table = _table(name, columns)
    rounds = sa.table("pulse_rounds", sa.column("id", sa.Integer()), sa.column("status"))
    still_open = set(
        bind.execute(sa.select(rounds.c.id).where(rounds.c.status != "closed")).scalars()
    )
    rows = [dict(row) for row in bind.execute(sa.select(table)).mappings()]
    if not rows:
        return
    for row in rows:
        if row["round_id"] not in still_open:
            row["response_key"] = None
    random.SystemRandom().shuffle(rows)
    if bind.dialect.name == "postgresql":
        op.execute(f"TRUNCATE {name}")
    else:
        op.execute(table.delete())
    op.bulk_insert(table, rows)


def _table(name: str, columns: Sequence[str]) -> sa.TableClause:
    return sa.table(
        name,
        sa.column("id", sa.Uuid()),
        *(sa.column(column) for column in columns if column != "id"),
        sa.column("response_key", sa.String(64)),
    )


def downgrade() -> None:
    ballots = sa.table("pulse_ballots", sa.column("round_id"))
    waiting = op.get_bind().execute(sa.select(sa.func.count()).select_from(ballots)).scalar()
    if waiting:
        # They are sealed with MOTBOT_SECRET_KEY, which a migration does not hold.
        raise RuntimeError(
            f"{waiting} pulse answers wait in the ballot box: close the open rounds "
            "(motbot run-job pulse-close) before downgrading, or they would be lost"
        )
    for name, columns in (("pulse_answers", ANSWER_COLUMNS), ("pulse_comments", COMMENT_COLUMNS)):
        table = _table(name, columns)
        op.execute(
            table.update()
            .where(table.c.response_key.is_(None))
            .values(response_key=sa.cast(table.c.id, sa.String(64)))
        )
        with op.batch_alter_table(name) as batch:
            batch.alter_column("response_key", existing_type=sa.String(64), nullable=False)
    with op.batch_alter_table("pulse_invites") as batch:
        batch.drop_column("ballot_check")
    op.drop_index("ix_pulse_ballots_workspace_id", table_name="pulse_ballots")
    op.drop_table("pulse_ballots")
