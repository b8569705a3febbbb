"""role sources: whether a member holds the leader / HR role by name, through the role's
user group, or both

members.is_leader / is_hr stay the roles everything reads; they now always equal
leader_named OR leader_via_group (hr_named OR hr_via_group), which the bot keeps up to
date itself instead of working them out from the audit log. Existing rows get false; who
holds a role at upgrade counts as named (so the bot never takes away a role it cannot
tell it gave), and the next sync of the role's user group marks who is in it.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _flag(name: str) -> sa.Column:
    return sa.Column(name, sa.Boolean(), server_default=sa.false(), nullable=False)


def upgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.add_column(_flag("leader_named"))
        batch.add_column(_flag("leader_via_group"))
        batch.add_column(_flag("hr_named"))
        batch.add_column(_flag("hr_via_group"))
    members = sa.table(
        "members",
        sa.column("is_leader", sa.Boolean()),
        sa.column("is_hr", sa.Boolean()),
        sa.column("leader_named", sa.Boolean()),
        sa.column("hr_named", sa.Boolean()),
    )
    op.execute(members.update().values(leader_named=members.c.is_leader, hr_named=members.c.is_hr))


def downgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.drop_column("hr_via_group")
        batch.drop_column("hr_named")
        batch.drop_column("leader_via_group")
        batch.drop_column("leader_named")
