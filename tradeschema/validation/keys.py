"""Duplicate keys in JSON objects: the exact check, and a cheap scan of many lines at once.

A duplicate key is a parser differential: pydantic keeps the last value, other parsers the first, so two
readers of one file see different records. :func:`duplicate_keys` finds every duplicate of a JSON text
with its JSON path (the standard library's parser with a pairs hook). Checking every line of a large
file that way would cost as much as validating it, so :class:`DuplicateKeyScan` hands blocks of lines
that already passed the schema to pyarrow's JSON reader on a background thread (C++, which releases the
GIL, on the core the validator leaves idle). pyarrow fails a block that repeats a key of any object at
any depth ("Column(/a) was specified twice"), and only such a block, or one it cannot read for another
reason, is checked again line by line with :func:`duplicate_keys`. A block is never trusted without a
successful read, so no duplicate passes.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

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


# pyarrow reads one block of at most this many bytes (its block size is a 32-bit integer).
_MAX_BLOCK = (1 << 31) - 2


def _arrow_reads(data: bytes) -> bool:
    """True when pyarrow reads ``data`` (JSON Lines) without an error, so no object in it repeats a key."""
    if len(data) > _MAX_BLOCK:
        return False
    import pyarrow as pa
    import pyarrow.json as pj

    try:
        pj.read_json(
            pa.py_buffer(data),
            read_options=pj.ReadOptions(use_threads=False, block_size=len(data) + 1),
        )
    except Exception:  # any failure only sends the block to the exact check, which decides
        return False
    return True


class DuplicateKeyScan:
    """Scans blocks of JSON Lines for duplicate keys in the background, in the order they were given.

    ``submit`` takes a block (its raw lines and their line numbers) and returns the lines that need the
    exact check from blocks finished earlier; ``finish`` waits for the rest. At most two blocks are in
    flight, so memory stays bounded and lines come back in a fixed order whatever the timing.
    """

    def __init__(self, in_flight: int = 2) -> None:
        # Loaded here, not in the worker, so the import is not timed against the first block.
        import pyarrow.json  # noqa: F401

        self._executor: ThreadPoolExecutor | None = None
        self._in_flight = in_flight
        self._pending: deque[tuple[Future[bool], list[bytes], list[int]]] = deque()

    def submit(self, lines: list[bytes], numbers: list[int]) -> list[tuple[int, bytes]]:
        """Queue one block; returns ``(line number, raw line)`` of earlier blocks' lines to check exactly."""
        suspects: list[tuple[int, bytes]] = []
        if not lines:
            return suspects
        while len(self._pending) >= self._in_flight:
            suspects += self._collect()
        if self._executor is None:
            self._executor = ThreadPoolExecutor(1, thread_name_prefix="tradeschema-keys")
        data = b"".join(lines)
        if not data.endswith(b"\n"):
            data += b"\n"
        self._pending.append((self._executor.submit(_arrow_reads, data), lines, numbers))
        return suspects

    def finish(self) -> list[tuple[int, bytes]]:
        """Wait for every queued block; returns the lines that need the exact check."""
        suspects: list[tuple[int, bytes]] = []
        while self._pending:
            suspects += self._collect()
        self.close()
        return suspects

    def close(self) -> None:
        """Stop the background thread (queued blocks are dropped)."""
        self._pending.clear()
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def _collect(self) -> list[tuple[int, bytes]]:
        future, lines, numbers = self._pending.popleft()
        if future.result():
            return []
        return list(zip(numbers, lines, strict=True))
