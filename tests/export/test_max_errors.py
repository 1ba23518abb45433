"""``--max-errors 0`` lists every issue, in ``export`` as in ``validate``; the default is in ``--help``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tradeschema.cli import EXIT_INVALID, main

BAD_LINES = 1200  # more than the 1,000 issues per code a report keeps by default


@pytest.fixture
def many_errors(tmp_path: Path) -> Path:
    path = tmp_path / "parties.jsonl"
    path.write_text(
        "".join(f'{{"id": "party:p{i}", "kind": "planet", "name": "P"}}\n' for i in range(BAD_LINES)), "utf-8"
    )
    return path


@pytest.mark.parametrize(
    "command", [["validate"], ["export", "-o", "OUT"], ["export", "--in-memory", "-o", "OUT"]]
)
def test_max_errors_0_lists_every_issue(
    many_errors: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    argv = [arg.replace("OUT", str(tmp_path / "out")) for arg in command]
    assert main([*argv, str(many_errors), "--format", "json", "--max-errors", "0"]) == EXIT_INVALID
    report = json.loads(capsys.readouterr().out)
    assert report["counts"]["by_code"]["enum-error"] == BAD_LINES
    assert len(report["issues"]) == BAD_LINES
    assert sorted(issue["line"] for issue in report["issues"]) == list(range(1, BAD_LINES + 1))
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", [["validate"], ["export", "-o", "OUT"]])
def test_max_errors_n_lists_n_and_counts_all(
    many_errors: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    argv = [arg.replace("OUT", str(tmp_path / "out")) for arg in command]
    assert main([*argv, str(many_errors), "--format", "json", "--max-errors", "7"]) == EXIT_INVALID
    report = json.loads(capsys.readouterr().out)
    assert (report["counts"]["by_code"]["enum-error"], len(report["issues"])) == (BAD_LINES, 7)


@pytest.mark.parametrize("command", ["validate", "export"])
def test_help_shows_the_default(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "0 prints all" in text and "(default: 50)" in text
