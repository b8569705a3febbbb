"""Workspaces (one Slack team each), their teams, members and company values."""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base
from bot.db.models._columns import created_at, workspace_fk
from bot.db.types import UTCDateTime


class Workspace(Base):
    """A Slack workspace and its motbot settings (changeable later with `/mot admin`)."""

    __tablename__ = "workspaces"
    __table_args__ = (
        CheckConstraint("pulse_min_group >= 3", name="pulse_min_group_at_least_3"),
        CheckConstraint("pulse_weekday BETWEEN 0 AND 6", name="pulse_weekday_is_a_day"),
        CheckConstraint("weekly_budget >= 0", name="weekly_budget_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    locale: Mapped[str] = mapped_column(String(10), default="en")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    stories_channel_id: Mapped[str | None] = mapped_column(String(32))
    leaderboard_channel_id: Mapped[str | None] = mapped_column(String(32))
    hr_channel_id: Mapped[str | None] = mapped_column(String(32))
    # Slack user groups whose members are leaders / HR, kept in step by the bot; people
    # named one by one count as well (members.leader_named / leader_via_group, ...).
    leaders_usergroup_id: Mapped[str | None] = mapped_column(String(32))
    hr_usergroup_id: Mapped[str | None] = mapped_column(String(32))
    tag_emoji: Mapped[str] = mapped_column(String(100), default="star")
    points_per_tag: Mapped[int] = mapped_column(Integer, default=1)
    weekly_budget: Mapped[int] = mapped_column(Integer, default=10)
    leader_weekly_budget: Mapped[int | None] = mapped_column(Integer)
    leader_weight: Mapped[int] = mapped_column(Integer, default=1)
    max_kudos_per_pair_per_week: Mapped[int] = mapped_column(Integer, default=3)
    pulse_min_group: Mapped[int] = mapped_column(Integer, default=5)
    pulse_weekday: Mapped[int] = mapped_column(Integer, default=1)
    pulse_time: Mapped[time] = mapped_column(Time, default=time(10, 0))
    pulse_open_days: Mapped[int] = mapped_column(Integer, default=4)
    pulse_reminder_hours: Mapped[int] = mapped_column(Integer, default=24)
    pulse_include_guests: Mapped[bool] = mapped_column(Boolean, default=False)
    members_synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    installed_at: Mapped[datetime] = created_at()
    uninstalled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Team(Base):
    """A group of members (a team or segment) that results and digests are cut by."""

    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    name: Mapped[str] = mapped_column(String(100))
    slack_usergroup_id: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = created_at()


class Member(Base):
    """A person in the workspace as motbot knows them (synced from users.info)."""

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("workspace_id", "slack_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    slack_user_id: Mapped[str] = mapped_column(String(32))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    real_name: Mapped[str] = mapped_column(String(200), default="")
    tz: Mapped[str | None] = mapped_column(String(64))
    locale: Mapped[str | None] = mapped_column(String(10))
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), index=True
    )
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    # The roles everything reads: is_leader = leader_named OR leader_via_group (and the
    # same for HR); every role change goes through bot/domain/roles.py, which keeps it so.
    is_leader: Mapped[bool] = mapped_column(Boolean, default=False)
    is_hr: Mapped[bool] = mapped_column(Boolean, default=False)
    # Where a role comes from: named (by an admin, or MOTBOT_LEADERS / MOTBOT_HR_USERS)
    # and/or through the role's Slack user group, as of the bot's last look at it.
    leader_named: Mapped[bool] = mapped_column(Boolean, server_default=false())
    leader_via_group: Mapped[bool] = mapped_column(Boolean, server_default=false())
    hr_named: Mapped[bool] = mapped_column(Boolean, server_default=false())
    hr_via_group: Mapped[bool] = mapped_column(Boolean, server_default=false())
    is_bot: Mapped[bool] = mapped_column(Boolean, default=False)
    is_guest: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    leaderboard_opt_out: Mapped[bool] = mapped_column(Boolean, default=False)
    synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at()


class CompanyValue(Base):
    """A company value people can attach to stories and kudos as a #hashtag."""

    __tablename__ = "company_values"
    __table_args__ = (UniqueConstraint("workspace_id", "tag"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    tag: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
