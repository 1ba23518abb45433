"""CSV of records: one file per record table, in the layout of :mod:`tradeschema.csv_layout`.

A header of the model's field names, one row per record, lists and nested records as JSON text cells,
an empty cell for null and ``""`` for empty text. ``tradeschema validate`` reads exactly this layout
(and the nested literals DuckDB writes); a file's record type is told from its name, as for JSON Lines.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import InputError
from ..models import Record
from ..registry import table_for_name
from ..validation.discover import Input, table_from_name
from ..validation.records import RecordStream, reading_error

__all__ = ["read_csv", "write_csv"]


def write_csv(records: Iterable[Record], path: str | Path, *, table: str | None = None) -> int:
    """Write records of one table as CSV; returns how many were written. ``table`` defaults to the
    one told by the file name."""
    name = os.fspath(path)
    chosen = table_for_name(table) if table is not None else table_from_name(Path(name).name)
    if chosen is None:
        raise InputError(
            "cannot tell the record type from the file name; name it like statements.csv", file=name
        )
    # The export's own CSV writer, in blocks of records: one way to write the layout.
    from .arrow import Rows, record_json
    from .writers import CsvWriter

    writer = CsvWriter(Path(name), chosen)
    count = 0
    block: list[bytes] = []
    try:
        for record in records:
            block.append(record_json(record))
            count += 1
            if len(block) >= _BLOCK:
                writer.write(Rows(chosen, b"\n".join(block) + b"\n", canonical=True))
                block = []
        if block:
            writer.write(Rows(chosen, b"\n".join(block) + b"\n", canonical=True))
    finally:
        writer.close()
    return count


_BLOCK = 65_536


def read_csv(path: str | Path, *, table: str | None = None) -> Iterator[Record]:
    """The records in a CSV file, read and checked by the validator as they come.

    ``table`` (singular or plural) defaults to the one told by the file name. Raises
    :class:`InputError` with the validator's message, file and row at the first invalid row (or when
    integrity fails, such as a duplicate id, at the end); records before it have been yielded. Use
    :func:`tradeschema.validate` for a full report.
    """
    name = os.fspath(path)
    chosen = table_for_name(table) if table is not None else table_from_name(Path(name).name)
    if chosen is None:
        raise InputError(
            "cannot tell the record type from the file name; name it like statements.csv", file=name
        )
    stream = RecordStream([Input(name, name, "csv", chosen)])
    for record, place in stream:
        # The validator may be a few rows ahead: a record before the failing row is still read.
        error = reading_error(stream.report) if stream.report.errors else None
        if error is not None:
            rows = [i.row for i in stream.report.issues if i.severity == "error" and i.row is not None]
            if not (rows and place.row and place.row < min(rows)):
                raise error
        yield record
    error = reading_error(stream.report)
    if error is not None:
        raise error
