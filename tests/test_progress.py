"""Progress on standard error for long ``export``, ``extract`` and ``validate`` runs: only on a
terminal, never when standard error is piped, never with ``-q``."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from tradeschema.cli import EXIT_OK, main
from tradeschema.export import write_jsonl
from tradeschema.loader.load import load_articles
from tradeschema.registry import TABLE_NAMES
from tradeschema.validation.progress import Progress

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_cc4bd68febfd186d.txt"
ARTICLES = sorted((ROOT / "tests" / "articles").glob("*.txt"))


class Terminal(io.StringIO):
    """Standard error that says it is a terminal."""

    encoding = "utf-8"

    def isatty(self) -> bool:
        return True


def test_the_counter_draws_on_a_terminal_and_clears_its_line() -> None:
    terminal = Terminal()
    meter = Progress(4, stream=terminal, label="extracting", unit="articles", every=1)
    meter.advance(1)
    meter.close()
    text = terminal.getvalue()
    assert text.startswith("\rextracting… ") and " 25.0% (1/4 articles, " in text
    assert text.endswith("\r") and text.rstrip("\r").split("\r")[-1].strip() == ""


def test_the_counter_is_silent_off_a_terminal_and_when_disabled() -> None:
    piped = io.StringIO()
    meter = Progress(4, stream=piped, every=1)
    meter.advance(4)
    meter.close()
    terminal = Terminal()
    quiet = Progress(4, stream=terminal, enabled=False, every=1)
    quiet.advance(4)
    quiet.close()
    assert piped.getvalue() == "" and terminal.getvalue() == ""


def test_an_ascii_terminal_gets_three_dots() -> None:
    class Ascii(Terminal):
        encoding = "ascii"

    terminal = Ascii()
    meter = Progress(2, stream=terminal, label="exporting", every=1)
    meter.advance(1)
    assert terminal.getvalue().startswith("\rexporting... ")


def _jsonl_inputs(tmp_path: Path) -> list[str]:
    """The seed's tables as JSON Lines, with 10,000 more parties: the validator looks at the clock
    every 4,096 lines, so a short file is done before any counter could help."""
    paths = []
    data = load_articles([SEED])
    for table in TABLE_NAMES:
        path = tmp_path / f"{table}.jsonl"
        write_jsonl(getattr(data, table), path)
        paths.append(str(path))
    with open(tmp_path / "parties.jsonl", "a", encoding="utf-8") as parties:
        parties.writelines(
            f'{{"id": "party:p{i}", "kind": "state", "name": "P{i}"}}\n' for i in range(10_000)
        )
    return paths


@pytest.mark.parametrize(
    ("command", "label"),
    [
        (["extract", *map(str, ARTICLES[:3]), "-o", "{tmp}/x.json"], "extracting"),
        (["export", *map(str, ARTICLES[:2]), "-o", "{tmp}/articles"], "extracting"),
        (["export", "{jsonl}", "-o", "{tmp}/streamed"], "exporting"),
        (["export", "--in-memory", "{jsonl}", "-o", "{tmp}/in-memory"], "validating file 2/5"),
        (["validate", "{jsonl}"], "validating file 2/5"),
    ],
)
def test_long_commands_show_progress_on_a_terminal_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str], label: str
) -> None:
    jsonl = _jsonl_inputs(tmp_path)

    def argv(extra: list[str]) -> list[str]:
        out: list[str] = []
        for arg in command:
            out.extend(jsonl if arg == "{jsonl}" else [arg.replace("{tmp}", str(tmp_path / extra[0]))])
        return [*out, *extra[1:]]

    for run, quiet in (("tty", False), ("quiet", True), ("piped", False)):
        (tmp_path / run).mkdir()
        stderr: io.StringIO = io.StringIO() if run == "piped" else Terminal()
        monkeypatch.setattr(sys, "stderr", stderr)
        assert main(argv([run, *(["-q"] if quiet else [])])) == EXIT_OK, stderr.getvalue()
        shown = f"\r{label}…" in stderr.getvalue()
        assert shown is (run == "tty"), (run, stderr.getvalue())
        if run != "tty":
            assert "\r" not in stderr.getvalue()


def test_a_real_terminal_sees_the_counter_and_a_pipe_does_not(tmp_path: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "tradeschema",
        "extract",
        *map(str, ARTICLES[:3]),
        "-o",
        str(tmp_path / "x.json"),
    ]
    main_fd, child_fd = pty.openpty()
    try:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=child_fd, cwd=ROOT)
        os.close(child_fd)
        seen = b""
        while True:
            ready, _, _ = select.select([main_fd], [], [], 60)
            if not ready:
                break
            try:
                chunk = os.read(main_fd, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        assert process.wait(60) == 0
    finally:
        os.close(main_fd)
    assert "extracting… ".encode() in seen and b"articles" in seen
    piped = subprocess.run(command, capture_output=True, check=False, cwd=ROOT)
    assert piped.returncode == 0 and b"\r" not in piped.stderr
