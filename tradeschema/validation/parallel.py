"""Large files on several cores: a JSON Lines file cut at newlines, a Parquet file at row groups, into
parts validated by one process each.

The first part is validated in this process while worker processes
(:class:`~tradeschema.workers.WorkerProcess`) validate the others, each with the same reader
(:func:`~tradeschema.validation.jsonl.validate_jsonl`) into a report of its own. What a record can break
alone (the schema, duplicate keys, span order, a source's hash) is checked in its part; what needs every
record (duplicate ids, references, spans against their sources) is handed back as an
:class:`~tradeschema.integrity.IntegrityPart` and checked here. Parts are taken in, in file order, as
if read here: the report equals that of one process, issue for issue (its issues are listed in file
order, see :meth:`~tradeschema.report.Report.sort_issues`), whatever the number of jobs. Should a
worker fail, its part is validated here.
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

from ..integrity import IntegrityPart
from ..registry import model_for_table
from ..report import Report
from .jsonl import Part, validate_jsonl
from .progress import Progress
from .streams import split_compression

if TYPE_CHECKING:
    from ..models import Record
    from .core import Run

__all__ = [
    "HEAD_BYTES",
    "HEAD_ROWS",
    "MIN_PART_BYTES",
    "MIN_PART_ROWS",
    "FilesRequest",
    "ParquetPartRequest",
    "PartRequest",
    "PartResult",
    "cut_points",
    "group_cuts",
    "validate_jsonl_parts",
    "validate_parquet_parts",
    "validate_part",
]

MIN_PART_BYTES = 32 << 20
"""Smallest part worth a process of its own: a worker takes about 0.3 s to start, the time it takes to
validate some 20 MB; a smaller file is validated in one process."""

MIN_PART_ROWS = 200_000
"""Fewest Parquet rows worth a process of its own (about half a second of work)."""

HEAD_BYTES = 16 << 20
"""Bytes of JSON Lines the calling process reads beyond its equal share, about what it validates while
a worker starts (0.2 to 0.3 s), so that it does not wait for the workers' parts."""

HEAD_ROWS = 150_000
"""Parquet rows the calling process reads beyond its equal share: a worker takes about half a second
to start and import pyarrow, a third of a second of the caller's rows."""

_SCAN = 1 << 16


@dataclass(frozen=True, slots=True)
class FilesRequest:
    """JSON Lines files to validate together in a worker: (path, name, table) each, ``name`` as the
    report names the file."""

    files: list[tuple[str, str, str | None]]
    keep_per_code: int
    jobs: int | None

    def answer(self) -> Report:
        from . import validate_inputs
        from .discover import Input

        inputs = [Input(path, name, "jsonl", table) for path, name, table in self.files]
        return validate_inputs(inputs, keep_per_code=self.keep_per_code, jobs=self.jobs)


@dataclass(frozen=True, slots=True)
class PartRequest:
    """A part of a JSON Lines file for a worker to validate: bytes ``start`` to ``stop``."""

    path: str
    name: str
    table: str
    known_tables: list[str]
    start: int
    stop: int
    keep_per_code: int
    max_line_bytes: int

    def answer(self) -> PartResult:
        return validate_part(self)


@dataclass(slots=True)
class PartResult:
    """A worker's answer: its report (lines counted from the part's first), its integrity state, and
    the lines the part holds."""

    report: Report
    integrity: IntegrityPart
    lines: int
    unreadable: bool


def cut_points(path: str, jobs: int, min_part: int | None = None, head: int = 0) -> list[int]:
    """Offsets that cut the file into at most ``jobs`` parts of about equal size, each at least
    ``min_part`` bytes (default :data:`MIN_PART_BYTES`) and each beginning a line: ``[0, ..., size]``;
    ``[0, size]`` for one part. The first part is ``head`` bytes longer than the others (at most half
    the file): it is read while the workers start."""
    size = os.path.getsize(path)
    parts = min(jobs, size // max(1, MIN_PART_BYTES if min_part is None else min_part))
    cuts = [0]
    if parts >= 2:
        head = min(max(head, 0), size // 2)
        share = (size - head) // parts
        with open(path, "rb") as handle:
            for k in range(1, parts):
                cut = _line_start(handle, max(head + k * share, cuts[-1] + 1))
                if cut is None or cut >= size:
                    break
                cuts.append(cut)
    cuts.append(size)
    return cuts


def _line_start(handle: BinaryIO, at: int) -> int | None:
    """The offset of the first line that begins at or after ``at`` (None: no line does)."""
    handle.seek(at - 1)
    offset = at - 1
    while True:
        piece = handle.read(_SCAN)
        if not piece:
            return None
        found = piece.find(b"\n")
        if found >= 0:
            return offset + found + 1
        offset += len(piece)


def validate_jsonl_parts(  # noqa: PLR0917  # the reader's own arguments, and the jobs
    run: Run,
    path: str,
    name: str,
    model: type[Record],
    progress: Progress,
    max_line_bytes: int,
    jobs: int,
) -> None:
    """Validate a JSON Lines file into ``run`` with up to ``jobs`` processes (this one included).

    A compressed file, a file too small to split, or a run that wants every record (``on_record``) is
    read in this process alone.
    """
    from ..workers import WorkerGone, WorkerProcess

    compressed = split_compression(path)[1] is not None
    cuts = (
        [] if jobs < 2 or compressed or run.on_record is not None else cut_points(path, jobs, head=HEAD_BYTES)
    )
    if len(cuts) < 3:
        validate_jsonl(run, path, name, model, progress, max_line_bytes=max_line_bytes)
        return
    file_index = run.file_index(name)
    known = list(run.integrity.known)
    later = list(itertools.pairwise(cuts))[1:]  # the parts for workers: all but the first
    keep = run.report.keep_per_code
    workers = [
        WorkerProcess(PartRequest(path, name, model.table, known, start, stop, keep, max_line_bytes))
        for start, stop in later
    ]
    try:
        part = Part(0, cuts[1], 1, file_index)
        lines = validate_jsonl(run, path, name, model, progress, max_line_bytes=max_line_bytes, part=part)
        for worker, (start, stop) in zip(workers, later, strict=True):
            try:
                result = worker.result()
            except WorkerGone:
                # Read here what the worker could not: the same reader, the same result.
                part = Part(start, stop, lines + 1, file_index)
                lines += validate_jsonl(
                    run, path, name, model, progress, max_line_bytes=max_line_bytes, part=part
                )
                continue
            assert isinstance(result, PartResult)
            run.report.merge(result.report, line_offset=lines)
            run.unreadable = run.unreadable or result.unreadable
            run.integrity.absorb(result.integrity, file_index, lines)
            lines += result.lines
            if progress.enabled:
                progress.advance(stop - start)
    finally:
        for worker in workers:
            worker.cancel()


def validate_part(request: PartRequest) -> PartResult:
    """Validate one part (in a worker): what its records break alone, and what integrity needs."""
    from .core import Run

    run = Run(request.known_tables, request.keep_per_code, part=True)
    file_index = run.file_index(request.name)
    lines = validate_jsonl(
        run,
        request.path,
        request.name,
        model_for_table(request.table),
        Progress(1, enabled=False),
        max_line_bytes=request.max_line_bytes,
        part=Part(request.start, request.stop, 1, file_index),
    )
    return PartResult(run.report, run.integrity.part(), lines, run.unreadable)


@dataclass(frozen=True, slots=True)
class ParquetPartRequest:
    """Row groups ``start`` to ``stop`` of a Parquet file for a worker to validate."""

    path: str
    name: str
    table: str
    known_tables: list[str]
    partitions: tuple[tuple[str, str | None], ...]
    start: int
    stop: int
    keep_per_code: int

    def answer(self) -> PartResult:
        from .core import Run
        from .parquet import open_parquet, validate_row_groups

        run = Run(self.known_tables, self.keep_per_code, part=True)
        file_index = run.file_index(self.name)
        # The file's own issues (layout, schema version) are the first part's to report.
        opened = open_parquet(Run([self.table]), self.path, self.name, self.table, partitions=self.partitions)
        if opened is not None:
            quiet = Progress(1, enabled=False)
            validate_row_groups(run, opened, range(self.start, self.stop), quiet, file_index=file_index)
        return PartResult(run.report, run.integrity.part(), 0, run.unreadable)


def group_cuts(rows: list[int], jobs: int, min_part: int | None = None, head: int = 0) -> list[int]:
    """Row-group indexes that cut groups of ``rows`` rows each into at most ``jobs`` parts of about
    equal rows, each at least ``min_part`` rows (default :data:`MIN_PART_ROWS`): ``[0, ..., groups]``.
    The first part aims at ``head`` rows more than the others (at most half the rows): it is read
    while the workers start."""
    total = sum(rows)
    parts = min(jobs, len(rows), total // max(1, MIN_PART_ROWS if min_part is None else min_part))
    head = min(max(head, 0), total // 2)
    cuts = [0]
    done = 0
    for index, count in enumerate(rows[:-1]):
        done += count
        if len(cuts) < parts and done >= head + (total - head) * len(cuts) / parts:
            cuts.append(index + 1)
    cuts.append(len(rows))
    return cuts


def validate_parquet_parts(  # noqa: PLR0917  # the reader's own arguments, and the jobs
    run: Run,
    path: str,
    name: str,
    table: str,
    progress: Progress,
    partitions: tuple[tuple[str, str | None], ...],
    jobs: int,
) -> None:
    """Validate a Parquet file into ``run`` with up to ``jobs`` processes (this one included), each
    taking consecutive row groups. A file of one row group, or too few rows, is read here alone."""
    from ..workers import WorkerGone, WorkerProcess
    from .parquet import open_parquet, validate_parquet, validate_row_groups

    rows = _group_rows(path) if jobs > 1 and run.on_record is None else []
    cuts = group_cuts(rows, jobs, head=HEAD_ROWS) if rows else []
    if len(cuts) < 3:
        validate_parquet(run, path, name, table, progress, partitions=partitions)
        return
    file_index = run.file_index(name)
    opened = open_parquet(run, path, name, table, partitions=partitions)
    if opened is None:
        return
    starts = list(itertools.accumulate(rows, initial=1))  # the first row of each group
    later = list(itertools.pairwise(cuts))[1:]
    known = list(run.integrity.known)
    keep = run.report.keep_per_code
    workers = [
        WorkerProcess(ParquetPartRequest(path, name, table, known, partitions, a, b, keep)) for a, b in later
    ]
    try:
        validate_row_groups(run, opened, range(cuts[1]), progress, file_index=file_index)
        for worker, (start, stop) in zip(workers, later, strict=True):
            try:
                result = worker.result()
            except WorkerGone:
                validate_row_groups(run, opened, range(start, stop), progress, file_index=file_index)
                continue
            assert isinstance(result, PartResult)
            # Rows are numbered in the file already: nothing to shift.
            run.report.merge(result.report)
            run.unreadable = run.unreadable or result.unreadable
            run.integrity.absorb(result.integrity, file_index, 0)
            if progress.enabled:
                progress.advance(starts[stop] - starts[start])
    finally:
        for worker in workers:
            worker.cancel()


def _group_rows(path: str) -> list[int]:
    """Rows of each row group, from the file's footer; empty when it cannot be read (the reader says why)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        metadata = pq.ParquetFile(path).metadata
    except (OSError, pa.ArrowException):
        return []
    return [metadata.row_group(index).num_rows for index in range(metadata.num_row_groups)]
