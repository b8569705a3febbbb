"""all-time totals: member_totals and kudos_pairs, filled from the ledger

The all-time leaderboard re-aggregated the whole ledger three times per call (about
440 ms with a million entries, see docs/benchmarks.md). These tables hold the all-time
figures per member, kept by the ledger writer in the same transaction as each ledger
change (bot/domain/totals.py). This migration creates them and fills them from the
existing ledger, stories and tags, so a deployment upgraded in place has exact totals.

The backfill is plain SQL that runs on SQLite and PostgreSQL alike, and it is written
out here rather than imported: a migration must keep doing what it did when the
application code changes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = "NOT EXISTS (SELECT 1 FROM kudos_reversals AS r WHERE r.kudos_id = k.id)"

BACKFILL = [
    # Every (giver, recipient) pair with live entries, and how many of them are kudos.
    f"""
    INSERT INTO kudos_pairs (workspace_id, giver_id, recipient_id, live_entries,
        live_kudos_entries)
    SELECT k.workspace_id, k.giver_id, k.recipient_id, COUNT(*),
        SUM(CASE WHEN k.kind = 'kudos' THEN 1 ELSE 0 END)
    FROM kudos AS k
    WHERE {LIVE}
    GROUP BY k.workspace_id, k.giver_id, k.recipient_id
    """,
    # One row per member with anything to count, each figure from its own source.
    f"""
    INSERT INTO member_totals (workspace_id, member_id, points_received, distinct_givers,
        kudos_given, distinct_kudos_recipients, stories, story_tags)
    SELECT workspace_id, member_id, SUM(points_received), SUM(distinct_givers),
        SUM(kudos_given), SUM(distinct_kudos_recipients), SUM(stories), SUM(story_tags)
    FROM (
        SELECT k.workspace_id, k.recipient_id AS member_id, SUM(k.points) AS points_received,
            0 AS distinct_givers, 0 AS kudos_given, 0 AS distinct_kudos_recipients,
            0 AS stories, 0 AS story_tags
        FROM kudos AS k
        WHERE {LIVE}
        GROUP BY k.workspace_id, k.recipient_id
        UNION ALL
        SELECT p.workspace_id, p.recipient_id, 0, COUNT(*), 0, 0, 0, 0
        FROM kudos_pairs AS p
        WHERE p.live_entries > 0
        GROUP BY p.workspace_id, p.recipient_id
        UNION ALL
        SELECT p.workspace_id, p.giver_id, 0, 0, SUM(p.live_kudos_entries), COUNT(*), 0, 0
        FROM kudos_pairs AS p
        WHERE p.live_kudos_entries > 0
        GROUP BY p.workspace_id, p.giver_id
        UNION ALL
        SELECT s.workspace_id, s.author_id, 0, 0, 0, 0, COUNT(*), 0
        FROM stories AS s
        WHERE s.deleted_at IS NULL
        GROUP BY s.workspace_id, s.author_id
        UNION ALL
        SELECT s.workspace_id, s.author_id, 0, 0, 0, 0, 0, COUNT(*)
        FROM story_tags AS t JOIN stories AS s ON s.id = t.story_id
        WHERE s.deleted_at IS NULL
        GROUP BY s.workspace_id, s.author_id
    ) AS figures
    GROUP BY workspace_id, member_id
    """,
]


def upgrade() -> None:
    op.create_table(
        "kudos_pairs",
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("giver_id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("live_entries", sa.Integer(), nullable=False),
        sa.Column("live_kudos_entries", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["giver_id"],
            ["members.id"],
            name=op.f("fk_kudos_pairs_giver_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["members.id"],
            name=op.f("fk_kudos_pairs_recipient_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_kudos_pairs_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "workspace_id", "giver_id", "recipient_id", name=op.f("pk_kudos_pairs")
        ),
    )
    op.create_table(
        "member_totals",
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("points_received", sa.Integer(), nullable=False),
        sa.Column("distinct_givers", sa.Integer(), nullable=False),
        sa.Column("kudos_given", sa.Integer(), nullable=False),
        sa.Column("distinct_kudos_recipients", sa.Integer(), nullable=False),
        sa.Column("stories", sa.Integer(), nullable=False),
        sa.Column("story_tags", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_member_totals_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_member_totals_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "member_id", name=op.f("pk_member_totals")),
    )
    op.create_index(
        "ix_member_totals_points",
        "member_totals",
        ["workspace_id", "points_received", "distinct_givers"],
        unique=False,
    )
    for statement in BACKFILL:
        op.execute(statement)


def downgrade() -> None:
    op.drop_index("ix_member_totals_points", table_name="member_totals")
    op.drop_table("member_totals")
    op.drop_table("kudos_pairs")
