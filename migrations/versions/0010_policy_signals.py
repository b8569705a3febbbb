"""policy signals: the rules frontline decisions went beyond, and their revision

- `policy_areas`: the fields of rules an admin keeps (`/mot admin policies`);
- `policy_revisions`: a leader's word that the policy behind an area's signals was
  revised, with a note of what changed;
- `stories.raises_policy_signal`, `rule_bent`, `policy_area_id`: a story decided on the
  spot names the rule it went beyond (in words and/or by area); the flag stays when a
  forgotten person's words are emptied;
- `stories.policy_revision_id`: the revision that closed the story's signal;
- `outbox.policy_revision_id`: the DM telling a person in those stories that their
  decision changed how the company works.

Existing stories raise no signal.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-10 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "policy_areas",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("workspace_id", "name", name="uq_policy_areas_workspace_id_name"),
    )
    op.create_index("ix_policy_areas_workspace_id", "policy_areas", ["workspace_id"])
    op.create_table(
        "policy_revisions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "policy_area_id",
            sa.Integer(),
            sa.ForeignKey("policy_areas.id", ondelete="RESTRICT"),
            nullable=True,
        ),
        sa.Column(
            "leader_id",
            sa.Integer(),
            sa.ForeignKey("members.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_policy_revisions_workspace_id", "policy_revisions", ["workspace_id"])
    op.create_index("ix_policy_revisions_policy_area_id", "policy_revisions", ["policy_area_id"])
    op.create_index("ix_policy_revisions_leader_id", "policy_revisions", ["leader_id"])
    with op.batch_alter_table("stories") as batch:
        batch.add_column(
            sa.Column(
                "raises_policy_signal", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        batch.add_column(sa.Column("rule_bent", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("policy_area_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("policy_revision_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_stories_policy_area_id_policy_areas",
            "policy_areas",
            ["policy_area_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch.create_foreign_key(
            "fk_stories_policy_revision_id_policy_revisions",
            "policy_revisions",
            ["policy_revision_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index("ix_stories_policy_area_id", ["policy_area_id"])
        batch.create_index("ix_stories_policy_revision_id", ["policy_revision_id"])
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("policy_revision_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_outbox_policy_revision_id_policy_revisions",
            "policy_revisions",
            ["policy_revision_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_index("ix_outbox_policy_revision_id", ["policy_revision_id"])


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_policy_revision_id")
        batch.drop_constraint("fk_outbox_policy_revision_id_policy_revisions", type_="foreignkey")
        batch.drop_column("policy_revision_id")
    with op.batch_alter_table("stories") as batch:
        batch.drop_index("ix_stories_policy_revision_id")
        batch.drop_index("ix_stories_policy_area_id")
        batch.drop_constraint("fk_stories_policy_revision_id_policy_revisions", type_="foreignkey")
        batch.drop_constraint("fk_stories_policy_area_id_policy_areas", type_="foreignkey")
        batch.drop_column("policy_revision_id")
        batch.drop_column("policy_area_id")
        batch.drop_column("rule_bent")
        batch.drop_column("raises_policy_signal")
    op.drop_index("ix_policy_revisions_leader_id", table_name="policy_revisions")
    op.drop_index("ix_policy_revisions_policy_area_id", table_name="policy_revisions")
    op.drop_index("ix_policy_revisions_workspace_id", table_name="policy_revisions")
    op.drop_table("policy_revisions")
    op.drop_index("ix_policy_areas_workspace_id", table_name="policy_areas")
    op.drop_table("policy_areas")
