"""Duplicate keys in JSON objects: the exact check, and a cheap scan of many lines at once.

A duplicate key is a parser differential: pydantic keeps the last value, other parsers the first, so two
readers of one file see different records. :func:`duplicate_keys` finds every duplicate of a JSON text
with its JSON path (the standard library's parser with a pairs hook). Parsing every line of a large file
a second time in the validating thread would cost about as much as validating it, so
:class:`DuplicateKeyScan` hands blocks of lines that already passed the schema to a small process
(:mod:`.keycheck`) that parses them with jiter, duplicate keys refused, on the core the validator leaves
idle. Only the lines it cannot read are parsed again with :func:`duplicate_keys`, for their JSON paths.
No block is taken as clean without a check, so no duplicate passes.

Most lines need no second parse at all: :func:`key_counter` counts the keys a validated record holds
(distinct by construction), and text whose quotes followed by a colon or white space are no more than
that cannot repeat a key (:func:`key_ends`). The count is taken over many lines at once; only lines of a
block where it fails are counted one by one, and only the lines that fail it then (white space after a
string, a string holding ``\":``, or a real duplicate) go to the scan.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import select
import struct
import subprocess
import sys
import types
import typing
from collections import deque
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from pydantic import BaseModel

from ..system import widen_pipe
from .keycheck import suspect_lines

__all__ = [
    "DuplicateKeyDecoder",
    "DuplicateKeyScan",
    "JsonPath",
    "duplicate_keys",
    "key_counter",
    "key_ends",
    "may_repeat_keys",
]

JsonPath = tuple[str | int, ...]


def _nested_models(annotation: Any) -> tuple[type[BaseModel], bool] | None:
    """The model a field holds (directly, optionally, or as list items), and whether in a list."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    if origin is typing.Annotated:
        return _nested_models(args[0])
    if origin is list:
        inner = _nested_models(args[0])
        return None if inner is None else (inner[0], True)
    if origin in (typing.Union, types.UnionType):
        for arg in args:
            inner = _nested_models(arg)
            if inner is not None:
                return inner
    return None


@cache
def key_counter(model: type[BaseModel], dicts: bool) -> Callable[[Any], int]:
    """Counts the keys of a validated record and its nested records: a model instance (keys given are
    its fields set), or, with ``dicts``, the plain dicts of the validator's TypedDict twin."""
    nested = []
    for name, info in model.model_fields.items():
        found = _nested_models(info.annotation)
        if found is not None:
            sub, is_list = found
            # A nested record without records of its own is counted by its size alone (the hot case:
            # the evidence spans of every record).
            leaf = not any(_nested_models(field.annotation) for field in sub.model_fields.values())
            nested.append((name, None if leaf else key_counter(sub, dicts), is_list))

    if not nested:
        return len if dicts else _fields_set_size
    if dicts and len(nested) == 1 and nested[0][1] is None and nested[0][2]:
        # The hot case, a record whose only nested records are a list of leaves (evidence spans).
        only = nested[0][0]

        def count_leaves(value: Any) -> int:
            items = value.get(only)
            return len(value) + (sum(map(len, items)) if items else 0)

        return count_leaves
    size: Callable[[Any], int] = len if dicts else _fields_set_size

    def count(value: Any) -> int:
        total = size(value)
        for name, sub, is_list in nested:
            item = value.get(name) if dicts else getattr(value, name)
            if not item:
                continue
            counter = size if sub is None else sub
            total += sum(map(counter, item)) if is_list else counter(item)
        return total

    return count


def _fields_set_size(value: Any) -> int:
    return len(value.__pydantic_fields_set__)


# A key end: a quote, then white space (or any other byte below 33) or a colon. Matches cannot
# overlap: the byte after the quote is never a quote.
_KEY_END = re.compile(rb'"[\x00-\x20:]')
# Texts shorter than this (one line, say) are counted with the regular expression, longer ones with
# NumPy masks, whose fixed cost per call is about ten microseconds.
_SHORT = 4096


def key_ends(data: bytes, start: int = 0, end: int | None = None) -> int:
    """An upper bound of the keys JSON text ``data[start:end]`` holds: its quotes followed by a colon
    or by white space (or any other byte below 33).

    A key ends in a quote, then any white space, then a colon, so every key is counted; inside a string
    a quote is escaped, so a quote there only adds to the count. Vectorised over whole arrays (about
    0.25 ms a megabyte): masks of the bytes after a quote, no list of the quotes' places.
    """
    stop = len(data) if end is None else end
    if stop - start < 2:
        return 0
    if stop - start < _SHORT:
        return len(_KEY_END.findall(data, start, stop))
    import numpy as np

    text = np.frombuffer(data, np.uint8, count=stop - start, offset=start)
    after = text[1:]
    found = after <= 32  # white space, or any other byte below 33
    found |= after == 58  # ':'
    found &= text[:-1] == 34  # '"'
    return int(np.count_nonzero(found))


def may_repeat_keys(raw: bytes, keys: int) -> bool:
    """False when JSON text ``raw``, whose validated records hold ``keys`` distinct keys, repeats none
    for sure: its text then has no more key ends (:func:`key_ends`) than distinct keys."""
    return key_ends(raw) != keys


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


class DuplicateKeyScan:
    """Scans blocks of JSON Lines for duplicate keys, in another process once a file has several blocks.

    ``submit`` takes a block (its raw lines, without their newlines, and their line numbers) and returns
    the lines that need the exact check from blocks answered so far; ``finish`` waits for the rest. The
    first blocks are checked here (a small file never starts a process); later ones go to a ``keycheck``
    process, which works on the core the validator leaves idle. Blocks are written to it without blocking
    (no thread, which would make the validating thread hand over the GIL at every block), and answers are
    read back in block order once more than ``depth`` blocks are in flight: memory stays bounded, and the
    order of the issues does not depend on timing. Should the process fail, its blocks are checked here:
    no block is ever taken as clean without a check.
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
        data = b"\n".join(lines)
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
            widen_pipe(process.stdin.fileno(), _PIPE_BYTES)
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
            suspects += _pick(suspect_lines(b"\n".join(lines)), lines, numbers)
        self._failed = True
        self.close()
        return suspects


def _pick(indexes: list[int], lines: list[bytes], numbers: list[int]) -> list[tuple[int, bytes]]:
    return [(numbers[index], lines[index]) for index in indexes]
