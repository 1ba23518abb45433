"""Validation on Spark: the single-machine Parquet checks on the workers, integrity by Spark's joins.

For paths, discovery, integrity scopes and export folders are those of
:func:`tradeschema.validate` (:func:`tradeschema.validation.validate_paths`); a scope of Parquet files
runs on Spark:

1. each file's footer is read on a worker and the file cut into tasks of whole row groups
   (:func:`.tasks.plan_tasks`);
2. each task runs the validator's own Parquet code on its row groups (:func:`.tasks.check_tasks`):
   every issue a row or a file can have on its own, located at the file and its whole-file row;
3. integrity across files with Spark: duplicate ids by grouping on the id (the first record in the
   single-machine reading order keeps it), dangling references and references of the wrong kind by a
   join of every reference with the first record of each id, evidence spans by a join with their
   source's text; only the broken ones go back to Python, to be worded by the rule functions
   (:func:`.tasks.resolve`);
4. the driver collects a bounded sample of each code and the count of every group of issues, never
   the rows.

Other scopes of the paths given (JSON, JSON Lines, CSV: the other forms of an export folder) and the
derived link tables of a Parquet export are checked on the driver, by the single-machine code.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Collection, Sequence
from functools import partial
from typing import TYPE_CHECKING

from ..integrity import ROW
from ..report import IssueCode, Report
from ..validation import PathLike, validate_into, validate_paths
from .session import DEFAULT_MASTER, require_pyspark, spark_session
from .tasks import (
    FACTS,
    FILE_COLUMN,
    FILES,
    PENDING,
    ROW_COLUMN,
    TASK_ROWS,
    TASKS,
    check_frame,
    check_tasks,
    file_name,
    frame_part_name,
    issue_from_row,
    plan_tasks,
    resolve,
    spark_ddl,
)

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

    from ..validation.core import Run
    from ..validation.discover import Input

__all__ = ["FRAME_NAME", "conclude", "validate_spark"]

FRAME_NAME = "<dataframe>"
"""How the report names a DataFrame given to :func:`validate_spark`, for issues of its columns."""

_ISSUE_COLUMNS = ("row", "code", "severity", "message", "file", "line", "path", "record_id", "value")


def validate_spark(
    data: PathLike | Sequence[PathLike] | DataFrame,
    *,
    record: str | None = None,
    spark: SparkSession | None = None,
    master: str = DEFAULT_MASTER,
    keep_per_code: int = 1000,
    task_rows: int = TASK_ROWS,
    max_line_bytes: int | None = None,
) -> Report:
    """Validate files and folders as :func:`tradeschema.validate` does, with Parquet checked on Spark.

    ``data`` is a path or a list of paths: Parquet files, (hive-partitioned) folders of them, export
    folders, at paths the driver and every worker can open; or a Spark DataFrame of ``record``
    records in the Parquet layout (its columns are checked as a file's are; rows read from files are
    located at their file and row, other rows at their partition and position in it). ``spark`` is
    the session to use (default: the active one, or a new one on ``master``). Each task checks whole
    row groups, at least ``task_rows`` rows. The report is the one :func:`tradeschema.validate`
    gives: the same issues (code, file, row, path, message), counts and files; only the order of the
    issues kept may differ, and its notes do not give the size of the integrity state. ``keep_per_code`` and
    ``max_line_bytes`` mean what they mean for :func:`tradeschema.validate`.
    """
    require_pyspark()
    from pyspark.sql import DataFrame

    if isinstance(data, DataFrame):
        return _validate_frame(data, record, keep_per_code)
    paths = [os.fspath(data)] if isinstance(data, (str, os.PathLike)) else [os.fspath(p) for p in data]
    session = spark if spark is not None else spark_session(master)

    def check(run: Run, items: Sequence[Input]) -> None:
        if all(item.format == "parquet" and os.path.isfile(item.path) for item in items):
            _check_on_spark(session, run, items, task_rows)
        else:
            validate_into(run, items, progress=False, max_line_bytes=max_line_bytes)

    return validate_paths(paths, check, record=record, keep_per_code=keep_per_code)


def _check_on_spark(session: SparkSession, run: Run, items: Sequence[Input], task_rows: int) -> None:
    files: list[tuple[int, str, str, str, str]] = []
    for item in items:
        if item.link is not None:
            continue
        if item.table is None:
            run.issue(IssueCode.unknown_record_type, file=item.name)
            continue
        run.file_index(item.name)
        files.append((len(files), item.path, item.name, item.table, json.dumps(item.partitions)))
    if files:
        names = [name for _, _, name, _, _ in files]
        facts = _facts(session, files, list(run.integrity.known), run.report.keep_per_code, task_rows)
        tables = {item.table for item in items if item.table is not None}
        conclude(run, facts, names, tables)
    if any(item.link is not None for item in items):
        from ..validation.links import check_link_tables

        check_link_tables(run, items)


def conclude(
    run: Run, facts: DataFrame, names: Sequence[str], tables: Collection[str], *, place: int = ROW
) -> None:
    """Check integrity across the files of ``facts`` (rows of :data:`.tasks.FACTS` about ``tables``)
    with Spark, and add every issue and record to ``run``'s report.

    ``names`` are the files' report names by ordinal; ``place`` is what the facts' ``row`` numbers
    (:data:`~tradeschema.integrity.ROW`, or :data:`~tradeschema.integrity.LINE` for JSON Lines).
    Every engine on Spark ends here, so integrity across files has one implementation.
    """
    keep = run.report.keep_per_code
    facts = facts.persist()
    try:
        integrity = run.integrity
        references = any(integrity.refs_wanted(table) for table in tables)
        pending, firsts = _across_files(facts, references, integrity.spans_wanted)
        words = partial(resolve, names=names, keep_per_code=keep, place=place)
        resolved = pending.mapInArrow(words, spark_ddl(FACTS))
        issues = facts.where(facts.kind.isin("issue", "group")).unionByName(resolved).persist()
        try:
            _merge(run.report, issues)
        finally:
            issues.unpersist()
            firsts.unpersist()
        total = facts.where(facts.kind == "records").agg({"count": "sum"}).first()
        run.report.records += int(total[0] or 0) if total is not None else 0
    finally:
        facts.unpersist()


def _validate_frame(frame: DataFrame, record: str | None, keep_per_code: int) -> Report:
    """A DataFrame of one record type: its layout on the driver, its rows on the workers."""
    from pyspark.errors import AnalysisException
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import to_arrow_schema

    from ..errors import UsageError
    from ..registry import table_for_name
    from ..validation.core import Run
    from ..validation.tabular import check_layout, derived_columns

    if record is None:
        raise UsageError("a DataFrame's record type cannot be told: give the record type").with_remedy(
            "record"
        )
    table = table_for_name(record)
    run = Run([table], keep_per_code)
    columns = check_layout(run, to_arrow_schema(frame.schema), table, FRAME_NAME)
    if columns is None:
        return run.finish()
    derived = [column for column in frame.columns if column in derived_columns(table)]
    read = [F.col(f"`{column}`") for column in [*columns, *derived]]
    try:
        # A DataFrame read from files knows each row's file and position in it (Spark 3.5 and later).
        located = frame.select(
            *read,
            F.col("_metadata.file_path").alias(FILE_COLUMN),
            (F.col("_metadata.row_index") + 1).alias(ROW_COLUMN),
        )
        names = sorted({file_name(uri) for uri in frame.inputFiles()})
    except AnalysisException:
        located = frame.select(
            *read, F.lit(None).cast("string").alias(FILE_COLUMN), F.lit(None).cast("bigint").alias(ROW_COLUMN)
        )
        names = [frame_part_name(partition) for partition in range(located.rdd.getNumPartitions())]
    for name in names:
        run.file_index(name)
    check = partial(
        check_frame,
        table=table,
        columns=columns,
        ordinals={name: ordinal for ordinal, name in enumerate(names) if not name.startswith("<")},
        known=[table],
        keep_per_code=keep_per_code,
    )
    conclude(run, located.mapInArrow(check, spark_ddl(FACTS)), names, [table])
    return run.finish()


def _facts(
    session: SparkSession,
    files: list[tuple[int, str, str, str, str]],
    known: list[str],
    keep_per_code: int,
    task_rows: int,
) -> DataFrame:
    """The facts of every file (see :data:`.tasks.FACTS`), one Spark task per few row groups."""
    listed = session.createDataFrame(files, spark_ddl(FILES))
    planned = (
        # Footers are small: as many tasks as shuffle partitions at most (the session's conf, since
        # Spark Connect has no SparkContext to ask for its parallelism).
        listed.repartition(min(len(files), int(session.conf.get("spark.sql.shuffle.partitions") or 200)))
        .mapInArrow(partial(plan_tasks, task_rows=task_rows), spark_ddl(TASKS))
        .collect()
    )
    tasks = session.createDataFrame([tuple(row) for row in planned], spark_ddl(TASKS))
    return tasks.repartition(len(planned)).mapInArrow(
        partial(check_tasks, known=known, keep_per_code=keep_per_code), spark_ddl(FACTS)
    )


def _across_files(facts: DataFrame, references: bool, spans: bool) -> tuple[DataFrame, DataFrame]:
    """The integrity rules across files, broken (rows of :data:`.tasks.PENDING`), found by Spark; and
    the table of every id's first record, which the caller caches and releases.

    ``references`` and ``spans`` say whether the scope can have those facts at all (references into
    tables that are given; sources among the tables).
    """
    from pyspark.sql import functions as F

    # Every id, how many records have it, and its first record in the single-machine reading order:
    # one aggregation (a shuffle of the ids), joined with the ids again only for repeated ones.
    ids = facts.where(F.col("kind") == "id").select("id", "table", "file_ord", "seq", "row")
    firsts = (
        ids.groupBy("id")
        .agg(F.count(F.lit(1)).alias("times"), F.min(F.struct("file_ord", "seq", "table")).alias("first"))
        .select(
            F.col("id").alias("target"),
            F.col("times"),
            F.col("first.file_ord").alias("first_ord"),
            F.col("first.seq").alias("first_seq"),
            F.col("first.table").alias("target_table"),
        )
        .persist()
    )
    duplicates = (
        ids.join(firsts.where(F.col("times") > 1), F.col("id") == F.col("target"))
        .where((F.col("file_ord") != F.col("first_ord")) | (F.col("seq") != F.col("first_seq")))
        .select(
            F.lit("dup").alias("kind"),
            "file_ord",
            "row",
            "id",
            "table",
            F.col("target_table").alias("earlier"),
        )
    )
    # Each kind of broken rule gives some of the columns; the empty frame gives them all, typed.
    pending = facts.sparkSession.createDataFrame([], spark_ddl(PENDING))
    pending = pending.unionByName(duplicates, allowMissingColumns=True)
    if references:
        broken = (
            facts.where(F.col("kind") == "ref")
            .join(firsts, F.col("id") == F.col("target"), "left")
            .where(F.col("target_table").isNull() | ~F.array_contains("allowed", F.col("target_table")))
            .select(
                F.lit("ref").alias("kind"),
                "file_ord",
                "row",
                "id",
                "table",
                "loc",
                "allowed",
                F.col("target_table").alias("earlier"),
            )
        )
        pending = pending.unionByName(broken, allowMissingColumns=True)
    if spans:
        pending = pending.unionByName(_broken_spans(facts, firsts), allowMissingColumns=True)
    return pending.select(*PENDING.names), firsts


def _broken_spans(facts: DataFrame, firsts: DataFrame) -> DataFrame:
    """Spans outside or unlike their source's text, and spans whose source_id names no source."""
    from pyspark.sql import functions as F

    # A span's source is the first valid source with its id (invalid sources give no text).
    sources = (
        facts.where(F.col("kind") == "source")
        .groupBy("id")
        .agg(F.min(F.struct("file_ord", "seq", "text")).alias("first"))
        .select(F.col("id").alias("source_key"), F.col("first.text").alias("source_text"))
    )
    has_source = F.col("source_key").isNotNull()
    # Spark's length and substring count code points, as Python's str does.
    outside = F.col("end") > F.length("source_text")
    unlike = F.expr("substring(source_text, start + 1, end - start)") != F.col("text")
    return (
        facts.where(F.col("kind") == "span")
        .join(sources, F.col("id") == F.col("source_key"), "left")
        .join(firsts, F.col("id") == F.col("target"), "left")
        .where(
            (has_source & F.col("source_text").isNotNull() & (outside | unlike))
            | (~has_source & (F.col("target_table").isNull() | (F.col("target_table") != "sources")))
        )
        .select(
            F.lit("span").alias("kind"),
            "file_ord",
            "row",
            "id",
            "table",
            "loc",
            "record_id",
            "start",
            "end",
            "text",
            F.col("target_table").alias("earlier"),
            has_source.alias("has_source"),
            "source_text",
        )
    )


def _merge(report: Report, issues: DataFrame) -> None:
    """Add to ``report`` the first ``keep_per_code`` issues of each code and the count of every group."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    order = ("file_ord", "seq", "path")
    by_code = Window.partitionBy("code").orderBy(*order)
    kept = (
        issues.where(F.col("kind") == "issue")
        .withColumn("n", F.row_number().over(by_code))
        .where(F.col("n") <= report.keep_per_code)
        .collect()
    )
    groups = (
        issues.where(F.col("kind") == "group")
        .groupBy("code", "severity", "path")
        .agg(F.sum("count").alias("total"), F.min(F.struct(*order, *_ISSUE_COLUMNS)).alias("first"))
        .collect()
    )
    rows = sorted((row.asDict() for row in kept), key=lambda r: (r["file_ord"], r["seq"], r["path"] or ""))
    kept_in_group: Counter[tuple[str, str, str]] = Counter()
    for row in rows:
        issue = issue_from_row(row)
        report.add(issue)
        kept_in_group[(str(issue.code), str(issue.severity), issue.path or "")] += 1
    for group in sorted(groups, key=lambda g: (g["first"]["file_ord"], g["first"]["seq"])):
        first = issue_from_row(group["first"].asDict())
        more = int(group["total"]) - kept_in_group[(str(first.code), str(first.severity), first.path or "")]
        if more > 0:
            report.count_more(first, more)
