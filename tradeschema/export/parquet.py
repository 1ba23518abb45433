"""Parquet files of records: one file per table, in the layout of :mod:`tradeschema.tables`.

Files are written batch by batch (zstd), so memory stays flat however many records pass through.
Each file's key-value metadata carries the schema version, the tradeschema version, the table and
the record's JSON Schema, so a file found on its own still says what it holds.

With ``partition_by`` a table becomes a hive-style folder (``measures/imposed_by=party%3Aus/...``)
that pyarrow.dataset, DuckDB (``hive_partitioning=true``) and Spark read. The partition column is a
top-level scalar column of the table, or ``<date field>_year`` (the year of ``<date field>_date``).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from .._version import __version__
from ..errors import ExportError, InputError, UsageError
from ..models import SCHEMA_VERSION, Dataset, Record
from ..registry import LINK_TABLES, TABLE_NAMES, links_of, record_type, table_for_name
from ..schema import schema_json
from ..tables import DATE_SUFFIX, arrow_schema, link_schema
from .arrow import Rows, record_json, records_from_batch

if TYPE_CHECKING:
    from .writers import ParquetWriter

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "TableWriter",
    "file_metadata",
    "partition_table",
    "read_parquet",
    "write_parquet",
]

DEFAULT_BATCH_SIZE = 65_536
"""Records per Arrow batch (and Parquet row group) when streaming."""

YEAR_SUFFIX = "_year"
"""Suffix of a partition key that is the year of a partial date field."""

_COMPRESSION = "zstd"


@cache
def file_metadata(table: str) -> dict[bytes, bytes]:
    """Key-value metadata of a table's Parquet file (a record table or a derived link table)."""
    parent = LINK_TABLES[table].parent if table in LINK_TABLES else table
    record = record_type(parent).name
    compact_schema = json.dumps(json.loads(schema_json(record)), separators=(",", ":"), ensure_ascii=False)
    metadata = {
        "tradeschema.schema_version": SCHEMA_VERSION,
        "tradeschema.version": __version__,
        "tradeschema.table": table,
        "tradeschema.record": record,
        "tradeschema.json_schema": compact_schema,
    }
    if table in LINK_TABLES:
        metadata["tradeschema.derived_from"] = f"{parent}.{LINK_TABLES[table].field}"
    return {key.encode(): value.encode() for key, value in metadata.items()}


def _schema(table: str) -> pa.Schema:
    schema = link_schema(table) if table in LINK_TABLES else arrow_schema(table)
    return schema.with_metadata(file_metadata(table))


class TableWriter:
    """Writes batches of one table to a Parquet file; use as a context manager."""

    def __init__(self, path: str | Path, table: str) -> None:
        self.path = Path(path)
        self.table = table
        self.rows = 0
        self.schema = _schema(table)
        self._writer = pq.ParquetWriter(self.path, self.schema, compression=_COMPRESSION)

    def write(self, batch: pa.RecordBatch) -> None:
        """Append a batch (whose schema is the table's, metadata aside)."""
        if batch.num_rows:
            self._writer.write_batch(batch)
            self.rows += batch.num_rows

    def write_group(self, batches: list[pa.RecordBatch]) -> None:
        """Append batches (whose schema is the table's, metadata aside) as one row group."""
        rows = sum(batch.num_rows for batch in batches)
        if rows:
            table = pa.Table.from_batches(batches, schema=batches[0].schema)
            self._writer.write_table(table, row_group_size=rows)
            self.rows += rows

    def close(self) -> None:
        """Finish the file (footer included)."""
        self._writer.close()

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _rows(records: Iterable[Record], table: str, batch_size: int) -> Iterator[Rows]:
    """The records as blocks of ``batch_size`` canonical lines, for the writers."""
    chunk: list[bytes] = []
    for record in records:
        if record.table != table:
            raise ExportError(f"a {record.table} record cannot go into the {table} table")
        chunk.append(record_json(record) + b"\n")
        if len(chunk) >= batch_size:
            yield Rows(table, b"".join(chunk), canonical=True)
            chunk = []
    if chunk:
        yield Rows(table, b"".join(chunk), canonical=True)


def write_parquet(
    records: Dataset | Iterable[Record],
    path: str | Path,
    *,
    table: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    links: bool = True,
    partition_by: str | None = None,
) -> dict[str, int]:
    """Write records to Parquet; returns the rows written per table.

    A :class:`Dataset` goes into the folder ``path`` as ``<table>.parquet`` per record table (plus the
    derived link tables when ``links``). Other iterables hold records of one table (``table``, or the
    table of the first record) and go into the file ``path``. ``partition_by`` (see the module
    docstring) turns each table that has that column into a hive-style folder. The files are written
    by the export's writers (:mod:`tradeschema.export.writers`).
    """
    from .writers import LinkTableWriter, ParquetWriter

    if isinstance(records, Dataset):
        out = Path(path)
        out.mkdir(parents=True, exist_ok=True)
        counts: dict[str, int] = {}
        for name in TABLE_NAMES:
            writers = [ParquetWriter(out / f"{name}.parquet", name, batch_size)]
            if links:
                writers += [
                    LinkTableWriter(out / f"{link.name}.parquet", link.name, batch_size)
                    for link in links_of(name)
                ]
            counts.update(_write_table(getattr(records, name), name, writers, batch_size, partition_by))
        return counts
    iterator = iter(records)
    first = next(iterator, None)
    chosen = table or (first.table if first is not None else None)
    if chosen is None:
        raise ExportError("no records and no table given: cannot tell which table to write")
    stream = iterator if first is None else _chain(first, iterator)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    return _write_table(stream, chosen, [ParquetWriter(target, chosen, batch_size)], batch_size, partition_by)


def _chain(first: Record, rest: Iterator[Record]) -> Iterator[Record]:
    yield first
    yield from rest


def _write_table(
    records: Iterable[Record],
    table: str,
    writers: list[ParquetWriter],
    batch_size: int,
    partition_by: str | None,
) -> dict[str, int]:
    try:
        for rows in _rows(records, table, batch_size):
            for writer in writers:
                writer.write(rows)
    finally:
        for writer in writers:
            writer.close()
    if partition_by is not None:
        for writer in writers:
            partition_table(writer.path, writer.table, partition_by)
    return {writer.table: writer.rows for writer in writers}


def partition_keys() -> list[str]:
    """The keys a table can be partitioned by: a column that is not a list or struct, in any record
    table (``imposed_by``, ``kind``, ``status``, a derived ``announced_date``), or the year of a partial
    date (``announced_year``)."""
    keys: set[str] = set()
    for table in TABLE_NAMES:
        for field in arrow_schema(table):
            if not pa.types.is_nested(field.type):
                keys.add(field.name)
                if field.name.endswith(DATE_SUFFIX):
                    keys.add(field.name[: -len(DATE_SUFFIX)] + YEAR_SUFFIX)
    return sorted(keys)


def check_partition_key(key: str) -> None:
    """Raise :class:`~tradeschema.errors.UsageError` listing the choices when no table has ``key``."""
    if key not in partition_keys():
        raise UsageError(
            f"cannot partition by {key!r}: no table has it; choose one of {', '.join(partition_keys())}"
        )


def _partition_key(schema: pa.Schema, key: str) -> tuple[str, Any] | None:
    """The column expression to partition on, or ``None`` when the table has no such column."""
    if key in schema.names:
        field = schema.field(key)
        if pa.types.is_nested(field.type):
            raise ExportError(f"cannot partition by {key!r}: it is a list or struct column")
        return key, ds.field(key)
    if key.endswith(YEAR_SUFFIX):
        date_column = key[: -len(YEAR_SUFFIX)] + DATE_SUFFIX
        if date_column in schema.names:
            return key, pc.year(ds.field(date_column))
    return None


def partition_table(path: str | Path, table: str, key: str) -> bool:
    """Rewrite the Parquet file ``path`` as a hive-style folder of the same name without ``.parquet``.

    Returns False (and leaves the file) when the table has no column ``key`` or no rows. The rewrite streams
    from the file, so it needs no more memory than a batch.
    """
    source = Path(path)
    schema = _schema(table)
    partition = _partition_key(schema, key)
    if partition is None or pq.read_metadata(source).num_rows == 0:
        # An empty table has no partition to hold it: it stays one file, so it is not lost.
        return False
    name, expression = partition
    columns: dict[str, Any] = {column: ds.field(column) for column in schema.names if column != name}
    columns[name] = expression
    scanner = ds.dataset(source, format="parquet").scanner(columns=columns)
    target = source.with_suffix("")
    projected = scanner.projected_schema
    # Keep the field types and metadata of the layout; the derived year is a plain int32.
    fields = [schema.field(n) if n in schema.names else projected.field(n) for n in projected.names]
    write_schema = pa.schema(fields, metadata=schema.metadata)
    part_type = write_schema.field(name).type
    if pa.types.is_dictionary(part_type):
        # Hive folder names hold values, not dictionary codes.
        columns[name] = expression.cast(pa.string())
        scanner = ds.dataset(source, format="parquet").scanner(columns=columns)
        write_schema = write_schema.set(write_schema.get_field_index(name), pa.field(name, pa.string()))
    try:
        ds.write_dataset(
            (
                pa.RecordBatch.from_arrays(batch.columns, schema=write_schema)
                for batch in scanner.to_batches()
            ),
            target,
            schema=write_schema,
            format="parquet",
            partitioning=ds.partitioning(pa.schema([write_schema.field(name)]), flavor="hive"),
            file_options=ds.ParquetFileFormat().make_write_options(compression=_COMPRESSION),
            basename_template="part-{i}.parquet",
            max_partitions=100_000,
            existing_data_behavior="error",
            preserve_order=True,
        )
    except (pa.ArrowInvalid, OSError) as exc:
        shutil.rmtree(target, ignore_errors=True)
        raise ExportError(f"cannot partition {source} by {key!r}: {exc}") from exc
    source.unlink()
    return True


def _table_of(schema: pa.Schema, path: Path) -> str:
    metadata = schema.metadata or {}
    table = metadata.get(b"tradeschema.table", b"").decode() or path.name.split(".")[0]
    if table not in TABLE_NAMES:
        raise InputError(f"not a tradeschema record table ({table!r}); pass table=", file=str(path))
    return table


def _hive(source: Path, table: str | None) -> ds.Partitioning | None:
    """Hive partitioning of a folder, with each key typed as in the layout (inference fails on a key
    whose only value is null, and reads ``kind=state`` back as text where the layout has a dictionary)."""
    if not source.is_dir():
        return None
    first = next(source.rglob("*.parquet"), None)
    if first is None:
        return None
    keys = [part.split("=", 1)[0] for part in first.relative_to(source).parts[:-1] if "=" in part]
    if not keys:
        return None
    name = table or _table_of(pq.read_schema(first), first)
    layout = arrow_schema(name)
    fields = []
    for key in keys:
        if key in layout.names:
            kind = layout.field(key).type
            fields.append(pa.field(key, kind.value_type if pa.types.is_dictionary(kind) else kind))
        else:
            fields.append(pa.field(key, pa.int32() if key.endswith(YEAR_SUFFIX) else pa.string()))
    return ds.partitioning(pa.schema(fields), flavor="hive")


def read_parquet(
    path: str | Path, *, table: str | None = None, batch_size: int = DEFAULT_BATCH_SIZE
) -> Iterator[Record]:
    """The records in a Parquet file or hive-partitioned folder of one record table.

    The file is first checked by the validator (:func:`tradeschema.validation.validate`), then its
    rows are converted. ``table`` (singular or plural) defaults to the one named in the file's
    metadata. Derived columns and partition keys that are not model fields (``announced_year``) are
    ignored. Raises :class:`InputError` for a file that cannot be read, or with the validator's
    first error for one that does not hold valid records.
    """
    from ..validation import validate
    from ..validation.records import reading_error

    source = Path(path)
    try:
        dataset = ds.dataset(source, format="parquet", partitioning=_hive(source, table))
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError(f"cannot read Parquet: {exc}", file=str(source)) from exc
    name = table_for_name(table) if table is not None else _table_of(dataset.schema, source)
    if not dataset.files:
        return
    error = reading_error(validate(os.fspath(path), record=name, progress=False))
    if error is not None:
        raise error
    for batch in dataset.to_batches(batch_size=batch_size):
        yield from records_from_batch(batch, name)
