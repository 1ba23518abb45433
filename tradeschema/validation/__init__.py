"""The validator for third-party datasets: JSON, JSON Lines, Parquet and CSV, into one :class:`Report`.

:func:`validate` reads each input in its own format (one module each: :mod:`.document`,
:mod:`.jsonl`, :mod:`.parquet`, :mod:`.csv_table`), checks every record against the models (which
check exactly what the published JSON Schema checks), and checks integrity across all inputs of the
run with compact state (:mod:`.integrity`). Data problems are issues in the report; only a program
error raises.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Union, overload

from pydantic import BaseModel

from ..registry import table_for_name
from ..report import IssueCode

if TYPE_CHECKING:
    import pandas
    import polars
    import pyarrow as pa
    import pyarrow.dataset as pa_dataset

    from ..report import Report
    from .core import Run
    from .discover import Input

__all__ = [
    "PathLike",
    "ScopeCheck",
    "TableLike",
    "known_tables",
    "validate",
    "validate_inputs",
    "validate_into",
    "validate_paths",
]

PathLike = Union[str, "os.PathLike[str]"]
"""A file or folder."""
TableLike = Union["pa.Table", "pa.RecordBatch", "pa_dataset.Dataset", "pandas.DataFrame", "polars.DataFrame"]
"""A table in the Parquet layout, in memory."""


@overload
def validate(
    data: PathLike | Sequence[PathLike],
    *,
    record: str | None = None,
    keep_per_code: int = 1000,
    progress: bool | None = None,
    max_line_bytes: int | None = None,
    jobs: int | None = None,
) -> Report: ...


@overload
def validate(
    data: bytes | Mapping[str, Any] | BaseModel,
    *,
    record: str | None = None,
    keep_per_code: int = 1000,
    progress: bool | None = None,
    max_line_bytes: int | None = None,
    jobs: int | None = None,
) -> Report: ...


@overload
def validate(
    data: Sequence[Mapping[str, Any]] | TableLike,
    *,
    record: str | None = None,
    keep_per_code: int = 1000,
    progress: bool | None = None,
    max_line_bytes: int | None = None,
    jobs: int | None = None,
) -> Report: ...


def validate(
    data: object,
    *,
    record: str | None = None,
    keep_per_code: int = 1000,
    progress: bool | None = None,
    max_line_bytes: int | None = None,
    jobs: int | None = None,
) -> Report:
    """Validate files, folders or in-memory data; returns the report (``report.valid`` is the verdict).

    ``data`` is one of:

    - a path or a list of paths: Dataset JSON, JSON Lines, Parquet files or folders, CSV, export
      folders (compressed or not);
    - JSON text (a ``str`` starting with ``{`` or ``[``) or bytes: a Dataset document, or JSON Lines
      of ``record`` records;
    - a Dataset (model or dict, as from ``json.load``), one record (model, or dict with ``record``),
      or a list of record dicts (with ``record``);
    - a table: a pyarrow Table, RecordBatch or Dataset, or a pandas or polars DataFrame, in the
      Parquet layout (``record`` names its type, unless the table's metadata does), checked
      vectorised as Parquet is.

    ``record`` names the record type (``statement`` or ``statements``) where the data does not tell
    it. ``progress`` shows a counter on standard error (default: when it is a terminal). Every issue
    is counted; ``keep_per_code`` of each code are kept. A JSON Lines line longer than
    ``max_line_bytes`` (default 16 MiB) is reported as ``line-too-long`` and skipped without being held
    in memory. Files ending in ``.gz``, ``.bz2`` or ``.zst`` are decompressed as they are read. A JSON
    object that repeats a key is a ``duplicate-key`` error. ``jobs`` processes (default: the cores this
    process may use) share a large JSON Lines file, cut at newlines; the report is the same for any
    number of jobs. Raises :class:`~tradeschema.errors.UsageError`
    for an unknown record type, or for records whose type cannot be told.
    """
    from ..errors import UsageError

    if max_line_bytes is not None and max_line_bytes < 1:
        raise UsageError(f"max_line_bytes must be 1 or more, not {max_line_bytes}")
    if jobs is not None and jobs < 1:
        raise UsageError(f"jobs must be 1 or more, not {jobs}")
    if isinstance(data, BaseModel):
        table = getattr(data, "table", None)
        if isinstance(table, str):
            data, record = [data.model_dump(mode="json")], table
        else:
            data = data.model_dump(mode="json")
    if isinstance(data, str) and data.lstrip()[:1] in ("{", "["):
        data = data.encode("utf-8")
    if isinstance(data, (bytes, bytearray, memoryview)):
        return _validate_json_text(bytes(data), record, keep_per_code)
    if isinstance(data, (str, os.PathLike)):
        return _validate_paths([os.fspath(data)], record, keep_per_code, progress, max_line_bytes, jobs)
    found = _validate_in_memory(data, record, keep_per_code)
    if found is not None:
        return found
    if isinstance(data, Sequence) and all(isinstance(item, (str, os.PathLike)) for item in data):
        paths = [os.fspath(p) for p in data]
        return _validate_paths(paths, record, keep_per_code, progress, max_line_bytes, jobs)
    raise UsageError(
        f"cannot validate a {type(data).__name__}: give paths, JSON text, a Dataset, record dicts or a table"
    )


def _validate_in_memory(data: object, record: str | None, keep_per_code: int) -> Report | None:
    """The report on a table, a Dataset dict or record dicts; None when ``data`` is none of them."""
    from ..errors import UsageError
    from .core import Run
    from .memory import as_arrow, table_of_schema, validate_arrow, validate_dicts

    table_data = as_arrow(data)
    if table_data is not None:
        table = table_of_schema(table_data.schema, record)
        if table is None:
            raise UsageError("a table's record type cannot be told from its metadata: give the record type")
        run = Run([table], keep_per_code)
        validate_arrow(run, table_data, table)
        return run.finish()
    if isinstance(data, Mapping) and record is None:
        from .document import validate_document_data

        run = Run(None, keep_per_code)
        validate_document_data(run, data)
        return run.finish()
    if isinstance(data, Mapping):
        data = [data]
    if isinstance(data, Sequence) and data and all(isinstance(item, Mapping) for item in data):
        if record is None:
            raise UsageError("records given as dicts need their record type (such as statement)")
        table = table_for_name(record)
        run = Run([table], keep_per_code)
        validate_dicts(run, data, table)
        return run.finish()
    return None


def _validate_json_text(data: bytes, record: str | None, keep_per_code: int) -> Report:
    """JSON text in memory, read exactly as a file of it would be (lines, duplicate keys, encoding)."""
    import tempfile

    from .discover import Input

    table = None if record is None else table_for_name(record)
    with tempfile.TemporaryDirectory(prefix="tradeschema-") as folder:
        path = os.path.join(folder, "data.json" if table is None else "data.jsonl")
        with open(path, "wb") as handle:
            handle.write(data)
        name = "<json>" if table is None else "<jsonl>"
        return validate_inputs(
            [Input(path, name, "json" if table is None else "jsonl", table)], keep_per_code=keep_per_code
        )


def _validate_paths(  # noqa: PLR0917  # validate()'s own parameters
    paths: list[str],
    record: str | None,
    keep_per_code: int,
    progress: bool | None,
    max_line_bytes: int | None = None,
    jobs: int | None = None,
) -> Report:
    def check(run: Run, items: Sequence[Input]) -> None:
        validate_into(run, items, progress=progress, max_line_bytes=max_line_bytes, jobs=jobs)

    return validate_paths(paths, check, record=record, keep_per_code=keep_per_code)


ScopeCheck = Callable[["Run", Sequence["Input"]], None]
"""Validates the inputs of one integrity scope into a run (which has the scope's known tables)."""


def validate_paths(
    paths: Sequence[str], check: ScopeCheck, *, record: str | None = None, keep_per_code: int = 1000
) -> Report:
    """Discover what ``paths`` hold, have ``check`` validate each integrity scope, then check export
    folders whole. :func:`validate` passes :func:`validate_into`; a distributed engine passes its own."""
    from ..report import Report
    from .core import Run
    from .discover import discover
    from .folder import check_export_folder

    found = discover(list(paths), record)
    report = Report(keep_per_code=keep_per_code)
    report.notes.extend(found.notes)
    run = Run(None, keep_per_code, report)
    for given in found.empty:
        run.issue(IssueCode.no_input, file=given)
    # Each scope has its own integrity state: every form of an export folder holds all the records.
    scopes: dict[str, list[Input]] = {}
    for item in found.inputs:
        scopes.setdefault(item.scope, []).append(item)
    for items in scopes.values():
        scope_run = Run(known_tables(items), keep_per_code, report)
        check(scope_run, items)
        scope_run.finish()
    for root in found.exports:
        check_export_folder(run, root, scopes)
    return report


def validate_inputs(inputs: Sequence[Input], *, keep_per_code: int = 1000, jobs: int | None = 1) -> Report:
    """Validate files whose format and table the caller already knows (the export does); no discovery.

    Integrity is checked across all of them, against the tables they hold. ``jobs`` as for
    :func:`validate`.
    """
    from .core import Run

    run = Run(known_tables(inputs), keep_per_code)
    validate_into(run, inputs, progress=False, jobs=jobs)
    return run.finish()


def known_tables(inputs: Sequence[Input]) -> list[str]:
    """The tables the inputs hold, in dataset order (a Dataset document holds them all)."""
    from ..registry import TABLE_NAMES

    known: set[str] = set()
    partial: set[str] = set()
    for item in inputs:
        if item.format == "json":
            known.update(TABLE_NAMES)
        elif item.table is not None:
            known.add(item.table)
            if item.partial:
                partial.add(item.table)
    # References into a table given only in part (one partition) cannot be told dangling.
    return [t for t in TABLE_NAMES if t in known and t not in partial]


def validate_into(
    run: Run,
    inputs: Sequence[Input],
    *,
    progress: bool | None = False,
    max_line_bytes: int | None = None,
    jobs: int | None = 1,
) -> None:
    """Validate files into an existing run (its report, integrity state and record hook).

    :func:`validate`, :func:`validate_inputs` and :mod:`.records` build the run; this is the one loop
    over inputs. ``jobs`` (None: the usable cores) processes share each large JSON Lines file.
    """
    from ..system import usable_cores

    jobs = usable_cores() if jobs is None else jobs
    files = [item for item in inputs if item.link is None]
    for number, item in enumerate(files, 1):
        label = "validating" if len(files) == 1 else f"validating file {number}/{len(files)}"
        _validate_one(run, item, progress, max_line_bytes, label=label, jobs=jobs)
    if any(item.link is not None for item in inputs):
        # Only here: link tables are Parquet, and JSON inputs never need pyarrow loaded.
        from .links import check_link_tables

        check_link_tables(run, inputs)


def _validate_one(
    run: Run, item: Input, progress: bool | None, max_line_bytes: int | None, *, label: str, jobs: int
) -> None:
    from ..registry import model_for_table
    from .progress import Progress

    if not os.path.exists(item.path):
        run.issue(IssueCode.unreadable_file, file=item.name, what="the file", note="no such file or folder")
        return
    if os.path.isdir(item.path):
        run.issue(IssueCode.unreadable_file, file=item.name, what="the file", note="it is a folder")
        return
    if item.format == "json":
        from .document import validate_document

        validate_document(run, item.path, item.name)
        return
    if item.table is None:
        run.issue(IssueCode.unknown_record_type, file=item.name)
        return
    if item.format == "parquet":
        from .parallel import validate_parquet_parts

        meter = Progress(_rows(item.path), enabled=progress, label=label)
        validate_parquet_parts(run, item.path, item.name, item.table, meter, item.partitions, jobs)
    elif item.format == "csv":
        from .csv_table import validate_csv

        meter = Progress(os.path.getsize(item.path), enabled=progress, label=label)
        validate_csv(run, item.path, item.name, item.table, meter)
    else:
        from .jsonl import MAX_LINE_BYTES
        from .parallel import validate_jsonl_parts

        meter = Progress(os.path.getsize(item.path), enabled=progress, label=label)
        limit = MAX_LINE_BYTES if max_line_bytes is None else max_line_bytes
        validate_jsonl_parts(run, item.path, item.name, model_for_table(item.table), meter, limit, jobs)
    meter.close()


def _rows(path: str) -> int:
    import pyarrow.parquet as pq

    try:
        return int(pq.ParquetFile(path).metadata.num_rows)
    except Exception:  # only sizes the progress bar; the reader reports the real error
        return 1
