"""JSON Lines to Parquet on Spark: the export of a streamed single-machine export, on a cluster.

The driver cuts each input into parts of whole lines (:func:`~tradeschema.validation.parallel.cut_points`)
and has Spark count the lines of every part but the last of each file, so each part knows the number of
its first line. One Spark task per part then runs :func:`.parts.export_parts`: the validator's own
JSON Lines reader on its bytes, and, when the part holds no error of its own, the export's writers on
the same bytes, into a staging folder beside the target. Integrity across files (duplicate ids,
references, evidence spans) is checked by Spark's joins (:func:`.validate.conclude`, the code
``validate_spark`` uses). Only when the whole report has no error is the staging folder finished
(schemas, manifest) and swapped in for the target (:mod:`tradeschema.export.atomic`); otherwise it is
removed and the report returned: the one ``tradeschema validate`` gives on the same files.

What the folder holds: ``parquet/`` (each record table and each derived link table as a folder of
parts, ``parquet/<table>/part-<file>-<part>.parquet``, in the layout of :mod:`tradeschema.tables`),
``schemas/`` and ``manifest.json``. No ``jsonl/`` (the input already is that form), no ``csv/``,
``datapackage.json`` or ``dataset.json``: each is one file written by one writer, which is what a
cluster is there to avoid.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ExportError, InputError, UsageError
from ..export.atomic import staged_directory
from ..export.layout import PARQUET_FOLDER, SCHEMAS_FOLDER, parquet_part_path
from ..export.manifest import build_manifest, write_manifest
from ..export.parquet import DEFAULT_BATCH_SIZE
from ..export.pipeline import ExportResult, input_kind, validator_inputs
from ..export.stream import file_state
from ..export.writers import parquet_writer
from ..integrity import LINE
from ..registry import LINK_TABLES, TABLE_NAMES, table_for_name
from ..report import IssueCode, Report
from ..schema import write_schemas
from ..validation import PathLike, known_tables
from ..validation.core import Run
from ..validation.jsonl import MAX_LINE_BYTES
from ..validation.parallel import cut_points
from .parts import LINES, PARTS, count_lines, export_parts, part_stem
from .session import DEFAULT_MASTER, require_pyspark, spark_session
from .tasks import FACTS, spark_ddl

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

    from ..validation.discover import Input

__all__ = ["TASK_BYTES", "export_spark"]

TASK_BYTES = 64 << 20
"""Bytes of input per Spark task, about: a file is cut into parts of at least this many, at newlines."""


class _Invalid(Exception):
    """Raised inside the staging context so that an invalid input leaves nothing behind."""


def export_spark(
    paths: PathLike | Sequence[PathLike],
    to: PathLike,
    *,
    record: str | None = None,
    spark: SparkSession | None = None,
    master: str = DEFAULT_MASTER,
    force: bool = False,
    keep_per_code: int = 1000,
    task_bytes: int = TASK_BYTES,
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_line_bytes: int | None = None,
) -> ExportResult:
    """Validate JSON Lines files of records on Spark and, when valid, export them to the folder ``to``.

    ``paths`` are ``.jsonl`` or ``.ndjson`` files (their record type from the name, or ``record``)
    at paths the driver and every worker can open; ``to`` must be such a path too, since the workers
    write into it. ``spark`` is the session to use (default: the active one, or a new one on
    ``master``). Each task reads about ``task_bytes`` of input; Parquet row groups hold
    ``batch_size`` rows. The folder holds ``parquet/`` (every record table and link table, each a
    folder of parts), ``schemas/`` and ``manifest.json`` (see the module docstring) and is replaced
    atomically, as :func:`tradeschema.export.export_files` replaces it; it validates with
    :func:`tradeschema.validate` and its tables hold the records of the single-machine export.
    Invalid input writes nothing and returns the report :func:`tradeschema.validate` gives on the
    same files, with ``manifest=None``. Raises :class:`~tradeschema.errors.InputError` for a missing
    input or one that is not JSON Lines, :class:`~tradeschema.errors.UsageError` for an unknown
    record type or a size below 1, and :class:`~tradeschema.errors.ExportError` when the folder cannot
    be written (it is then left as it was).
    """
    require_pyspark()
    table = None if record is None else table_for_name(record)
    names = [os.fspath(paths)] if isinstance(paths, (str, os.PathLike)) else [os.fspath(p) for p in paths]
    if not names:
        raise InputError("no input files given")
    for name in names:
        if input_kind(name) != "jsonl":
            raise InputError(
                "an export on Spark reads JSON Lines of records (.jsonl, .ndjson); articles are read "
                "by the extract on Spark, Dataset documents by the single-machine export",
                file=name,
            )
        if not Path(name).is_file():
            raise InputError("no such file", file=name)
    if task_bytes < 1:
        raise UsageError(f"task_bytes must be 1 or more, not {task_bytes}")
    if max_line_bytes is not None and max_line_bytes < 1:
        raise UsageError(f"max_line_bytes must be 1 or more, not {max_line_bytes}")
    inputs = validator_inputs(names, table)
    session = spark if spark is not None else spark_session(master)
    states = [file_state(Path(item.path)) for item in inputs]
    limit = MAX_LINE_BYTES if max_line_bytes is None else max_line_bytes
    report = Report(keep_per_code=keep_per_code)
    try:
        with staged_directory(os.fspath(to), force=force) as stage:
            report, failure = _validate_and_write(
                session, inputs, stage, keep_per_code, task_bytes, batch_size, limit
            )
            if not report.valid:
                raise _Invalid
            if failure is not None:
                raise ExportError(failure)
            if [file_state(Path(item.path)) for item in inputs] != states:
                raise ExportError("an input file changed during the export; nothing written")
            manifest = _finish_folder(stage)
    except _Invalid:
        return ExportResult(report)
    return ExportResult(report, manifest, Path(to))


def _parts(inputs: Sequence[Input], task_bytes: int) -> list[dict[str, Any]]:
    """Every file with a table, cut into parts of whole lines (their first lines not known yet)."""
    parts: list[dict[str, Any]] = []
    files = [item for item in inputs if item.table is not None]
    for file_ord, item in enumerate(files):
        size = os.path.getsize(item.path)
        cuts = cut_points(item.path, max(1, size // task_bytes), min_part=task_bytes)
        for number, (start, stop) in enumerate(itertools.pairwise(cuts)):
            parts.append(
                {
                    "file_ord": file_ord,
                    "path": item.path,
                    "name": item.name,
                    "table": item.table,
                    "part": number,
                    "start": start,
                    "stop": stop,
                    "first_line": 1,
                }
            )
    return parts


def _number_lines(session: SparkSession, parts: list[dict[str, Any]]) -> None:
    """Set each part's first line: Spark counts the lines of every part that another follows."""
    last = {part["file_ord"]: part["part"] for part in parts}
    followed = [_row(part) for part in parts if part["part"] < last[part["file_ord"]]]
    if not followed:
        return
    frame = session.createDataFrame(followed, spark_ddl(PARTS)).repartition(len(followed))
    lines = {
        (row["file_ord"], row["part"]): int(row["lines"])
        for row in frame.mapInArrow(count_lines, spark_ddl(LINES)).collect()
    }
    for part in parts:
        before = range(part["part"])
        part["first_line"] = 1 + sum(lines[(part["file_ord"], number)] for number in before)


def _row(part: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(part[field.name] for field in PARTS)


def _validate_and_write(  # noqa: PLR0917  # export_spark's own settings
    session: SparkSession,
    inputs: Sequence[Input],
    stage: Path,
    keep_per_code: int,
    task_bytes: int,
    batch_size: int,
    max_line_bytes: int,
) -> tuple[Report, str | None]:
    """The report on the inputs, and why a valid input could not be converted (None: it was)."""
    from pyspark.sql import functions as F

    from .validate import conclude

    run = Run(known_tables(inputs), keep_per_code)
    names: list[str] = []
    for item in inputs:
        if item.table is None:
            run.issue(IssueCode.unknown_record_type, file=item.name)
            continue
        run.file_index(item.name)
        names.append(item.name)
    parts = _parts(inputs, task_bytes)
    failure: str | None = None
    if parts:
        _number_lines(session, parts)
        rows = [_row(part) for part in parts]
        check = partial(
            export_parts,
            known=list(run.integrity.known),
            keep_per_code=keep_per_code,
            max_line_bytes=max_line_bytes,
            out=str(stage),
            batch_size=batch_size,
        )
        tasks = session.createDataFrame(rows, spark_ddl(PARTS)).repartition(len(rows))
        facts = tasks.mapInArrow(check, spark_ddl(FACTS)).persist()
        try:
            # Read while the facts are cached: conclude releases them, and the tasks write files.
            failed = facts.where(F.col("kind") == "failure").select("message").limit(1).collect()
            failure = failed[0]["message"] if failed else None
            tables = {item.table for item in inputs if item.table is not None}
            conclude(run, facts, names, tables, place=LINE)
        finally:
            facts.unpersist()
    return run.finish(), failure


def _finish_folder(stage: Path) -> dict[str, Any]:
    """Remove what a task left half-written, give every table a file, write schemas and manifest."""
    parquet = stage / PARQUET_FOLDER
    for stray in parquet.glob("*/.*"):
        stray.unlink(missing_ok=True)
    for name in [*TABLE_NAMES, *LINK_TABLES]:
        folder = parquet / name
        if not any(folder.glob("*.parquet")):
            # An empty table still has its file, as on one machine: readers find every table.
            folder.mkdir(parents=True, exist_ok=True)
            parquet_writer(parquet_part_path(stage, name, part_stem(0, 0)), name, DEFAULT_BATCH_SIZE).close()
    write_schemas(stage / SCHEMAS_FOLDER)
    manifest = build_manifest(stage, dataset_json=False, partition_by=None, engine="spark")
    write_manifest(stage, manifest)
    return manifest
