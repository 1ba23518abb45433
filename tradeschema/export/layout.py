"""The layout of an export folder: which file holds what, in one place.

Layout of ``DIR``::

    dataset.json                   canonical Dataset (in-memory exports only)
    jsonl/<table>.jsonl            one record per line, per record table
    parquet/<table>.parquet        record tables (canonical, lossless) and derived link tables
    csv/<table>.csv                record tables as CSV (lists and records as JSON text cells)
    datapackage.json               Frictionless Data Package: a Table Schema per CSV table
    schemas/<name>.schema.json     the JSON Schemas
    manifest.json                  every file with record count and SHA-256; versions

With a partition key, a Parquet table that has the key's column is a hive-style folder
``parquet/<table>/<key>=<value>/part-0.parquet`` instead of one file. An export written on Spark
holds each Parquet table as a folder of parts, ``parquet/<table>/part-<file>-<part>.parquet``, one
per task, in input order.
"""

from __future__ import annotations

from pathlib import Path

from .manifest import MANIFEST_NAME

__all__ = [
    "CSV_FOLDER",
    "DATAPACKAGE_JSON",
    "DATASET_JSON",
    "JSONL_FOLDER",
    "MANIFEST_NAME",
    "PARQUET_FOLDER",
    "SCHEMAS_FOLDER",
    "csv_path",
    "jsonl_path",
    "make_folders",
    "parquet_part_path",
    "parquet_path",
]

DATASET_JSON = "dataset.json"
"""The canonical Dataset document."""
JSONL_FOLDER = "jsonl"
"""Folder of the JSON Lines files, one per record table."""
PARQUET_FOLDER = "parquet"
"""Folder of the Parquet files: record tables and link tables."""
SCHEMAS_FOLDER = "schemas"
"""Folder of the JSON Schemas."""
CSV_FOLDER = "csv"
"""Folder of the CSV files, one per record table (layout: :mod:`tradeschema.csv_layout`)."""
DATAPACKAGE_JSON = "datapackage.json"
"""The Frictionless Data Package describing the CSV files."""


def jsonl_path(root: Path, table: str) -> Path:
    """The JSON Lines file of a record table."""
    return root / JSONL_FOLDER / f"{table}.jsonl"


def parquet_path(root: Path, table: str) -> Path:
    """The Parquet file of a record table or link table (before any partitioning)."""
    return root / PARQUET_FOLDER / f"{table}.parquet"


def parquet_part_path(root: Path, table: str, part: str) -> Path:
    """A part of a Parquet table written as a folder of parts (by the tasks of an export on Spark)."""
    return root / PARQUET_FOLDER / table / f"{part}.parquet"


def csv_path(root: Path, table: str) -> Path:
    """The CSV file of a record table."""
    return root / CSV_FOLDER / f"{table}.csv"


def make_folders(root: Path) -> None:
    """Create the folders the writers write into."""
    for folder in (JSONL_FOLDER, PARQUET_FOLDER, CSV_FOLDER):
        (root / folder).mkdir(exist_ok=True)
