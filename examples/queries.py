"""Run the everyday queries of ``examples/queries.sql`` on an export folder and print the answers.

Usage: ``python examples/queries.py out/`` (after ``tradeschema export ... --to out/``).

The SQL lives in ``queries.sql`` so the duckdb command line and this script run the same text;
this script only points the views at the given folder (plain or hive-partitioned tables).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import duckdb

SQL_FILE = Path(__file__).with_name("queries.sql")
VIEWS = ("parties", "measures", "statements", "statement_about", "measure_targets", "rounds")


def load_queries() -> dict[str, str]:
    """The named queries of queries.sql (``-- name: x`` starts one), without their comments."""
    text = SQL_FILE.read_text(encoding="utf-8")
    queries = {}
    for block in re.split(r"^-- name: ", text, flags=re.MULTILINE)[1:]:
        name, _, body = block.partition("\n")
        sql = "\n".join(line for line in body.splitlines() if not line.startswith("--"))
        queries[name.strip()] = sql.strip().rstrip(";")
    return queries


def table_source(out: Path, table: str) -> str:
    """A DuckDB table expression reading one exported table, partitioned or not."""
    file = out / "parquet" / f"{table}.parquet"
    if file.exists():
        return f"read_parquet('{file.as_posix()}')"
    return f"read_parquet('{(out / 'parquet' / table).as_posix()}/**/*.parquet', hive_partitioning = true)"


def connect(out: Path) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with one view per exported table used by the queries."""
    con = duckdb.connect()
    for table in VIEWS:
        con.execute(f"CREATE VIEW {table} AS FROM {table_source(out, table)}")
    return con


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python examples/queries.py EXPORT_DIR", file=sys.stderr)
        return 2
    out = Path(argv[0])
    con = connect(out)
    for name, sql in load_queries().items():
        print(f"== {name}")
        result = con.sql(sql)
        print("\t".join(result.columns))
        for row in result.fetchall():
            print("\t".join("" if value is None else str(value) for value in row))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
