"""Spark finds what the single-machine validator finds: the same issues, counts, files and records."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.spark.corpus import EVERY_CODE, build
from tradeschema import validate
from tradeschema.report import Report

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


def _issues(report: Report) -> list[tuple[Any, ...]]:
    return sorted(
        (str(i.code), str(i.severity), i.file, i.line, i.row, i.path, i.record_id, i.value, i.message, i.hint)
        for i in report.issues
    )


def _groups(report: Report) -> list[tuple[Any, ...]]:
    return sorted((key, group.count) for key, group in report.groups.items())


def test_every_defect_gives_the_same_issues_on_spark(spark: SparkSession, tmp_path: Path) -> None:
    from tradeschema.spark import validate_spark

    root = build(tmp_path / "corpus")
    local = validate(root)
    assert set(local.counts) == EVERY_CODE  # the corpus has every kind of defect
    # One task per row group: files are read in parts, so rows keep their whole-file numbers.
    distributed = validate_spark(root, spark=spark, task_rows=1)
    assert _issues(distributed) == _issues(local)
    assert distributed.counts == local.counts
    assert distributed.severity_counts == local.severity_counts
    assert _groups(distributed) == _groups(local)
    assert distributed.records == local.records
    assert distributed.files == local.files
    assert distributed.notes == local.notes


def test_counts_stay_exact_when_few_issues_are_kept(spark: SparkSession, tmp_path: Path) -> None:
    from tradeschema.spark import validate_spark

    root = build(tmp_path / "corpus")
    local = validate(root, keep_per_code=1)
    distributed = validate_spark(root, spark=spark, keep_per_code=1)
    assert distributed.counts == local.counts
    assert _groups(distributed) == _groups(local)
    assert sorted(str(i.code) for i in distributed.issues) == sorted(str(i.code) for i in local.issues)
