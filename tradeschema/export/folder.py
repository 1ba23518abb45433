"""Writing a whole export folder: canonical JSON, JSON Lines, Parquet, schemas and the manifest.

Layout of ``DIR``::

    dataset.json                   canonical Dataset (in-memory exports only, see below)
    jsonl/<table>.jsonl            one record per line, per record table
    parquet/<table>.parquet        record tables (canonical, lossless) and derived link tables
    schemas/<name>.schema.json     the JSON Schemas
    manifest.json                  every file with record count and SHA-256; versions

Two paths lead there. Articles and Dataset documents are read into one :class:`Dataset` in memory,
validated as a whole, and written ordered by id. When every input is JSON Lines the export streams:
the validator (:func:`tradeschema.validation.validate_inputs`, in a child process) checks the files
while this process converts their raw lines block by block with ``pyarrow.json`` (see
:mod:`tradeschema.export.stream`), in input order, so memory stays flat as input grows.
A streamed export writes no ``dataset.json``: ordering a huge input by id would need all of it in
memory, and one multi-gigabyte JSON document serves nobody; the JSON Lines files hold the same
records. Either way, invalid input writes nothing: the output is staged beside ``DIR`` and moved in
only when the whole input is valid (see :mod:`tradeschema.export.atomic`).
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
from pydantic import ValidationError

from ..errors import ExportError, InputError
from ..models import Dataset, Record
from ..registry import TABLE_NAMES, links_of, table_for_name
from ..report import Report
from ..schema import write_schemas
from ..tables import link_batch
from .arrow import batch_from_json, batch_from_lines, record_json
from .atomic import staged_directory
from .canonical import sorted_dataset, write_dataset_json
from .inputs import input_kind, load_inputs
from .jsonl import table_for_path
from .manifest import build_manifest, write_manifest
from .parquet import DEFAULT_BATCH_SIZE, TableWriter, check_partition_key, partition_table
from .stream import ValidationProcess, file_state, line_blocks

__all__ = ["ExportResult", "export_dataset", "export_files"]


@dataclass
class ExportResult:
    """What an export did: the validation report and, when the input was valid, the manifest."""

    report: Report
    manifest: dict[str, Any] | None = None
    out: Path | None = None

    @property
    def ok(self) -> bool:
        """True when the input was valid and the folder was written."""
        return self.manifest is not None


class _Invalid(Exception):
    """Raised inside the staging context so that an invalid input leaves nothing behind."""


@dataclass
class _TableSink:
    """Where the records of one table go: its JSON Lines file, its Parquet file and its link tables.

    Parquet batches are built and written on a worker thread: pyarrow's JSON parse and zstd
    compression release the GIL, so they overlap with the work of the main thread.
    """

    table: str
    jsonl: IO[bytes]
    writers: list[TableWriter]
    batch_size: int
    pending: list[bytes] = field(default_factory=list)
    """Canonical lines not yet converted (exports of a Dataset)."""
    group: list[pa.RecordBatch] = field(default_factory=list)
    """Converted input lines not yet written (streamed exports): less than one row group."""
    group_rows: int = 0

    @classmethod
    def open(cls, stage: Path, table: str, batch_size: int) -> _TableSink:
        writers = [TableWriter(stage / "parquet" / f"{table}.parquet", table)]
        writers += [
            TableWriter(stage / "parquet" / f"{link.name}.parquet", link.name) for link in links_of(table)
        ]
        jsonl = open(stage / "jsonl" / f"{table}.jsonl", "wb", buffering=1 << 20)  # noqa: SIM115 - closed in close()
        return cls(table, jsonl, writers, batch_size)

    def add(self, line: bytes) -> None:
        self.jsonl.write(line + b"\n")
        self.pending.append(line)

    def take(self) -> bytes:
        data = b"\n".join(self.pending)
        self.pending = []
        return data

    def write(self, lines: bytes) -> None:
        """Convert and write canonical lines: one row group."""
        self._write_group([batch_from_json(lines, self.table)])

    def write_input_lines(self, lines: bytes) -> None:
        """Convert a block of input lines; row groups of ``batch_size`` rows are written as they fill."""
        batch = batch_from_lines(lines, self.table)
        while batch.num_rows:
            take = min(batch.num_rows, self.batch_size - self.group_rows)
            self.group.append(batch.slice(0, take))
            self.group_rows += take
            batch = batch.slice(take)
            if self.group_rows >= self.batch_size:
                self.write_rest()

    def write_rest(self) -> None:
        """Write the rows converted and not yet written."""
        if self.group:
            group, self.group, self.group_rows = self.group, [], 0
            self._write_group(group)

    def _write_group(self, batches: list[pa.RecordBatch]) -> None:
        self.writers[0].write_group(batches)
        for link, writer in zip(links_of(self.table), self.writers[1:], strict=True):
            writer.write_group([link_batch(batch, link.name) for batch in batches])

    def close(self) -> None:
        self.jsonl.close()
        for writer in self.writers:
            writer.close()


class _Sinks:
    """The sinks of every table, and the worker threads that write their files.

    One thread converts and writes Parquet, one writes JSON Lines blocks (streamed exports); each
    takes its work in order, with at most two blocks waiting, so memory stays bounded.
    """

    def __init__(self, stage: Path, batch_size: int) -> None:
        (stage / "jsonl").mkdir()
        (stage / "parquet").mkdir()
        self.batch_size = batch_size
        self.sinks = {table: _TableSink.open(stage, table, batch_size) for table in TABLE_NAMES}
        self._worker = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="tradeschema-parquet", initializer=_yield_to_validation
        )
        self._writer = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="tradeschema-jsonl", initializer=_yield_to_validation
        )
        self._futures: list[Future[None]] = []
        self._writes: list[Future[int]] = []

    def add(self, record: Record) -> None:
        sink = self.sinks[record.table]
        sink.add(record_json(record))
        if len(sink.pending) >= self.batch_size:
            self._submit(sink)

    def add_lines(self, table: str, lines: bytes) -> None:
        """Add a block of input lines, as they are (see :func:`_stream`)."""
        sink = self.sinks[table]
        _wait(self._writes, 2)
        self._writes.append(self._writer.submit(sink.jsonl.write, lines))
        _wait(self._futures, 2)
        self._futures.append(self._worker.submit(sink.write_input_lines, lines))

    def _submit(self, sink: _TableSink) -> None:
        # At most two batches in flight: enough to overlap, bounded in memory.
        _wait(self._futures, 2)
        self._futures.append(self._worker.submit(sink.write, sink.take()))

    def finish(self) -> None:
        for sink in self.sinks.values():
            if sink.pending:
                self._submit(sink)
            self._futures.append(self._worker.submit(sink.write_rest))
        self.close()

    def close(self) -> None:
        try:
            _wait(self._writes, 0)
            _wait(self._futures, 0)
        finally:
            self._worker.shutdown(wait=True, cancel_futures=True)
            self._writer.shutdown(wait=True, cancel_futures=True)
            for sink in self.sinks.values():
                sink.close()


def _yield_to_validation() -> None:
    """Lower the priority of this worker thread (Linux: a thread's nice value is its own).

    A streamed export validates in a child process while its worker threads convert; the validator
    is the longer of the two, so on a busy machine it should get the core first.
    """
    if hasattr(os, "setpriority") and sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


def _wait(futures: list[Future[Any]], in_flight: int) -> None:
    while len(futures) > in_flight:
        futures.pop(0).result()


def _finish_folder(stage: Path, partition_by: str | None, dataset_records: int | None) -> dict[str, Any]:
    if partition_by is not None:
        for path in sorted((stage / "parquet").glob("*.parquet")):
            partition_table(path, path.stem, partition_by)
    write_schemas(stage / "schemas")
    manifest = build_manifest(
        stage,
        dataset_records=dataset_records,
        dataset_json=dataset_records is not None,
        partition_by=partition_by,
    )
    write_manifest(stage, manifest)
    return manifest


def _write_dataset(
    dataset: Dataset, stage: Path, batch_size: int, partition_by: str | None
) -> dict[str, Any]:
    ordered = sorted_dataset(dataset)
    write_dataset_json(ordered, stage / "dataset.json")
    sinks = _Sinks(stage, batch_size)
    try:
        for table in TABLE_NAMES:
            for record in getattr(ordered, table):
                sinks.add(record)
    except BaseException:
        sinks.close()
        raise
    sinks.finish()
    total = sum(len(getattr(ordered, table)) for table in TABLE_NAMES)
    return _finish_folder(stage, partition_by, total)


def export_dataset(
    dataset: Dataset,
    out: str | Path,
    *,
    force: bool = False,
    partition_by: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> dict[str, Any]:
    """Write a validated dataset as an export folder (layout in the module docstring); returns the manifest.

    ``out`` is replaced atomically; an existing folder that is not a tradeschema export is refused
    (:class:`~tradeschema.errors.ExportError`) unless ``force``.
    """
    if partition_by is not None:
        check_partition_key(partition_by)
    with staged_directory(out, force=force) as stage:
        return _write_dataset(dataset, stage, batch_size, partition_by)


def _stream(
    paths: Sequence[Path], table: str | None, stage: Path, batch_size: int, partition_by: str | None
) -> tuple[Report, dict[str, Any] | None]:
    tables = []
    for path in paths:
        name = table or table_for_path(path)
        if name is None:
            raise InputError(
                "cannot tell the record type from the file name (such as statements.jsonl); pass --record",
                file=str(path),
            )
        tables.append(name)
    # Inputs go in dataset order (sources, parties, ... statements), so most references name a record
    # already seen, and spans are checked as they arrive.
    order = sorted(zip(paths, tables, strict=True), key=lambda pair: TABLE_NAMES.index(pair[1]))
    states = [file_state(path) for path, _ in order]
    # The validator (its per-line loop and compact integrity state, see `tradeschema.validate`) runs
    # in a child process over the inputs while this process converts the same lines, block by block,
    # into the staging folder: a block of valid lines needs no model, `pyarrow.json` reads it. The
    # staged output is kept only when the validator's report has no error.
    validation = ValidationProcess([(str(path), name) for path, name in order])
    sinks = _Sinks(stage, batch_size)
    failure: Exception | None = None
    manifest: dict[str, Any] | None = None
    try:
        for path, name in order:
            for lines in line_blocks(path):
                sinks.add_lines(name, lines)
        sinks.finish()
        # Schemas and manifest too are written while the validator may still be running.
        manifest = _finish_folder(stage, partition_by, None)
    except (ValidationError, ExportError) as exc:
        # Lines the models reject (the report will list them), or values Arrow cannot hold: wait
        # for the report before deciding which to tell.
        failure = exc
        sinks.close()
    except BaseException:
        validation.cancel()
        sinks.close()
        raise
    report = validation.report()
    if not report.valid:
        return report, None
    if failure is not None:
        if isinstance(failure, ExportError):
            raise failure
        raise ExportError(f"a line the validator accepted could not be converted: {failure}") from failure
    if [file_state(path) for path, _ in order] != states:
        raise ExportError("an input file changed during the export; nothing written")
    assert manifest is not None
    return report, manifest


def export_files(
    paths: Iterable[str | Path],
    out: str | Path,
    *,
    force: bool = False,
    partition_by: str | None = None,
    table: str | None = None,
    stream: bool | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> ExportResult:
    """Validate the input files and, when valid, export them to the folder ``out``.

    ``stream`` chooses the streaming path (see the module docstring); ``None`` streams when every
    input is JSON Lines. ``table`` overrides the record type of JSON Lines inputs. Invalid input
    returns the report with ``manifest=None`` and leaves ``out`` untouched. Raises
    :class:`~tradeschema.errors.InputError` for unreadable input and
    :class:`~tradeschema.errors.ExportError` when the folder cannot be written.
    """
    if table is not None:
        table = table_for_name(table)
    if partition_by is not None:
        check_partition_key(partition_by)
    inputs = [Path(p) for p in paths]
    if not inputs:
        raise InputError("no input files given")
    kinds = {input_kind(p) for p in inputs}
    for path in inputs:
        if not path.is_file():
            raise InputError("no such file", file=str(path))
    if stream is None:
        stream = kinds == {"jsonl"}
    if stream and kinds != {"jsonl"}:
        raise InputError("only JSON Lines inputs can be streamed", file=str(inputs[0]))
    if not stream:
        dataset, report = load_inputs(inputs, table=table)
        if dataset is None:
            return ExportResult(report)
        return ExportResult(
            report,
            export_dataset(dataset, out, force=force, partition_by=partition_by, batch_size=batch_size),
            Path(out),
        )
    manifest: dict[str, Any] | None = None
    try:
        with staged_directory(out, force=force) as stage:
            report, manifest = _stream(inputs, table, stage, batch_size, partition_by)
            if manifest is None:
                raise _Invalid
    except _Invalid:
        return ExportResult(report)
    return ExportResult(report, manifest, Path(out))
