"""Extraction over many articles in several processes gives the dataset one process gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from tradeschema import workers
from tradeschema.cli import main
from tradeschema.loader import load
from tradeschema.loader.load import load_articles

ARTICLES = Path(__file__).parent / "articles"


def test_any_number_of_jobs_gives_the_same_dataset(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = load_articles([ARTICLES], jobs=1).model_dump_json()
    # A share of two articles per process: the test articles are cut into several shares.
    monkeypatch.setattr(load, "MIN_ARTICLES_PER_JOB", 2)
    assert load_articles([ARTICLES], jobs=3).model_dump_json() == expected


def test_a_failed_worker_leaves_its_share_to_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = load_articles([ARTICLES], jobs=1).model_dump_json()
    monkeypatch.setattr(load, "MIN_ARTICLES_PER_JOB", 2)
    started: list[workers.WorkerProcess] = []

    class Failing(workers.WorkerProcess):
        def result(self) -> object:
            started.append(self)
            self.cancel()
            raise workers.WorkerGone("killed")

    monkeypatch.setattr(workers, "WorkerProcess", Failing)
    assert load_articles([ARTICLES], jobs=2).model_dump_json() == expected
    assert started


def test_extract_jobs_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    assert main(["extract", str(ARTICLES), "--jobs", "1", "-q", "-o", str(one)]) == 0
    assert main(["extract", str(ARTICLES), "--jobs", "2", "-q", "-o", str(two)]) == 0
    assert one.read_bytes() == two.read_bytes()
    assert main(["extract", str(ARTICLES), "--jobs", "0"]) == 2
    assert "--jobs must be 1 or more" in capsys.readouterr().err
