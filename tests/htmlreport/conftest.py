"""Inputs of the report tests: the seed as an export folder (plain and partitioned), as a Dataset
document, and a 10,000-record dataset drawn with ``tradeschema.testing``. Each is made once per run."""

from __future__ import annotations

from pathlib import Path

import pytest

import tradeschema
from tradeschema.models import Dataset

from .generated import generated_dataset

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "000_cc4bd68febfd186d.txt"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def seed() -> Dataset:
    return tradeschema.load_article(SEED)


@pytest.fixture(scope="session")
def seed_json(seed: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("seed") / "seed.json"
    path.write_bytes(tradeschema.dataset_json(seed))
    return path


@pytest.fixture(scope="session")
def seed_export(seed: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "out"
    tradeschema.export_dataset(seed, out)
    return out


@pytest.fixture(scope="session")
def partitioned_export(seed: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "by-imposer"
    tradeschema.export_dataset(seed, out, partition_by="imposed_by")
    return out


@pytest.fixture(scope="session")
def big() -> Dataset:
    return generated_dataset(10_000)


@pytest.fixture(scope="session")
def big_json(big: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "big.json"
    path.write_bytes(tradeschema.dataset_json(big))
    return path
