"""Duplicate keys in JSON objects: the exact check, and a cheap scan of many lines at once.

A duplicate key is a parser differential: pydantic keeps the last value, other parsers the first, so two
readers of one file see different records. :func:`duplicate_keys` finds every duplicate of a JSON text
with its JSON path (the standard library's parser with a pairs hook). Parsing every line of a large file
a second time in the validating thread would cost about as much as validating it, so
:class:`DuplicateKeyScan` hands blocks of lines that already passed the schema to a small process
(:mod:`.keycheck`) that parses them with jiter, duplicate keys refused, on the core the validator leaves
idle. Only the lines it cannot read are parsed again with :func:`duplicate_keys`, for their JSON paths.
No block is taken as clean without a check, so no duplicate passes.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import struct
import subprocess
import sys
from collections import deque
from collections.abc import Iterator
from typing import Any

from .keycheck import suspect_lines

__all__ = ["DuplicateKeyDecoder", "DuplicateKeyScan", "JsonPath", "duplicate_keys"]

JsonPath = tuple[str | int, ...]


class _Pairs(dict[str, Any]):
    """A decoded object that remembers which of its keys were repeated."""

    __slots__ = ("repeated",)

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__(pairs)
        self.repeated: list[str] = []
        if len(self) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen and key not in self.repeated:
                    self.repeated.append(key)
                seen.add(key)


class DuplicateKeyDecoder(json.JSONDecoder):
    """The standard library's JSON decoder, also telling where objects repeat a key.

    Decoded objects are dicts (the last value of a repeated key kept, as pydantic keeps it).
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(object_pairs_hook=self._pairs, **options)
        self._found = False

    def _pairs(self, pairs: list[tuple[str, Any]]) -> _Pairs:
        obj = _Pairs(pairs)
        if obj.repeated:
            self._found = True
        return obj

    def raw_decode_keys(self, text: str, pos: int = 0) -> tuple[Any, int, list[JsonPath]]:
        """Like ``raw_decode``: the value at ``pos``, its end, and the JSON paths of its repeated keys
        in document order (of a repeated key whose earlier value was an object, only the repetition
        itself is reported)."""
        self._found = False
        value, end = self.raw_decode(text, pos)
        return value, end, list(_walk(value, ())) if self._found else []


def duplicate_keys(text: str | bytes) -> list[JsonPath]:
    """JSON paths of the repeated keys of ``text`` (one JSON value), in document order; empty when none.

    Text that is not JSON (or nests too deep to parse) has none: its other issues are reported instead.
    """
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        found = DuplicateKeyDecoder().raw_decode_keys(text, len(text) - len(text.lstrip(" \t\r\n")))[2]
    except (ValueError, RecursionError):
        return []
    return found


def _walk(value: Any, path: JsonPath) -> Iterator[JsonPath]:
    if isinstance(value, _Pairs):
        for key in value.repeated:
            yield (*path, key)
        for key, item in value.items():
            yield from _walk(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, (*path, index))


# A file's first blocks are checked in this process: a small file starts no other.
_IN_PROCESS_BLOCKS = 4
# Bytes a pipe to the process should hold, so blocks are taken while the validator works (Linux).
_PIPE_BYTES = 1 << 20


def _widen_pipe(fd: int) -> None:
    """Let the pipe hold several blocks where the system allows it (Linux ``F_SETPIPE_SZ``); elsewhere,
    or when refused, it keeps its size, and writing a block only waits a little more often."""
    try:
        import fcntl
    except ImportError:
        return
    set_size = getattr(fcntl, "F_SETPIPE_SZ", None)
    if set_size is not None:
        with contextlib.suppress(OSError):
            fcntl.fcntl(fd, set_size, _PIPE_BYTES)


class DuplicateKeyScan:
    """Scans blocks of JSON Lines for duplicate keys, in another process once a file has several blocks.

    ``submit`` takes a block (its raw lines and their line numbers) and returns the lines that need the
    exact check from blocks answered so far; ``finish`` waits for the rest. The first blocks are checked
    here (a small file never starts a process); later ones go to a ``keycheck`` process, which works on
    the core the validator leaves idle. Blocks are written to it without blocking (no thread, which
    would make the validating thread hand over the GIL at every block), and answers are read back in
    block order once more than ``depth`` blocks are in flight: memory stays bounded, and the order of
    the issues does not depend on timing. Should the process fail, its blocks are checked here: no
    block is ever taken as clean without a check.
    """

    def __init__(self, depth: int = 4) -> None:
        self._depth = depth
        self._process: subprocess.Popen[bytes] | None = None
        # Blocks sent and not answered: their lines, line numbers, and where their bytes end.
        self._pending: deque[tuple[list[bytes], list[int], int]] = deque()
        self._unsent: deque[memoryview] = deque()
        self._queued = 0  # bytes handed to the process so far, written or not
        self._written = 0
        self._blocks = 0
        # The process needs non-blocking pipes (POSIX); elsewhere every block is checked here.
        self._failed = os.name != "posix"

    def submit(self, lines: list[bytes], numbers: list[int]) -> list[tuple[int, bytes]]:
        """Check one block; returns ``(line number, raw line)`` of the lines to check exactly."""
        if not lines:
            return []
        self._blocks += 1
        data = b"".join(lines)
        if (
            self._blocks <= _IN_PROCESS_BLOCKS
            or self._failed
            or (self._process is None and not self._start())
        ):
            return _pick(suspect_lines(data), lines, numbers)
        self._unsent.append(memoryview(struct.pack("<Q", len(data))))
        self._unsent.append(memoryview(data))
        self._queued += 8 + len(data)
        self._pending.append((lines, numbers, self._queued))
        try:
            self._send(until=None)
        except OSError:
            return self._fail()
        suspects: list[tuple[int, bytes]] = []
        while len(self._pending) > self._depth:
            suspects += self._answer()
        return suspects

    def finish(self) -> list[tuple[int, bytes]]:
        """Wait for every block in flight; returns their lines that need the exact check."""
        suspects: list[tuple[int, bytes]] = []
        while self._pending:
            suspects += self._answer()
        self.close()
        return suspects

    def close(self) -> None:
        """Stop the process; blocks still in flight are dropped."""
        process, self._process = self._process, None
        dropped = bool(self._pending)
        self._pending.clear()
        self._unsent.clear()
        if process is None:
            return
        if dropped:
            process.kill()  # it may still be working on blocks whose answers are not wanted
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()  # closing its input ends the process
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def _start(self) -> bool:
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "keycheck.py")
        try:
            # Its standard error is not shown: should it fail, its blocks are checked here instead.
            process = subprocess.Popen(
                [sys.executable, script],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
            assert process.stdin is not None
            os.set_blocking(process.stdin.fileno(), False)
            _widen_pipe(process.stdin.fileno())
        except OSError:  # no process can be started here: every block is checked in this one
            self._failed = True
            return False
        self._process = process
        return True

    def _send(self, until: int | None) -> None:
        """Write what is queued for the process without blocking; with ``until``, wait (in ``select``)
        until that many bytes are written. Raises ``OSError`` when the process is gone."""
        assert self._process is not None
        assert self._process.stdin is not None
        fd = self._process.stdin.fileno()
        while self._unsent:
            if until is not None and self._written >= until:
                return
            chunk = self._unsent[0]
            try:
                count = os.write(fd, chunk)
            except BlockingIOError:
                if until is None:
                    return
                select.select([], [fd], [])
                continue
            self._written += count
            if count == len(chunk):
                self._unsent.popleft()
            else:
                self._unsent[0] = chunk[count:]

    def _answer(self) -> list[tuple[int, bytes]]:
        """The answer for the oldest block in flight (its bytes are written first)."""
        lines, numbers, end = self._pending[0]
        stream = None if self._process is None else self._process.stdout
        if stream is None:
            return self._fail()
        try:
            self._send(until=end)
            (count,) = struct.unpack("<I", stream.read(4))
            indexes = list(struct.unpack(f"<{count}I", stream.read(4 * count)))
        except (OSError, struct.error):  # the process died: check its blocks here
            return self._fail()
        self._pending.popleft()
        return _pick(indexes, lines, numbers)

    def _fail(self) -> list[tuple[int, bytes]]:
        """The process failed: check every block in flight here, and every later block too."""
        suspects = []
        for lines, numbers, _ in self._pending:
            suspects += _pick(suspect_lines(b"".join(lines)), lines, numbers)
        self._failed = True
        self.close()
        return suspects


def _pick(indexes: list[int], lines: list[bytes], numbers: list[int]) -> list[tuple[int, bytes]]:
    return [(numbers[index], lines[index]) for index in indexes]
