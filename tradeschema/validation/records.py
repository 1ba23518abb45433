"""Validated records with their place: the validator's own reading path, for callers that keep records.

:func:`validate_records` runs the validator (the readers, rules, messages and hints of
:func:`tradeschema.validation.validate`) over Dataset documents, JSON Lines files and in-memory
Dataset data, and hands every record that passes the schema to a callback with its :class:`Place`
while the :class:`~tradeschema.report.Report` fills. :class:`RecordStream` is the same as an
iterator. The export reads its inputs this way, so a failed export reports exactly what
``tradeschema validate`` reports on the same inputs.

Parquet and CSV files are validated column by column, without a model per valid row, so they have no
record stream: :func:`tradeschema.export.read_parquet` validates a file, then converts it.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import InputError, UsageError
from ..registry import TABLE_NAMES
from ..report import Report, format_path
from .discover import Input

if TYPE_CHECKING:
    from ..models import Record
    from .integrity import Where

__all__ = ["RECORD_FORMATS", "DataInput", "Place", "RecordStream", "reading_error", "validate_records"]

RECORD_FORMATS: tuple[str, ...] = ("json", "jsonl", "csv")
"""Input formats whose valid records can be handed on (see the module docstring)."""


@dataclass(frozen=True, slots=True)
class Place:
    """Where a record was read, in the terms of the report's issues."""

    file: str | None
    """The input's name, as the report names it."""
    line: int | None = None
    """1-based line: the line of a JSON Lines record, the first line of a record in a document."""
    row: int | None = None
    """1-based row of a CSV table (its data rows; the header is not counted)."""
    path: str = "$"
    """JSON path of the record in its input: ``$`` for a line, ``$.statements[3]`` in a document."""


@dataclass(frozen=True, slots=True)
class DataInput:
    """An in-memory Dataset (a model, or a dict as ``json.load`` gives it), validated as one input."""

    data: Any
    name: str = "<data>"
    """How the report names it."""


RecordCallback = Callable[["Record", Place], None]


def validate_records(
    inputs: Sequence[Input | DataInput],
    on_record: RecordCallback,
    *,
    keep_per_code: int = 1000,
    report: Report | None = None,
    progress: bool | None = False,
) -> Report:
    """Validate the inputs as one run and call ``on_record(record, place)`` for each valid record.

    Returns the report: ``report`` when given (it fills as the run goes), else a new one.
    ``progress`` shows a counter on standard error (``None``: when it is a terminal).

    Integrity (duplicate ids, references, spans) is checked across all inputs, as by
    :func:`tradeschema.validation.validate`; in-memory data comes first, like Dataset documents.
    A record that passes the schema is handed on even if an integrity rule fails for it later: the
    report has the last word. Raises :class:`~tradeschema.errors.UsageError` for a file format that
    has no record stream (Parquet).
    """
    from pydantic import BaseModel

    from . import known_tables, validate_into
    from .core import Run
    from .document import validate_document_data

    files = [item for item in inputs if isinstance(item, Input)]
    data = [item for item in inputs if isinstance(item, DataInput)]
    for item in files:
        if item.format not in RECORD_FORMATS:
            raise UsageError(
                f"{item.name}: {item.format} files have no record stream; "
                f"choose among {', '.join(RECORD_FORMATS)}"
            )

    def hook(record: Record, where: Where) -> None:
        file, line, row, root = run.place(where)
        on_record(record, Place(file, line, row, format_path(root)))

    run = Run(list(TABLE_NAMES) if data else known_tables(files), keep_per_code, on_record=hook)
    if report is not None:
        run.report = report
    for given in data:
        payload = given.data.model_dump(mode="json") if isinstance(given.data, BaseModel) else given.data
        validate_document_data(run, payload, given.name)
    validate_into(run, files, progress=progress)
    return run.finish()


class _Closed(Exception):
    """Raised inside the validating thread when the reader stopped iterating."""


_DONE = object()


class RecordStream:
    """The valid records of the inputs with their place, as an iterator of ``(record, place)``.

    The validator runs in a thread and hands records over through a bounded queue, so memory does
    not grow with the input. :attr:`report` fills as the validator goes and is complete once the
    iteration has ended; an exception of the validator is raised by the iteration. Leaving the
    loop early (or :meth:`close`) stops the validator.
    """

    def __init__(
        self, inputs: Sequence[Input | DataInput], *, keep_per_code: int = 1000, buffer: int = 1024
    ) -> None:
        self.report = Report(keep_per_code=keep_per_code)
        """The validator's report; complete once the iteration has ended."""
        self._inputs = list(inputs)
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=buffer)
        self._closed = threading.Event()
        self._thread: threading.Thread | None = None

    def _put(self, item: Any) -> None:
        while not self._closed.is_set():
            try:
                self._queue.put(item, timeout=0.1)
            except queue.Full:
                continue
            return
        raise _Closed

    def _run(self) -> None:
        outcome: Any = _DONE
        try:
            validate_records(
                self._inputs, lambda record, place: self._put((record, place)), report=self.report
            )
        except _Closed:
            return
        except BaseException as exc:  # handed to the reader, who raises it
            outcome = exc
        try:
            self._put(outcome)
        except _Closed:
            return

    def __iter__(self) -> Iterator[tuple[Record, Place]]:
        if self._thread is not None:
            raise RuntimeError("a RecordStream can be iterated once")
        self._thread = threading.Thread(target=self._run, name="tradeschema-records", daemon=True)
        self._thread.start()
        try:
            while True:
                item = self._queue.get()
                if item is _DONE:
                    return
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            self.close()

    def close(self) -> None:
        """Stop the validator (when the reader leaves early) and wait for its thread."""
        self._closed.set()
        if self._thread is not None:
            self._thread.join()


def reading_error(report: Report) -> InputError | None:
    """What stops a reader of records: the report's first error as an :class:`InputError`, in the
    validator's words, or ``None``. A file without records is no error for a reader: it reads none.
    """
    from ..report import IssueCode

    for issue in report.issues:
        if issue.severity == "error" and issue.code is not IssueCode.empty_file:
            where = f"{issue.path} " if issue.path and issue.path != "$" else ""
            return InputError(f"{where}{issue.code}: {issue.message}", file=issue.file, line=issue.line)
    return None
