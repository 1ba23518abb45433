"""One reading and validation path: ``validate`` and ``export`` (in memory and streamed) report the same.

The export reads its inputs through the validator, so for the same input the issues (code, file,
line, row, JSON path, value, hint), the counts and the exit code are those of ``tradeschema
validate``, and the command line prints the same report.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tradeschema.cli import main
from tradeschema.cli.validate import render_text
from tradeschema.export import export_files, read_jsonl, write_jsonl
from tradeschema.models import Dataset
from tradeschema.report import Report
from tradeschema.validation import validate
from tradeschema.validation.discover import Input
from tradeschema.validation.records import Place, RecordStream, validate_records

ROOT = Path(__file__).parents[2]
INVALID_DOCUMENTS = sorted((ROOT / "examples").glob("invalid-*.json")) + sorted(
    (ROOT / "tests" / "data" / "bad").glob("dataset-*.json")
)
INVALID_LINES = sorted((ROOT / "tests" / "data" / "bad").glob("*.jsonl"))
Issues = list[tuple[str, str | None, int | None, int | None, str | None, str | None, str | None]]


def _issues(report: Report) -> Issues:
    return sorted(
        ((str(i.code), i.file, i.line, i.row, i.path, i.value, i.hint) for i in report.issues),
        key=repr,
    )


def _same(expected: Report, got: Report) -> None:
    assert _issues(got) == _issues(expected)
    assert got.counts == expected.counts
    assert got.records == expected.records
    assert got.files == expected.files
    assert render_text(got, 50) == render_text(expected, 50)


def test_inputs_cover_the_cases() -> None:
    names = {p.name for p in [*INVALID_DOCUMENTS, *INVALID_LINES]}
    assert "invalid-impossible-date.json" in names
    assert {
        "statements-blank-line.jsonl",
        "statements-invalid-utf8.jsonl",
        "statements-duplicate-key.jsonl",
    } <= names


@pytest.mark.parametrize("path", INVALID_DOCUMENTS + INVALID_LINES, ids=lambda p: p.name)
def test_in_memory_export_reports_what_validate_reports(path: Path, tmp_path: Path) -> None:
    expected = validate(str(path), progress=False)
    assert not expected.valid
    result = export_files([str(path)], tmp_path / "out", stream=False)
    assert not result.ok
    _same(expected, result.report)
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == []


@pytest.mark.parametrize("path", INVALID_LINES, ids=lambda p: p.name)
def test_streamed_export_reports_what_validate_reports(path: Path, tmp_path: Path) -> None:
    expected = validate(str(path), progress=False)
    result = export_files([str(path)], tmp_path / "out", stream=True)
    assert not result.ok
    _same(expected, result.report)
    assert [p.name for p in tmp_path.iterdir()] == []


def test_impossible_date_is_located_with_its_hint(tmp_path: Path) -> None:
    path = str(ROOT / "examples" / "invalid-impossible-date.json")
    result = export_files([path], tmp_path / "out")
    (issue,) = result.report.issues
    assert (issue.code, issue.file, issue.line) == ("pattern-error", path, 105)
    assert issue.hint
    assert result.report.records > 0


@pytest.mark.parametrize("path", INVALID_DOCUMENTS + INVALID_LINES, ids=lambda p: p.name)
def test_command_line_prints_the_validate_report(
    path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    validate_code = main(["validate", str(path)])
    shown = capsys.readouterr().out
    modes = [["--in-memory"], ["--stream"]] if path.suffix == ".jsonl" else [[]]
    for mode in modes:
        code = main(["export", str(path), "--to", str(tmp_path / "out"), *mode])
        captured = capsys.readouterr()
        assert code == validate_code
        assert code in (1, 2)
        assert captured.err.startswith(shown)
        assert captured.err.endswith(f"nothing written to {tmp_path / 'out'}\n")
        assert "Traceback" not in captured.err
        main(["export", str(path), "--to", str(tmp_path / "out"), "--format", "json", *mode])
        assert (
            json.loads(capsys.readouterr().out)["counts"]
            == json.loads(_validate_json(path, capsys))["counts"]
        )


def _validate_json(path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    main(["validate", str(path), "--format", "json"])
    return capsys.readouterr().out


def test_unknown_record_type_is_unreadable_in_both(tmp_path: Path, dataset: Dataset) -> None:
    path = tmp_path / "things.jsonl"
    write_jsonl(dataset.parties, path)
    expected = validate(str(path), progress=False)
    assert main(["validate", str(path)]) == 2
    for stream in (True, False):
        result = export_files([str(path)], tmp_path / "out", stream=stream)
        _same(expected, result.report)
        assert (
            main(
                ["export", str(path), "--to", str(tmp_path / "out"), "--stream" if stream else "--in-memory"]
            )
            == 2
        )


def test_duplicate_ids_across_inputs_are_errors_in_both(tmp_path: Path, dataset: Dataset) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    first.write_text(dataset.model_dump_json(indent=2), "utf-8")
    second.write_text(
        Dataset(schema_version=dataset.schema_version, parties=dataset.parties[:1]).model_dump_json(indent=2),
        "utf-8",
    )
    expected = validate([str(first), str(second)], progress=False)
    assert expected.counts["duplicate-id"] == 1
    result = export_files([str(first), str(second)], tmp_path / "out")
    _same(expected, result.report)
    assert not (tmp_path / "out").exists()


def test_records_come_with_their_place(tmp_path: Path, dataset: Dataset) -> None:
    path = tmp_path / "statements.jsonl"
    write_jsonl(dataset.statements, path)
    document = tmp_path / "dataset.json"
    document.write_text(dataset.model_dump_json(indent=2), "utf-8")
    seen: list[tuple[str, Place]] = []
    report = validate_records(
        [Input(str(document), "doc", "json")], lambda record, place: seen.append((record.id, place))
    )
    assert report.valid
    first_line = document.read_text("utf-8").splitlines().index("    {") + 1
    assert seen[0] == (dataset.sources[0].id, Place("doc", first_line, None, "$.sources[0]"))
    assert len(seen) == report.records
    stream = RecordStream([Input(str(path), "lines", "jsonl", "statements")])
    lines = [(record, place) for record, place in stream]
    assert [record for record, _ in lines] == dataset.statements
    assert [place.line for _, place in lines] == list(range(1, len(dataset.statements) + 1))
    assert stream.report.valid
    assert stream.report.records == len(dataset.statements)


def test_record_stream_stops_when_the_reader_does(tmp_path: Path, dataset: Dataset) -> None:
    path = tmp_path / "statements.jsonl"
    write_jsonl(dataset.statements * 3000, path)
    stream = RecordStream([Input(str(path), "lines", "jsonl", "statements")], buffer=4)
    for _ in stream:
        break
    assert stream.report.records < len(dataset.statements) * 3000


def test_read_jsonl_stops_at_the_first_invalid_line(tmp_path: Path, dataset: Dataset) -> None:
    path = tmp_path / "statements.jsonl"
    write_jsonl(dataset.statements, path)
    lines = path.read_text("utf-8").splitlines()
    lines.insert(1, lines[1].replace('"kind":"indirect"', '"kind":"shouted"'))
    path.write_text("\n".join(lines) + "\n", "utf-8")
    read = []
    with pytest.raises(Exception, match=r"statements.jsonl:2: \$.kind enum-error") as caught:
        read.extend(read_jsonl(path))
    assert type(caught.value).__name__ == "InputError"
    assert len(read) == 1
