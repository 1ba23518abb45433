"""Test-wide settings.

Hypothesis: no per-example deadline (a loaded CI machine makes timing noise, and timing is the
benchmarks' job), and under ``CI`` a fixed exploration order, so a CI failure is reproducible.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("tradeschema", deadline=None)
settings.register_profile("tradeschema-ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("tradeschema-ci" if os.environ.get("CI") else "tradeschema")


@pytest.fixture(scope="session")
def tool_cache() -> Path:
    """A folder kept between test runs for tools the tests install (Ajv from npm).

    Entries are keyed by what they hold (a package version), so a kept one is never stale.
    """
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = base / "tradeschema-tests"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
