"""Company values: the one place they are read from the database, always in the order
the admin gave them."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db.models import CompanyValue


def active_values(session: Session, workspace_id: int) -> list[CompanyValue]:
    """The values people can choose now, in the admin's order."""
    return list(
        session.scalars(
            select(CompanyValue)
            .where(CompanyValue.workspace_id == workspace_id, CompanyValue.is_active.is_(True))
            .order_by(CompanyValue.position, CompanyValue.id)
        )
    )


def all_values(session: Session, workspace_id: int) -> list[CompanyValue]:
    """Every value the workspace ever had: active ones in their order, then retired ones."""
    return list(
        session.scalars(
            select(CompanyValue)
            .where(CompanyValue.workspace_id == workspace_id)
            .order_by(CompanyValue.is_active.desc(), CompanyValue.position, CompanyValue.id)
        )
    )


def values_by_tag(
    session: Session, workspace_id: int, tags: Collection[str]
) -> dict[str, CompanyValue]:
    """The workspace's values with these tags, active or not."""
    if not tags:
        return {}
    values = session.scalars(
        select(CompanyValue).where(
            CompanyValue.workspace_id == workspace_id, CompanyValue.tag.in_(tags)
        )
    )
    return {value.tag: value for value in values}


def next_value_position(session: Session, workspace_id: int) -> int:
    """The position after the last value, so a new value is listed last."""
    highest = session.scalar(
        select(func.max(CompanyValue.position)).where(CompanyValue.workspace_id == workspace_id)
    )
    return 0 if highest is None else highest + 1
