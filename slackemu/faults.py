"""Fault injection: make chosen Web API methods fail the way Slack sometimes does.

    emulator.faults.fail("chat.postMessage", 503, times=2)      # two 503s, then normal
    emulator.faults.fail("views.open", "timeout")               # one slow answer
    emulator.faults.fail("*", "ratelimited", fraction=0.3)      # 30% of every call: 429
    emulator.faults.fail("chat.postMessage", "lost", after=5)   # the 6th never arrives
    emulator.faults.fail("chat.update", "bad_gateway_html")     # a load balancer's 502 page
    emulator.faults.fail("views.publish", "reset", times=3)     # the connection is cut
    emulator.faults.clear()

A "timeout" holds the answer for `timeout_seconds` (real seconds) and then serves the
call normally. That is the case a client must survive: it gave up waiting, yet Slack did
the work, so a blind retry may post a message twice.

A "lost" call is held the same way and then answered 503 *without* doing the work: the
request never reached Slack. Tests use it to stop a client mid-call (and kill it there)
knowing that nothing was posted. `after` lets that many matching calls through first.

A "bad_gateway_html" call is answered 502 with an HTML page instead of Slack's JSON, as a
load balancer in front of Slack answers when the service behind it is down: the client
must cope with a body it cannot parse. The work is not done.

A "reset" call gets no answer at all: the server closes the connection with a TCP reset
(RST) as soon as the request has arrived, and the work is not done. The Web API marks the
request (RESET_CONNECTION in the WSGI environ) and the emulator's request handler
(server.py) drops the connection instead of sending the answer, so the client sees what
it sees when a proxy or Slack's edge cuts it: "connection reset by peer".

`fraction` draws from a random generator seeded at construction, so a test that
injects a fraction of failures sees the same failures on every run.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from typing import Literal

FaultKind = int | Literal["timeout", "ratelimited", "lost", "bad_gateway_html", "reset"]
NAMED_KINDS = ("timeout", "ratelimited", "lost", "bad_gateway_html", "reset")
ANY_METHOD = "*"
DEFAULT_TIMEOUT_SECONDS = 2.0
# Set in a request's WSGI environ when its connection is to be reset instead of answered.
RESET_CONNECTION = "slackemu.reset_connection"
# What nginx answers when the service behind it fails; not JSON, as a client expects.
BAD_GATEWAY_PAGE = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)


@dataclass
class Fault:
    """One armed fault. `remaining` None means unlimited (used with `fraction`)."""

    method: str
    kind: FaultKind
    remaining: int | None
    fraction: float
    delay: float
    skip: int = 0

    @property
    def status(self) -> int:
        """The HTTP status the answer will carry (a timeout answers 200, late; a reset
        answers nothing, recorded as 0)."""
        if self.kind == "ratelimited":
            return 429
        if self.kind == "timeout":
            return 200
        if self.kind == "lost":
            return 503
        if self.kind == "bad_gateway_html":
            return 502
        if self.kind == "reset":
            return 0
        return self.kind


class FaultInjector:
    def __init__(self, *, seed: int = 0, timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS) -> None:
        self.timeout_seconds = timeout_seconds
        self._random = random.Random(seed)
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._held: set[threading.Event] = set()  # one per request sitting out a timeout
        self._closed = False

    def fail(
        self,
        method: str,
        kind: FaultKind = 500,
        *,
        times: int | None = None,
        fraction: float | None = None,
        delay: float | None = None,
        after: int = 0,
    ) -> Fault:
        """Arm a fault for `method` ("*" for every method).

        `times`: fail the next N calls (default 1 when no `fraction` is given).
        `fraction`: fail each call with this probability (for `times` calls at most, if
        both are given). `delay`: for "timeout" and "lost", seconds to hold the answer
        (default `timeout_seconds`). `after`: let this many matching calls through first.
        """
        if isinstance(kind, int) and not 500 <= kind <= 599:
            raise ValueError(f"status faults must be 5xx, got {kind}")
        if kind not in NAMED_KINDS and not isinstance(kind, int):
            raise ValueError(
                f"unknown fault {kind!r}: use a 5xx status or one of {', '.join(NAMED_KINDS)}"
            )
        if after < 0:
            raise ValueError(f"after must not be negative, got {after}")
        if fraction is not None and not 0 < fraction <= 1:
            raise ValueError(f"fraction must be in (0, 1], got {fraction}")
        if times is not None and times < 1:
            raise ValueError(f"times must be at least 1, got {times}")
        fault = Fault(
            method=method,
            kind=kind,
            remaining=times if times is not None or fraction is not None else 1,
            fraction=1.0 if fraction is None else fraction,
            delay=self.timeout_seconds if delay is None else delay,
            skip=after,
        )
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self, method: str | None = None) -> None:
        """Disarm every fault, or those armed for `method`."""
        with self._lock:
            self._faults = [f for f in self._faults if method is not None and f.method != method]

    def armed(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def take(self, method: str) -> Fault | None:
        """The fault to apply to this call of `method`, if any (and count it)."""
        with self._lock:
            for fault in self._faults:
                if fault.method not in (method, ANY_METHOD):
                    continue
                if fault.skip:
                    fault.skip -= 1
                    continue
                # Only fractional faults draw, so adding a `times` fault elsewhere does not
                # shift which calls a seeded fractional fault hits.
                if fault.fraction < 1 and self._random.random() >= fault.fraction:
                    continue
                if fault.remaining is not None:
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self._faults.remove(fault)
                return fault
            return None

    def hold(self, fault: Fault) -> None:
        """Sit out a timeout or lost fault's delay, unless released (or the server is
        stopping)."""
        wake = threading.Event()
        with self._lock:
            if self._closed:
                return
            self._held.add(wake)
        try:
            wake.wait(fault.delay)
        finally:
            with self._lock:
                self._held.discard(wake)

    def held(self) -> int:
        """How many requests are being held right now."""
        with self._lock:
            return len(self._held)

    def release_held(self) -> None:
        """Let every request held by a fault answer now (later ones still wait)."""
        with self._lock:
            for wake in self._held:
                wake.set()

    def close(self) -> None:
        """Release held requests and hold no more: the server is stopping."""
        with self._lock:
            self._closed = True
        self.release_held()

    def open(self) -> None:
        """Hold timeouts again (the server has started)."""
        with self._lock:
            self._closed = False
