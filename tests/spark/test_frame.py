"""A Spark DataFrame of one record type: the issues of its files' rows, as the files would give them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.spark.corpus import build
from tradeschema import validate
from tradeschema.errors import UsageError
from tradeschema.report import Report

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


def _issues(report: Report) -> list[tuple[Any, ...]]:
    return sorted(
        (str(i.code), i.file, i.row, i.path, i.record_id, i.value, i.message) for i in report.issues
    )


def test_a_dataframe_read_from_files_gives_the_files_issues(spark: SparkSession, tmp_path: Path) -> None:
    from tradeschema.spark import validate_spark

    root = build(tmp_path / "corpus")
    # Two files of statements (a repeated id across them) and one of measures over many row groups.
    for table, files in (
        ("statements", [root / "statements" / f"statements-{n}.parquet" for n in (1, 2)]),
        ("measures", [root / "measures.parquet"]),
    ):
        names = sorted(str(path) for path in files)
        local = validate(names)
        frame = spark.read.parquet(*names)
        distributed = validate_spark(frame, record=table)
        assert local.errors > 0
        assert _issues(distributed) == _issues(local)
        assert distributed.counts == local.counts
        assert distributed.records == local.records
        assert distributed.files == local.files
        assert distributed.notes == local.notes


def test_rows_from_no_file_are_located_in_their_partition(spark: SparkSession, tmp_path: Path) -> None:
    from tradeschema.spark import validate_spark

    root = build(tmp_path / "corpus")
    # Rows made in memory know no file: their partition stands for it, their position for the row.
    read = spark.read.parquet(str(root / "measures.parquet"))
    frame = spark.createDataFrame(read.orderBy("id").collect(), read.schema).coalesce(1)
    report = validate_spark(frame, record="measures")
    ids = sorted(row["id"] for row in frame.select("id").collect())
    bad = {i.record_id: i for i in report.issues if i.code == "pattern-error"}
    assert set(bad) == {"measure:extra-1"}
    assert bad["measure:extra-1"].file == "<dataframe partition 0>"
    assert bad["measure:extra-1"].row == ids.index("measure:extra-1") + 1
    assert report.counts == validate(root / "measures.parquet").counts


def test_a_dataframe_needs_its_record_type(spark: SparkSession, tmp_path: Path) -> None:
    from tradeschema.spark import validate_spark

    root = build(tmp_path / "corpus")
    with pytest.raises(UsageError, match="record type"):
        validate_spark(spark.read.parquet(str(root / "measures.parquet")))
