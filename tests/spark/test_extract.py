"""The loader on Spark: the dataset and the export folder of the single-machine loader, from files or a table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.spark.conftest import ARTICLES
from tradeschema import validate
from tradeschema.errors import ArticleError, InputError
from tradeschema.export import export_files
from tradeschema.loader.load import load_articles

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

FILES = sorted(str(path) for path in ARTICLES.glob("*.txt"))


def _manifest(folder: Path) -> list[tuple[str, str]]:
    files = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["files"]
    return [(entry["path"], entry["sha256"]) for entry in files]


def test_articles_files_give_the_single_machine_dataset(spark: SparkSession) -> None:
    from tradeschema.spark import load_articles_spark

    local = load_articles(FILES, jobs=1)
    # Given in reverse, the files are still taken in the order given: the first article wins merges.
    assert load_articles_spark(FILES, spark=spark) == local
    assert load_articles_spark(FILES[::-1], spark=spark) == load_articles(FILES[::-1], jobs=1)
    assert len(local.sources) == len(FILES)


def test_a_table_of_articles_gives_the_export_of_the_files(spark: SparkSession, tmp_path: Path) -> None:
    from tradeschema.spark import extract_spark

    # The table holds each file's text under its name; ordered by id, as the folder's files are.
    rows = [(path, Path(path).read_text(encoding="utf-8")) for path in FILES[::-1]]
    frame = spark.createDataFrame(rows, "id string, text string")
    result = extract_spark(frame, tmp_path / "spark", spark=spark)
    local = export_files(FILES, tmp_path / "local")
    assert result.ok
    assert local.ok
    assert _manifest(tmp_path / "spark") == _manifest(tmp_path / "local")
    assert validate(tmp_path / "spark").valid


def test_a_parquet_table_with_header_columns(spark: SparkSession, tmp_path: Path) -> None:
    from tradeschema.spark import load_articles_spark

    # The file's text without its header line: the columns give the date and the headline.
    body = Path(FILES[0]).read_text(encoding="utf-8").split("\n", 1)[1]
    (tmp_path / "body.txt").write_text(body, encoding="utf-8")
    spark.createDataFrame(
        [("body.txt", body, "2025-06-26", "A headline of our own")],
        "id string, text string, published string, title string",
    ).write.parquet(str(tmp_path / "articles.parquet"))
    found = load_articles_spark(str(tmp_path / "articles.parquet"), spark=spark)
    expected = load_articles(
        [tmp_path / "body.txt"], published="2025-06-26", title="A headline of our own", jobs=1
    )
    assert found.sources[0].title == "A headline of our own"
    assert found == expected


def test_unreadable_articles_are_errors_naming_them(spark: SparkSession, tmp_path: Path) -> None:
    from tradeschema.spark import load_articles_spark

    frame = spark.createDataFrame([("a", "no header here"), ("b", "")], "id string, text string")
    errors: list[ArticleError] = []
    dataset = load_articles_spark(frame, spark=spark, errors=errors)
    assert not dataset.sources
    assert [(error.file, error.line) for error in errors] == [("a", 1), ("b", 1)]
    assert errors[0].remedy == "published"
    with pytest.raises(ArticleError, match=r"^a:1: "):
        load_articles_spark(frame, spark=spark)


def test_a_table_without_text_is_refused(spark: SparkSession) -> None:
    from tradeschema.spark import load_articles_spark

    frame = spark.createDataFrame([("a", "x")], "id string, body string")
    with pytest.raises(InputError, match="needs the columns id and text; it has no text"):
        load_articles_spark(frame, spark=spark)
