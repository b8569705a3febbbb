"""Queries behind `/mot admin`: company values and role holders. Repositories read and
add; they never commit."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import Member

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
