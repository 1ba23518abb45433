"""Every command and Python example in the README runs as written and prints what the README shows.

``console`` blocks: each ``$ command`` runs in bash in a scratch folder holding the repository's
``seeds/``, ``examples/`` and ``tests/articles/``; the lines after it, up to the next ``$``, are its expected output
(standard output and error together). ``python`` blocks run there too, and the ``text`` block that
follows one is its expected output. The ``sh`` set-up blocks (venv and install) are what ``.ci/run``
itself runs, so they are not repeated here.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```\n", re.S | re.M)


def _blocks() -> list[tuple[str, str]]:
    return [(match.group(1), match.group(2)) for match in BLOCK.finditer(README)]


def _commands() -> list[tuple[str, str]]:
    """(command, expected output) for every ``$`` line of the console blocks, in README order."""
    found = []
    for language, body in _blocks():
        if language != "console":
            continue
        for chunk in re.split(r"^\$ ", body, flags=re.M)[1:]:
            command, _, output = chunk.partition("\n")
            found.append((command, output))
    return found


def _python_examples() -> list[tuple[str, str]]:
    blocks = _blocks()
    return [
        (body, blocks[index + 1][1])
        for index, (language, body) in enumerate(blocks)
        if language == "python" and index + 1 < len(blocks) and blocks[index + 1][0] == "text"
    ]


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("readme")
    for name in ("seeds", "examples", "tests/articles"):
        shutil.copytree(ROOT / name, folder / name)
    return folder


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    # The interpreter running the tests, and the `tradeschema` and `duckdb` commands installed
    # beside it, come first: the README's commands are run as a user of this install would.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["COLUMNS"] = "200"
    return env


def test_the_readme_has_examples() -> None:
    assert len(_commands()) >= 8
    assert _python_examples()
    assert "pip install -e '.[test]' && python -m pytest" in README


def test_ci_runs_the_spark_suite_as_the_readme_gives_it() -> None:
    command = "pip install -e '.[test,spark]' && python -m pytest tests/spark"
    assert command in README
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_console_examples_print_what_the_readme_shows(scratch: Path) -> None:
    for command, expected in _commands():
        result = subprocess.run(
            [
                "bash",
                "-c",
                command.replace("python ", f"{sys.executable} ", 1)
                if command.startswith("python ")
                else command,
            ],
            cwd=scratch,
            env=_environment(),
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        shown = (result.stdout + result.stderr).rstrip("\n")
        assert shown == expected.rstrip("\n"), f"README command: $ {command}"


def test_python_examples_print_what_the_readme_shows(scratch: Path) -> None:
    for code, expected in _python_examples():
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=scratch,
            env=_environment(),
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.stdout.rstrip("\n") == expected.rstrip("\n"), result.stderr
