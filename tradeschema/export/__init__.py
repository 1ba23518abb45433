"""Exporters: canonical JSON, JSON Lines, Parquet and CSV, and whole export folders.

One module per format (:mod:`.canonical`, :mod:`.jsonl`, :mod:`.parquet`, :mod:`.csvtable`), the
Arrow conversion they share (:mod:`.arrow`), the manifest (:mod:`.manifest`). An export folder is
its layout (:mod:`.layout`), the writers of its files behind one interface (:mod:`.writers`), and the
pipeline that reads inputs through the validator and feeds the writers, in memory or streamed
(:mod:`.pipeline`, with :mod:`.stream` and atomic replacement in :mod:`.atomic`).
"""

from __future__ import annotations

from ..registry import LINK_TABLES
from .arrow import batch_from_records, records_from_batch
from .canonical import dataset_json, write_dataset_json
from .csvtable import read_csv, write_csv
from .jsonl import read_jsonl, write_jsonl
from .manifest import build_manifest, is_export_dir
from .parquet import read_parquet, write_parquet
from .pipeline import ExportResult, export_dataset, export_files

__all__ = [
    "LINK_TABLES",
    "ExportResult",
    "batch_from_records",
    "build_manifest",
    "dataset_json",
    "export_dataset",
    "export_files",
    "is_export_dir",
    "read_csv",
    "read_jsonl",
    "read_parquet",
    "records_from_batch",
    "write_csv",
    "write_dataset_json",
    "write_jsonl",
    "write_parquet",
]
