"""A progress counter on standard error, shown only when standard error is a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["Progress"]


class Progress:
    """Counts bytes (or rows) done out of a total; redraws at most a few times a second."""

    def __init__(self, total: int, *, enabled: bool | None = None, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.total = max(total, 1)
        self.done = 0
        self._next = 0.0
        # Checking the clock on every line would cost more than the line; look once per 0.1% done.
        self._every = max(1, self.total // 1000)
        self._look_at = 0

    def advance(self, amount: int) -> None:
        """Record ``amount`` more units done."""
        self.done += amount
        if not self.enabled:
            return
        if self.done < self._look_at:
            return
        self._look_at = self.done + self._every
        now = time.monotonic()
        if now >= self._next:
            self._next = now + 0.25
            self.stream.write(f"\rvalidating… {min(100.0, 100 * self.done / self.total):5.1f}%")
            self.stream.flush()

    def close(self) -> None:
        """Clear the counter line."""
        if self.enabled:
            self.stream.write("\r" + " " * 24 + "\r")
            self.stream.flush()
