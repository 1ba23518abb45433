"""Which files to read, in which format, as which table: from paths, folders and export layouts."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .integrity import TABLE_NAMES
from .streams import COMPRESSIONS, split_compression

__all__ = ["DERIVED_TABLES", "Input", "discover", "format_of", "table_from_name"]

_SINGULAR = {
    "source": "sources",
    "party": "parties",
    "negotiation": "negotiations",
    "measure": "measures",
    "statement": "statements",
}
_NAME = re.compile(r"^(sources?|parties|party|negotiations?|measures?|statements?)(?:[-_.].*)?$", re.I)
# The export's derived link tables (see tradeschema.export.links): flat views of list fields, not
# records. They are regenerated from the record tables on every export, so they are not validated.
DERIVED_TABLES = frozenset(
    {"rounds", "statement_about", "measure_targets", "negotiation_parties", "negotiation_measures"}
)
FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".parquet": "parquet", ".csv": "csv"}
# Text formats may also come compressed (``statements.jsonl.gz``); Parquet compresses inside the file.
_COMPRESSIBLE = frozenset({"jsonl", "json", "csv"})
_READ_KINDS = f"{', '.join(FORMATS)}; JSON, JSON Lines and CSV also compressed as {', '.join(COMPRESSIONS)}"
# How many unread files of a folder a note names before it only counts the rest.
_UNREAD_NAMED = 20


def format_of(name: str) -> str | None:
    """The format a file name says (``jsonl``, ``json``, ``parquet``, ``csv``), compressed or not;
    None for a file the validator does not read, such as ``notes.txt`` or ``table.parquet.gz``."""
    base, codec = split_compression(name)
    fmt = FORMATS.get(os.path.splitext(base)[1].lower())
    if codec is not None and fmt not in _COMPRESSIBLE:
        return None
    return fmt


def _unread_note(given: str, unread: list[str]) -> str:
    named = ", ".join(unread[:_UNREAD_NAMED])
    more = f" and {len(unread) - _UNREAD_NAMED} more" if len(unread) > _UNREAD_NAMED else ""
    return f"{given}: {len(unread)} file(s) not read (the validator reads {_READ_KINDS}): {named}{more}"


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
    if stem.lower() in DERIVED_TABLES:
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
    return any(part.split(".", 1)[0] in DERIVED_TABLES for part in parts[1:])


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


def _folder_files(path: Path, given: str, notes: list[str]) -> list[Path]:
    """Files of a folder (at any depth) the validator reads; the others are named in a note."""
    files: list[Path] = []
    unread: list[str] = []
    for file in sorted(path.rglob("*")):
        if not file.is_file():
            continue
        # An export's own manifest and schemas describe the data; they are noted like any other file.
        if (
            format_of(file.name) is not None
            and file.name != "manifest.json"
            and "schemas" not in file.relative_to(path).parts
        ):
            files.append(file)
        else:
            unread.append(str(file.relative_to(path)))
    if unread:
        notes.append(_unread_note(given, unread))
    return files


def discover(paths: list[str], record: str | None = None) -> tuple[list[Input], list[str], list[str]]:
    """Inputs for the given paths; also paths with nothing to read, and notes for the report."""
    inputs: list[Input] = []
    empty: list[str] = []
    notes: list[str] = []
    forced = None
    if record is not None:
        forced = record if record in TABLE_NAMES else _SINGULAR.get(record)
    for given in paths:
        path = Path(given)
        if path.is_dir():
            root = path
            if (path / "manifest.json").is_file():
                files = _export_folder(path)
                if files:
                    notes.append(f"{given}: export folder, records read from {files[0].parent.name}/")
            else:
                files = _folder_files(path, given, notes)
            found = []
            for file in files:
                fmt = format_of(file.name) or "jsonl"
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
            fmt = format_of(path.name) or "jsonl"
            table = forced if forced is not None else table_from_name(path.name)
            if fmt == "json" and forced is not None:
                fmt = "jsonl"
            inputs.append(Input(given, given, fmt, None if fmt == "json" else table))
    order = {table: i for i, table in enumerate(TABLE_NAMES)}
    # Sources first, so evidence spans are checked as records arrive instead of being kept back.
    inputs.sort(key=lambda i: (i.format != "json", order.get(i.table or "", len(order))))
    return inputs, empty, notes
