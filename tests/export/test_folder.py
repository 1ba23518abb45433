"""Export folders: contents, determinism, refusal of invalid input, atomic replacement, streaming,
partitioning, and the command line."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pytest

from tradeschema.cli import main
from tradeschema.errors import ExportError
from tradeschema.export import export_dataset, export_files, read_parquet, write_jsonl
from tradeschema.export import pipeline as pipeline_module
from tradeschema.export.atomic import STAGING_MARKER
from tradeschema.export.canonical import sorted_dataset
from tradeschema.models import Dataset
from tradeschema.registry import TABLE_NAMES
from tradeschema.schema import SCHEMA_NAMES, schema_json

ROOT = Path(__file__).parents[2]


def _tree(path: Path) -> dict[str, bytes]:
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def _write_inputs(dataset: Dataset, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for table in TABLE_NAMES:
        path = folder / f"{table}.jsonl"
        write_jsonl(getattr(dataset, table), path)
        paths.append(path)
    return paths


def test_folder_contents(export_dir: Path, dataset: Dataset) -> None:
    manifest = json.loads((export_dir / "manifest.json").read_text("utf-8"))
    files = {entry["path"]: entry for entry in manifest["files"]}
    on_disk = {p for p in _tree(export_dir) if p != "manifest.json"}
    assert set(files) == on_disk
    for path, entry in files.items():
        assert entry["sha256"] == hashlib.sha256((export_dir / path).read_bytes()).hexdigest()
    assert files["jsonl/statements.jsonl"]["records"] == len(dataset.statements)
    assert files["parquet/parties.parquet"]["records"] == len(dataset.parties)
    assert files["parquet/rounds.parquet"]["records"] == 3
    assert manifest["schema_version"] == dataset.schema_version
    for name in SCHEMA_NAMES:
        assert (export_dir / "schemas" / f"{name}.schema.json").read_text("utf-8") == schema_json(name)
    document = json.loads((export_dir / "dataset.json").read_text("utf-8"))
    assert Dataset.model_validate(document) == sorted_dataset(dataset)
    assert [p["id"] for p in document["parties"]] == sorted(p.id for p in dataset.parties)
    assert list(document["statements"][0]) == list(type(dataset.statements[0]).model_fields)


def test_export_is_byte_identical_across_runs(dataset: Dataset, tmp_path: Path, export_dir: Path) -> None:
    reordered = dataset.model_copy(update={"parties": list(reversed(dataset.parties))})
    export_dataset(reordered, tmp_path / "again")
    assert _tree(tmp_path / "again") == _tree(export_dir)


def test_invalid_input_writes_nothing(dataset: Dataset, tmp_path: Path) -> None:
    inputs = _write_inputs(dataset, tmp_path / "in")
    statements = tmp_path / "in" / "statements.jsonl"
    lines = statements.read_text("utf-8").splitlines()
    lines[1] = lines[1].replace('"kind":"indirect"', '"kind":"shouted"')
    lines.append(lines[0].replace("party:person:howard-lutnick", "party:nobody"))
    statements.write_text("\n".join(lines) + "\n", "utf-8")
    for stream in (True, False):
        result = export_files(inputs, tmp_path / "out", stream=stream)
        assert not result.ok
        found = {(i.code, i.file, i.line, i.path) for i in result.report.issues}
        assert ("enum-error", str(statements), 2, "$.kind") in found
        assert any(code == "duplicate-id" and line == 4 for code, _, line, _ in found)
        assert any(code == "dangling-reference" and path == "$.speaker" for code, _, _, path in found)
        assert not (tmp_path / "out").exists()
        assert [p.name for p in tmp_path.iterdir()] == ["in"]


def test_streamed_export_matches_in_memory(dataset: Dataset, tmp_path: Path, export_dir: Path) -> None:
    inputs = _write_inputs(dataset, tmp_path / "in")
    result = export_files(reversed(inputs), tmp_path / "out", batch_size=2)
    assert result.ok
    assert result.manifest is not None
    assert result.manifest["dataset_json"] is False
    assert not (tmp_path / "out" / "dataset.json").exists()
    for table in TABLE_NAMES:
        back = list(read_parquet(tmp_path / "out" / "parquet" / f"{table}.parquet"))
        assert sorted(back, key=lambda r: r.id) == sorted(getattr(dataset, table), key=lambda r: r.id)


def test_partial_streamed_input_checks_what_it_has(dataset: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "2025.statements.jsonl"
    write_jsonl(dataset.statements, path)
    assert export_files([path], tmp_path / "out").ok


@pytest.mark.parametrize("key", ["imposed_by", "announced_year"])
def test_partitioned_export(dataset: Dataset, tmp_path: Path, key: str) -> None:
    export_dataset(dataset, tmp_path / "out", partition_by=key)
    folder = tmp_path / "out" / "parquet" / "measures"
    assert folder.is_dir()
    assert (tmp_path / "out" / "parquet" / "parties.parquet").is_file()
    table = ds.dataset(folder, format="parquet", partitioning="hive").to_table()
    assert sorted(table.column("id").to_pylist()) == sorted(m.id for m in dataset.measures)
    rows = duckdb.sql(
        f"SELECT id, {key} FROM read_parquet('{folder}/**/*.parquet', hive_partitioning = true) ORDER BY id"
    ).fetchall()
    expected = {
        "imposed_by": [(m.id, m.imposed_by) for m in dataset.measures],
        "announced_year": [(m.id, int(m.announced[:4]) if m.announced else None) for m in dataset.measures],
    }[key]
    assert rows == sorted(expected)
    assert sorted(read_parquet(folder), key=lambda r: r.id) == sorted(dataset.measures, key=lambda r: r.id)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text("utf-8"))
    assert sum(f["records"] for f in manifest["files"] if f["path"].startswith("parquet/measures/")) == 3


def test_failed_export_leaves_previous_folder(
    dataset: Dataset, tmp_path: Path, export_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    export_dataset(dataset, out)
    before = _tree(out)

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(pipeline_module, "write_schemas", fail)
    with pytest.raises(OSError, match="disk full"):
        export_dataset(dataset, out)
    assert _tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_killed_export_leaves_previous_folder(dataset: Dataset, tmp_path: Path) -> None:
    out = tmp_path / "out"
    export_dataset(dataset, out)
    before = _tree(out)
    statements = tmp_path / "big.statements.jsonl"
    line = tmp_path / "line"
    write_jsonl(dataset.statements[:1], line)
    template = line.read_text("utf-8").replace(
        '"about":["measure:cn-rare-earth-export-restriction"]', '"about":[]'
    )
    with open(statements, "w", encoding="utf-8") as handle:
        for i in range(200_000):
            handle.write(template.replace("statement:lutnick-rare-earths", f"statement:{i}"))
    process = subprocess.Popen(
        [sys.executable, "-m", "tradeschema", "export", str(statements), "--to", str(out)],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    # Kill once the staging folder exists, i.e. mid-export.
    deadline = time.monotonic() + 20
    while not list(tmp_path.glob(f".out{STAGING_MARKER}*")) and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.3)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    assert _tree(out) == before
    # The next export removes the dead process's staging folder.
    export_dataset(dataset, out)
    assert not list(tmp_path.glob(f".out{STAGING_MARKER}*"))


def test_foreign_folder_needs_force(dataset: Dataset, tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("precious", "utf-8")
    with pytest.raises(ExportError, match="not a tradeschema export"):
        export_dataset(dataset, out)
    assert (out / "thesis.tex").read_text("utf-8") == "precious"
    export_dataset(dataset, out, force=True)
    assert not (out / "thesis.tex").exists()


def test_cli_exit_codes(dataset: Dataset, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inputs = [str(p) for p in _write_inputs(dataset, tmp_path / "in")]
    assert main(["export", *inputs, "--to", str(tmp_path / "out")]) == 0
    doc = tmp_path / "dataset.json"
    doc.write_text(dataset.model_dump_json(), "utf-8")
    assert main(["export", str(doc), "--to", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "dataset.json").is_file()
    capsys.readouterr()

    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"schema_version": "1.0.0",\n "parties": [{"id": "party:us", "kind": "nation"}]}', "utf-8"
    )
    assert main(["export", str(bad), "--to", str(tmp_path / "out2")]) == 1
    err = capsys.readouterr().err
    assert f"error: enum-error ×1 at $.parties[0].kind — first at {bad}:2" in err
    assert "nothing written" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out2").exists()

    broken = tmp_path / "broken.json"
    broken.write_text('{"schema_version": "1.0.0",\n "parties": [}', "utf-8")
    assert main(["export", str(broken), "--to", str(tmp_path / "out2")]) == 1
    assert f"invalid-json ×1 — first at {broken}:2\n" in capsys.readouterr().err

    assert main(["export", str(tmp_path / "missing.jsonl"), "--to", str(tmp_path / "out2")]) == 2
    assert main(["export", str(tmp_path / "in" / "statements.jsonl"), "--to", str(tmp_path / "in")]) == 2
    assert main(["export", str(tmp_path / "notes.csv"), "--to", str(tmp_path / "out2")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    errors = [line for line in err if line.startswith("tradeschema export: error: ")]
    assert len(errors) == 3
    assert "missing.jsonl" in errors[0]
    assert "not a tradeschema export" in errors[1]
    assert "notes.csv" in errors[2]
    # The library names the remedy; the command line names its option, on a line of its own.
    assert err == [*errors[:2], "tradeschema export: hint: pass --force to replace it", errors[2]]
