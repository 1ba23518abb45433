"""Spark in local mode on two cores, one session for the whole Spark suite."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    pytest.importorskip(
        "pyspark", reason="the Spark suite needs the spark extra: pip install -e '.[test,spark]'"
    )
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        if os.environ.get("CI"):
            pytest.fail("CI must run the Spark suite: no java on PATH and no JAVA_HOME")
        pytest.skip("Spark needs Java 17 or later")
    from tradeschema.spark import spark_session

    # Small data: a few shuffle partitions instead of 200 keeps each test to seconds.
    session = spark_session(
        "local[2]", config={"spark.sql.shuffle.partitions": "4", "spark.ui.enabled": "false"}
    )
    yield session
    session.stop()


ARTICLES = Path(__file__).resolve().parent.parent / "articles"
"""The test articles: the loader's extraction of them is the data of the export tests."""


@pytest.fixture(scope="session")
def records(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of JSON Lines, one file per record table, from the loader's extraction of the articles."""
    from tradeschema.export import export_dataset
    from tradeschema.loader.load import load_articles

    out = tmp_path_factory.mktemp("records")
    export_dataset(load_articles([ARTICLES], jobs=1), out / "export")
    for path in (out / "export" / "jsonl").glob("*.jsonl"):
        shutil.copy(path, out / path.name)
    shutil.rmtree(out / "export")
    return out
