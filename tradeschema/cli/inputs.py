"""Standard input as a command's input: ``-`` is read into a temporary file whose kind is told by content.

The library reads files (JSON Lines stream from disk, Parquet is seekable), so standard input is first
copied to a temporary folder, then named after what it holds: an article (``.txt``), a Dataset JSON
document (``.json``), JSON Lines of one record table (``<table>.jsonl``, the table from ``--record``)
or Parquet (``<table>.parquet``). Text that is not JSON is an article for ``extract`` and, given its
record type, CSV for ``validate``.
Reports and messages call it ``<stdin>``.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

__all__ = ["STDIN_NAME", "Spooled", "sniff", "spool_stdin", "table_of_record"]

STDIN_NAME = "<stdin>"
"""How reports and messages name standard input."""

# Bytes read to tell the kind of input; a first line longer than this is a Dataset document written
# on one line, or not JSON Lines of records (records are a few kilobytes).
_SNIFF_BYTES = 1 << 20
_PARQUET_MAGIC = b"PAR1"


@dataclass(frozen=True, slots=True)
class Spooled:
    """Standard input copied to a file."""

    path: Path
    """The temporary file."""
    kind: str
    """``article`` (text that is not JSON), ``dataset`` (a Dataset JSON document), ``jsonl`` (JSON
    Lines of records) or ``parquet``."""
    table: str | None
    """The record table of JSON Lines, when ``--record`` gave it."""


def table_of_record(record: str | None) -> str | None:
    """The table named by ``--record`` (``statement`` or ``statements``); ``None`` when not given.

    An unknown name raises :class:`~tradeschema.errors.UsageError` listing the choices."""
    from ..registry import table_for_name

    return None if record is None else table_for_name(record)


def sniff(head: bytes) -> str:
    """``article``, ``dataset``, ``jsonl`` or ``parquet``, told from the first bytes of an input.

    Parquet starts with ``PAR1``; JSON starts with ``{``; anything else is text (an article, or
    CSV). A first line that is a whole JSON object and not a Dataset (no ``schema_version``, no record
    lists) is a record: JSON Lines. A Dataset document spread over lines (or broken JSON) is left to
    the document reader, which reports it.
    """
    if head.startswith(_PARQUET_MAGIC):
        return "parquet"
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not text.startswith(b"{"):
        return "article"
    first = text.split(b"\n", 1)[0]
    try:
        value = json.loads(first)
    except ValueError:
        return "dataset"
    from ..registry import TABLE_NAMES

    if isinstance(value, dict) and ("schema_version" in value or any(name in value for name in TABLE_NAMES)):
        return "dataset"
    return "jsonl"


@contextmanager
def spool_stdin(
    record: str | None = None, *, kind: str | None = None, source: BinaryIO | None = None
) -> Iterator[Spooled]:
    """Copy standard input to a temporary file named for its kind; removed on exit.

    ``kind`` is what the command expects (``article`` for ``extract``), or ``None`` to tell it by content.
    """
    stream = source if source is not None else sys.stdin.buffer
    folder = Path(tempfile.mkdtemp(prefix="tradeschema-stdin-"))
    try:
        raw = folder / "stdin"
        with raw.open("wb") as out:
            shutil.copyfileobj(stream, out)
        if kind is None:
            with raw.open("rb") as data:
                kind = sniff(data.read(_SNIFF_BYTES))
        table = table_of_record(record)
        name = {
            "article": "stdin.txt",
            "dataset": "stdin.json",
            "parquet": f"{table or 'stdin'}.parquet",
        }.get(kind, f"{table or 'stdin'}.jsonl")
        path = raw.rename(folder / name)
        yield Spooled(path, kind, table)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
