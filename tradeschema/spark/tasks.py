"""What Spark's workers run: the single-machine Parquet checks on some row groups, as rows of facts.

This module needs pyarrow (pyspark only inside :func:`check_frame`), so it can be tested without
Spark. Each function takes and yields Arrow record batches, the shape of ``DataFrame.mapInArrow``:

- :func:`plan_tasks` reads each file's footer and cuts it into tasks of whole row groups;
- :func:`check_tasks` validates a task's rows with the validator's own code (:func:`open_parquet`,
  :func:`validate_row_groups`: the same vectorised Arrow checks, the same per-row fallback, the same
  issue registry) into a :class:`~tradeschema.validation.core.Run` whose id index records ids instead
  of checking them. It yields the issues found (a bounded sample of each code and a count per group)
  and the facts that integrity across files needs: ids, references, evidence spans and source texts;
- :func:`resolve` turns the rows that Spark's joins found broken (a repeated id, a reference to no
  record or the wrong kind, a span outside or unlike its source) into issues, through the rule
  functions of :mod:`tradeschema.integrity`.

Every fact row carries the file's ordinal (its place in the single-machine reading order) and a
sequence number within it, so "the first record with an id" means what it means on one machine.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

import pyarrow as pa

from ..integrity import (
    PendingSpan,
    RecordingIdIndex,
    Violation,
    Where,
    check_span_text,
    duplicate_id,
    unresolved_reference,
)
from ..registry import TABLE_NAMES
from ..report import ISSUE_TYPES, Issue, IssueCode, Report
from ..validation.core import Run
from ..validation.integrity import ROW
from ..validation.parquet import open_parquet, validate_row_groups
from ..validation.progress import Progress

__all__ = [
    "FACTS",
    "FILE_COLUMN",
    "INTEGRITY_SEQ",
    "PART_SEQ",
    "PENDING",
    "ROW_COLUMN",
    "TASKS",
    "TASK_ROWS",
    "check_frame",
    "check_tasks",
    "facts_of",
    "file_name",
    "frame_part_name",
    "issue_from_row",
    "plan_tasks",
    "resolve",
    "spark_ddl",
]

TASK_ROWS = 1_000_000
"""Rows per task, at least: whole row groups are added to a task until it holds this many."""

INTEGRITY_SEQ = 1 << 62
"""Issues found across files sort after a file's own issues: their sequence number is this plus the row."""

PART_SEQ = 1 << 40
"""A task's sequence numbers start at its part number times this (a task holds fewer facts)."""

FILES = pa.schema(
    [
        ("file_ord", pa.int32()),
        ("path", pa.string()),
        ("name", pa.string()),
        ("table", pa.string()),
        ("partitions", pa.string()),
    ]
)
"""A file to check: its ordinal, path, report name, table and hive partitions (JSON ``[[key, value]]``)."""

TASKS = pa.schema([*FILES, ("part", pa.int32()), ("groups", pa.list_(pa.int32()))])
"""A task: a file and some of its row groups (``part`` 0 also reports the file's own issues)."""

_ISSUE_FIELDS = [
    ("code", pa.string()),
    ("severity", pa.string()),
    ("message", pa.string()),
    ("file", pa.string()),
    ("line", pa.int64()),
    ("path", pa.string()),
    ("record_id", pa.string()),
    ("value", pa.string()),
]

FACTS = pa.schema(
    [
        # issue | group | records | id | ref | span | source
        ("kind", pa.string()),
        ("file_ord", pa.int32()),
        ("seq", pa.int64()),
        ("row", pa.int64()),
        *_ISSUE_FIELDS,
        # A group's number of issues; a task's number of records.
        ("count", pa.int64()),
        # An id, a reference's target, a span's source_id or a source's id.
        ("id", pa.string()),
        ("table", pa.string()),
        ("loc", pa.string()),
        ("allowed", pa.list_(pa.string())),
        ("start", pa.int64()),
        ("end", pa.int64()),
        # A span's text, or a source's.
        ("text", pa.string()),
    ]
)
"""What :func:`check_tasks` and :func:`resolve` yield: one wide row kind for every fact."""

PENDING = pa.schema(
    [
        # dup | ref | span
        ("kind", pa.string()),
        ("file_ord", pa.int32()),
        ("row", pa.int64()),
        ("id", pa.string()),
        ("table", pa.string()),
        ("loc", pa.string()),
        ("allowed", pa.list_(pa.string())),
        ("record_id", pa.string()),
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("text", pa.string()),
        # The table of the first record with the id (a repeated id's, a reference's target's).
        ("earlier", pa.string()),
        # A span's source: whether a valid one has the id, and its text.
        ("has_source", pa.bool_()),
        ("source_text", pa.string()),
    ]
)
"""What :func:`resolve` takes: a broken integrity rule found by Spark, with what its message needs."""

_DDL_TYPES = {
    pa.string(): "string",
    pa.int32(): "int",
    pa.int64(): "bigint",
    pa.bool_(): "boolean",
    pa.binary(): "binary",
    pa.list_(pa.string()): "array<string>",
    pa.list_(pa.int32()): "array<int>",
}


def spark_ddl(schema: pa.Schema) -> str:
    """The schema as Spark's DDL (``kind string, file_ord int, ...``), for ``mapInArrow``."""
    return ", ".join(f"`{field.name}` {_DDL_TYPES[field.type]}" for field in schema)


# ---------------------------------------------------------------------- planning


def plan_tasks(batches: Iterator[pa.RecordBatch], task_rows: int = TASK_ROWS) -> Iterator[pa.RecordBatch]:
    """Cut each file (rows of :data:`FILES`) into tasks of whole row groups (rows of :data:`TASKS`).

    A file whose footer cannot be read is one task with no row groups: checking it reports why.
    """
    import pyarrow.parquet as pq

    for batch in batches:
        rows: list[dict[str, Any]] = []
        for file in batch.to_pylist():
            try:
                metadata = pq.ParquetFile(file["path"]).metadata
                sizes = [int(metadata.row_group(i).num_rows) for i in range(metadata.num_row_groups)]
            except (OSError, pa.ArrowException):
                sizes = []
            parts: list[list[int]] = [[]]
            held = 0
            for group, size in enumerate(sizes):
                if held >= task_rows:
                    parts.append([])
                    held = 0
                parts[-1].append(group)
                held += size
            rows.extend({**file, "part": part, "groups": groups} for part, groups in enumerate(parts))
        yield pa.RecordBatch.from_pylist(rows, schema=TASKS)


# ---------------------------------------------------------------------- checking rows


def _batch(columns: dict[str, Any], length: int) -> pa.RecordBatch:
    """A batch of :data:`FACTS` from some of its columns; the others are null."""
    return pa.RecordBatch.from_arrays(
        [
            pa.array(columns[field.name], field.type)
            if field.name in columns
            else pa.nulls(length, field.type)
            for field in FACTS
        ],
        schema=FACTS,
    )


def _issue_row(
    issue: Issue, file_ord: int, seq: int, kind: str = "issue", count: int | None = None
) -> dict[str, Any]:
    return {
        "kind": kind,
        "file_ord": file_ord,
        "seq": seq,
        "row": issue.row,
        "code": str(issue.code),
        "severity": str(issue.severity),
        "message": issue.message,
        "file": issue.file,
        "line": issue.line,
        "path": issue.path,
        "record_id": issue.record_id,
        "value": issue.value,
        "count": count,
    }


def issue_from_row(row: dict[str, Any]) -> Issue:
    """The issue an ``issue`` or ``group`` row of :data:`FACTS` stands for (its hint from the registry)."""
    code = IssueCode(row["code"])
    return Issue(
        code=code,
        severity=ISSUE_TYPES[code].severity if row["severity"] is None else row["severity"],
        message=row["message"],
        file=row["file"],
        line=row["line"],
        row=row["row"],
        path=row["path"],
        record_id=row["record_id"],
        value=row["value"],
        hint=ISSUE_TYPES[code].hint,
    )


def _report_rows(
    report: Report, file_ords: dict[str, int], seqs: Sequence[int], fallback: int
) -> list[dict[str, Any]]:
    """The issues a report kept, and one row per group with its count and first issue."""
    rows = []
    kept: dict[int, int] = {}
    for issue, seq in zip(report.issues, seqs, strict=True):
        kept[id(issue)] = seq
        rows.append(_issue_row(issue, file_ords.get(issue.file or "", fallback), seq))
    for group in report.groups.values():
        first = group.first
        seq = kept.get(id(first), seqs[-1] + 1 if seqs else 0)
        rows.append(_issue_row(first, file_ords.get(first.file or "", fallback), seq, "group", group.count))
    return rows


def _check_task(task: dict[str, Any], known: Sequence[str], keep_per_code: int) -> Iterator[pa.RecordBatch]:
    file_ord: int = task["file_ord"]
    name: str = task["name"]
    table: str = task["table"]
    base = task["part"] * PART_SEQ
    partitions = tuple((key, value) for key, value in json.loads(task["partitions"]))
    index = RecordingIdIndex()
    run = Run(known, keep_per_code, index=index)
    file_index = run.file_index(name)
    # The file's own issues (its metadata and columns) are told once, by the task of its first part.
    opening = run if task["part"] == 0 else Run(known, keep_per_code)
    opened = open_parquet(opening, task["path"], name, table, partitions=partitions)
    if opened is not None:
        validate_row_groups(run, opened, task["groups"], Progress(0, enabled=False), file_index=file_index)
    yield from facts_of(run, index, file_ord, name, base)


def facts_of(
    run: Run, index: RecordingIdIndex, file_ord: int, name: str, base: int
) -> Iterator[pa.RecordBatch]:
    """What a run over rows of one file found: its issues, records, ids, references, spans, sources."""
    facts = _report_rows(run.report, {name: file_ord}, range(base, base + len(run.report.issues)), file_ord)
    facts.append({"kind": "records", "file_ord": file_ord, "seq": base, "count": run.report.records})
    yield pa.RecordBatch.from_pylist(facts, schema=FACTS)
    yield _batch(
        {
            "kind": ["id"] * len(index.ids),
            "file_ord": [file_ord] * len(index.ids),
            "seq": range(base, base + len(index.ids)),
            "row": index.numbers,
            "id": index.ids,
            "table": [TABLE_NAMES[code] for code in index.tables],
        },
        len(index.ids),
    )
    integrity = run.integrity
    references = [
        {
            "kind": "ref",
            "file_ord": file_ord,
            "seq": base + i,
            "row": where[1],
            "id": target,
            "table": ref_table,
            "loc": json.dumps(loc),
            "allowed": list(allowed),
        }
        for i, (target, allowed, ref_table, loc, where) in enumerate(integrity.kept_references())
    ]
    spans = [
        {
            "kind": "span",
            "file_ord": file_ord,
            "seq": base + i,
            "row": span.where[1],
            "record_id": span.record_id,
            "id": span.source_id,
            "table": span.table,
            "loc": json.dumps(span.loc),
            "start": span.start,
            "end": span.end,
            "text": span.text,
        }
        for i, span in enumerate(integrity.kept_spans())
    ]
    sources = [
        {"kind": "source", "file_ord": file_ord, "seq": base + i, "id": source_id, "text": text}
        for i, (source_id, text) in enumerate(integrity.source_texts().items())
    ]
    yield pa.RecordBatch.from_pylist([*references, *spans, *sources], schema=FACTS)


def check_tasks(
    batches: Iterator[pa.RecordBatch], known: Sequence[str], keep_per_code: int
) -> Iterator[pa.RecordBatch]:
    """Check each task (rows of :data:`TASKS`) and yield its facts (rows of :data:`FACTS`).

    ``known`` are the tables of the integrity scope (see
    :func:`tradeschema.validation.known_tables`); ``keep_per_code`` bounds the issues kept per code.
    """
    for batch in batches:
        for task in batch.to_pylist():
            yield from _check_task(task, known, keep_per_code)


# ---------------------------------------------------------------------- integrity across files


def _violation(row: dict[str, Any], where: Where) -> Violation | None:
    loc = tuple(json.loads(row["loc"])) if row["loc"] is not None else ()
    if row["kind"] == "dup":
        return duplicate_id(row["id"], row["table"], row["earlier"], where)
    if row["kind"] == "ref":
        return unresolved_reference(
            row["id"], tuple(row["allowed"]), row["earlier"], row["table"], loc, None, where
        )
    if row["has_source"]:
        span = PendingSpan(
            where, row["table"], loc, row["record_id"], row["id"], row["start"], row["end"], row["text"]
        )
        return check_span_text(span, row["source_text"])
    return unresolved_reference(
        row["id"], ("sources",), row["earlier"], row["table"], (*loc, "source_id"), row["record_id"], where
    )


def resolve(
    batches: Iterator[pa.RecordBatch], names: Sequence[str], keep_per_code: int, place: int = ROW
) -> Iterator[pa.RecordBatch]:
    """Issues (rows of :data:`FACTS`) for the broken rules Spark found (rows of :data:`PENDING`).

    ``names`` are the report names of the files, by ordinal; ``place`` says what a fact's ``row``
    numbers (:data:`~tradeschema.integrity.ROW` of a table, :data:`~tradeschema.integrity.LINE` of
    JSON Lines), so the issue is located as the single-machine validator locates it.
    """
    for batch in batches:
        run = Run(None, keep_per_code)
        ords: dict[str, int] = {}
        indices: dict[int, int] = {}
        seqs: list[int] = []
        for row in batch.to_pylist():
            file_ord = row["file_ord"]
            if file_ord not in indices:
                ords[names[file_ord]] = file_ord
                indices[file_ord] = run.file_index(names[file_ord])
            before = len(run.report.issues)
            violation = _violation(row, (indices[file_ord], row["row"], place))
            if violation is not None:
                run.violation(violation)
            seqs.extend([INTEGRITY_SEQ + row["row"]] * (len(run.report.issues) - before))
        yield pa.RecordBatch.from_pylist(_report_rows(run.report, ords, seqs, 0), schema=FACTS)


# ---------------------------------------------------------------------- a DataFrame's rows

FILE_COLUMN = "__tradeschema_file"
"""The column of a DataFrame's rows that names their file (Spark's ``_metadata.file_path``), or null."""
ROW_COLUMN = "__tradeschema_row"
"""The column with each row's 1-based number within its file (``_metadata.row_index`` + 1), or null."""


def file_name(uri: str) -> str:
    """A local file's path from the URI Spark gives (``file:/data/x.parquet`` -> ``/data/x.parquet``)."""
    from urllib.parse import unquote, urlparse

    parsed = urlparse(uri)
    return unquote(parsed.path) if parsed.scheme == "file" else uri


def _runs(files: list[str | None], rows: list[int | None]) -> Iterator[tuple[int, int]]:
    """(start, length) of each run of consecutive rows of one file."""
    start = 0
    for i in range(1, len(files) + 1):
        previous, current = rows[i - 1], rows[i] if i < len(rows) else None
        if current is None or previous is None or files[i] != files[start] or current != previous + 1:
            yield start, i - start
            start = i


def frame_part_name(partition: int) -> str:
    """How the report names the rows of a DataFrame's partition when they come from no file."""
    return f"<dataframe partition {partition}>"


def check_frame(  # noqa: PLR0917  # what a DataFrame's rows need, passed through mapInArrow
    batches: Iterator[pa.RecordBatch],
    table: str,
    columns: Sequence[str],
    ordinals: dict[str, int],
    known: Sequence[str],
    keep_per_code: int,
) -> Iterator[pa.RecordBatch]:
    """Check a DataFrame's rows (its ``columns`` of ``table`` records, with :data:`FILE_COLUMN` and
    :data:`ROW_COLUMN`) and yield their facts (rows of :data:`FACTS`).

    ``ordinals`` gives each file's ordinal by name; rows without a file (a DataFrame not read from
    files) are numbered within their Spark partition, which the report names as a file
    (:func:`frame_part_name`), with the ordinal ``len(ordinals)`` plus the partition's number.
    """
    from pyspark import TaskContext

    from ..validation.tabular import check_derived_dates, conform, validate_batch

    context = TaskContext.get()
    partition = 0 if context is None else context.partitionId()
    position = 0  # rows of this partition so far, for rows that have no file
    for batch in batches:
        uris = batch.column(FILE_COLUMN).to_pylist()
        numbers = batch.column(ROW_COLUMN).to_pylist()
        for start, length in _runs(uris, numbers):
            part = batch.slice(start, length)
            uri = uris[start]
            name = frame_part_name(partition) if uri is None else file_name(uri)
            first_row = numbers[start] if numbers[start] is not None else position + 1
            position += length
            file_ord = ordinals.get(name, len(ordinals) + partition)
            index = RecordingIdIndex()
            run = Run(known, keep_per_code, index=index)
            file_index = run.file_index(name)
            check_derived_dates(run, part, table, name=name, first_row=first_row)
            arrays = conform(part, list(columns), table)
            validate_batch(run, arrays, length, table, name=name, file_index=file_index, first_row=first_row)
            yield from facts_of(run, index, file_ord, name, first_row * (1 << 20))
