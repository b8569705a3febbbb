"""outbox: effects owed to Slack, and story submissions recorded once

- `outbox`: what motbot owes Slack after a committed change (a story card to post, a
  card to refresh, a DM to send, an App Home to publish), written in the change's
  transaction and delivered at once or, when Slack did not take it, by the outbox drain.
  At most one unfinished entry per (workspace, effect_key): a partial unique index, on
  SQLite and PostgreSQL alike.
- `stories.submission_key`: the Slack view a story was submitted from, so the same
  submission arriving twice (a person pressing Submit again after Slack said it could not
  reach motbot) records one story. Existing stories have none.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNFINISHED = "status IN ('pending', 'sending')"


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("effect_key", sa.String(100), nullable=False),
        sa.Column(
            "story_id", sa.Integer(), sa.ForeignKey("stories.id", ondelete="CASCADE"), nullable=True
        ),
        sa.Column(
            "kudos_id", sa.Integer(), sa.ForeignKey("kudos.id", ondelete="CASCADE"), nullable=True
        ),
        sa.Column(
            "member_id",
            sa.Integer(),
            sa.ForeignKey("members.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("claimed_version", sa.Integer(), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(64), nullable=True),
        sa.Column("claim_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_outbox_workspace_id", "outbox", ["workspace_id"])
    op.create_index("ix_outbox_story_id", "outbox", ["story_id"])
    op.create_index("ix_outbox_kudos_id", "outbox", ["kudos_id"])
    op.create_index("ix_outbox_member_id", "outbox", ["member_id"])
    op.create_index("ix_outbox_due", "outbox", ["workspace_id", "status", "next_attempt_at"])
    op.create_index(
        "uq_outbox_unfinished_effect",
        "outbox",
        ["workspace_id", "effect_key"],
        unique=True,
        sqlite_where=sa.text(UNFINISHED),
        postgresql_where=sa.text(UNFINISHED),
    )
    with op.batch_alter_table("stories") as batch:
        batch.add_column(sa.Column("submission_key", sa.String(100), nullable=True))
        batch.create_unique_constraint(
            "uq_stories_workspace_id_submission_key", ["workspace_id", "submission_key"]
        )


def downgrade() -> None:
    with op.batch_alter_table("stories") as batch:
        batch.drop_constraint("uq_stories_workspace_id_submission_key", type_="unique")
        batch.drop_column("submission_key")
    op.drop_index("uq_outbox_unfinished_effect", table_name="outbox")
    op.drop_index("ix_outbox_due", table_name="outbox")
    op.drop_index("ix_outbox_member_id", table_name="outbox")
    op.drop_index("ix_outbox_kudos_id", table_name="outbox")
    op.drop_index("ix_outbox_story_id", table_name="outbox")
    op.drop_index("ix_outbox_workspace_id", table_name="outbox")
    op.drop_table("outbox")
