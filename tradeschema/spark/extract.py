"""The article loader on Spark: each article extracted on a worker, the dataset assembled on the driver.

Extraction (parse, sentences, mentions, quotes, measures, negotiations:
:func:`tradeschema.loader.load.extract`) is the costly part and each article is done on its own, so
Spark's workers do it, one row of the table of articles at a time. What needs every article runs on
the driver, as on one machine: source ids in input order (:func:`~tradeschema.loader.load.source_id`;
the rare article whose id is taken is extracted again with the id it gets), and
:func:`~tradeschema.loader.assemble.assemble`, which merges parties, measures and negotiations across
articles. So the dataset equals the one :func:`tradeschema.load_articles` gives on the same articles
in the same order, and the driver holds every extraction (the articles' texts included) while it
assembles them.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from ..errors import ArticleError, InputError
from ..validation import PathLike
from .session import DEFAULT_MASTER, require_pyspark, spark_session
from .tasks import spark_ddl

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

    from ..export.pipeline import ExportResult
    from ..loader.assemble import Extraction
    from ..models import Dataset

__all__ = ["ARTICLE_COLUMNS", "EXTRACTED", "extract_articles", "extract_spark", "load_articles_spark"]

ARTICLE_COLUMNS: tuple[str, ...] = ("id", "text", "published", "title", "byline", "position")
"""Columns of a table of articles: ``id`` (names the article in errors) and ``text`` are required;
``published``, ``title`` and ``byline`` override the text's header, as the loader's arguments do;
``position`` (an integer), when present, orders the articles, else ``id`` does."""

EXTRACTED = pa.schema(
    [
        ("position", pa.int64()),
        ("id", pa.string()),
        # The pickled Extraction; null for an article that could not be read.
        ("extraction", pa.binary()),
        ("reason", pa.string()),
        ("file", pa.string()),
        ("line", pa.int64()),
        ("remedy", pa.string()),
    ]
)
"""What :func:`extract_articles` yields: an article's place in the order, and its extraction or error."""

_PATH = "__tradeschema_path"
"""The column of an article file's path, when the workers read the files themselves."""


def _extract_row(row: dict[str, Any], published: str | None, title: str | None) -> dict[str, Any]:
    from ..loader.load import extract, source_id
    from ..loader.parse import parse_article, read_article_file

    key = {"position": row.get("position"), "id": row.get("id")}
    try:
        path = row.get(_PATH)
        name, text = read_article_file(path) if path is not None else (str(row["id"]), row["text"])
        if text is None:
            raise ArticleError("no text", file=name)
        article = parse_article(
            text,
            name=name,
            published=row.get("published") or published,
            title=row.get("title") or title,
            byline=row.get("byline"),
        )
    except ArticleError as exc:
        return {**key, "reason": exc.reason, "file": exc.file, "line": exc.line, "remedy": exc.remedy}
    # The id it has when no earlier article took it; the driver gives the others theirs.
    extraction = extract(article, source_id(article, set()))
    return {**key, "extraction": pickle.dumps(extraction, protocol=pickle.HIGHEST_PROTOCOL)}


def extract_articles(
    batches: Iterator[pa.RecordBatch], published: str | None = None, title: str | None = None
) -> Iterator[pa.RecordBatch]:
    """Extract each article of the table (rows with :data:`ARTICLE_COLUMNS`) into a row of
    :data:`EXTRACTED`; ``published`` and ``title`` are used where a row gives none."""
    for batch in batches:
        rows = [_extract_row(row, published, title) for row in batch.to_pylist()]
        yield pa.RecordBatch.from_pylist(rows, schema=EXTRACTED)


def _article_files(paths: Sequence[str]) -> list[str] | None:
    """The article files the paths name (files and folders of ``*.txt``, in the loader's order); None
    when they name a table of articles instead."""
    from ..loader.load import ARTICLE_SUFFIX, expand_paths

    def articles(path: str) -> bool:
        if Path(path).is_dir():
            return any(Path(path).rglob(f"*{ARTICLE_SUFFIX}"))
        return path.lower().endswith(ARTICLE_SUFFIX)

    if not all(articles(path) for path in paths):
        return None
    return [os.fspath(path) for path in expand_paths(paths)]


def _frame(
    session: SparkSession, articles: DataFrame | PathLike | Sequence[PathLike]
) -> tuple[DataFrame, bool]:
    """The articles as a DataFrame, and whether its rows are files for the workers to read."""
    from pyspark.sql import DataFrame

    if isinstance(articles, DataFrame):
        return articles, False
    paths = (
        [os.fspath(articles)]
        if isinstance(articles, (str, os.PathLike))
        else [os.fspath(p) for p in articles]
    )
    if not paths:
        raise InputError("no articles given")
    files = _article_files(paths)
    if files is not None:
        rows = [(position, path, path) for position, path in enumerate(files)]
        return session.createDataFrame(rows, f"position bigint, id string, `{_PATH}` string"), True
    for path in paths:
        if not Path(path).exists():
            raise InputError("no such file or folder", file=path)
    if all(path.lower().endswith((".jsonl", ".ndjson", ".json")) for path in paths):
        return session.read.json(paths), False
    if all(path.lower().endswith(".parquet") or Path(path).is_dir() for path in paths):
        return session.read.parquet(*paths), False
    raise InputError(
        "expected articles (.txt, or folders of them) or a table of articles (Parquet, or JSON Lines)",
        file=paths[0],
    )


def _columns(frame: DataFrame, files: bool) -> DataFrame:
    """The columns the workers read, every optional one present (null where the table has none)."""
    from pyspark.sql import functions as F

    present = set(frame.columns)
    if not files:
        missing = [column for column in ("id", "text") if column not in present]
        if missing:
            raise InputError(
                f"a table of articles needs the columns id and text; it has no {' or '.join(missing)} "
                f"(its columns: {', '.join(frame.columns)})"
            )
    wanted = {
        "position": "bigint",
        "id": "string",
        "text": "string",
        "published": "string",
        "title": "string",
        "byline": "string",
        _PATH: "string",
    }
    return frame.select(
        *[
            (F.col(f"`{name}`") if name in present else F.lit(None)).cast(kind).alias(name)
            for name, kind in wanted.items()
        ]
    )


def load_articles_spark(
    articles: DataFrame | PathLike | Sequence[PathLike],
    *,
    published: str | None = None,
    title: str | None = None,
    errors: list[ArticleError] | None = None,
    spark: SparkSession | None = None,
    master: str = DEFAULT_MASTER,
) -> Dataset:
    """Extract articles on Spark into one dataset, the one :func:`tradeschema.load_articles` gives.

    ``articles`` is a Spark DataFrame or a Parquet or JSON Lines table (path or paths) with the
    columns of :data:`ARTICLE_COLUMNS`, or article files and folders of ``*.txt`` (read by the
    workers, so at paths every machine can open). ``published`` and ``title`` are used for articles
    whose row gives none, as the loader's arguments. With ``errors`` (a list), an article that cannot
    be read is recorded there and skipped; without it the first such article raises
    :class:`~tradeschema.errors.ArticleError`. ``spark`` is the session to use (default: the active
    one, or a new one on ``master``). Raises :class:`~tradeschema.errors.InputError` for a table
    without ``id`` and ``text``.
    """
    require_pyspark()
    from ..loader.assemble import assemble
    from ..loader.load import extract, source_id

    session = spark if spark is not None else spark_session(master)
    frame, files = _frame(session, articles)
    rows = (
        _columns(frame, files)
        .mapInArrow(partial(extract_articles, published=published, title=title), spark_ddl(EXTRACTED))
        .collect()
    )
    # The loader's order: the files as given, the table by position (when it has one), else by id.
    rows.sort(key=lambda row: (row["position"] is None, row["position"] or 0, row["id"] or ""))
    taken: set[str] = set()
    extractions: list[Extraction] = []
    for row in rows:
        if row["extraction"] is None:
            error = ArticleError(row["reason"], file=row["file"], line=row["line"])
            if row["remedy"] is not None:
                error.with_remedy(row["remedy"])
            if errors is None:
                raise error
            errors.append(error)
            continue
        extraction: Extraction = pickle.loads(row["extraction"])  # written by our own workers
        wanted = source_id(extraction.article, taken)
        if wanted != extraction.source_id:
            extraction = extract(extraction.article, wanted)
        extractions.append(extraction)
    return assemble(extractions)


def extract_spark(
    articles: DataFrame | PathLike | Sequence[PathLike],
    to: PathLike,
    *,
    published: str | None = None,
    title: str | None = None,
    errors: list[ArticleError] | None = None,
    force: bool = False,
    keep_per_code: int = 1000,
    spark: SparkSession | None = None,
    master: str = DEFAULT_MASTER,
) -> ExportResult:
    """Extract articles on Spark (see :func:`load_articles_spark`) and export the dataset to ``to``.

    The folder is the single-machine in-memory export's (:func:`tradeschema.export.export_dataset`:
    ``dataset.json``, ``jsonl/``, ``parquet/``, ``csv/``, ``schemas/``, ``manifest.json``), written
    by the driver, which holds the dataset anyway: for the same articles it is byte for byte the
    folder ``tradeschema export`` writes from them. The dataset is validated first, as every export
    does; invalid records write nothing and return the report.
    """
    from ..export import export_dataset
    from ..export.pipeline import ExportResult
    from ..validation import validate

    dataset = load_articles_spark(
        articles, published=published, title=title, errors=errors, spark=spark, master=master
    )
    report = validate(dataset, keep_per_code=keep_per_code, progress=False)
    if not report.valid:
        return ExportResult(report)
    return ExportResult(report, export_dataset(dataset, os.fspath(to), force=force), Path(to))
