"""The package as users meet it: public API, typing marker, command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import tradeschema

ROOT = Path(__file__).resolve().parent.parent


def test_every_public_name_resolves() -> None:
    missing = [name for name in tradeschema.__all__ if getattr(tradeschema, name, None) is None]
    assert missing == []
    assert tradeschema.__version__


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="NoSuchThing"):
        _ = tradeschema.NoSuchThing  # type: ignore[attr-defined]


def test_package_is_typed() -> None:
    assert (ROOT / "tradeschema" / "py.typed").exists()


def test_command_line_help_and_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tradeschema", "--help"], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert result.returncode == 0 and "schema" in result.stdout
    result = subprocess.run(
        [sys.executable, "-m", "tradeschema", "--version"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.stdout.strip() == f"tradeschema {tradeschema.__version__}"


def test_no_command_is_a_usage_error() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tradeschema"], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert result.returncode == 2 and "usage" in result.stderr
