"""Which files to read, in which format, as which table: from paths, folders and export layouts."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from ..registry import LINK_TABLES, RECORD_TYPES, TABLE_NAMES, table_for_name
from .streams import COMPRESSIONS, split_compression

__all__ = [
    "EXPORT_FORMS",
    "HIVE_NULL",
    "Discovery",
    "Input",
    "discover",
    "format_of",
    "link_from_path",
    "table_from_name",
]

_SINGULAR = {kind.name: kind.table for kind in RECORD_TYPES.values()}
# Longest names first, so `parties` is not read as `party` + `ies`.
_WORDS = sorted([*_SINGULAR, *TABLE_NAMES], key=len, reverse=True)
_NAME = re.compile(rf"^({'|'.join(_WORDS)})(?:[-_.].*)?$", re.I)
HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"
"""The folder value pyarrow writes for the null partition."""
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
    """The table of its records (None for a Dataset document, a link table, or when it cannot be told)."""
    partitions: tuple[tuple[str, str | None], ...] = ()
    """Hive partition keys and values in the file's path (``<key>=<value>`` folders, decoded; ``None``
    for the null partition): a key that is a field of the table is that column's value for every row."""
    link: str | None = None
    """The derived link table the file holds (an export's ``statement_about``, ``rounds``, ...)."""
    partial: bool = False
    """True when the file holds part of its table only: a partition folder given on its own, whose
    records may name records in the table's other partitions."""
    scope: str = ""
    """Inputs of one scope are checked together for integrity. Each form of an export folder
    (``dataset.json``, ``jsonl/``, ``parquet/``) is a scope of its own, since each holds every record."""

    @property
    def partition_columns(self) -> frozenset[str]:
        """The hive partition keys of the file's path."""
        return frozenset(key for key, _ in self.partitions)


@dataclass
class Discovery:
    """What :func:`discover` found for the paths given."""

    inputs: list[Input] = field(default_factory=list)
    """Files to validate, sources first within each scope."""
    empty: list[str] = field(default_factory=list)
    """Paths given with nothing to read."""
    notes: list[str] = field(default_factory=list)
    """What the report should say about how the paths were read."""
    exports: list[str] = field(default_factory=list)
    """Export folders among the paths (their manifest is checked too)."""


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


def _partitions(path: Path, root: Path) -> tuple[tuple[str, str | None], ...]:
    """The hive ``key=value`` folders between ``root`` and the file, values decoded as pyarrow writes them."""
    found: list[tuple[str, str | None]] = []
    for part in path.relative_to(root).parts[:-1]:
        if "=" in part:
            key, value = part.split("=", 1)
            found.append((key, None if value == HIVE_NULL else unquote(value)))
    return tuple(found)


def link_from_path(path: Path, root: Path) -> str | None:
    """The link table a Parquet file (or a file of its hive folder) holds, told from its names."""
    if path.name.split(".", 1)[0] in LINK_TABLES:
        return path.name.split(".", 1)[0]
    for part in (*reversed(path.relative_to(root).parts[:-1]), root.name):
        if "=" not in part:
            stem = part.split(".", 1)[0]
            return stem if stem in LINK_TABLES else None
    return None


def _table_from_path(path: Path, root: Path) -> str | None:
    """Table of a file inside a folder: its own name, else the nearest folder named after a table."""
    table = table_from_name(path.name)
    if table is None:
        for parent in [path.parent, *path.parent.parents]:
            if "=" not in parent.name:
                table = table_from_name(parent.name)
                if table is not None or parent == root:
                    break
    return table


EXPORT_FORMS: tuple[tuple[str, str], ...] = (
    ("dataset.json", "json"),
    ("jsonl", "jsonl"),
    ("parquet", "parquet"),
    ("csv", "csv"),
)
"""The forms an export folder holds, each a complete copy of the records: name and format, the
canonical first (the others are compared with the first one present)."""


def _folder_files(root: Path) -> tuple[list[Path], list[Path]]:
    """Files under ``root`` that the validator reads, and the other files (named in a note)."""
    read: list[Path] = []
    other: list[Path] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        parts = path.relative_to(root).parts
        if path.name == "manifest.json" or "schemas" in parts[:-1]:
            continue
        (read if format_of(path.name) is not None else other).append(path)
    return read, other


def _inputs_of_folder(
    root: Path, given: str, forced: str | None, scope: str
) -> tuple[list[Input], list[Path]]:
    found: list[Input] = []
    files, other = _folder_files(root)
    # A partition folder given on its own (`parties/kind=state`) still has its keys: they start at the
    # nearest folder above that is not a `key=value` segment.
    base = root.resolve()
    while "=" in base.name:
        base = base.parent
    partial = base != root.resolve()
    for file in files:
        fmt = format_of(file.name) or "jsonl"
        name = os.path.join(given, str(file.relative_to(root)))
        partitions = _partitions(file.resolve(), base)
        if fmt == "json":
            found.append(Input(str(file), name, fmt, scope=scope))
            continue
        link = link_from_path(file.resolve(), base) if fmt == "parquet" and forced is None else None
        table = None if link is not None else forced or _table_from_path(file, root)
        found.append(Input(str(file), name, fmt, table, partitions, link, partial, scope))
    return found, other


def discover(paths: list[str], record: str | None = None) -> Discovery:
    """What to read for the given paths, in which format, as which table, in which integrity scope."""
    result = Discovery()
    forced = None if record is None else table_for_name(record)
    for given in paths:
        path = Path(given)
        if not path.is_dir():
            fmt = format_of(path.name) or "jsonl"
            table = forced if forced is not None else table_from_name(path.name)
            if fmt == "json" and forced is not None:
                fmt = "jsonl"
            result.inputs.append(Input(given, given, fmt, None if fmt == "json" else table))
            continue
        found: list[Input] = []
        other: list[Path] = []
        if (path / "manifest.json").is_file():
            result.exports.append(given)
            forms = []
            for form, fmt in EXPORT_FORMS:
                where = path / form
                if fmt == "json" and where.is_file():
                    found.append(Input(str(where), os.path.join(given, form), fmt, scope=f"{given}:{form}"))
                    forms.append(form)
                elif where.is_dir():
                    inputs, rest = _inputs_of_folder(
                        where, os.path.join(given, form), forced, f"{given}:{form}"
                    )
                    found.extend(inputs)
                    other.extend(rest)
                    forms.append(form + "/")
            result.notes.append(
                f"{given}: export folder; checked {', '.join(forms) or 'nothing'} and the manifest"
            )
        else:
            found, other = _inputs_of_folder(path, given, forced, "")
        if other:
            result.notes.append(_unread_note(given, [str(file.relative_to(path)) for file in other]))
        if not found:
            result.empty.append(given)
        result.inputs.extend(found)
    order = {table: i for i, table in enumerate(TABLE_NAMES)}
    # Sources first, so evidence spans are checked as records arrive instead of being kept back; link
    # tables after their record tables.
    result.inputs.sort(
        key=lambda i: (i.scope, i.format != "json", i.link is not None, order.get(i.table or "", len(order)))
    )
    return result
