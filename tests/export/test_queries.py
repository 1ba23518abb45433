"""The everyday questions are one short query each, in DuckDB, polars and pandas (Arrow-backed).

The answers are written here by hand from the dataset fixture (conftest.py), never taken from a run.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import duckdb
import pandas as pd
import polars as pl
import pytest

EXAMPLES = Path(__file__).parents[2] / "examples"

US_OFFICIALS_ON_CHINA = [
    (
        "statement:lutnick-us-measures",
        "Howard Lutnick",
        "Commerce Secretary",
        "measure:us-chip-design-software-restriction",
        "export_restriction",
    ),
    (
        "statement:lutnick-us-measures",
        "Howard Lutnick",
        "Commerce Secretary",
        "measure:us-student-visa-restriction",
        "visa_restriction",
    ),
]
BY_STATUS_AND_COUNTRY = [("CN", "removal_agreed", 1), ("US", "announced", 1), ("US", "removal_agreed", 1)]
ROUNDS_IN_DATE_ORDER = [
    ("Geneva", dt.date(2025, 5, 1)),
    (None, dt.date(2025, 6, 2)),  # the call, in ISO week 23
    ("London", dt.date(2025, 6, 9)),
]


Answers = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]
"""The three questions' rows: (statement, speaker, role, measure, type), (country, status, n), (city, date)."""


def _queries_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("queries", EXAMPLES / "queries.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def duckdb_answers(export_dir: Path) -> Answers:
    """The three questions in DuckDB SQL, as ``examples/queries.py`` runs them."""
    queries = _queries_module()
    con = queries.connect(export_dir)
    sql = queries.load_queries()
    officials = con.sql(sql["us_officials_on_measures_against_china"]).fetchall()
    by_status = con.sql(sql["measures_by_status_and_country"]).fetchall()
    rounds = [(r[3], r[5]) for r in con.sql(sql["negotiation_rounds"]).fetchall()]
    return officials, by_status, rounds


def polars_answers(export_dir: Path) -> Answers:
    """The three questions in polars."""

    def table(name: str) -> pl.LazyFrame:
        return pl.scan_parquet(export_dir / "parquet" / f"{name}.parquet")

    parties = table("parties").select("id", "name", "role", "kind", "country")
    speakers = parties.rename({"id": "speaker"})
    targets = parties.select(target_id="id", target_country="country")
    answer = (
        table("statements")
        .select(statement_id="id", speaker="speaker")
        .join(speakers, on="speaker")
        .join(table("statement_about"), on="statement_id")
        .join(table("measures").select(about_id="id", measure_type="type"), on="about_id")
        .join(table("measure_targets").rename({"measure_id": "about_id"}), on="about_id")
        .join(targets, on="target_id")
        .filter(
            (pl.col("kind") == "person") & (pl.col("country") == "US") & (pl.col("target_country") == "CN")
        )
        .select("statement_id", "name", "role", "about_id", pl.col("measure_type").cast(pl.String))
        .sort("statement_id", "about_id")
        .collect()
    )

    by_status = (
        table("measures")
        .join(parties.select(imposed_by="id", imposing_country="country"), on="imposed_by", how="left")
        .group_by(pl.col("imposing_country").cast(pl.String), pl.col("status").cast(pl.String))
        .agg(measures=pl.len())
        .sort("imposing_country", "status", nulls_last=True)
        .collect()
    )

    rounds = (
        table("rounds")
        .sort("negotiation_id", "start_date", "position", nulls_last=True)
        .select("city", "start_date")
        .collect()
    )
    return answer.rows(), by_status.rows(), rounds.rows()


def pandas_answers(export_dir: Path) -> Answers:
    """The three questions in pandas with Arrow-backed columns."""

    def table(name: str) -> pd.DataFrame:
        frame = pd.read_parquet(export_dir / "parquet" / f"{name}.parquet", dtype_backend="pyarrow")
        # Dictionary (vocabulary) columns compare as strings.
        return frame.astype(
            {c: "string[pyarrow]" for c in frame.columns if "dictionary" in str(frame[c].dtype)}
        )

    parties = table("parties")[["id", "name", "role", "kind", "country"]]
    answer = (
        table("statements")[["id", "speaker"]]
        .rename(columns={"id": "statement_id"})
        .merge(parties.rename(columns={"id": "speaker"}), on="speaker")
        .merge(table("statement_about"), on="statement_id")
        .merge(table("measures")[["id", "type"]].rename(columns={"id": "about_id"}), on="about_id")
        .merge(table("measure_targets").rename(columns={"measure_id": "about_id"}), on="about_id")
        .merge(
            parties[["id", "country"]].rename(columns={"id": "target_id", "country": "target_country"}),
            on="target_id",
        )
        .query("kind == 'person' and country == 'US' and target_country == 'CN'")
        .sort_values(["statement_id", "about_id"])
    )
    rows = list(
        answer[["statement_id", "name", "role", "about_id", "type"]].itertuples(index=False, name=None)
    )

    measures = table("measures").merge(
        parties[["id", "country"]].rename(columns={"id": "imposed_by"}), on="imposed_by", how="left"
    )
    counts = measures.groupby(["country", "status"]).size().sort_index()

    rounds = table("rounds").sort_values(["negotiation_id", "start_date", "position"])
    got = [
        (None if pd.isna(c) else c, None if pd.isna(d) else d)
        for c, d in zip(rounds["city"], rounds["start_date"], strict=True)
    ]
    return rows, [(c, s, int(n)) for (c, s), n in counts.items()], got


ANSWERS = {"duckdb": duckdb_answers, "polars": polars_answers, "pandas": pandas_answers}


@pytest.mark.parametrize("engine", sorted(ANSWERS))
def test_everyday_questions(engine: str, export_dir: Path) -> None:
    officials, by_status, rounds = ANSWERS[engine](export_dir)
    assert officials == US_OFFICIALS_ON_CHINA
    assert by_status == BY_STATUS_AND_COUNTRY
    assert rounds == ROUNDS_IN_DATE_ORDER


def test_examples_run(export_dir: Path, tmp_path: Path) -> None:
    script = subprocess.run(
        [sys.executable, str(EXAMPLES / "queries.py"), str(export_dir)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Howard Lutnick\tCommerce Secretary" in script.stdout
    # queries.sql runs from any folder, the export's path in a variable...
    con = duckdb.connect()
    con.execute("SET VARIABLE export = ?", [str(export_dir)])
    for statement in (EXAMPLES / "queries.sql").read_text("utf-8").split(";")[:-1]:
        rows = con.execute(statement).fetchall()
    assert rows is not None
    assert [r[3] for r in rows] == [c for c, _ in ROUNDS_IN_DATE_ORDER]
    # ... or from the folder holding out/, without it.
    os.symlink(export_dir, tmp_path / "out")
    con = duckdb.connect()
    cwd = os.getcwd()
    try:
        os.chdir(tmp_path)
        for statement in (EXAMPLES / "queries.sql").read_text("utf-8").split(";")[:-1]:
            rows = con.execute(statement).fetchall()
    finally:
        os.chdir(cwd)
    assert [r[3] for r in rows] == [c for c, _ in ROUNDS_IN_DATE_ORDER]
