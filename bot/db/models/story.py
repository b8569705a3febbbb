"""Moments of truth: stories, the people in them, their values, tags and leader backings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base
from bot.db.models._columns import created_at, member_fk, workspace_fk
from bot.db.types import UTCDateTime


class Story(Base):
    """One customer contact, told by the people who handled it.

    `submission_key` names the Slack view the story was submitted from, so the same
    submission arriving twice records one story."""

    __tablename__ = "stories"
    __table_args__ = (
        Index("ix_stories_workspace_created", "workspace_id", "created_at"),
        Index("ix_stories_card", "workspace_id", "channel_id", "message_ts"),
        UniqueConstraint("workspace_id", "submission_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    author_id: Mapped[int] = member_fk()
    touchpoint: Mapped[str] = mapped_column(String(20))
    customer_need: Mapped[str] = mapped_column(Text)
    action_taken: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(Text)
    decided_on_spot: Mapped[bool] = mapped_column(Boolean, default=False)
    abc_appearance: Mapped[bool] = mapped_column(Boolean, default=False)
    abc_behaviour: Mapped[bool] = mapped_column(Boolean, default=False)
    abc_communication: Mapped[bool] = mapped_column(Boolean, default=False)
    # A service recovery: something went wrong (`went_wrong`) and the teller put it right.
    # Defaults on the server only, so an insert naming older columns works on older schemas
    # (the migration tests insert into databases at earlier revisions).
    is_recovery: Mapped[bool] = mapped_column(Boolean, server_default=false())
    went_wrong: Mapped[str] = mapped_column(Text, server_default="")
    # A policy signal: decided on the spot beyond a rule, named in words (`rule_bent`)
    # and/or by policy area. The flag stays when a forgotten person's texts are emptied,
    # so the counts of signals do not change; a leader's revision closes it.
    raises_policy_signal: Mapped[bool] = mapped_column(Boolean, server_default=false())
    rule_bent: Mapped[str] = mapped_column(Text, server_default="")
    policy_area_id: Mapped[int | None] = mapped_column(
        ForeignKey("policy_areas.id", ondelete="RESTRICT"), index=True
    )
    policy_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("policy_revisions.id", ondelete="SET NULL"), index=True
    )
    channel_id: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    source_channel_id: Mapped[str | None] = mapped_column(String(32))
    source_message_ts: Mapped[str | None] = mapped_column(String(32))
    submission_key: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class StoryPerson(Base):
    """A person who handled the contact the story tells of."""

    __tablename__ = "story_people"

    story_id: Mapped[int] = mapped_column(
        ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), primary_key=True, index=True
    )


class StoryValue(Base):
    __tablename__ = "story_values"

    story_id: Mapped[int] = mapped_column(
        ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True
    )
    value_id: Mapped[int] = mapped_column(
        ForeignKey("company_values.id", ondelete="CASCADE"), primary_key=True
    )


class StoryTag(Base):
    """A peer's or leader's "positive moment of truth" tag; one per person per story."""

    __tablename__ = "story_tags"
    __table_args__ = (UniqueConstraint("story_id", "tagger_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)
    tagger_id: Mapped[int] = member_fk()
    source: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = created_at()


class StoryBacking(Base):
    """A leader's public endorsement of a frontline decision told in a story."""

    __tablename__ = "story_backings"
    __table_args__ = (UniqueConstraint("story_id", "leader_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)
    leader_id: Mapped[int] = member_fk()
    created_at: Mapped[datetime] = created_at()
