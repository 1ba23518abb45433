"""JSON Lines to Parquet on Spark: the records of the single-machine export, or its report and nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow.parquet as pq
import pytest

from tests.spark.corpus import jsonl_inputs as _inputs
from tradeschema import validate
from tradeschema.errors import InputError, UsageError
from tradeschema.export import export_files
from tradeschema.export.atomic import STAGING_MARKER
from tradeschema.registry import LINK_TABLES, TABLE_NAMES
from tradeschema.report import Report

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

# Parts of a few kilobytes: the larger tables are cut into several parts, each a Spark task.
SMALL_PARTS = 16384


def _rows(path: Path, table: str) -> list[dict[str, Any]]:
    rows = pq.read_table(path).to_pylist()
    if table in LINK_TABLES:
        return sorted(rows, key=lambda row: json.dumps(row, sort_keys=True, default=str))
    return sorted(rows, key=lambda row: str(row["id"]))


def _issues(report: Report) -> list[tuple[Any, ...]]:
    return sorted(
        (str(i.code), str(i.severity), i.file, i.line, i.row, i.path, i.record_id, i.value, i.message, i.hint)
        for i in report.issues
    )


def test_the_tables_hold_the_records_of_the_single_machine_export(
    spark: SparkSession, records: Path, tmp_path: Path
) -> None:
    from tradeschema.spark import export_spark

    local = export_files(_inputs(records), tmp_path / "local")
    distributed = export_spark(_inputs(records), tmp_path / "spark", spark=spark, task_bytes=SMALL_PARTS)
    assert local.ok
    assert distributed.ok
    assert distributed.report.records == local.report.records > 300
    parquet = tmp_path / "spark" / "parquet"
    assert len(list((parquet / "statements").glob("*.parquet"))) > 3  # the file was read in parts
    for table in [*TABLE_NAMES, *LINK_TABLES]:
        expected = pq.read_table(tmp_path / "local" / "parquet" / f"{table}.parquet")
        found = pq.read_table(parquet / table)
        assert found.schema.equals(expected.schema, check_metadata=False), table
        assert _rows(parquet / table, table) == _rows(
            tmp_path / "local" / "parquet" / f"{table}.parquet", table
        )
        assert found.num_rows == expected.num_rows


def test_the_folder_written_validates_on_one_machine_and_on_spark(
    spark: SparkSession, records: Path, tmp_path: Path
) -> None:
    from tradeschema.spark import export_spark, validate_spark

    out = tmp_path / "out"
    result = export_spark(_inputs(records), out, spark=spark, task_bytes=SMALL_PARTS)
    assert result.manifest is not None
    listed = {entry["path"].split("/", 1)[0] for entry in result.manifest["files"]}
    assert listed == {"parquet", "schemas"}
    assert sorted(path.name for path in out.iterdir()) == ["manifest.json", "parquet", "schemas"]
    local = validate(out)
    assert local.valid, local.issues
    assert local.records == result.report.records
    distributed = validate_spark(out, spark=spark)
    assert distributed.valid, distributed.issues
    assert distributed.records == result.report.records


def _corrupt(records: Path, to: Path) -> list[str]:
    """A copy of the records with defects in several parts of a file and across files."""
    to.mkdir()
    for path in records.glob("*.jsonl"):
        shutil.copy(path, to / path.name)
    statements = (to / "statements.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in statements]
    rows[1]["kind"] = "shouted"  # enum-error
    rows[40]["speaker"] = "party:nowhere"  # dangling-reference
    rows[80]["evidence"][0]["text"] = "not in the article"  # span-text-mismatch
    rows[110]["id"] = rows[10]["id"]  # duplicate-id, in another part
    lines = [json.dumps(row, ensure_ascii=False) for row in rows]
    lines[50] = '{"id": "statement:broken"'  # invalid-json
    lines[60] = '{"kind": "direct", ' + lines[60][1:]  # duplicate-key
    (to / "statements.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    measures = [json.loads(line) for line in (to / "measures.jsonl").read_text(encoding="utf-8").splitlines()]
    sources = json.loads((to / "sources.jsonl").read_text(encoding="utf-8").splitlines()[0])
    measures[3]["imposed_by"] = sources["id"]  # wrong-reference-kind
    (to / "measures.jsonl").write_text("".join(json.dumps(m) + "\n" for m in measures), encoding="utf-8")
    (to / "notes.jsonl").write_text('{"id": "note:1"}\n', encoding="utf-8")  # unknown-record-type
    return _inputs(to)


def test_invalid_input_gives_the_single_machine_report_and_writes_nothing(
    spark: SparkSession, records: Path, tmp_path: Path
) -> None:
    from tradeschema.spark import export_spark

    inputs = _corrupt(records, tmp_path / "bad")
    local = export_files(inputs, tmp_path / "local")
    distributed = export_spark(inputs, tmp_path / "spark", spark=spark, task_bytes=SMALL_PARTS)
    assert not local.ok
    assert not distributed.ok
    assert set(distributed.report.counts) == {
        "enum-error",
        "dangling-reference",
        "span-text-mismatch",
        "duplicate-id",
        "invalid-json",
        "duplicate-key",
        "wrong-reference-kind",
        "unknown-record-type",
    }
    assert _issues(distributed.report) == _issues(local.report)
    assert distributed.report.counts == local.report.counts
    assert distributed.report.files == local.report.files
    assert distributed.report.records == local.report.records
    assert not (tmp_path / "spark").exists()
    assert not [path for path in tmp_path.iterdir() if STAGING_MARKER in path.name]


def test_invalid_input_leaves_the_previous_export_as_it_was(
    spark: SparkSession, records: Path, tmp_path: Path
) -> None:
    from tradeschema.spark import export_spark

    out = tmp_path / "out"
    assert export_spark(_inputs(records), out, spark=spark).ok
    before = (out / "manifest.json").read_bytes()
    inputs = _corrupt(records, tmp_path / "bad")
    assert not export_spark(inputs, out, spark=spark).ok
    assert (out / "manifest.json").read_bytes() == before
    assert validate(out).valid
    assert not [path for path in tmp_path.iterdir() if STAGING_MARKER in path.name]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("article.txt", "JSON Lines of records"),
        ("dataset.json", "JSON Lines of records"),
        ("gone.jsonl", "no such"),
    ],
)
def test_inputs_that_are_not_json_lines_files_are_refused(
    spark: SparkSession, tmp_path: Path, name: str, message: str
) -> None:
    from tradeschema.spark import export_spark

    if name != "gone.jsonl":
        (tmp_path / name).write_text("{}\n", encoding="utf-8")
    with pytest.raises(InputError, match=message) as raised:
        export_spark([str(tmp_path / name)], tmp_path / "out", spark=spark)
    assert raised.value.file == str(tmp_path / name)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("settings", "message"),
    [({"task_bytes": 0}, "task_bytes must be 1 or more"), ({"record": "memo"}, "memo")],
)
def test_bad_settings_are_usage_errors(
    spark: SparkSession, records: Path, tmp_path: Path, settings: dict[str, Any], message: str
) -> None:
    from tradeschema.spark import export_spark

    with pytest.raises(UsageError, match=message):
        export_spark(_inputs(records), tmp_path / "out", spark=spark, **settings)
    assert not (tmp_path / "out").exists()
