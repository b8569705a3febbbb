"""Small rules every part of the domain applies the same way."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def clean_text(text: str) -> str:
    """Text as stored: trimmed, and without NUL characters (PostgreSQL refuses them)."""
    return text.replace("\x00", "").strip()


def distinct_ids(user_ids: Iterable[str]) -> tuple[str, ...]:
    """Distinct, non-blank user ids in their given order."""
    return tuple(dict.fromkeys(user_id.strip() for user_id in user_ids if user_id.strip()))


def zone(tz: str | None) -> ZoneInfo:
    """The IANA zone; UTC when the name is missing or unknown to this system, so a
    strange profile or workspace value never stops anyone."""
    try:
        return ZoneInfo(tz or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_day(moment: datetime, tz: str | None) -> str:
    """The day `moment` falls on in zone `tz`, as YYYY-MM-DD."""
    return moment.astimezone(zone(tz)).date().isoformat()


def excerpt(text: str, limit: int) -> str:
    """The start of `text` on one line: whitespace collapsed, cut at a word boundary
    when one is near, marked with an ellipsis when cut; at most `limit` characters."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"
