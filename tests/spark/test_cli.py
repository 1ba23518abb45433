"""``tradeschema validate --engine spark``: the report of the local engine, the same exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.spark.corpus import build, jsonl_inputs
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


def _export_report(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code = main(["export", "--format", "json", "--max-errors", "0", *argv])
    data = json.loads(capsys.readouterr().out)
    data["issues"].sort(key=lambda i: (i["file"], i["line"] or 0, i["code"], i["path"] or "", i["message"]))
    for group in data["groups"]:
        del group["first"]
    data["groups"].sort(key=lambda g: (g["code"], g["path"] or ""))
    return code, data


def test_export_on_spark_writes_a_folder_that_validates(
    spark: SparkSession, records: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert (
        main(["export", "--engine", "spark", "--master", "local[2]", *jsonl_inputs(records), "-o", str(out)])
        == 0
    )
    assert (out / "manifest.json").is_file()
    assert main(["validate", str(out)]) == 0
    assert "valid: " in capsys.readouterr().out


def test_export_on_spark_prints_the_local_report_on_invalid_input(
    spark: SparkSession, records: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = (records / "parties.jsonl").read_text(encoding="utf-8").splitlines()
    (tmp_path / "parties.jsonl").write_text("\n".join([*lines, lines[0], "[1]"]) + "\n", encoding="utf-8")
    inputs = [str(tmp_path / "parties.jsonl")]
    local = _export_report(capsys, *inputs, "-o", str(tmp_path / "local"))
    distributed = _export_report(capsys, "--engine", "spark", *inputs, "-o", str(tmp_path / "spark"))
    assert local[0] == distributed[0] == EXIT_INVALID
    assert distributed[1]["counts"]["by_code"] == {"duplicate-id": 1, "not-an-object": 1}
    assert distributed[1] == local[1]
    assert not (tmp_path / "spark").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--master", "local[2]", "x.jsonl"], "--master needs --engine spark"),
        (["--engine", "spark", "-"], "not standard input"),
        (["--engine", "spark", "--partition-by", "kind", "x.jsonl"], "--partition-by needs --engine local"),
        (["--engine", "spark", "--in-memory", "x.jsonl"], "--in-memory needs --engine local"),
    ],
)
def test_export_engine_usage_errors(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", *argv, "-o", str(tmp_path / "out")]) == EXIT_USAGE
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_extract_on_spark_prints_the_local_dataset(
    spark: SparkSession, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    articles = Path(__file__).resolve().parent.parent / "articles"
    bad = tmp_path / "bad.txt"
    bad.write_text("no header here\n", encoding="utf-8")
    argv = ["extract", str(articles), str(bad), "--title", "Headline"]
    assert main(argv) == EXIT_USAGE  # an article could not be read; the others are still written
    local = capsys.readouterr()
    assert main([*argv, "--engine", "spark"]) == EXIT_USAGE
    distributed = capsys.readouterr()
    assert json.loads(distributed.out) == json.loads(local.out)
    assert distributed.err == local.err
    assert f"{bad}:1: " in distributed.err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--master", "local[2]", "a.txt"], "--master needs --engine spark"),
        (["--engine", "spark", "-"], "not standard input"),
    ],
)
def test_extract_engine_usage_errors(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["extract", *argv]) == EXIT_USAGE
    assert message in capsys.readouterr().err
