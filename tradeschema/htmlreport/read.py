"""Reading the input of a report: the validation report, and every record that can be shown.

All reading is here, in :func:`read_input`, so it can follow the validator when the validator grows
a way to hand out the records it reads. Records are kept in their JSON form (dicts): a record that
fails its model is still shown, as it was written, beside the issues found in it.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from ..errors import InputError
from ..export.jsonl import table_for_path
from ..export.parquet import read_parquet
from ..registry import TABLE_NAMES, model_for_table, table_for_name
from ..report import Report
from ..validation import validate

__all__ = ["TABLES", "LoadedRecord", "ReadResult", "read_input"]

TABLES: tuple[str, ...] = TABLE_NAMES
"""The record tables, in the order of a dataset's lists."""
_STDIN = "-"


@dataclass
class LoadedRecord:
    """One record as read, with where it was read from."""

    table: str
    """Its table (``measures``, ...)."""
    data: dict[str, Any]
    """The record in its JSON form: normalised by its model when valid, as written otherwise."""
    valid: bool
    """Whether the record passed its model (integrity across records is not part of this)."""
    file: str
    """The file as the validation report names it."""
    index: int | None = None
    """Position in its list of a Dataset document, from 0."""
    line: int | None = None
    """Line of a JSON Lines file, from 1."""


@dataclass
class ReadResult:
    """The validation report of the input and the records read from it."""

    report: Report
    """The validator's report on the input."""
    records: list[LoadedRecord] = field(default_factory=list)
    """Every record that could be read, valid or not."""
    inputs: list[str] = field(default_factory=list)
    """The inputs as given (``-`` for standard input)."""
    notes: list[str] = field(default_factory=list)
    """What could not be shown, such as records of a file that could not be read."""
    renamed: dict[str, str] = field(default_factory=dict)
    """File names to show in place of others (the spool file of standard input is shown as ``-``)."""


def read_input(
    paths: Sequence[str], *, record: str | None = None, stdin: IO[bytes] | None = None
) -> ReadResult:
    """Validate the inputs with :func:`tradeschema.validate` and read their records.

    ``paths`` are what the validator reads (files, folders, export folders); ``-`` is ``stdin``, a
    Dataset document or JSON Lines of the ``record`` type. ``record`` names the table of JSON Lines
    and Parquet files whose name does not tell it.
    """
    table = table_for_name(record) if record is not None else None
    spool = None
    try:
        given = list(paths)
        renamed: dict[str, str] = {}
        if _STDIN in given:
            if stdin is None:
                raise InputError("standard input was named but none is available")
            spool = tempfile.mkdtemp(prefix="tradeschema-report-")
            spooled = _spool(stdin, spool, table)
            renamed[spooled] = _STDIN
            given = [spooled if path == _STDIN else path for path in given]
        result = ReadResult(validate(given, record=record), inputs=list(paths), renamed=renamed)
        for path in given:
            result.records.extend(_read_path(Path(path), path, table, result.notes))
        return result
    finally:
        if spool is not None:
            shutil.rmtree(spool, ignore_errors=True)


def _spool(stdin: IO[bytes], folder: str, table: str | None) -> str:
    """Standard input saved to a file whose name tells the validator its format."""
    data = stdin.read()
    name = "stdin.json"
    try:
        document = json.loads(data)
    except ValueError:
        document = None  # not one JSON document: JSON Lines
    if not isinstance(document, dict) or not {"schema_version", *TABLES} & document.keys():
        name = f"{table or 'records'}.jsonl"
    path = os.path.join(folder, name)
    with open(path, "wb") as out:
        out.write(data)
    return path


def _read_path(path: Path, name: str, table: str | None, notes: list[str]) -> Iterator[LoadedRecord]:
    if path.is_dir():
        if (path / "manifest.json").is_file():
            yield from _read_export(path, name, notes)
        else:
            yield from _read_folder(path, name, table, notes)
    elif path.is_file():
        yield from _read_file(path, name, table, notes)


def _read_export(root: Path, name: str, notes: list[str]) -> Iterator[LoadedRecord]:
    """An export folder: its Parquet tables, else its JSON Lines, else its dataset.json."""
    for sub, suffix in (("parquet", ".parquet"), ("jsonl", ".jsonl")):
        folder = root / sub
        entries = sorted(folder.iterdir()) if folder.is_dir() else []
        tables = [(entry, entry.name.removesuffix(suffix)) for entry in entries]
        tables = [(entry, table) for entry, table in tables if table in TABLES]
        if tables:
            for entry, table in tables:
                yield from _read_file(entry, os.path.join(name, sub, entry.name), table, notes)
            return
    if (root / "dataset.json").is_file():
        yield from _read_file(root / "dataset.json", os.path.join(name, "dataset.json"), None, notes)


def _read_folder(root: Path, name: str, table: str | None, notes: list[str]) -> Iterator[LoadedRecord]:
    """A plain folder: every file in it, and each hive-partitioned Parquet folder as one table."""
    hive_roots: set[Path] = set()
    for path in sorted(root.rglob("*")):
        if not path.is_file() or "schemas" in path.relative_to(root).parts:
            continue
        parts = path.relative_to(root).parts
        partitioned = [i for i, part in enumerate(parts[:-1]) if "=" in part]
        if path.suffix == ".parquet" and partitioned:
            hive = root.joinpath(*parts[: partitioned[0]])
            if hive not in hive_roots:
                hive_roots.add(hive)
                yield from _read_file(hive, os.path.join(name, str(hive.relative_to(root))), table, notes)
            continue
        yield from _read_file(path, os.path.join(name, str(path.relative_to(root))), table, notes)


def _read_file(path: Path, name: str, table: str | None, notes: list[str]) -> Iterator[LoadedRecord]:
    suffix = path.suffix.lower()
    if path.is_dir() or suffix == ".parquet":
        yield from _read_parquet(path, name, table, notes)
    elif suffix == ".json":
        yield from _read_document(path, name, notes)
    elif suffix in (".jsonl", ".ndjson"):
        yield from _read_jsonl(path, name, table or table_for_path(path), notes)
    elif suffix == ".csv":
        notes.append(f"{name}: CSV is validated but its records are not shown")


def _read_parquet(path: Path, name: str, table: str | None, notes: list[str]) -> Iterator[LoadedRecord]:
    try:
        records = list(read_parquet(path, table=table))
    except (InputError, ValidationError, OSError, ValueError) as exc:
        # The validator has located the problem; the page says why these records are missing.
        notes.append(f"{name}: records not shown ({str(exc).splitlines()[0]})")
        return
    for record in records:
        yield LoadedRecord(record.table, record.model_dump(mode="json"), True, name)


def _read_document(path: Path, name: str, notes: list[str]) -> Iterator[LoadedRecord]:
    try:
        document = json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        notes.append(f"{name}: records not shown ({type(exc).__name__})")
        return
    if not isinstance(document, dict):
        return
    for table in TABLES:
        items = document.get(table)
        if isinstance(items, list):
            for index, item in enumerate(items):
                loaded = _checked(table, item, name)
                if loaded is not None:
                    loaded.index = index
                    yield loaded


def _read_jsonl(path: Path, name: str, table: str | None, notes: list[str]) -> Iterator[LoadedRecord]:
    if table is None:
        notes.append(f"{name}: records not shown (record type not known from the file name)")
        return
    try:
        with path.open("rb") as lines:
            for number, line in enumerate(lines, 1):
                try:
                    item = json.loads(line)
                except ValueError:
                    continue  # a line that is not JSON is an issue in the report, with its line
                loaded = _checked(table, item, name)
                if loaded is not None:
                    loaded.line = number
                    yield loaded
    except OSError as exc:
        notes.append(f"{name}: records not shown ({exc.strerror})")


def _checked(table: str, item: Any, name: str) -> LoadedRecord | None:
    if not isinstance(item, dict):
        return None
    try:
        record = model_for_table(table).model_validate(item)
    except ValidationError:
        return LoadedRecord(table, item, False, name)
    return LoadedRecord(table, record.model_dump(mode="json"), True, name)
