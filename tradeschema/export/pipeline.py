"""The two ways an export runs: in memory and streamed, both read and checked by the validator.

Inputs are read by the validator itself (:mod:`tradeschema.validation.records`), so a failed export
reports exactly what ``tradeschema validate`` reports on the same files: the same issues, places,
hints and counts. Articles go through the article loader first and are validated as one Dataset.

*In memory*: the records the validator hands on are kept, ordered by id, and written with
``dataset.json``. *Streamed* (every input JSON Lines): this process converts the files block by
block into the staging folder, in input order, so memory stays flat as input grows. The validator
clears each block from the parse the writers share (:mod:`tradeschema.validation.clearing`); at the
first block it cannot clear, or when the cleared input holds anything to report, the validator's own
per-line loop reads the inputs in a child process (see :mod:`tradeschema.export.stream`), and its
report is the one given. A streamed export writes no
``dataset.json``: ordering a huge input by id would need all of it in memory, and one
multi-gigabyte JSON document serves nobody; the JSON Lines files hold the same records. Either way,
invalid input writes nothing: the output is staged beside the target and moved in only when the
whole input is valid (see :mod:`tradeschema.export.atomic`); the folder's layout is in
:mod:`tradeschema.export.layout` and its writers in :mod:`tradeschema.export.writers`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
from pydantic import ValidationError

from ..errors import ExportError, InputError
from ..models import SCHEMA_VERSION, Dataset, Record
from ..registry import TABLE_NAMES, table_for_name
from ..report import Report
from ..schema import write_schemas
from ..system import lower_thread_priority, usable_cores
from ..validation.clearing import Clearing
from ..validation.discover import Input, table_from_name
from ..validation.progress import Progress
from ..validation.records import DataInput, Place, validate_records
from .arrow import record_json
from .atomic import staged_directory
from .canonical import sorted_dataset, write_dataset_json
from .datapackage import write_data_package
from .layout import DATASET_JSON, PARQUET_FOLDER, SCHEMAS_FOLDER, make_folders
from .manifest import build_manifest, write_manifest
from .parquet import DEFAULT_BATCH_SIZE, check_partition_key, partition_table
from .stream import ValidationProcess, file_state, line_blocks
from .writers import Rows, Writer, open_writers

__all__ = [
    "ARTICLE_SUFFIXES",
    "DATASET_SUFFIXES",
    "JSONL_SUFFIXES",
    "ExportResult",
    "export_dataset",
    "export_files",
    "input_kind",
    "read_inputs",
    "validator_inputs",
]

ARTICLE_SUFFIXES: tuple[str, ...] = (".txt",)
"""File name endings read as articles."""
DATASET_SUFFIXES: tuple[str, ...] = (".json",)
"""File name endings read as Dataset documents."""
JSONL_SUFFIXES: tuple[str, ...] = (".jsonl", ".ndjson")
"""File name endings read as JSON Lines."""


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


def input_kind(path: str | os.PathLike[str]) -> str:
    """``article``, ``dataset`` or ``jsonl``, told from the file name; raises :class:`InputError`."""
    suffix = Path(path).suffix.lower()
    if suffix in ARTICLE_SUFFIXES:
        return "article"
    if suffix in DATASET_SUFFIXES:
        return "dataset"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    raise InputError(
        "unknown input type: expected .txt (article), .json (Dataset) or .jsonl", file=os.fspath(path)
    )


def validator_inputs(names: Sequence[str], table: str | None) -> list[Input]:
    """The validator's view of the Dataset and JSON Lines inputs, in the order it reads them (every
    engine of the export reads them in this order, so reports name the same first records)."""
    inputs = []
    for name in names:
        if input_kind(name) == "dataset":
            inputs.append(Input(name, name, "json"))
        else:
            inputs.append(Input(name, name, "jsonl", table or table_from_name(Path(name).name)))
    order = {name: index for index, name in enumerate(TABLE_NAMES)}
    # As `tradeschema validate` orders them: documents, then tables in dataset order (sources first,
    # so evidence spans are checked as records arrive).
    inputs.sort(key=lambda i: (i.format != "json", order.get(i.table or "", len(order))))
    return inputs


def read_inputs(
    paths: Iterable[str | os.PathLike[str]],
    *,
    table: str | None = None,
    keep_per_code: int = 1000,
    progress: bool | None = False,
) -> tuple[Dataset | None, Report]:
    """Read and validate the inputs as one run; returns the Dataset (``None`` when invalid) and report.

    Articles (``.txt``) go through the article loader and are validated as one Dataset; documents
    and JSON Lines are read by the validator. ``table`` is the record type of JSON Lines inputs
    whose names do not tell it. ``progress`` shows counters on standard error (``None``: when it is
    a terminal). Raises :class:`InputError` for a file of an unknown kind or an article that cannot
    be read.
    """
    names = [os.fspath(p) for p in paths]
    articles = [name for name in names if input_kind(name) == "article"]
    data: list[DataInput] = []
    if articles:
        from ..loader.load import load_articles

        meter = Progress(len(articles), enabled=progress, label="extracting", unit="articles", every=1)
        loaded = load_articles(articles, on_article=lambda: meter.advance(1))
        meter.close()
        data.append(DataInput(loaded, articles[0] if len(articles) == 1 else "articles"))
    lists: dict[str, Any] = {name: [] for name in TABLE_NAMES}

    def keep(record: Record, place: Place) -> None:
        lists[record.table].append(record)

    files = validator_inputs([name for name in names if name not in articles], table)
    report = validate_records([*data, *files], keep, keep_per_code=keep_per_code, progress=progress)
    if not report.valid:
        return None, report
    # Every record passed the schema and the whole passed integrity, in the validator.
    return Dataset.model_construct(schema_version=SCHEMA_VERSION, **lists), report


class _Pipeline:
    """Every table's writers, and the threads that run them: one per lane (:attr:`Writer.lane`).

    The Parquet and link tables run on one thread, the CSV tables on another and the JSON Lines on a
    third: pyarrow's JSON parse, its CSV writer and zstd compression release the GIL, so the lanes
    overlap with each other and with the main thread, and once the validator is done the converting
    process keeps both cores busy. Each thread takes its work in order, with at most two blocks
    waiting, so memory stays bounded. The lanes share each block's Arrow batch, built once.
    """

    def __init__(self, stage: Path, batch_size: int) -> None:
        make_folders(stage)
        self.writers: dict[str, list[Writer]] = {}
        try:
            for table in TABLE_NAMES:
                self.writers[table] = open_writers(stage, table, batch_size)
        except BaseException:
            self._close_writers(raise_errors=False)
            raise
        # The lanes of the writers opened, in the order first met: every writer has its thread.
        lanes = dict.fromkeys(w.lane for writers in self.writers.values() for w in writers)
        self._threads = {
            lane: ThreadPoolExecutor(
                max_workers=1, thread_name_prefix=f"tradeschema-{lane}", initializer=_yield_to_validation
            )
            for lane in lanes
        }
        self._jobs: dict[str, list[Future[None]]] = {lane: [] for lane in lanes}

    def add(self, rows: Rows) -> None:
        """Hand a block to every writer of its table."""
        for lane, thread in self._threads.items():
            writers = [w for w in self.writers[rows.table] if w.lane == lane]
            jobs = self._jobs[lane]
            _wait(jobs, 2)
            jobs.append(thread.submit(_write_all, writers, rows))

    def finish(self) -> dict[Path, tuple[str, int | None]]:
        """Wait for every block to be written and close every file; raises what a writer raised.

        Returns what the writers hashed as they wrote, by file (see :meth:`Writer.digest`).
        """
        try:
            for jobs in self._jobs.values():
                _wait(jobs, 0)
        except BaseException:
            self.abort()
            raise
        self._shutdown()
        writers = [w for writers in self.writers.values() for w in writers]
        self._close_writers(raise_errors=True)
        return {w.path: digest for w in writers if (digest := w.digest()) is not None}

    def abort(self) -> None:
        """Stop after a failure: drop the blocks not yet written and close the files."""
        self._shutdown()
        self._close_writers(raise_errors=False)

    def _shutdown(self) -> None:
        for thread in self._threads.values():
            thread.shutdown(wait=True, cancel_futures=True)

    def _close_writers(self, *, raise_errors: bool) -> None:
        first: BaseException | None = None
        for writer in [w for writers in self.writers.values() for w in writers]:
            first = _close(writer) or first
        self.writers = {}
        if first is not None and raise_errors:
            raise first


def _close(writer: Writer) -> Exception | None:
    """Close a writer; returns its error, so every file is closed before the first is raised."""
    try:
        writer.close()
    except pa.ArrowException as exc:  # as in _write_all: a row group is written when it fills
        return ExportError(f"cannot write {writer.path.name}: {exc}")
    except Exception as exc:  # returned to the caller, which raises the first one
        return exc
    return None


def _write_all(writers: Sequence[Writer], rows: Rows) -> None:
    try:
        for writer in writers:
            writer.write(rows)
    except pa.ArrowException as exc:
        # Input lines are converted before the validator's verdict: a line that breaks the layout
        # (a null id) is one the validator reports, and a streamed export waits for its report.
        raise ExportError(f"cannot write {rows.table}: {exc}") from exc


def _yield_to_validation() -> None:
    """The writers follow the thread that reads, parses and clears each block (and the validator's
    child process, when it runs): on a busy machine those should get the core first."""
    lower_thread_priority()


def _wait(futures: list[Future[None]], in_flight: int) -> None:
    while len(futures) > in_flight:
        futures.pop(0).result()


def _finish_folder(
    stage: Path,
    partition_by: str | None,
    dataset_records: int | None,
    digests: dict[Path, tuple[str, int | None]],
) -> dict[str, Any]:
    if partition_by is not None:
        for path in sorted((stage / PARQUET_FOLDER).glob("*.parquet")):
            partition_table(path, path.stem, partition_by)
    write_schemas(stage / SCHEMAS_FOLDER)
    write_data_package(stage)
    manifest = build_manifest(
        stage,
        dataset_records=dataset_records,
        digests=digests,
        dataset_json=dataset_records is not None,
        partition_by=partition_by,
    )
    write_manifest(stage, manifest)
    return manifest


def _write_dataset(
    dataset: Dataset, stage: Path, batch_size: int, partition_by: str | None
) -> dict[str, Any]:
    ordered = sorted_dataset(dataset)
    write_dataset_json(ordered, stage / DATASET_JSON)
    pipeline = _Pipeline(stage, batch_size)
    try:
        for table in TABLE_NAMES:
            records = getattr(ordered, table)
            for start in range(0, len(records), batch_size):
                lines = b"".join(record_json(r) + b"\n" for r in records[start : start + batch_size])
                pipeline.add(Rows(table, lines, canonical=True))
    except BaseException:
        pipeline.abort()
        raise
    digests = pipeline.finish()
    total = sum(len(getattr(ordered, table)) for table in TABLE_NAMES)
    return _finish_folder(stage, partition_by, total, digests)


def export_dataset(
    dataset: Dataset,
    out: str | Path,
    *,
    force: bool = False,
    partition_by: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> dict[str, Any]:
    """Write a validated dataset as an export folder (see :mod:`.layout`); returns the manifest.

    ``out`` is replaced atomically; an existing folder that is not a tradeschema export is refused
    (:class:`~tradeschema.errors.ExportError`) unless ``force``, and so is a symbolic link.
    """
    if partition_by is not None:
        check_partition_key(partition_by)
    with staged_directory(out, force=force) as stage:
        return _write_dataset(dataset, stage, batch_size, partition_by)


def _stream(
    inputs: Sequence[Input],
    stage: Path,
    batch_size: int,
    partition_by: str | None,
    *,
    keep_per_code: int,
    progress: Progress,
    jobs: int | None,
) -> tuple[Report, dict[str, Any] | None]:
    states = [file_state(Path(item.path)) for item in inputs]
    # Each block of lines is parsed once, by `pyarrow.json`, for the writers; as long as every block
    # is cleared from that parse (see tradeschema.validation.clearing), no second reading is needed.
    # At the first block that is not, the validator starts over all inputs in a child process while
    # this process goes on converting, and its report decides. The staged output is kept only when
    # the report has no error. This process is one of the jobs: the validator gets the others (at
    # least one).
    validators = max(1, (jobs or usable_cores()) - 1)
    clearing = Clearing(inputs, keep_per_code)
    validation: ValidationProcess | None = None
    failure: Exception | None = None
    manifest: dict[str, Any] | None = None
    pipeline = _Pipeline(stage, batch_size)
    try:
        for item in inputs:
            clearing.start(item)
            if item.table is None:
                continue  # the validator reports it: nothing of it is converted
            for lines in line_blocks(Path(item.path)):
                rows = Rows(item.table, lines, canonical=False)
                if not _clear(clearing, rows) and validation is None:
                    validation = ValidationProcess(inputs, keep_per_code, jobs=validators)
                pipeline.add(rows)
                progress.advance(len(lines))
        digests = pipeline.finish()
        # Schemas and manifest too are written while the validator may still be running.
        manifest = _finish_folder(stage, partition_by, None, digests)
    except (ValidationError, ExportError) as exc:
        # Lines the models reject (the report will list them), or values Arrow cannot hold: wait
        # for the report before deciding which to tell.
        failure = exc
        pipeline.abort()
    except BaseException:
        if validation is not None:
            validation.cancel()
        pipeline.abort()
        raise
    report = None if failure is not None else clearing.report()
    if report is None:
        report = (validation or ValidationProcess(inputs, keep_per_code, jobs=validators)).report()
    if not report.valid:
        return report, None
    if failure is not None:
        if isinstance(failure, ExportError):
            raise failure
        raise ExportError(f"a line the validator accepted could not be converted: {failure}") from failure
    if [file_state(Path(item.path)) for item in inputs] != states:
        raise ExportError("an input file changed during the export; nothing written")
    assert manifest is not None
    return report, manifest


def _clear(clearing: Clearing, rows: Rows) -> bool:
    """Clear a block of input lines from the parse its writers share; returns whether it was cleared
    (once one is not, later blocks are only counted)."""
    parsed = rows.parsed if clearing.cleared else None
    return clearing.clear(rows.lines, parsed, None if parsed is None else rows.batch)


def export_files(
    paths: Iterable[str | os.PathLike[str]],
    out: str | Path,
    *,
    force: bool = False,
    partition_by: str | None = None,
    table: str | None = None,
    stream: bool | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    keep_per_code: int = 1000,
    progress: bool | None = False,
    jobs: int | None = None,
) -> ExportResult:
    """Validate the input files and, when valid, export them to the folder ``out``.

    ``stream`` chooses the streaming path (see the module docstring); ``None`` streams when every
    input is JSON Lines. ``table`` names the record type of JSON Lines inputs whose names do not
    tell it. Invalid input returns the report with ``manifest=None`` and leaves ``out`` untouched;
    the report keeps ``keep_per_code`` issues of each code (all are counted). ``progress`` shows a
    counter on standard error (``None``: when it is a terminal). A streamed export clears valid input
    from the parse its writers share; when the validator must read the inputs itself, it runs in
    ``jobs`` - 1 processes (None: the usable cores; one at least) beside this one, as
    :func:`tradeschema.validate` does. The folder written is the same for any number.
    Raises :class:`~tradeschema.errors.InputError` for a missing input or one of an unknown kind,
    and :class:`~tradeschema.errors.ExportError` when the folder cannot be written.
    """
    if table is not None:
        table = table_for_name(table)
    if partition_by is not None:
        check_partition_key(partition_by)
    names = [os.fspath(p) for p in paths]
    if not names:
        raise InputError("no input files given")
    kinds = {input_kind(name) for name in names}
    for name in names:
        if not Path(name).is_file():
            raise InputError("no such file", file=name)
    if stream is None:
        stream = kinds == {"jsonl"}
    if stream and kinds != {"jsonl"}:
        raise InputError("only JSON Lines inputs can be streamed", file=names[0])
    if not stream:
        dataset, report = read_inputs(names, table=table, keep_per_code=keep_per_code, progress=progress)
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
            meter = Progress(
                sum(Path(name).stat().st_size for name in names), enabled=progress, label="exporting", every=1
            )
            try:
                report, manifest = _stream(
                    validator_inputs(names, table),
                    stage,
                    batch_size,
                    partition_by,
                    keep_per_code=keep_per_code,
                    progress=meter,
                    jobs=jobs,
                )
            finally:
                meter.close()
            if manifest is None:
                raise _Invalid
    except _Invalid:
        return ExportResult(report)
    return ExportResult(report, manifest, Path(out))
