"""Which files to read, in which format, as which table: from paths, folders and export layouts."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..registry import LINK_TABLES, RECORD_TYPES, TABLE_NAMES, table_for_name

__all__ = ["Input", "discover", "table_from_name"]

_SINGULAR = {kind.name: kind.table for kind in RECORD_TYPES.values()}
# Longest names first, so `parties` is not read as `party` + `ies`.
_WORDS = sorted([*_SINGULAR, *TABLE_NAMES], key=len, reverse=True)
_NAME = re.compile(rf"^({'|'.join(_WORDS)})(?:[-_.].*)?$", re.I)
FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".parquet": "parquet", ".csv": "csv"}


@dataclass
class Input:
    """One file to validate."""

    path: str
    """Where the file is."""
    name: str
    """How the report names it (the path as given, or relative to the folder given)."""
    format: str
    """``json`` (a Dataset document), ``jsonl``, ``parquet`` or ``csv``."""
    table: str | None = None
    """The table of its records (None for a Dataset document, or when it cannot be told)."""
    partition_columns: frozenset[str] = field(default_factory=frozenset)
    """Hive partition keys in the file's path (``<key>=<value>`` folders); not record fields."""


def table_from_name(name: str) -> str | None:
    """The table a file name stands for: ``statements.jsonl``, ``statement.jsonl``, ``measures-2025.csv``,
    ``2025.statements.jsonl``. The validator and the exporter both tell tables this way."""
    stem = name.split(".", 1)[0] if not name.lower().endswith(".parquet") else name[: -len(".parquet")]
    if stem.lower() in LINK_TABLES:
        return None
    match = _NAME.match(stem) or _NAME.match(name)
    if match is not None:
        word = match.group(1).lower()
        return word if word in TABLE_NAMES else _SINGULAR.get(word)
    # A table named by a later dotted part: `2025.statements.jsonl`.
    for part in reversed(name.lower().split(".")[1:-1]):
        if part in TABLE_NAMES:
            return part
        if part in _SINGULAR:
            return _SINGULAR[part]
    return None


def _table_from_path(path: Path, root: Path) -> tuple[str | None, frozenset[str]]:
    """Table of a file inside a folder: its own name, else the nearest folder named after a table."""
    keys = frozenset(part.split("=", 1)[0] for part in path.relative_to(root).parts[:-1] if "=" in part)
    table = table_from_name(path.name)
    if table is None:
        for parent in [path.parent, *path.parent.parents]:
            if "=" not in parent.name:
                table = table_from_name(parent.name)
                if table is not None or parent == root:
                    break
    return table, keys


def _is_derived(path: Path, root: Path) -> bool:
    """A file (or hive-partitioned folder) of a derived link table of an export."""
    parts = path.relative_to(root).parts
    return any(part.split(".", 1)[0] in LINK_TABLES for part in parts[1:])


def _export_folder(root: Path) -> list[Path]:
    """The files holding the records of an export: Parquet if written, else JSON Lines, else dataset.json."""
    for sub, pattern in (("parquet", "*.parquet"), ("jsonl", "*.jsonl")):
        found = (
            sorted(p for p in (root / sub).rglob(pattern) if p.is_file() and not _is_derived(p, root))
            if (root / sub).is_dir()
            else []
        )
        if found:
            return found
    return [root / "dataset.json"] if (root / "dataset.json").is_file() else []


def discover(paths: list[str], record: str | None = None) -> tuple[list[Input], list[str], list[str]]:
    """Inputs for the given paths; also paths with nothing to read, and notes for the report."""
    inputs: list[Input] = []
    empty: list[str] = []
    notes: list[str] = []
    forced = None
    if record is not None:
        forced = table_for_name(record)
    for given in paths:
        path = Path(given)
        if path.is_dir():
            root = path
            if (path / "manifest.json").is_file():
                files = _export_folder(path)
                if files:
                    notes.append(f"{given}: export folder, records read from {files[0].parent.name}/")
            else:
                files = sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and p.suffix.lower() in FORMATS
                    and p.name != "manifest.json"
                    and "schemas" not in p.relative_to(path).parts
                )
            found = []
            for file in files:
                fmt = FORMATS[file.suffix.lower()]
                table, keys = _table_from_path(file, root)
                if fmt == "json" and table is None:
                    table = None
                elif forced is not None:
                    table = forced
                name = os.path.join(given, str(file.relative_to(root)))
                found.append(Input(str(file), name, fmt, table, keys))
            if not found:
                empty.append(given)
            inputs.extend(found)
        else:
            fmt = FORMATS.get(path.suffix.lower(), "jsonl")
            table = forced if forced is not None else table_from_name(path.name)
            if fmt == "json" and forced is not None:
                fmt = "jsonl"
            inputs.append(Input(given, given, fmt, None if fmt == "json" else table))
    order = {table: i for i, table in enumerate(TABLE_NAMES)}
    # Sources first, so evidence spans are checked as records arrive instead of being kept back.
    inputs.sort(key=lambda i: (i.format != "json", order.get(i.table or "", len(order))))
    return inputs, empty, notes
