"""leaderboard indexes: the ledger by giver and time

The givers leaderboard counts the distinct recipients of its few contenders over one
period; ix_kudos_giver_week is ordered by budget week, so without this index that look-up
read every entry the contenders ever gave (see docs/benchmarks.md).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 14:20:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_kudos_giver_created", "kudos", ["workspace_id", "giver_id", "created_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_kudos_giver_created", table_name="kudos")
