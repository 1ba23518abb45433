"""``tradeschema validate --engine spark``: the report of the local engine, the same exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.spark.corpus import build
from tradeschema.cli import EXIT_INVALID, EXIT_USAGE, main

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


def _report(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code = main(["validate", "--format", "json", "--max-errors", "0", *argv])
    data = json.loads(capsys.readouterr().out)
    data["issues"].sort(key=lambda i: (i["file"], i["row"] or 0, i["code"], i["path"] or "", i["message"]))
    data["groups"].sort(key=lambda g: (g["code"], g["path"] or ""))
    for group in data["groups"]:
        del group["first"]  # the first of a group is told in the reading order, which Spark does not keep
    return code, data


def test_engine_spark_gives_the_local_report(
    spark: SparkSession, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(build(tmp_path / "corpus"))
    local = _report(capsys, root)
    # The test session is the active one: the command uses it whatever the master says.
    distributed = _report(capsys, "--engine", "spark", "--master", "local[2]", root)
    assert local[0] == distributed[0] == EXIT_USAGE  # the corpus has unreadable files
    assert distributed[1] == local[1]


def test_engine_spark_on_invalid_data_exits_1(
    spark: SparkSession, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = build(tmp_path / "corpus")
    code, data = _report(capsys, "--engine", "spark", str(root / "measures.parquet"))
    assert code == EXIT_INVALID
    assert data["counts"]["by_code"]["duplicate-id"] == 2


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--master", "local[2]", "x.parquet"], "--master needs --engine spark"),
        (["--engine", "spark", "-"], "not standard input"),
    ],
)
def test_engine_usage_errors(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", *argv]) == EXIT_USAGE
    assert message in capsys.readouterr().err
