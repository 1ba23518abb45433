"""JSON Lines of records: one file per record table, one record per line.

Lines are canonical: compact JSON with every field in model order, written by pydantic's serializer,
so the same records always give the same bytes. Each line is one record of the table's model and
validates against that record's JSON Schema (``schemas/<record>.schema.json``).

A file's record type is told from its name: ``statements.jsonl``, ``statement.jsonl`` or
``2025.statements.jsonl`` all hold statements.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from ..errors import InputError
from ..models import Record
from ..registry import table_for_name
from ..validation.discover import Input, table_from_name
from ..validation.records import RecordStream, reading_error
from .arrow import record_json

__all__ = ["read_jsonl", "table_for_path", "write_jsonl"]


def table_for_path(path: str | Path) -> str | None:
    """The table a JSON Lines file holds, told from its name (the validator's rule), or ``None``."""
    return table_from_name(Path(path).name)


def write_jsonl(records: Iterable[Record], path: str | Path | IO[bytes]) -> int:
    """Write records as canonical JSON Lines; returns how many were written."""
    if not isinstance(path, (str, Path)):
        return _write_lines(records, path)
    with open(path, "wb") as out:
        return _write_lines(records, out)


def _write_lines(records: Iterable[Record], out: IO[bytes]) -> int:
    count = 0
    for record in records:
        out.write(record_json(record) + b"\n")
        count += 1
    return count


def read_jsonl(path: str | Path, *, table: str | None = None) -> Iterator[Record]:
    """The records in a JSON Lines file, read and checked by the validator as they come.

    ``table`` (singular or plural) defaults to the one told by the file name. Raises
    :class:`InputError` with the validator's message, file and line at the first invalid line (or
    when integrity fails, such as a duplicate id, at the end); records before it have been yielded.
    Use :func:`tradeschema.validate` for a full report.
    """
    name = os.fspath(path)
    chosen = table_for_name(table) if table is not None else table_for_path(name)
    if chosen is None:
        raise InputError(
            "cannot tell the record type from the file name; name it like statements.jsonl", file=name
        )
    stream = RecordStream([Input(name, name, "jsonl", chosen)])
    for record, place in stream:
        # The validator may be a few lines ahead: a record before the failing line is still read.
        error = reading_error(stream.report) if stream.report.errors else None
        if error is not None and not (error.line and place.line and place.line < error.line):
            raise error
        yield record
    error = reading_error(stream.report)
    if error is not None:
        raise error
