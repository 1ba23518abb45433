"""The writers of an export folder: one class per output format, all with one interface.

A :class:`Writer` takes the records of one table as :class:`Rows` (a block of JSON Lines and, on
demand, the same records as an Arrow batch in the table layout) with :meth:`Writer.write`, and
finishes its file with :meth:`Writer.close`. :func:`open_writers` opens every format's writers for a
table; a new output format is one new class listed in :data:`FORMATS`.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import IO, ClassVar

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from ..registry import LINK_TABLES, links_of, model_for_table
from ..tables import FieldKind, field_specs, link_batch
from .arrow import Rows
from .jsontext import json_text
from .layout import csv_path, jsonl_path, parquet_path
from .parquet import TableWriter

__all__ = [
    "FORMATS",
    "CsvWriter",
    "JsonLinesWriter",
    "LinkTableWriter",
    "ParquetWriter",
    "Rows",
    "Writer",
    "open_writers",
    "parquet_writer",
]


class Writer(ABC):
    """Writes the rows of one table into one file of the export folder."""

    lane: ClassVar[str] = "parquet"
    """The pipeline thread this writer runs on: the writers of one lane take each block in turn, and
    the lanes run side by side (see :mod:`tradeschema.export.pipeline`)."""

    path: Path
    """The file written."""

    @classmethod
    @abstractmethod
    def open_for(cls, root: Path, table: str, batch_size: int) -> Sequence[Writer]:
        """This format's writers for the records of ``table`` under the export folder ``root``."""

    @abstractmethod
    def write(self, rows: Rows) -> None:
        """Append a block of rows, in order."""

    @abstractmethod
    def close(self) -> None:
        """Finish the file; called once, also after a failure."""

    def digest(self) -> tuple[str, int | None] | None:
        """After :meth:`close`, for writers that hash what they write (so the manifest need not read
        the file again): the SHA-256 (hex) of the file and, when counted, its line feeds; else ``None``."""
        return None


class _DigestFile:
    """A binary file that keeps the SHA-256 of what is written to it and, when asked, its line feeds.

    Arrow's writers take it as a Python file. ``hashlib`` lets go of the interpreter lock for large
    chunks, so hashing overlaps with the other writers.
    """

    def __init__(self, path: Path, *, count_lines: bool) -> None:
        self._out: IO[bytes] = open(path, "wb", buffering=1 << 20)  # noqa: SIM115 - closed in close()
        self._hash = hashlib.sha256()
        self._lines: int | None = 0 if count_lines else None
        self.closed = False

    def write(self, data: bytes | pa.Buffer) -> int:
        self._hash.update(data)
        if self._lines is not None:
            assert isinstance(data, bytes)
            self._lines += data.count(b"\n")
        return self._out.write(data)

    def flush(self) -> None:
        self._out.flush()

    def close(self) -> None:
        self.closed = True
        self._out.close()

    def digest(self) -> tuple[str, int | None]:
        return self._hash.hexdigest(), self._lines


class JsonLinesWriter(Writer):
    """``jsonl/<table>.jsonl``: the lines as they are given."""

    lane = "jsonl"

    def __init__(self, path: Path) -> None:
        self.path = path
        self._out = _DigestFile(path, count_lines=True)

    @classmethod
    def open_for(cls, root: Path, table: str, batch_size: int) -> Sequence[Writer]:
        return [cls(jsonl_path(root, table))]

    def write(self, rows: Rows) -> None:
        self._out.write(rows.lines)

    def close(self) -> None:
        self._out.close()

    def digest(self) -> tuple[str, int | None]:
        return self._out.digest()


class ParquetWriter(Writer):
    """``parquet/<table>.parquet``: row groups of ``batch_size`` rows, written as they fill."""

    def __init__(self, path: Path, table: str, batch_size: int) -> None:
        self.path = path
        self.table = table
        """The table of the file: a record table or a link table."""
        self.batch_size = batch_size
        self._file = TableWriter(path, table)
        self._group: list[pa.RecordBatch] = []
        self._group_rows = 0

    @classmethod
    def open_for(cls, root: Path, table: str, batch_size: int) -> Sequence[Writer]:
        return [cls(parquet_path(root, table), table, batch_size)]

    @property
    def rows(self) -> int:
        """Rows written to the file so far (all of them once closed)."""
        return self._file.rows

    def convert(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        """The rows of this file for a batch of the record table."""
        return batch

    def write(self, rows: Rows) -> None:
        batch = rows.batch
        while batch.num_rows:
            take = min(batch.num_rows, self.batch_size - self._group_rows)
            self._group.append(batch.slice(0, take))
            self._group_rows += take
            batch = batch.slice(take)
            if self._group_rows >= self.batch_size:
                self._flush()

    def _flush(self) -> None:
        if self._group:
            group, self._group, self._group_rows = self._group, [], 0
            self._file.write_group([self.convert(batch) for batch in group])

    def close(self) -> None:
        try:
            self._flush()
        finally:
            self._file.close()


class LinkTableWriter(ParquetWriter):
    """``parquet/<link>.parquet``: a derived link table, one row group per row group of its parent."""

    def __init__(self, path: Path, link: str, batch_size: int) -> None:
        super().__init__(path, link, batch_size)

    @classmethod
    def open_for(cls, root: Path, table: str, batch_size: int) -> Sequence[Writer]:
        return [cls(parquet_path(root, link.name), link.name, batch_size) for link in links_of(table)]

    def convert(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        return link_batch(batch, self.table)


class CsvWriter(Writer):
    """``csv/<table>.csv``: the header, then one row per record (see :mod:`tradeschema.csv_layout`).

    Written from the Arrow batch by Arrow's CSV writer: lists and records become their compact JSON
    text first (:func:`.jsontext.json_text`), every other column is written by Arrow as it is. Strings
    are quoted, so an empty text (``""``) stays apart from a null (an empty cell). It runs on a lane
    of its own: it costs about as much as the Parquet and link tables together.
    """

    lane = "csv"

    def __init__(self, path: Path, table: str) -> None:
        self.path = path
        self._specs = field_specs(model_for_table(table))
        self._writer: pa_csv.CSVWriter | None = None
        self._out = _DigestFile(path, count_lines=False)

    @classmethod
    def open_for(cls, root: Path, table: str, batch_size: int) -> Sequence[Writer]:
        return [cls(csv_path(root, table), table)]

    def write(self, rows: Rows) -> None:
        batch = rows.batch
        columns = [_csv_column(batch.column(spec.name), spec.kind) for spec in self._specs]
        table = pa.table(columns, names=[spec.name for spec in self._specs])
        if self._writer is None:
            self._writer = pa_csv.CSVWriter(self._out, table.schema)
        self._writer.write_table(table)

    def close(self) -> None:
        try:
            if self._writer is None:  # no rows: the header alone
                names = [spec.name for spec in self._specs]
                empty = pa.table([pa.array([], pa.string()) for _ in names], names=names)
                self._writer = pa_csv.CSVWriter(self._out, empty.schema)
            self._writer.close()
        finally:
            self._out.close()

    def digest(self) -> tuple[str, int | None]:
        return self._out.digest()


def _csv_column(column: pa.Array, kind: FieldKind) -> pa.Array:
    """A batch column as Arrow's CSV writer takes it: lists and records as their JSON text (an absent
    list as ``[]``, as the model defaults it; an absent record as an empty cell), dictionaries decoded."""
    if kind in (FieldKind.list, FieldKind.model):
        absent = pa.scalar("[]" if kind is FieldKind.list else None, pa.string())
        return pc.if_else(column.is_null(), absent, json_text(column))
    if pa.types.is_dictionary(column.type):
        return column.dictionary_decode()
    return column


def parquet_writer(path: Path, name: str, batch_size: int) -> ParquetWriter:
    """The Parquet writer of ``name``, a record table or a derived link table, writing ``path``."""
    kind = LinkTableWriter if name in LINK_TABLES else ParquetWriter
    return kind(path, name, batch_size)


FORMATS: tuple[type[Writer], ...] = (JsonLinesWriter, ParquetWriter, LinkTableWriter, CsvWriter)
"""The output formats of an export folder, in the order their writers are opened."""


def open_writers(root: Path, table: str, batch_size: int) -> list[Writer]:
    """Every format's writers for ``table``; on failure, those already opened are closed."""
    writers: list[Writer] = []
    try:
        for kind in FORMATS:
            writers.extend(kind.open_for(root, table, batch_size))
    except BaseException:
        for writer in writers:
            writer.close()
        raise
    return writers
