"""Calling the domain as a request would: one function, one unit of work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.db.engine import SessionFactory, unit_of_work


def run(sessions: SessionFactory, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call a domain function in its own unit of work, committed when it returns."""
    with unit_of_work(sessions) as session:
        return function(session, *args, **kwargs)
