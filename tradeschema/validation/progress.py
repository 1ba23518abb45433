"""A progress counter on standard error, shown only when standard error is a terminal.

One counter serves every long command: the validator (bytes or rows of a file), the exporter (bytes of
its inputs) and the article loader (articles). It redraws one line in place at most four times a
second and clears it when done, so a pipe or a log never sees it, and ``-q`` turns it off.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["Progress"]


class Progress:
    """Counts units done out of a total; redraws at most a few times a second.

    ``label`` says what is done (``validating``); ``unit``, when given, names what is counted, and the
    line then shows the count and rate (``3/17 articles, 0.8/s``) beside the percentage. ``every``
    is how many calls of :meth:`advance` pass between looks at the clock (or 0.1% of the total done,
    whichever comes first): a per-line caller sets it high, so the counter costs nothing per line, a
    per-article caller sets it to 1.
    """

    def __init__(
        self,
        total: int,
        *,
        enabled: bool | None = None,
        stream: TextIO | None = None,
        label: str = "validating",
        unit: str | None = None,
        every: int = 4096,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = _is_terminal(self.stream) if enabled is None else enabled
        self.total = max(total, 1)
        self.done = 0
        self.label = label
        self.unit = unit
        self.every = max(every, 1)
        self._start = time.monotonic()
        self._next = 0.0
        self._steps = 0
        self._width = 0
        # A caller that advances by large amounts (a megabyte of lines, a batch of rows) is looked at
        # once per 0.1% done, however few its calls.
        self._amount = max(1, self.total // 1000)
        self._look_at = 0

    def advance(self, amount: int) -> None:
        """Record ``amount`` more units done."""
        self.done += amount
        if not self.enabled:
            return
        self._steps += 1
        if self._steps % self.every and self.done < self._look_at:
            return
        self._look_at = self.done + self._amount
        now = time.monotonic()
        if now >= self._next:
            self._next = now + 0.25
            self._draw(now)

    def _draw(self, now: float) -> None:
        line = f"{self.label}{self._ellipsis()} {min(100.0, 100 * self.done / self.total):5.1f}%"
        if self.unit is not None:
            rate = self.done / max(now - self._start, 1e-3)
            line += f" ({self.done:,}/{self.total:,} {self.unit}, {rate:,.1f}/s)"
        self._width = max(self._width, len(line))
        self.stream.write("\r" + line.ljust(self._width))
        self.stream.flush()

    def _ellipsis(self) -> str:
        """The ellipsis, or three dots on a terminal whose encoding lacks it."""
        try:
            "…".encode(getattr(self.stream, "encoding", None) or "ascii")
        except (UnicodeEncodeError, LookupError):
            return "..."
        return "…"

    def close(self) -> None:
        """Clear the counter line."""
        if self.enabled and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a replaced or closed stream is no terminal
        return False
