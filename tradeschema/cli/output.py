"""What the commands write: colors, symbols a terminal can show, data on standard output, atomic files.

Text for people (reports, messages) falls back to ASCII on a terminal whose encoding lacks a character,
and never crashes on one. Data (JSON) is written as UTF-8 whatever the terminal's encoding, since
JSON is UTF-8 by definition (RFC 8259).
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

__all__ = [
    "STDIO",
    "Style",
    "Symbols",
    "style_for",
    "symbols_for",
    "tolerate_encoding",
    "use_color",
    "write_atomic",
    "write_data",
]

STDIO = "-"
"""The name that means standard input or standard output."""


@dataclass(frozen=True, slots=True)
class Symbols:
    """Typographic characters of the text reports, or their ASCII stand-ins."""

    times: str
    dash: str
    ellipsis: str


_UNICODE = Symbols("×", "—", "…")
_ASCII = Symbols("x", "-", "...")


def symbols_for(stream: TextIO) -> Symbols:
    """The report's symbols if ``stream`` can encode them, else ASCII."""
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        (_UNICODE.times + _UNICODE.dash + _UNICODE.ellipsis).encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return _ASCII
    return _UNICODE


def tolerate_encoding() -> None:
    """Make standard output and error escape characters their encoding lacks instead of crashing.

    A value quoted from the data (a name in another script) then prints as ``\\u4e2d`` on an ASCII
    terminal; the report's own symbols are chosen with :func:`symbols_for` and stay readable.
    """
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="backslashreplace")


def use_color(choice: str, stream: TextIO) -> bool:
    """Whether to color: ``always``, ``never``, or ``auto`` (a terminal, no ``NO_COLOR``, not dumb)."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    return stream.isatty() and os.environ.get("TERM") != "dumb"


@dataclass(frozen=True, slots=True)
class Style:
    """ANSI colors for the text report, or none."""

    enabled: bool

    def _paint(self, code: str, text: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.enabled else text

    def error(self, text: str) -> str:
        """Bold red."""
        return self._paint("1;31", text)

    def warning(self, text: str) -> str:
        """Yellow."""
        return self._paint("33", text)

    def good(self, text: str) -> str:
        """Green."""
        return self._paint("32", text)

    def dim(self, text: str) -> str:
        """Faint."""
        return self._paint("2", text)


def style_for(choice: str, stream: TextIO) -> Style:
    """The style for ``--color choice`` on ``stream``."""
    return Style(use_color(choice, stream))


def write_data(text: str, stream: TextIO | None = None) -> None:
    """Write data (JSON) to a stream as UTF-8, even when the stream's own encoding is narrower."""
    target = sys.stdout if stream is None else stream
    encoding = (getattr(target, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    buffer = getattr(target, "buffer", None)
    if encoding in ("utf8", "utf8sig") or buffer is None:
        target.write(text)
        return
    target.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def _umask() -> int:
    # The only way to read the umask is to set it; set it back at once.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: str | Path, content: str) -> None:
    """Write ``content`` to ``path`` through a temporary file in the same folder and a rename.

    The file gets the mode any new file gets under the user's umask (``mkstemp`` alone would leave
    0600), so a dataset written for colleagues is readable by them as ``export`` files are.
    """
    target = Path(path)
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(content)
        os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
