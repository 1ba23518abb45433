"""The layout of an export folder: which file holds what, in one place.

Layout of ``DIR``::

    dataset.json                   canonical Dataset (in-memory exports only)
    jsonl/<table>.jsonl            one record per line, per record table
    parquet/<table>.parquet        record tables (canonical, lossless) and derived link tables
    schemas/<name>.schema.json     the JSON Schemas
    manifest.json                  every file with record count and SHA-256; versions

With a partition key, a Parquet table that has the key's column is a hive-style folder
``parquet/<table>/<key>=<value>/part-0.parquet`` instead of one file.
"""

from __future__ import annotations

from pathlib import Path

from .manifest import MANIFEST_NAME

__all__ = [
    "DATASET_JSON",
    "JSONL_FOLDER",
    "MANIFEST_NAME",
    "PARQUET_FOLDER",
    "SCHEMAS_FOLDER",
    "jsonl_path",
    "make_folders",
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


def jsonl_path(root: Path, table: str) -> Path:
    """The JSON Lines file of a record table."""
    return root / JSONL_FOLDER / f"{table}.jsonl"


def parquet_path(root: Path, table: str) -> Path:
    """The Parquet file of a record table or link table (before any partitioning)."""
    return root / PARQUET_FOLDER / f"{table}.parquet"


def make_folders(root: Path) -> None:
    """Create the folders the writers write into."""
    (root / JSONL_FOLDER).mkdir(exist_ok=True)
    (root / PARQUET_FOLDER).mkdir(exist_ok=True)
