"""A request's arguments, read as Slack reads them, and the error for bad ones."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from slackemu.records import JSON, SlackError


class Arguments:
    """A request's arguments, from a form, a query string or a JSON body.

    Form values are strings ("true", "[{...}]"); JSON values keep their types. The
    accessors accept both, as Slack does.
    """

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = dict(values)

    def as_dict(self) -> JSON:
        return dict(self._values)

    def has(self, name: str) -> bool:
        return self._values.get(name) not in (None, "")

    def text(self, name: str) -> str | None:
        value = self._values.get(name)
        return None if value in (None, "") else str(value)

    def flag(self, name: str) -> bool:
        return self._values.get(name) in (True, 1, "1", "true", "True")

    def integer(self, name: str, default: int) -> int:
        value = self._values.get(name)
        if value in (None, ""):
            return default
        try:
            return int(value)
        except (TypeError, ValueError) as error:
            raise invalid_argument(f"{name} must be an integer") from error

    def id_list(self, name: str) -> list[str]:
        """A comma-separated list (form) or a JSON array of ids."""
        value = self._values.get(name)
        if isinstance(value, list):
            return [str(item).strip() for item in value if str(item).strip()]
        return [part.strip() for part in str(value or "").split(",") if part.strip()]

    def structured(self, name: str, *, error: str) -> Any:
        """A JSON argument: given as JSON, or as a JSON string in a form; `error` if bad."""
        value = self._values.get(name)
        if not isinstance(value, str):
            return value
        if not value.strip():
            return None
        try:
            return json.loads(value)
        except ValueError as parse_error:
            raise SlackError(error, f"{name} is not valid JSON") from parse_error


def invalid_argument(reason: str) -> SlackError:
    """Slack's `invalid_arguments`, with the reason in response_metadata.messages."""
    return SlackError("invalid_arguments", reason, messages=[f"[ERROR] {reason}"])


def missing_arguments(missing: list[str]) -> SlackError:
    """Slack's `invalid_arguments` for required arguments a call left out."""
    return SlackError(
        "invalid_arguments",
        ", ".join(missing),
        messages=[f"[ERROR] missing required field: {name}" for name in missing],
    )
