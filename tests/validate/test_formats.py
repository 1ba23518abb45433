"""Each input format, integrity across files, the report contract and the text output."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tradeschema import validate
from tradeschema.cli import main
from tradeschema.tables import arrow_schema

from .conftest import source, statement, write_csv, write_jsonl, write_parquet

ISSUE_KEYS = {"code", "severity", "file", "line", "row", "path", "record_id", "value", "message", "hint"}


def test_dataset_document_lines_and_integrity(tmp_path: Path) -> None:
    doc = {
        "schema_version": "1.0.0",
        "sources": [source()],
        "statements": [statement(), statement(2, speaker="party:nobody"), statement(1)],
    }
    path = tmp_path / "dataset.json"
    path.write_text(json.dumps(doc, indent=2))
    report = validate(path)
    by_code = {i.code: i for i in report.issues}
    assert by_code["dangling-reference"].path == "$.statements[1].speaker"
    assert by_code["duplicate-id"].path == "$.statements[2].id"
    lines = json.dumps(doc, indent=2).splitlines()
    starts = [n + 1 for n, text in enumerate(lines) if text == "    {"]  # each record's first line
    assert (by_code["dangling-reference"].line, by_code["duplicate-id"].line) == (starts[2], starts[3])
    assert validate(doc).counts == report.counts


def test_jsonl_across_files_spans_and_partial_note(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "sources.jsonl", [source()])
    bad_span = statement(2, evidence=[{"source_id": "source:1", "start": 0, "end": 5, "text": "nope!"}])
    write_jsonl(tmp_path / "statements.jsonl", [statement(), bad_span])
    report = validate(tmp_path)
    assert [(i.code, i.line, i.path) for i in report.issues] == [
        ("span-text-mismatch", 2, "$.evidence[0].text")
    ]
    assert any("references into parties" in note for note in report.notes)
    alone = validate(tmp_path / "statements.jsonl")
    assert alone.valid  # sources not given: spans cannot be checked, and are not called dangling


def test_parquet_rows_hive_partitions_and_fallback(tmp_path: Path) -> None:
    part = tmp_path / "statements" / "year=2025"
    part.mkdir(parents=True)
    rows = [statement(i) for i in range(1, 6)]
    rows[3]["kind"] = "shouted"
    rows[4]["date"] = "2025-02-30"
    write_parquet(part / "part-0.parquet", "statements", rows)
    write_parquet(tmp_path / "sources.parquet", "sources", [source()])
    report = validate(tmp_path)
    assert sorted((i.code, i.row, i.path) for i in report.issues) == [
        ("enum-error", 4, "$.kind"),
        ("pattern-error", 5, "$.date"),
    ]
    assert report.records == 6


def test_parquet_schema_version_metadata(tmp_path: Path) -> None:
    table = pa.Table.from_pylist([statement()], schema=arrow_schema("statements"))
    table = table.replace_schema_metadata({"tradeschema.schema_version": "2.0.0"})
    pq.write_table(table, tmp_path / "statements.parquet")
    report = validate(tmp_path / "statements.parquet")
    assert report.counts["unsupported-schema-version"] == 1


def test_csv_rows(tmp_path: Path) -> None:
    rows = [statement(1), statement(2, confidence=1.5), statement(3, id="Bad")]
    path = write_csv(tmp_path / "statements-2025.csv", "statements", rows)
    report = validate(path)
    assert sorted((i.code, i.row, i.path) for i in report.issues) == [
        ("pattern-error", 3, "$.id"),
        ("range-error", 2, "$.confidence"),
    ]


def test_open_codelist_is_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_jsonl(tmp_path / "negotiation.jsonl", [{"id": "n:1", "title": "Talks", "topics": ["chips"]}])
    assert main(["validate", str(path)]) == 0
    assert "open-codelist-value" in capsys.readouterr().out


def test_json_contract_and_grouped_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_jsonl(tmp_path / "x.jsonl", [statement(i, id=f"S{i}") for i in range(30)])
    assert (
        main(["validate", str(path), "--record", "statement", "--format", "json", "--max-errors", "5"]) == 1
    )
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is False
    assert report["counts"]["by_code"] == {"pattern-error": 30}
    assert len(report["issues"]) == 5
    assert set(report["issues"][0]) == ISSUE_KEYS
    assert report["issues"][0]["line"] == 1
    assert report["issues"][0]["record_id"] == "S0"
    assert main(["validate", str(path), "--record", "statement"]) == 1
    text = capsys.readouterr().out
    assert "pattern-error ×30 at $.id — first at " in text
    assert "x.jsonl:1" in text


def test_unknown_record_type_is_usage(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "things.jsonl", [statement()])
    assert main(["validate", str(path)]) == 2
