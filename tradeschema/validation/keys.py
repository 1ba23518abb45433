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
import queue
import struct
import subprocess
import sys
import threading
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


class DuplicateKeyScan:
    """Scans blocks of JSON Lines for duplicate keys, in another process once a file has several blocks.

    ``submit`` takes a block (its raw lines and their line numbers) and returns the lines that need the
    exact check from blocks answered so far; ``finish`` waits for the rest. The first block is checked
    here (a small file never starts a process); later ones go to a ``keycheck`` process, which works on
    the core the validator leaves idle. A thread hands blocks to it, so validating never waits for the
    process to take one; answers are read back in block order when more than ``depth`` blocks are in
    flight, so memory stays bounded and the order of the issues does not depend on timing. Should the
    process fail, its blocks are checked here: no block is ever taken as clean without a check.
    """

    def __init__(self, depth: int = 4) -> None:
        self._depth = depth
        self._process: subprocess.Popen[bytes] | None = None
        self._writer: threading.Thread | None = None
        self._outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._pending: deque[tuple[list[bytes], list[int]]] = deque()
        self._blocks = 0
        self._failed = False

    def submit(self, lines: list[bytes], numbers: list[int]) -> list[tuple[int, bytes]]:
        """Check one block; returns ``(line number, raw line)`` of the lines to check exactly."""
        if not lines:
            return []
        self._blocks += 1
        data = b"".join(lines)
        if self._blocks == 1 or self._failed or (self._process is None and not self._start()):
            return _pick(suspect_lines(data), lines, numbers)
        self._outbox.put(data)
        self._pending.append((lines, numbers))
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
        """Stop the process and its feeding thread; blocks still in flight are dropped."""
        process, writer = self._process, self._writer
        self._process, self._writer = None, None
        dropped = bool(self._pending)
        self._pending.clear()
        if process is None:
            return
        self._outbox.put(None)  # the thread closes the process's input, and the process ends
        if dropped or self._failed:
            process.kill()  # it may still be working on blocks whose answers are not wanted
        if writer is not None:
            writer.join()
        if process.stdout is not None:
            process.stdout.close()
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
        except OSError:  # no process can be started here: every block is checked in this one
            self._failed = True
            return False
        self._process = process
        self._outbox = queue.SimpleQueue()
        self._writer = threading.Thread(
            target=_feed, args=(process, self._outbox), name="tradeschema-keycheck", daemon=True
        )
        self._writer.start()
        return True

    def _answer(self) -> list[tuple[int, bytes]]:
        """The answer for the oldest block in flight."""
        lines, numbers = self._pending[0]
        stream = None if self._process is None else self._process.stdout
        if stream is None:
            return self._fail()
        try:
            (count,) = struct.unpack("<I", stream.read(4))
            indexes = list(struct.unpack(f"<{count}I", stream.read(4 * count)))
        except (OSError, struct.error):  # the process died: check its blocks here
            return self._fail()
        self._pending.popleft()
        return _pick(indexes, lines, numbers)

    def _fail(self) -> list[tuple[int, bytes]]:
        """The process failed: check every block in flight here, and every later block too."""
        suspects = []
        for lines, numbers in self._pending:
            suspects += _pick(suspect_lines(b"".join(lines)), lines, numbers)
        self._failed = True
        self.close()
        return suspects


def _feed(process: subprocess.Popen[bytes], outbox: queue.SimpleQueue[bytes | None]) -> None:
    """Write each block of ``outbox`` to the process until ``None``, then close its input."""
    stream = process.stdin
    assert stream is not None
    try:
        while True:
            data = outbox.get()
            if data is None:
                break
            stream.write(struct.pack("<Q", len(data)))
            stream.write(data)
            stream.flush()
    except OSError:
        pass  # the process is gone; its missing answers send the blocks to the check in-process
    finally:
        with contextlib.suppress(OSError):
            stream.close()


def _pick(indexes: list[int], lines: list[bytes], numbers: list[int]) -> list[tuple[int, bytes]]:
    return [(numbers[index], lines[index]) for index in indexes]
