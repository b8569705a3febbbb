"""What buttons carry. Slack hands a button's value back as it was written, but a value
is still input: a listener decodes it with the typed pair the view that wrote it keeps
(StoryButton, RevokeButton, SkipButton, QuestionSwitch, PulseButton), and a value that
view never wrote (not a number, signed, too large for a row id, garbled) raises
ValueError; `clicked()` turns that into a DomainError, which the listener answers like
any other refusal, in plain words."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from bot.domain.errors import DomainError

# Row ids are 32-bit integer columns: a larger number names no row, and PostgreSQL would
# refuse it with an error rather than find nothing.
MAX_ID = 2**31 - 1

T = TypeVar("T")


def encode_id(row_id: int) -> str:
    return str(row_id)


def decode_id(value: str) -> int:
    """A row id written as text: ASCII digits only, from 1 to MAX_ID."""
    if not (isinstance(value, str) and value.isascii() and value.isdigit()):
        raise ValueError("not a row id")
    return json_id(int(value))


def json_id(value: object) -> int:
    """A row id inside a JSON value: a whole JSON number (not true, not "3") from 1 to
    MAX_ID."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise ValueError("not a row id")
    return value


def clicked(action: dict, decode: Callable[[str], T], error_key: str) -> T:
    """The clicked button's value, decoded; one its view never wrote raises
    DomainError(error_key)."""
    try:
        return decode(str(action.get("value", "")))
    except ValueError:
        raise DomainError(error_key) from None
