"""``manifest.json``: what an export folder holds, so a reader can check it and an exporter recognise it.

The manifest lists every file written (path relative to the folder, record count, size, SHA-256),
the schema version and the tradeschema version. It has no timestamp, so exporting the same input twice
gives the same manifest. ``"format": "tradeschema-export"`` marks the folder as ours: only such a
folder is replaced by a later export without ``--force``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from .._version import __version__
from ..csv_layout import CsvRows, long_cells
from ..models import SCHEMA_VERSION
from ..system import usable_cores
from ..validation.streams import file_digest

__all__ = ["MANIFEST_FORMAT", "MANIFEST_NAME", "build_manifest", "is_export_dir", "write_manifest"]

MANIFEST_NAME = "manifest.json"
"""File name of the manifest inside an export folder."""
MANIFEST_FORMAT = "tradeschema-export"
"""Value of the manifest's ``format`` key."""


def _records(path: Path, relative: str, lines: dict[Path, int], dataset_records: int | None) -> int | None:
    if path.suffix == ".parquet":
        return int(pq.read_metadata(path).num_rows)
    if path.suffix == ".jsonl":
        return lines[path]
    if path.suffix == ".csv":
        # The CSV of a table holds the records of its JSON Lines, which has one a line; without it,
        # count rows, not lines (a quoted cell may hold line breaks), the header not a record.
        twin = path.parent.parent / "jsonl" / (path.stem + ".jsonl")
        if path.parent.name == "csv" and twin in lines:
            return lines[twin]
        with open(path, encoding="utf-8", errors="surrogateescape", newline="") as handle, long_cells():
            return max(sum(1 for _ in CsvRows(handle)) - 1, 0)
    if relative == "dataset.json":
        return dataset_records
    # Schemas are documents, not records.
    return None


def build_manifest(
    root: str | Path,
    *,
    dataset_records: int | None = None,
    digests: Mapping[Path, tuple[str, int | None]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """The manifest of the files under ``root`` (the manifest itself excluded), in path order.

    ``digests`` holds what the writers hashed as they wrote: a file's SHA-256 and, when counted, its
    line feeds (see :func:`~tradeschema.validation.streams.file_digest`). Other files, and JSON Lines
    whose lines were not counted, are hashed here on several threads (``hashlib`` lets go of the
    interpreter lock for large chunks), each read once.
    """
    base = Path(root)
    paths = [
        path
        for path in sorted(p for p in base.rglob("*") if p.is_file())
        if path.relative_to(base).as_posix() != MANIFEST_NAME
    ]
    known = dict(digests or {})
    to_read = [p for p in paths if p not in known or (p.suffix == ".jsonl" and known[p][1] is None)]
    with ThreadPoolExecutor(max_workers=usable_cores(), thread_name_prefix="tradeschema-hash") as pool:
        known.update(zip(to_read, pool.map(file_digest, to_read), strict=True))
    digests_read = [known[path] for path in paths]
    lines = {path: count for path, (_, count) in zip(paths, digests_read, strict=True) if count is not None}
    files = []
    for path, (digest, _) in zip(paths, digests_read, strict=True):
        relative = path.relative_to(base).as_posix()
        files.append(
            {
                "path": relative,
                "records": _records(path, relative, lines, dataset_records),
                "bytes": path.stat().st_size,
                "sha256": digest,
            }
        )
    return {
        "format": MANIFEST_FORMAT,
        "schema_version": SCHEMA_VERSION,
        "tradeschema_version": __version__,
        **extra,
        "files": files,
    }


def write_manifest(root: str | Path, manifest: dict[str, Any]) -> Path:
    """Write ``manifest.json`` into ``root``."""
    path = Path(root) / MANIFEST_NAME
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def is_export_dir(path: str | Path) -> bool:
    """True when ``path`` is a folder holding a tradeschema export (a manifest of ours)."""
    manifest = Path(path) / MANIFEST_NAME
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return isinstance(data, dict) and data.get("format") == MANIFEST_FORMAT
