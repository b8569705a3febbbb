"""Queries behind `/mot admin`: company values and role holders. Repositories read and
add; they never commit."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db.models import CompanyValue, Member


def all_values(session: Session, workspace_id: int) -> list[CompanyValue]:
    """Every value the workspace ever had: active ones in their order, then retired ones."""
    return list(
        session.scalars(
            select(CompanyValue)
            .where(CompanyValue.workspace_id == workspace_id)
            .order_by(CompanyValue.is_active.desc(), CompanyValue.position, CompanyValue.id)
        )
    )


def next_value_position(session: Session, workspace_id: int) -> int:
    """The position after the last value, so a new value is listed last."""
    highest = session.scalar(
        select(func.max(CompanyValue.position)).where(CompanyValue.workspace_id == workspace_id)
    )
    return 0 if highest is None else highest + 1


_VIA_GROUP_COLUMNS = {"leader": Member.leader_via_group, "hr": Member.hr_via_group}


def members_via_group(session: Session, workspace_id: int, role: str) -> list[Member]:
    """Every member who holds `role` ("leader" or "hr") through the role's user group (as
    of its last sync), active or not, by id."""
    return list(
        session.scalars(
            select(Member)
            .where(Member.workspace_id == workspace_id, _VIA_GROUP_COLUMNS[role].is_(True))
            .order_by(Member.id)
        )
    )
