"""What Spark's workers run for an export: parts of JSON Lines files, validated, then converted.

A part is a byte range of an uncompressed JSON Lines file that begins and ends lines (cut by the
driver with :func:`tradeschema.validation.parallel.cut_points`). This module needs pyarrow, not
pyspark; each function takes and yields Arrow record batches, the shape of ``DataFrame.mapInArrow``:

- :func:`count_lines` counts the lines of parts, so each later part knows the number of its first
  line (issues name whole-file lines, as on one machine);
- :func:`export_parts` validates each part with the validator's own reader
  (:func:`~tradeschema.validation.jsonl.validate_jsonl`: the same checks, messages and places) into a
  run that records ids instead of checking them, yields the facts integrity across files needs
  (:func:`.tasks.facts_of`), and, when the part itself holds no error, converts its lines into the
  export's Parquet files with the export's own writers (:mod:`tradeschema.export.writers`).
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..errors import ExportError
from ..export.arrow import Rows
from ..export.layout import parquet_part_path
from ..export.stream import line_blocks
from ..export.writers import Writer, parquet_writer
from ..integrity import RecordingIdIndex
from ..registry import links_of, model_for_table
from ..validation.core import Run
from ..validation.jsonl import Part, validate_jsonl
from ..validation.progress import Progress
from .tasks import FACTS, PART_SEQ, facts_of

__all__ = ["LINES", "PARTS", "count_lines", "export_parts", "part_stem", "write_part"]

PARTS = pa.schema(
    [
        ("file_ord", pa.int32()),
        ("path", pa.string()),
        ("name", pa.string()),
        ("table", pa.string()),
        ("part", pa.int32()),
        ("start", pa.int64()),
        ("stop", pa.int64()),
        ("first_line", pa.int64()),
    ]
)
"""A part of a file: its ordinal and report name, its table, its bytes and the number of its first line."""

LINES = pa.schema([("file_ord", pa.int32()), ("part", pa.int32()), ("lines", pa.int64())])
"""The number of lines of a part."""

_READ = 1 << 20


def part_stem(file_ord: int, part: int) -> str:
    """The name of a part's Parquet files: sorted by name, the parts are in input order."""
    return f"part-{file_ord:05d}-{part:05d}"


def _lines_in(path: str, start: int, stop: int) -> int:
    """Lines in bytes ``start`` to ``stop``, counted as the validator's reader counts them."""
    lines = 0
    last = b"\n"
    with open(path, "rb") as handle:
        handle.seek(start)
        left = stop - start
        while left > 0:
            piece = handle.read(min(_READ, left))
            if not piece:
                break
            left -= len(piece)
            lines += piece.count(b"\n")
            last = piece[-1:]
    # A final line without its newline is a line too.
    return lines + (last != b"\n")


def count_lines(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """The lines of each part (rows of :data:`PARTS`), as rows of :data:`LINES`.

    A part that cannot be read counts 0: its validation reports why.
    """
    for batch in batches:
        rows: list[dict[str, Any]] = []
        for part in batch.to_pylist():
            try:
                lines = _lines_in(part["path"], part["start"], part["stop"])
            except OSError:
                lines = 0
            rows.append({"file_ord": part["file_ord"], "part": part["part"], "lines": lines})
        yield pa.RecordBatch.from_pylist(rows, schema=LINES)


def write_part(root: Path, table: str, stem: str, blocks: Iterator[bytes], batch_size: int) -> None:
    """Write the lines of ``blocks`` (valid ``table`` records) as ``stem`` of the table and of each
    of its link tables under the export folder ``root``.

    Each file is written under a hidden name and renamed when complete, so a task that Spark runs
    twice leaves one whole file, never a torn one.
    """
    finals: list[Path] = []
    writers: list[Writer] = []
    try:
        for name in [table, *(link.name for link in links_of(table))]:
            final = parquet_part_path(root, name, stem)
            final.parent.mkdir(parents=True, exist_ok=True)
            temporary = final.with_name(f".{final.name}.{uuid.uuid4().hex[:8]}")
            writers.append(parquet_writer(temporary, name, batch_size))
            finals.append(final)
        for lines in blocks:
            rows = Rows(table, lines, canonical=False)
            for writer in writers:
                writer.write(rows)
        while writers:
            writers[0].close()
            os.replace(writers.pop(0).path, finals.pop(0))
    finally:
        for writer in writers:
            with contextlib.suppress(Exception):  # the error on its way out says what went wrong
                writer.close()
            Path(writer.path).unlink(missing_ok=True)


def _export_part(  # noqa: PLR0917  # a part and what its task was given
    task: dict[str, Any],
    known: Sequence[str],
    keep_per_code: int,
    max_line_bytes: int,
    out: str,
    batch_size: int,
) -> Iterator[pa.RecordBatch]:
    from pydantic import ValidationError

    file_ord: int = task["file_ord"]
    name: str = task["name"]
    table: str = task["table"]
    index = RecordingIdIndex()
    run = Run(known, keep_per_code, index=index)
    file_index = run.file_index(name)
    part = Part(task["start"], task["stop"], task["first_line"], file_index)
    model = model_for_table(table)
    validate_jsonl(
        run, task["path"], name, model, Progress(0, enabled=False), max_line_bytes=max_line_bytes, part=part
    )
    failure: str | None = None
    # A part with an error of its own makes the export fail: converting it would be wasted work.
    if not run.report.errors:
        blocks = line_blocks(Path(task["path"]), start=task["start"], stop=task["stop"])
        try:
            write_part(Path(out), table, part_stem(file_ord, task["part"]), blocks, batch_size)
        except (ValidationError, ExportError) as exc:
            failure = f"{name}: a line the validator accepted could not be converted: {exc}"
    yield from facts_of(run, index, file_ord, name, task["part"] * PART_SEQ)
    if failure is not None:
        yield pa.RecordBatch.from_pylist(
            [{"kind": "failure", "file_ord": file_ord, "seq": task["part"], "message": failure}], schema=FACTS
        )


def export_parts(  # noqa: PLR0917  # what every task needs, passed through mapInArrow
    batches: Iterator[pa.RecordBatch],
    known: Sequence[str],
    keep_per_code: int,
    max_line_bytes: int,
    out: str,
    batch_size: int,
) -> Iterator[pa.RecordBatch]:
    """Validate each part (rows of :data:`PARTS`) and yield its facts (rows of :data:`.tasks.FACTS`);
    write a part without an error of its own into the export folder ``out``.

    ``known`` are the tables of the integrity scope. A part whose valid lines cannot be converted
    (a value Arrow cannot hold) yields a ``failure`` row with the reason.
    """
    for batch in batches:
        for task in batch.to_pylist():
            yield from _export_part(task, known, keep_per_code, max_line_bytes, out, batch_size)
