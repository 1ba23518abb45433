"""Benchmark cases, each run in its own process: ``python -m benchmarks.cases NAME ARGS``.

A case does its imports and set-up, starts the clock, does the work, stops the clock and reports.
Baselines use the libraries exactly as their documentation shows, with no tradeschema code on the path
being timed (the committed JSON Schema is the only thing they share with us).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from .measure import peak_rss_mb, report

CASES: dict[str, Callable[..., None]] = {}


def case(function: Callable[..., None]) -> Callable[..., None]:
    CASES[function.__name__] = function
    return function


def _schema(name: str) -> dict[str, object]:
    root = Path(__file__).resolve().parent.parent
    result: dict[str, object] = json.loads((root / "schemas" / f"{name}.schema.json").read_text("utf-8"))
    return result


def _write_failing(path: str | None, failing: list[int]) -> None:
    if path:
        Path(path).write_text("\n".join(map(str, sorted(failing))), encoding="utf-8")


@case
def jsonschema_loop(path: str, limit: str, failing_out: str = "") -> None:
    """Baseline: a Draft202012Validator over the committed schema, collecting every error of every line."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(_schema("statement"), format_checker=Draft202012Validator.FORMAT_CHECKER)
    count, failing = 0, []
    start = time.perf_counter()
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, 1):
            if number > int(limit):
                break
            count += 1
            try:
                instance = json.loads(line)
            except ValueError:
                failing.append(number)  # not JSON at all
                continue
            if list(validator.iter_errors(instance)):
                failing.append(number)
    seconds = time.perf_counter() - start
    _write_failing(failing_out, failing)
    report(count, seconds, failing=len(failing))


@case
def jsonschema_rs_loop(path: str, failing_out: str = "") -> None:
    """Baseline: the jsonschema-rs validator over the committed schema, with full errors for bad lines."""
    import jsonschema_rs
    import orjson

    validator = jsonschema_rs.validator_for(_schema("statement"), validate_formats=True)
    count, failing = 0, []
    start = time.perf_counter()
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, 1):
            count += 1
            try:
                instance = orjson.loads(line)
            except orjson.JSONDecodeError:
                failing.append(number)
                continue
            if not validator.is_valid(instance):
                _ = list(validator.iter_errors(instance))
                failing.append(number)
    seconds = time.perf_counter() - start
    _write_failing(failing_out, failing)
    report(count, seconds, failing=len(failing))


@case
def pyarrow_export(path: str, out: str) -> None:
    """Baseline: pyarrow's JSON reader (types inferred, nothing validated) and a zstd Parquet write."""
    import pyarrow.json as pj
    import pyarrow.parquet as pq

    start = time.perf_counter()
    table = pj.read_json(path)
    pq.write_table(table, out, compression="zstd")
    seconds = time.perf_counter() - start
    report(table.num_rows, seconds)


@case
def duckdb_checks(path: str) -> None:
    """Baseline: DuckDB running the statement table's checks as SQL on the same Parquet file.

    The query a SQL user would write: required columns present, the enumerated ``kind``, id and date
    patterns (the schema's own, which DuckDB's RE2 runs as written), the confidence range, the ids in
    ``about`` and the evidence spans (pattern, start < end, start >= 0), and unique ids. Patterns and
    enumerations come from the schema's models; the query is this function's own.
    """
    import duckdb

    from tradeschema.dates import PARTIAL_DATE_PATTERN
    from tradeschema.models import ID_PATTERN
    from tradeschema.vocab import StatementKind

    kinds = ", ".join(f"'{kind.value}'" for kind in StatementKind)

    def id_ok(column: str) -> str:
        return f"regexp_full_match({column}, '{ID_PATTERN}')"

    query = f"""
        WITH rows AS (SELECT * FROM read_parquet('{path}'))
        SELECT
            count(*),
            count(*) FILTER (
                WHERE id IS NULL OR NOT {id_ok("id")}
                OR kind IS NULL OR kind NOT IN ({kinds})
                OR text IS NULL OR length(text) < 1
                OR (speaker IS NOT NULL AND NOT {id_ok("speaker")})
                OR (reported_by IS NOT NULL AND NOT {id_ok("reported_by")})
                OR (via IS NOT NULL AND NOT {id_ok("via")})
                OR (date IS NOT NULL AND NOT regexp_full_match(date, '{PARTIAL_DATE_PATTERN}'))
                OR (confidence IS NOT NULL AND (confidence < 0 OR confidence > 1))
                OR len(list_filter(about, lambda x: NOT {id_ok("x")})) > 0
                OR len(list_filter(evidence, lambda e: e.source_id IS NULL OR NOT {id_ok("e.source_id")}
                    OR e.start < 0 OR e."end" <= e.start OR e.text IS NULL)) > 0
            ),
            (SELECT count(*) FROM (SELECT id FROM rows GROUP BY id HAVING count(*) > 1))
        FROM rows
    """
    connection = duckdb.connect()
    start = time.perf_counter()
    row = connection.execute(query).fetchone()
    seconds = time.perf_counter() - start
    assert row is not None
    count, failing, repeated = row
    report(count, seconds, failing=failing + repeated)


@case
def pydantic_rows(path: str) -> None:
    """Baseline: read a Parquet table and validate each row with the pydantic model, row by row."""
    import pyarrow.parquet as pq

    from tradeschema.models import Statement

    fields = set(Statement.model_fields)
    count, failing = 0, 0
    start = time.perf_counter()
    parquet = pq.ParquetFile(path)
    for batch in parquet.iter_batches(batch_size=65536):
        for row in batch.to_pylist():
            count += 1
            try:
                Statement.model_validate({key: value for key, value in row.items() if key in fields})
            except ValueError:
                failing += 1
    seconds = time.perf_counter() - start
    report(count, seconds, failing=failing)


@case
def ours_validate(path: str, record: str, failing_out: str = "", jobs: str = "1") -> None:
    """Ours: ``tradeschema.validate`` on a JSON Lines or Parquet file, keeping every issue, with
    ``jobs`` processes (one unless a row says otherwise, as every baseline runs on one core).

    Like the baselines, which build their validator before the clock starts, the validator's modules
    are imported and the record model's pydantic validators (the model's, and the plain-dict twin the
    JSON Lines reader uses) are built first.
    """
    import importlib

    import tradeschema
    from tradeschema.registry import record_type
    from tradeschema.validation import core

    # Only the reader of this format: the Parquet one loads pyarrow, which JSON runs never need.
    importlib.import_module("tradeschema.validation." + ("parquet" if path.endswith(".parquet") else "jsonl"))
    model = record_type(record).model
    core.adapter(model)
    core.dict_validator(model)  # the JSON Lines reader's validator for records that only give their id
    start = time.perf_counter()
    report_ = tradeschema.validate(path, record=record, keep_per_code=10**9, progress=False, jobs=int(jobs))
    seconds = time.perf_counter() - start
    failing = sorted({issue.line or issue.row or 0 for issue in report_.issues if issue.severity == "error"})
    _write_failing(failing_out, failing)
    report(_records_in(path), seconds, failing=len(failing), errors=report_.errors)


@case
def ours_long_line(path: str) -> None:
    """Ours: validate a JSON Lines file of one very long line; records = bytes, so the rate is bytes/s."""
    import os

    import tradeschema

    start = time.perf_counter()
    report_ = tradeschema.validate(path, record="statements", progress=False)
    seconds = time.perf_counter() - start
    codes = sorted(report_.counts)
    report(os.path.getsize(path), seconds, codes=codes)


@case
def read_lines(path: str) -> None:
    """Baseline for a long line: iterate over the file's lines, as a reader without a limit does."""
    import os

    start = time.perf_counter()
    with open(path, "rb") as handle:
        for _ in handle:
            pass
    seconds = time.perf_counter() - start
    report(os.path.getsize(path), seconds)


def _records_in(path: str) -> int:
    """Lines of a JSON Lines file or rows of a Parquet file: what a validator had to look at."""
    if path.endswith(".parquet"):
        import pyarrow.parquet as pq

        return int(pq.ParquetFile(path).metadata.num_rows)
    with open(path, "rb") as handle:
        return sum(1 for _ in handle)


@case
def ours_export(path: str, out: str) -> None:
    """Ours: validated JSON Lines -> export folder (JSON Lines and zstd Parquet), streamed."""
    # Imported before the clock, as the baseline imports pyarrow (the package loads names lazily).
    from tradeschema import export_files

    start = time.perf_counter()
    result = export_files([path], out, force=True)
    seconds = time.perf_counter() - start
    if not result.ok:
        raise SystemExit(f"export refused the input: {result.report.counts}")
    report(result.report.records, seconds)


@case
def ours_extract_long(path: str, warmup: str) -> None:
    """Ours: extract one long article once, after warming the tables up on a short one; reports the
    process's peak memory with the text held. Time is the process's CPU time: a run of a minute on a
    shared machine is timed by its own work, not by what else runs meanwhile."""
    from tradeschema import load_article_text

    load_article_text(Path(warmup).read_text(encoding="utf-8"))
    text = Path(path).read_text(encoding="utf-8")
    start = time.process_time()
    load_article_text(text)
    seconds = time.process_time() - start
    report(1, seconds, characters=len(text))


@case
def ours_extract(path: str, repeat: str) -> None:
    """Ours: extract one article ``repeat`` times (after one warm-up), records = articles."""
    from tradeschema import load_article_text

    text = Path(path).read_text(encoding="utf-8")
    load_article_text(text)
    start = time.perf_counter()
    for _ in range(int(repeat)):
        load_article_text(text)
    seconds = time.perf_counter() - start
    report(int(repeat), seconds, characters=len(text))


@case
def spark_dataset(folder: str, work: str, rows: str, files: str) -> None:
    """Not measured: write the Spark row's partitioned dataset (see ``data.write_partitioned``)."""
    from .data import write_partitioned

    start = time.perf_counter()
    write_partitioned(Path(folder), Path(work), int(rows), int(files))
    report(int(rows), time.perf_counter() - start)


@case
def ours_validate_folder(path: str) -> None:
    """Ours, one machine: ``tradeschema.validate`` on a partitioned Parquet folder, keeping every issue."""
    import tradeschema
    from tradeschema.registry import record_type
    from tradeschema.validation import core, parquet

    del parquet  # imported before the clock, with the model's validator built
    core.adapter(record_type("statements").model)
    start = time.perf_counter()
    report_ = tradeschema.validate(path, keep_per_code=10**9, progress=False)
    seconds = time.perf_counter() - start
    report(report_.records, seconds, errors=report_.errors, counts=dict(report_.counts))


@case
def spark_validate_folder(path: str, master: str) -> None:
    """Ours on Spark: ``validate_spark`` on the same folder. The session starts, and validates one of
    the files to warm up, before the clock (a fixed cost, reported apart); the driver's peak is this
    process's, the JVM's is sampled with it."""
    import os

    from tradeschema.spark import spark_session, validate_spark

    started = time.perf_counter()
    session = spark_session(master, config={"spark.ui.enabled": "false"})
    session.sparkContext.setLogLevel("ERROR")
    # Warm-up on one file: the workers' Python processes start and import tradeschema, the JVM's
    # code is compiled; what remains is what a larger dataset pays per row.
    validate_spark(str(next(Path(path).rglob("*.parquet"))), spark=session)
    startup = time.perf_counter() - started
    start = time.perf_counter()
    report_ = validate_spark(path, spark=session, keep_per_code=10**9)
    seconds = time.perf_counter() - start
    report(
        report_.records,
        seconds,
        errors=report_.errors,
        counts=dict(report_.counts),
        startup_seconds=startup,
        python_driver_mb=peak_rss_mb(),
        cores=os.cpu_count(),
    )


@case
def python_pass() -> None:
    """Baseline for start-up time: nothing at all."""
    report(1, 0.0)


def main() -> None:
    name, *args = sys.argv[1:]
    CASES[name](*args)


if __name__ == "__main__":
    main()
