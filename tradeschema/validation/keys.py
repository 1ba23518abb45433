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
import struct
import subprocess
import sys
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
    exact check from blocks finished so far; ``finish`` waits for the rest. The first block is checked
    here (a small file never starts a process); later ones go to a ``keycheck`` process, which works on
    the core the validator leaves idle while the next block is validated. One block is in flight at a
    time, so memory stays bounded and lines come back in a fixed order whatever the timing. Should the
    process fail, its blocks are checked here: no block is ever taken as clean without a check.
    """

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._in_flight: tuple[list[bytes], list[int]] | None = None
        self._blocks = 0
        self._failed = False

    def submit(self, lines: list[bytes], numbers: list[int]) -> list[tuple[int, bytes]]:
        """Check one block; returns ``(line number, raw line)`` of the lines to check exactly."""
        if not lines:
            return []
        self._blocks += 1
        data = b"".join(lines)
        process = None if self._blocks == 1 or self._failed else self._process or self._start()
        if process is None:
            return _pick(suspect_lines(data), lines, numbers)
        try:
            assert process.stdin is not None
            process.stdin.write(struct.pack("<Q", len(data)))
            process.stdin.write(data)
            process.stdin.flush()
        except OSError:
            return self._fail() + _pick(suspect_lines(data), lines, numbers)
        # The write ended once the process had read the block, so the previous block's answer is in.
        suspects = self._answer()
        self._in_flight = (lines, numbers)
        return suspects

    def finish(self) -> list[tuple[int, bytes]]:
        """Wait for the block in flight; returns its lines that need the exact check."""
        suspects = self._answer()
        self.close()
        return suspects

    def close(self) -> None:
        """Stop the process; a block still in flight is dropped."""
        process, self._process, self._in_flight = self._process, None, None
        if process is None:
            return
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def _start(self) -> subprocess.Popen[bytes] | None:
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "keycheck.py")
        try:
            self._process = subprocess.Popen(
                [sys.executable, script], stdin=subprocess.PIPE, stdout=subprocess.PIPE
            )
        except OSError:  # no process can be started here: every block is checked in this one
            self._failed = True
            return None
        return self._process

    def _answer(self) -> list[tuple[int, bytes]]:
        """The answer for the block in flight (none when nothing is in flight)."""
        if self._in_flight is None or self._process is None or self._process.stdout is None:
            return []
        lines, numbers = self._in_flight
        self._in_flight = None
        stream = self._process.stdout
        try:
            head = stream.read(4)
            (count,) = struct.unpack("<I", head)
            body = stream.read(4 * count)
            indexes = list(struct.unpack(f"<{count}I", body))
        except (OSError, struct.error):  # the process died: check its block here
            self._in_flight = (lines, numbers)
            return self._fail()
        return _pick(indexes, lines, numbers)

    def _fail(self) -> list[tuple[int, bytes]]:
        """The process failed: check the block in flight here, and every later block too."""
        suspects = []
        if self._in_flight is not None:
            lines, numbers = self._in_flight
            suspects = _pick(suspect_lines(b"".join(lines)), lines, numbers)
        self.close()
        self._failed = True  # later blocks are checked here
        return suspects


def _pick(indexes: list[int], lines: list[bytes], numbers: list[int]) -> list[tuple[int, bytes]]:
    return [(numbers[index], lines[index]) for index in indexes]
