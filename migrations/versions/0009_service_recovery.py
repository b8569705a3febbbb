"""service recovery: a story can tell how something that went wrong was put right

- `stories.is_recovery`: the story is a service recovery (it stays one when a forgotten
  person's texts are emptied, so the share of recoveries does not change);
- `stories.went_wrong`: what went wrong, in the teller's words (empty for other stories).

Existing stories are moments of truth, not recoveries.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-09 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("stories") as batch:
        batch.add_column(
            sa.Column("is_recovery", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("went_wrong", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("stories") as batch:
        batch.drop_column("went_wrong")
        batch.drop_column("is_recovery")
