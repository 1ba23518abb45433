"""The writers share one interface: a new output format is one new class in ``FORMATS``."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from tradeschema.export import arrow as arrow_module
from tradeschema.export import build_manifest, export_dataset, export_files, write_jsonl
from tradeschema.export import writers as writers_module
from tradeschema.export.arrow import Rows
from tradeschema.export.writers import Writer
from tradeschema.models import Dataset
from tradeschema.registry import TABLE_NAMES


class IdListWriter(Writer):
    """A format made up for the test: the ids of a table, one per line, from the Arrow batch, on a
    writer thread (lane) of its own."""

    lane = "ids"

    def __init__(self, path: Path) -> None:
        self.path = path
        self._ids: list[str] = []

    @classmethod
    def open_for(cls, root: Path, table: str, batch_size: int) -> Sequence[Writer]:
        (root / "ids").mkdir(exist_ok=True)
        return [cls(root / "ids" / f"{table}.txt")]

    def write(self, rows: Rows) -> None:
        self._ids.extend(rows.batch.column("id").to_pylist())

    def close(self) -> None:
        self.path.write_text("".join(f"{i}\n" for i in self._ids), "utf-8")


@pytest.mark.parametrize("streamed", [False, True])
def test_a_new_format_is_one_class(
    dataset: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, streamed: bool
) -> None:
    monkeypatch.setattr(writers_module, "FORMATS", (*writers_module.FORMATS, IdListWriter))
    out = tmp_path / "out"
    _export(dataset, tmp_path, out, streamed=streamed)
    for table in TABLE_NAMES:
        ids = (out / "ids" / f"{table}.txt").read_text("utf-8").split()
        assert sorted(ids) == sorted(record.id for record in getattr(dataset, table))
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert {f"ids/{table}.txt" for table in TABLE_NAMES} <= {entry["path"] for entry in manifest["files"]}


@pytest.mark.parametrize("streamed", [False, True])
def test_hashes_taken_while_writing_are_those_of_the_files(
    dataset: Dataset, tmp_path: Path, streamed: bool
) -> None:
    """Writers hash what they write, so the manifest need not read large files again; the manifest
    must still be the one that reading every file back gives."""
    out = tmp_path / "out"
    manifest = _export(dataset, tmp_path, out, streamed=streamed)
    hashed = {entry["path"] for entry in manifest["files"] if entry["path"].endswith((".jsonl", ".csv"))}
    assert {f"jsonl/{t}.jsonl" for t in TABLE_NAMES} | {f"csv/{t}.csv" for t in TABLE_NAMES} <= hashed
    (out / "manifest.json").unlink()
    documents = [entry["records"] for entry in manifest["files"] if entry["path"] == "dataset.json"]
    read_back = build_manifest(out, dataset_records=documents[0] if documents else None, **_extra(manifest))
    assert read_back == manifest


def test_writers_on_two_lanes_share_one_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Parquet and CSV writers run on threads of their own and both ask for a block's batch: it is
    built once, by whichever asks first, and the other waits for it."""
    built: list[bytes] = []
    slow_start = threading.Barrier(2)

    def batch_from_lines(lines: bytes, table: str, parsed: object = None) -> object:
        built.append(lines)
        time.sleep(0.05)  # long enough for the other thread to ask meanwhile
        return object()

    monkeypatch.setattr(arrow_module, "batch_from_lines", batch_from_lines)
    rows = Rows("statements", b'{"id": "statement:a"}\n', canonical=False)
    seen: list[object] = []

    def ask() -> None:
        slow_start.wait()
        seen.append(rows.batch)

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(built) == 1
    assert seen[0] is seen[1]
    assert {kind.lane for kind in writers_module.FORMATS} == {"jsonl", "parquet", "csv"}


def _export(dataset: Dataset, work: Path, out: Path, *, streamed: bool) -> dict[str, Any]:
    """Export ``dataset`` to ``out``: in memory, or streamed from JSON Lines written under ``work``;
    returns the manifest."""
    if not streamed:
        return export_dataset(dataset, out)
    inputs = []
    for table in TABLE_NAMES:
        inputs.append(work / f"{table}.jsonl")
        write_jsonl(getattr(dataset, table), inputs[-1])
    result = export_files(inputs, out)
    assert result.manifest is not None
    return result.manifest


def _extra(manifest: dict[str, Any]) -> dict[str, Any]:
    fixed = {"format", "schema_version", "tradeschema_version", "files"}
    return {key: value for key, value in manifest.items() if key not in fixed}
