"""Counting by week in the database: which of a run of weeks a moment falls in."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, case

Weeks = Sequence[tuple[datetime, datetime]]
"""Consecutive weeks as [start, end) bounds in UTC, oldest first."""


def week_of(moment: ColumnElement[datetime], weeks: Weeks) -> ColumnElement[int]:
    """The index in `weeks` of the week `moment` falls in, for rows that `within` keeps."""
    return case(*((moment < end, index) for index, (_, end) in enumerate(weeks)))


def within(moment: ColumnElement[datetime], weeks: Weeks) -> tuple[ColumnElement[bool], ...]:
    """The conditions that keep `moment` inside `weeks`."""
    return moment >= weeks[0][0], moment < weeks[-1][1]
