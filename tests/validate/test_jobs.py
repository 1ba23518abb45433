"""Several processes on one JSON Lines file give the report one process gives, issue for issue."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tradeschema
from tradeschema import workers
from tradeschema.cli import main
from tradeschema.validation import parallel
from tradeschema.validation.parallel import FilesRequest

from .conftest import source, statement, write_parquet

# Every kind of line the JSON Lines reader tells apart, as a function of a line's number.
LINE_KINDS: dict[str, Any] = {
    "valid": lambda n: orjson.dumps(statement(n)),
    "spaced": lambda n: json.dumps(statement(n), separators=(", ", " : ")).encode(),
    "same id": lambda n: orjson.dumps(statement(7)),
    "duplicate key": lambda n: orjson.dumps(statement(n)).replace(b'"end":34', b'"end":34,"end":35'),
    "bad date": lambda n: orjson.dumps(statement(n, date="2025-02-30")),
    "bad and doubled": lambda n: orjson.dumps(statement(n, date="2025-02-30")).replace(
        b'"end":34', b'"end":34,"end":35'
    ),
    "missing field": lambda n: orjson.dumps({k: v for k, v in statement(n).items() if k != "text"}),
    "not json": lambda n: b'{"id": "statement:' + str(n).encode(),
    "not an object": lambda n: b"[1, 2]",
    "blank": lambda n: b"",
    "span out of order": lambda n: orjson.dumps(
        statement(n, evidence=[{"source_id": "source:1", "start": 9, "end": 2, "text": "x"}])
    ),
    "dangling source": lambda n: orjson.dumps(
        statement(n, evidence=[{"source_id": "source:404", "start": 13, "end": 34, "text": "talks"}])
    ),
    "span text differs": lambda n: orjson.dumps(
        statement(n, evidence=[{"source_id": "source:1", "start": 0, "end": 7, "text": "Lutnicc"}])
    ),
    "long": lambda n: orjson.dumps(statement(n, text="x" * 600)),
    "not utf-8": lambda n: orjson.dumps(statement(n)).replace(b"talks were", b"talks \xff were", 1),
    "crlf": lambda n: orjson.dumps(statement(n)) + b"\r",
}


def _write(path: Path, kinds: list[str], *, bom: bool, final_newline: bool) -> None:
    lines = [LINE_KINDS[kind](number) for number, kind in enumerate(kinds, 1)]
    data = b"\n".join(lines) + (b"\n" if final_newline else b"")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)


def _report(data: Any, jobs: int, **options: Any) -> dict[str, Any]:
    return tradeschema.validate(data, jobs=jobs, progress=False, **options).to_dict()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kinds=st.lists(st.sampled_from(sorted(LINE_KINDS)), min_size=1, max_size=60),
    bom=st.booleans(),
    final_newline=st.booleans(),
    jobs=st.integers(2, 4),
    with_sources=st.booleans(),
)
def test_any_number_of_jobs_gives_the_same_report(  # noqa: PLR0917  # what the file is made of
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    kinds: list[str],
    bom: bool,
    final_newline: bool,
    jobs: int,
    with_sources: bool,
) -> None:
    folder = tmp_path_factory.mktemp("jobs")
    path = folder / "statements.jsonl"
    _write(path, kinds, bom=bom, final_newline=final_newline)
    paths = [path]
    if with_sources:
        # References and spans are then checked across the parts, against the sources file.
        paths.insert(0, folder / "sources.jsonl")
        paths[0].write_bytes(orjson.dumps(source(1)) + b"\n")
    # Parts of a few hundred bytes: a file of a few lines is already cut into several.
    monkeypatch.setattr(parallel, "MIN_PART_BYTES", 300)
    options = {"max_line_bytes": 400}
    assert _report(paths, jobs, **options) == _report(paths, 1, **options)


def test_a_file_is_cut_at_line_starts_into_parts_of_about_equal_size(tmp_path: Path) -> None:
    path = tmp_path / "statements.jsonl"
    _write(path, ["valid"] * 100 + ["long"] + ["valid"] * 100, bom=False, final_newline=True)
    data = path.read_bytes()
    cuts = parallel.cut_points(str(path), 4, min_part=1000)
    assert cuts[0] == 0
    assert cuts[-1] == len(data)
    assert len(cuts) == 5
    assert all(data[cut - 1 : cut] == b"\n" for cut in cuts[1:-1])
    assert all(later - earlier >= 1000 for earlier, later in itertools.pairwise(cuts))
    # The first part is longer by ``head`` bytes, the others about equal.
    headed = parallel.cut_points(str(path), 3, min_part=1000, head=len(data) // 4)
    sizes = [later - earlier for earlier, later in itertools.pairwise(headed)]
    assert sizes[0] - sizes[1] >= len(data) // 4 - 2 * len(data) // 201
    assert abs(sizes[1] - sizes[2]) <= 2 * len(data) // 201
    # Too small for two parts of the least size, or no line start to cut at: one part.
    assert parallel.cut_points(str(path), 4, min_part=len(data)) == [0, len(data)]
    one_line = tmp_path / "one.jsonl"
    one_line.write_bytes(b"x" * 5000)
    assert parallel.cut_points(str(one_line), 4, min_part=100) == [0, 5000]


def test_duplicate_ids_across_parts_are_found_with_their_places(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "statements.jsonl"
    path.write_bytes(b"".join(orjson.dumps(statement(i % 500)) + b"\n" for i in range(1000)))
    monkeypatch.setattr(parallel, "MIN_PART_BYTES", 10_000)
    report = tradeschema.validate(path, jobs=3, progress=False)
    assert len(parallel.cut_points(str(path), 3)) == 4
    found = [issue.line for issue in report.issues if issue.code == "duplicate-id"]
    assert found == list(range(501, 1001))
    assert report.records == 1000


def test_a_failed_worker_leaves_its_part_to_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "statements.jsonl"
    _write(path, ["valid", "bad date", "same id", "duplicate key"] * 50, bom=False, final_newline=True)
    monkeypatch.setattr(parallel, "MIN_PART_BYTES", 2000)
    expected = _report(path, 1)

    class Failing(workers.WorkerProcess):
        def result(self) -> object:
            self.cancel()
            raise workers.WorkerGone("killed")

    monkeypatch.setattr(workers, "WorkerProcess", Failing)
    assert _report(path, 3) == expected


def test_jobs_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "statements.jsonl"
    _write(path, ["valid", "bad date"], bom=False, final_newline=True)
    assert main(["validate", str(path), "--jobs", "2", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [(i["code"], i["line"]) for i in report["issues"]] == [("pattern-error", 2)]
    assert main(["validate", str(path), "--jobs", "0"]) == 2
    assert "jobs" in capsys.readouterr().err
    with pytest.raises(tradeschema.UsageError):
        tradeschema.validate(path, jobs=0)


def test_every_kind_of_line_in_every_part_with_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "statements.jsonl"
    _write(path, sorted(LINE_KINDS) * 4, bom=True, final_newline=False)
    sources = tmp_path / "sources.jsonl"
    sources.write_bytes(orjson.dumps(source(1)) + b"\n")
    monkeypatch.setattr(parallel, "MIN_PART_BYTES", 1000)
    assert len(parallel.cut_points(str(path), 4)) == 5
    expected = _report([sources, path], 1, max_line_bytes=400)
    # Each rule has something to tell in every part, so a part whose findings were lost would show.
    codes = expected["counts"]["by_code"]
    for code in ("duplicate-id", "duplicate-key", "dangling-reference", "span-text-mismatch", "span-order"):
        assert codes.get(code, 0) >= 3, (code, codes)
    assert _report([sources, path], 4, max_line_bytes=400) == expected


def test_export_writes_the_same_folder_for_any_number_of_jobs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "statements.jsonl"
    _write(path, ["valid", "spaced", "valid", "crlf"] * 100, bom=False, final_newline=True)
    folders = {}
    for jobs in (1, 3):
        out = tmp_path / f"out-{jobs}"
        result = tradeschema.export_files([path], out, jobs=jobs)
        assert result.ok
        folders[jobs] = {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert folders[1] == folders[3]
    assert main(["export", str(path), "-o", str(tmp_path / "bad"), "--jobs", "0"]) == 2
    # What the export's validator child does with its jobs, here, with parts small enough to cut.
    _write(path, sorted(LINE_KINDS) * 3, bom=False, final_newline=True)
    monkeypatch.setattr(parallel, "MIN_PART_BYTES", 1000)
    files: list[tuple[str, str, str | None]] = [(str(path), str(path), "statements")]
    assert len(parallel.cut_points(str(path), 3)) == 4
    expected = FilesRequest(files, 1000, 1).answer().to_dict()
    assert expected["counts"]["errors"] > 0
    assert FilesRequest(files, 1000, 3).answer().to_dict() == expected


def test_parquet_row_groups_in_parts_give_the_same_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyarrow.parquet as pq

    rows = [statement(i % 90) for i in range(120)]  # ids repeated across row groups
    rows[5]["kind"] = "shouted"  # a bad value in the first part
    rows[70]["date"] = "2025-02-30"  # and in a later one
    rows[100]["evidence"] = [{"source_id": "source:1", "start": 9, "end": 2, "text": "x"}]
    rows[110]["evidence"] = [{"source_id": "source:404", "start": 13, "end": 34, "text": "talks"}]
    path = tmp_path / "statements.parquet"
    write_parquet(path, "statements", rows)
    # Row groups of 16 rows, and a schema version of the future: a file issue the first part reports.
    table = pq.read_table(path)
    table = table.replace_schema_metadata({b"tradeschema.schema_version": b"9.0.0"})
    pq.write_table(table, path, row_group_size=16)
    sources = tmp_path / "sources.jsonl"
    sources.write_bytes(orjson.dumps(source(1)) + b"\n")
    assert parallel.group_cuts([16] * 8, 3, min_part=20) == [0, 3, 6, 8]
    # The caller's part is longer by the rows it reads while a worker starts (at most half of them).
    assert parallel.group_cuts([16] * 8, 2, min_part=20) == [0, 4, 8]
    assert parallel.group_cuts([16] * 8, 2, min_part=20, head=32) == [0, 5, 8]
    assert parallel.group_cuts([16] * 8, 2, min_part=20, head=10_000) == [0, 6, 8]  # head: 64 at most
    monkeypatch.setattr(parallel, "MIN_PART_ROWS", 20)
    expected = _report([sources, path], 1)
    codes = expected["counts"]["by_code"]
    for code in ("duplicate-id", "enum-error", "pattern-error", "span-order", "dangling-reference"):
        assert codes.get(code, 0) >= 1, (code, codes)
    assert sum(1 for issue in expected["issues"] if "9.0.0" in issue["message"]) == 1
    assert _report([sources, path], 3) == expected
