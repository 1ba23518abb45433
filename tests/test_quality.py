"""Code quality gates that run with the tests: ruff, ruff format, strict mypy, and the built wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_check_is_clean() -> None:
    result = _run(sys.executable, "-m", "ruff", "check", "--output-format", "concise", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean() -> None:
    result = _run(sys.executable, "-m", "ruff", "format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean() -> None:
    result = _run(sys.executable, "-m", "mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_wheel_ships_schemas_and_typing_marker(tmp_path: Path) -> None:
    result = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), ".")
    assert result.returncode == 0, result.stdout + result.stderr
    (wheel,) = tmp_path.glob("tradeschema-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {name for name in names if name.startswith("tradeschema/schemas/")}
    committed = {f"tradeschema/schemas/{path.name}" for path in (ROOT / "schemas").glob("*.schema.json")}
    assert shipped == committed
    assert "tradeschema/py.typed" in names
    templates = {
        f"tradeschema/htmlreport/templates/{p.name}"
        for p in (ROOT / "tradeschema/htmlreport/templates").iterdir()
    }
    assert templates <= names and "tradeschema/htmlreport/templates/report.html.j2" in templates
    assert not any(name.startswith(("tests/", "benchmarks/")) for name in names)
