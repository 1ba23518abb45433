"""Streamed exports: input lines are converted as they are, and kept only on the validator's verdict."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from jsonschema import Draft202012Validator

import tradeschema
from tradeschema.export import export_files, read_parquet, write_jsonl
from tradeschema.export import stream as stream_module
from tradeschema.models import Dataset, Statement
from tradeschema.registry import TABLE_NAMES
from tradeschema.schema import load_schema


def _loose_lines(dataset: Dataset) -> list[str]:
    """The statements as a third party might write them: defaults left out, keys in another order,
    an integer written as ``5.0``."""
    lines = []
    for index, statement in enumerate(dataset.statements):
        data = statement.model_dump(mode="json")
        data = {key: value for key, value in reversed(data.items()) if value not in (None, [])}
        if index == 0 and data.get("evidence"):
            data["evidence"][0]["start"] = float(data["evidence"][0]["start"])
        lines.append(json.dumps(data, ensure_ascii=False))
    bare = {"kind": "direct", "text": "We will see.", "id": "statement:bare"}
    return [*lines, json.dumps(bare)]


def test_loose_lines_convert_like_canonical_ones(dataset: Dataset, tmp_path: Path) -> None:
    lines = _loose_lines(dataset)
    expected = [Statement.model_validate_json(line) for line in lines]
    assert expected[-1].about == []
    source = tmp_path / "statements.jsonl"
    # CRLF line endings, no newline after the last line.
    source.write_bytes("\r\n".join(lines).encode())
    result = export_files([source], tmp_path / "out", batch_size=2)
    assert result.ok, result.report.issues
    out = tmp_path / "out"
    parquet = out / "parquet" / "statements.parquet"
    assert list(read_parquet(parquet)) == expected
    table = pq.read_table(parquet)
    assert table.column("about").null_count == 0
    assert table.column("evidence").null_count == 0
    assert pq.ParquetFile(parquet).metadata.num_row_groups == (len(lines) + 1) // 2
    # The JSON Lines output holds the validated lines, line endings normalised; each is schema-valid.
    written = (out / "jsonl" / "statements.jsonl").read_text("utf-8")
    assert written == "\n".join(lines) + "\n"
    validator = Draft202012Validator(load_schema("statement"))
    for line in written.splitlines():
        validator.validate(json.loads(line))
        Statement.model_validate_json(line)
    again = export_files([source], tmp_path / "again", batch_size=2)
    assert again.ok
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        assert (tmp_path / "again" / path.relative_to(out)).read_bytes() == path.read_bytes()


def test_failed_export_reports_what_validate_reports(dataset: Dataset, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    paths = []
    for table in TABLE_NAMES:
        path = folder / f"{table}.jsonl"
        write_jsonl(getattr(dataset, table), path)
        paths.append(path)
    statements = folder / "statements.jsonl"
    lines = statements.read_text("utf-8").splitlines()
    lines[0] = lines[0].replace('"kind":"indirect"', '"kind":"shouted"')
    lines.append(lines[1].replace("party:person:howard-lutnick", "party:nobody"))
    lines.append("")
    statements.write_text("\n".join(lines) + "\n", "utf-8")
    result = export_files(paths, tmp_path / "out")
    assert not result.ok
    assert not (tmp_path / "out").exists()
    expected = tradeschema.validate([str(p) for p in paths], progress=False)

    def issues(report: tradeschema.Report) -> list[tuple[str, str | None, int | None, str | None]]:
        return sorted((str(i.code), i.file, i.line, i.path) for i in report.issues)

    assert issues(result.report) == issues(expected)
    assert {"enum-error", "duplicate-id", "dangling-reference", "blank-line"} <= set(result.report.counts)
    assert result.report.records == expected.records


def test_input_changed_during_export_is_refused(
    dataset: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "statements.jsonl"
    write_jsonl(dataset.statements, source)
    real = stream_module.line_blocks

    def blocks_then_touch(path: Path, block_bytes: int = stream_module.BLOCK_BYTES) -> object:
        yield from real(path, block_bytes)
        info = path.stat()
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))

    monkeypatch.setattr("tradeschema.export.pipeline.line_blocks", blocks_then_touch)
    with pytest.raises(tradeschema.ExportError, match="changed during the export"):
        export_files([source], tmp_path / "out")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("table", TABLE_NAMES)
def test_every_table_converts_from_loose_lines(dataset: Dataset, tmp_path: Path, table: str) -> None:
    """Defaults left out at every depth (a round's evidence, a product's codes) come back as []."""

    def loose(value: object) -> object:
        if isinstance(value, dict):
            return {k: loose(v) for k, v in reversed(value.items()) if v not in (None, [])}
        if isinstance(value, list):
            return [loose(item) for item in value]
        return value

    records = getattr(dataset, table)
    source = tmp_path / f"{table}.jsonl"
    source.write_text(
        "".join(json.dumps(loose(r.model_dump(mode="json")), ensure_ascii=False) + "\n" for r in records),
        "utf-8",
    )
    result = export_files([source], tmp_path / "out")
    assert result.ok, result.report.issues
    assert list(read_parquet(tmp_path / "out" / "parquet" / f"{table}.parquet")) == list(records)


def test_validator_is_this_tradeschema_whatever_the_working_folder(
    dataset: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A `tradeschema/` in the working folder (another version, say) is not what validates."""
    source = tmp_path / "statements.jsonl"
    write_jsonl(dataset.statements, source)
    other = tmp_path / "elsewhere" / "tradeschema"
    other.mkdir(parents=True)
    (other / "__init__.py").write_text("raise ImportError('not this tradeschema')\n", "utf-8")
    monkeypatch.chdir(other.parent)
    assert export_files([source], tmp_path / "out").ok


@pytest.mark.parametrize("batch_size", [1, 65_536])
def test_a_null_the_layout_cannot_hold_gets_the_validators_report(tmp_path: Path, batch_size: int) -> None:
    """A null id reaches the Parquet writer before the verdict (when a row group is written, or when
    the file is closed): the export gives the validator's report, not an internal error."""
    path = tmp_path / "statements.jsonl"
    path.write_text(
        '{"id": "statement:a", "kind": "direct", "text": "x"}\n{"id": null, "kind": "direct", "text": "y"}\n'
    )
    expected = tradeschema.validate(str(path), progress=False)
    result = export_files([path], tmp_path / "out", stream=True, batch_size=batch_size)
    assert not result.ok
    assert [(str(i.code), i.line, i.path) for i in result.report.issues] == [("type-error", 2, "$.id")]
    assert result.report.counts == expected.counts
    assert not (tmp_path / "out").exists()
