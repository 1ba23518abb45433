"""Worker processes: an answer comes back whole, and a worker that dies is told apart from one that failed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tradeschema.validation.parallel import PartRequest, PartResult
from tradeschema.workers import WorkerGone, WorkerProcess


def _request(path: Path) -> PartRequest:
    return PartRequest(str(path), path.name, "parties", ["parties"], 0, path.stat().st_size, 10, 1 << 20)


def test_the_answer_comes_back(tmp_path: Path) -> None:
    path = tmp_path / "parties.jsonl"
    path.write_text('{"id": "party:a", "kind": "state", "name": "A"}\n{"id": "party:a"}\n', "utf-8")
    result = WorkerProcess(_request(path)).result()
    assert isinstance(result, PartResult)
    assert result.lines == 2
    # A record that breaks the schema still holds its id: a later one with the same id is a duplicate.
    assert result.integrity.ids.ids_between(0, 2) == ["party:a", "party:a"]
    assert [issue.code for issue in result.report.issues] == ["missing-field", "missing-field"]


def test_a_worker_that_dies_is_gone_not_an_error(tmp_path: Path) -> None:
    path = tmp_path / "parties.jsonl"
    path.write_text('{"id": "party:a", "kind": "state", "name": "A"}\n', "utf-8")
    worker = WorkerProcess(_request(path))
    worker.cancel()  # killed before it could answer
    with pytest.raises(WorkerGone, match="without an answer"):
        worker.result()
