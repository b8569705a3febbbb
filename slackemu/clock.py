"""Emulator time: the `Clock` every part of the emulator reads instead of `time.time()`.

A `Clock` follows wall time, or runs faster than real time (the sandbox compresses
rate-limit windows that way), or stands still until a test advances it, so trigger_id
expiry and rate-limit refills happen exactly when a test says. `DEFAULT_FROZEN_START` is
the fixed epoch a frozen clock starts from unless told otherwise.
"""

from __future__ import annotations

import threading
import time

DEFAULT_FROZEN_START = 1_700_000_000.0  # 2023-11-14T22:13:20Z: a fixed, readable epoch


class Clock:
    """Emulator time, in epoch seconds.

    A running clock follows wall time multiplied by `time_scale` (100 means a minute of
    emulator time passes in 0.6 real seconds), so the sandbox can compress rate-limit
    windows. A frozen clock moves only when `advance()` is called, which lets a test
    decide exactly when a trigger_id expires or a rate-limit window refills.
    """

    def __init__(
        self, *, time_scale: float = 1.0, start: float | None = None, frozen: bool = False
    ) -> None:
        if time_scale <= 0:
            raise ValueError(f"time_scale must be positive, got {time_scale}")
        self._lock = threading.Lock()
        self._time_scale = float(time_scale)
        self._frozen = frozen
        if start is None:
            start = DEFAULT_FROZEN_START if frozen else time.time()
        self._origin = start
        self._real_origin = time.monotonic()
        self._advanced = 0.0

    @classmethod
    def frozen_at(cls, start: float = DEFAULT_FROZEN_START, *, time_scale: float = 1.0) -> Clock:
        """A clock that stands still until advanced: the one tests should use."""
        return cls(time_scale=time_scale, start=start, frozen=True)

    @property
    def time_scale(self) -> float:
        return self._time_scale

    @property
    def frozen(self) -> bool:
        return self._frozen

    def now(self) -> float:
        with self._lock:
            elapsed = 0.0
            if not self._frozen:
                elapsed = (time.monotonic() - self._real_origin) * self._time_scale
            return self._origin + elapsed + self._advanced

    def advance(self, seconds: float) -> None:
        """Move emulator time forward by `seconds` (emulator seconds), frozen or not."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._advanced += seconds

    def to_real_seconds(self, emulator_seconds: float) -> float:
        """How long `emulator_seconds` take on the wall clock at this time scale."""
        return emulator_seconds / self._time_scale
