"""Small shims for the oldest supported Python (3.10)."""

from __future__ import annotations

import enum
import sys

__all__ = ["StrEnum"]

if sys.version_info >= (3, 11):
    from enum import StrEnum
else:  # pragma: no cover - exercised on Python 3.10 only

    class StrEnum(str, enum.Enum):
        """Backport of :class:`enum.StrEnum`: members are strings and print as their value."""

        def __str__(self) -> str:
            return str(self.value)
