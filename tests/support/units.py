"""Calling the domain as a request would: one function, one unit of work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select, update

from bot.db.engine import SessionFactory, unit_of_work
from bot.db.models import Workspace


def run(sessions: SessionFactory, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call a domain function in its own unit of work, committed when it returns."""
    with unit_of_work(sessions) as session:
        return function(session, *args, **kwargs)


def count(sessions: SessionFactory, model: Any, *where: Any) -> int:
    """How many rows of `model` match `where`."""
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def configure(sessions: SessionFactory, workspace_id: int, **settings: Any) -> None:
    """Change a workspace's settings, as an admin would."""
    with unit_of_work(sessions) as session:
        session.execute(update(Workspace).where(Workspace.id == workspace_id).values(**settings))
