"""The call log: every request the Web API answered, for tests to inspect."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field

from slackemu.records import JSON


@dataclass(frozen=True)
class ApiCall:
    """One request the emulator answered: what was asked, and what it said.

    The answer is kept as the JSON text that was sent: parsed, a fan-out's thousands of
    answers would weigh on the emulator's memory and garbage collection, call after call.
    """

    method: str  # "chat.postMessage", or "response_url" for response_url posts
    args: JSON  # the arguments, without the token
    status: int
    body: str = field(repr=False)  # the answer, as sent
    at: float  # emulator time the request arrived
    ok: bool
    error: str | None

    @property
    def response(self) -> JSON:
        """The answer, parsed afresh: changing it changes nothing in the log."""
        body: JSON = json.loads(self.body)
        return body


class CallLog:
    """The calls the emulator answered, in order of arrival, for tests to inspect."""

    def __init__(self) -> None:
        self._calls: list[ApiCall] = []
        self._lock = threading.Lock()

    def record(self, call: ApiCall) -> None:
        with self._lock:
            self._calls.append(call)

    def calls(self, method: str | None = None) -> list[ApiCall]:
        """Every call so far, oldest first, or only those to `method`."""
        with self._lock:
            return [call for call in self._calls if method is None or call.method == method]

    def clear(self) -> None:
        with self._lock:
            self._calls.clear()
