"""The validator for third-party datasets: JSON, JSON Lines, Parquet and CSV, into one :class:`Report`.

:func:`validate` reads each input in its own format (one module each: :mod:`.document`,
:mod:`.jsonl`, :mod:`.parquet`, :mod:`.csv_table`), checks every record against the models (which
check exactly what the published JSON Schema checks), and checks integrity across all inputs of the
run with compact state (:mod:`.integrity`). Data problems are issues in the report; only a program
error raises.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Union

from ..report import IssueCode

if TYPE_CHECKING:
    from ..report import Report
    from .core import Run
    from .discover import Input

__all__ = ["PathLike", "validate", "validate_inputs"]

PathLike = Union[str, "os.PathLike[str]"]


def validate(
    path_or_data: PathLike | Sequence[PathLike] | Mapping[str, Any] | Any,
    *,
    record: str | None = None,
    keep_per_code: int = 1000,
    progress: bool | None = None,
) -> Report:
    """Validate files, folders or in-memory data; returns the report (``report.valid`` is the verdict).

    ``path_or_data`` is a path, a list of paths, a Dataset (model or dict, as from ``json.load``).
    ``record`` names the record type of JSON Lines / CSV / Parquet files whose name does not tell it
    (``statement`` or ``statements``). ``progress`` shows a counter on standard error (default: when
    it is a terminal). Every issue of every code is counted; ``keep_per_code`` of each are kept.
    """
    from pydantic import BaseModel

    from .core import Run

    if isinstance(path_or_data, BaseModel):
        path_or_data = path_or_data.model_dump(mode="json")
    if isinstance(path_or_data, Mapping):
        from .document import validate_document_data

        run = Run(None, keep_per_code)
        validate_document_data(run, path_or_data)
        return run.finish()
    if isinstance(path_or_data, (str, os.PathLike)):
        paths = [os.fspath(path_or_data)]
    else:
        paths = [os.fspath(p) for p in path_or_data]
    return _validate_paths(paths, record, keep_per_code, progress)


def _validate_paths(
    paths: list[str], record: str | None, keep_per_code: int, progress: bool | None
) -> Report:
    from .core import Run
    from .discover import discover

    inputs, empty, notes = discover(paths, record)
    run = Run(_known_tables(inputs), keep_per_code)
    run.report.notes.extend(notes)
    for given in empty:
        run.issue(
            IssueCode.no_input, "no file the validator recognises (.json, .jsonl, .parquet, .csv)", file=given
        )
    _validate_inputs(run, inputs, progress)
    return run.finish()


def validate_inputs(inputs: Sequence[Input], *, keep_per_code: int = 1000) -> Report:
    """Validate files whose format and table the caller already knows (the export does); no discovery.

    Integrity is checked across all of them, against the tables they hold.
    """
    from .core import Run

    run = Run(_known_tables(inputs), keep_per_code)
    _validate_inputs(run, inputs, progress=False)
    return run.finish()


def _known_tables(inputs: Sequence[Input]) -> list[str]:
    """The tables the inputs hold, in dataset order (a Dataset document holds them all)."""
    from .integrity import TABLE_NAMES

    known: set[str] = set()
    for item in inputs:
        if item.format == "json":
            known.update(TABLE_NAMES)
        elif item.table is not None:
            known.add(item.table)
    return [t for t in TABLE_NAMES if t in known]


def _validate_inputs(run: Run, inputs: Sequence[Input], progress: bool | None) -> None:
    sources_left = sum(1 for item in inputs if item.table == "sources")
    for item in inputs:
        _validate_one(run, item, progress)
        if item.table == "sources":
            sources_left -= 1
        if sources_left == 0:
            run.integrity.sources_done = True


def _validate_one(run: Run, item: Input, progress: bool | None) -> None:
    from .integrity import MODELS
    from .progress import Progress

    if not os.path.exists(item.path):
        run.issue(IssueCode.unreadable_file, "no such file or folder", file=item.name)
        return
    if os.path.isdir(item.path):
        run.issue(IssueCode.unreadable_file, "is a folder", file=item.name)
        return
    if item.format == "json":
        from .document import validate_document

        validate_document(run, item.path, item.name)
        return
    if item.table is None:
        run.issue(
            IssueCode.unknown_record_type,
            "cannot tell the record type from the file name; give the record type",
            file=item.name,
        )
        return
    if item.format == "parquet":
        from .parquet import validate_parquet

        meter = Progress(_rows(item.path), enabled=progress)
        validate_parquet(
            run, item.path, item.name, item.table, meter, partition_columns=item.partition_columns
        )
    elif item.format == "csv":
        from .csv_table import validate_csv

        meter = Progress(os.path.getsize(item.path), enabled=progress)
        validate_csv(run, item.path, item.name, item.table, meter)
    else:
        from .jsonl import validate_jsonl

        meter = Progress(os.path.getsize(item.path), enabled=progress)
        validate_jsonl(run, item.path, item.name, MODELS[item.table], meter)
    meter.close()


def _rows(path: str) -> int:
    import pyarrow.parquet as pq

    try:
        return int(pq.ParquetFile(path).metadata.num_rows)
    except Exception:  # only sizes the progress bar; the reader reports the real error
        return 1
