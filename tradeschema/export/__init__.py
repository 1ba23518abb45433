"""Exporters: canonical JSON, JSON Lines and Parquet, and whole export folders.

One module per format (:mod:`.canonical`, :mod:`.jsonl`, :mod:`.parquet`), the Arrow conversion they
share (:mod:`.arrow`), the manifest (:mod:`.manifest`), atomic folder replacement (:mod:`.atomic`)
and the folder writer that ties them together (:mod:`.folder`).
"""

from __future__ import annotations

from ..registry import LINK_TABLES
from .arrow import batch_from_records, records_from_batch
from .canonical import dataset_json, write_dataset_json
from .folder import ExportResult, export_dataset, export_files
from .jsonl import read_jsonl, write_jsonl
from .manifest import build_manifest, is_export_dir
from .parquet import read_parquet, write_parquet

__all__ = [
    "LINK_TABLES",
    "ExportResult",
    "batch_from_records",
    "build_manifest",
    "dataset_json",
    "export_dataset",
    "export_files",
    "is_export_dir",
    "read_jsonl",
    "read_parquet",
    "records_from_batch",
    "write_dataset_json",
    "write_jsonl",
    "write_parquet",
]
