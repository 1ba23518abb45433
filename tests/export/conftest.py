"""Fixtures of the export tests. ``dataset`` is the one place the test data comes from."""

from __future__ import annotations

from pathlib import Path

import pytest

from tradeschema.export import export_dataset
from tradeschema.models import Dataset

from .seedlike import seedlike_dataset


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    """The dataset the export tests run on: written by hand (:mod:`.seedlike`), so that they do not
    depend on the article loader. The loaded seed is exported by the tests of its own queries
    (``test_seed_queries.py``)."""
    return seedlike_dataset()


@pytest.fixture(scope="session")
def export_dir(dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An export folder of ``dataset``, written once per test session (read-only for tests)."""
    out = tmp_path_factory.mktemp("export") / "out"
    export_dataset(dataset, out)
    return out
