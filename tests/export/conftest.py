"""Fixtures of the export tests. ``dataset`` is the one place the test data comes from."""

from __future__ import annotations

from pathlib import Path

import pytest

from tradeschema.export import export_dataset
from tradeschema.models import Dataset

from .seedlike import seedlike_dataset


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    """The dataset the query tests run on. Swap in the loaded seed here once the loader lands:
    ``return tradeschema.load_articles(sorted(Path("seeds").glob("*.txt")))``.
    """
    return seedlike_dataset()


@pytest.fixture(scope="session")
def export_dir(dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An export folder of ``dataset``, written once per test session (read-only for tests)."""
    out = tmp_path_factory.mktemp("export") / "out"
    export_dataset(dataset, out)
    return out
