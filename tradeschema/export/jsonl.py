"""JSON Lines of records: one file per record table, one record per line.

Lines are canonical: compact JSON with every field in model order, written by pydantic's serializer,
so the same records always give the same bytes. Each line is one record of the table's model and
validates against that record's JSON Schema (``schemas/<record>.schema.json``).

A file's record type is told from its name: ``statements.jsonl``, ``statement.jsonl`` or
``2025.statements.jsonl`` all hold statements.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from pydantic import ValidationError

from ..errors import InputError
from ..models import Record
from ..registry import model_for_table
from ..report import Issue, IssueCode, Severity
from ..validation.discover import table_from_name
from .arrow import record_json
from .issues import Place, issues_from_validation_error

__all__ = [
    "JSONL_SUFFIXES",
    "iter_lines",
    "read_jsonl",
    "table_for_path",
    "validate_line",
    "write_jsonl",
]

JSONL_SUFFIXES: tuple[str, ...] = (".jsonl", ".ndjson")
"""File name endings read as JSON Lines."""

_BOM = b"\xef\xbb\xbf"


def table_for_path(path: str | Path) -> str | None:
    """The table a JSON Lines file holds, told from its name (the validator's rule), or ``None``."""
    return table_from_name(Path(path).name)


def write_jsonl(records: Iterable[Record], path: str | Path | IO[bytes]) -> int:
    """Write records as canonical JSON Lines; returns how many were written."""
    if not isinstance(path, (str, Path)):
        return _write_lines(records, path)
    with open(path, "wb") as out:
        return _write_lines(records, out)


def _write_lines(records: Iterable[Record], out: IO[bytes]) -> int:
    count = 0
    for record in records:
        out.write(record_json(record) + b"\n")
        count += 1
    return count


def iter_lines(path: str | Path) -> Iterator[tuple[int, bytes]]:
    """The non-final lines of a file with their 1-based numbers, newline removed.

    Raises :class:`InputError` when the file cannot be opened.
    """
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed by the with below; open errors need their own message
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=str(path)) from exc
    with handle:
        for number, line in enumerate(handle, start=1):
            yield number, line.rstrip(b"\r\n")


def validate_line(line: bytes, table: str, place: Place) -> Record | list[Issue]:
    """A JSON Lines line validated as one record of ``table``, or the issues found in it.

    The raw bytes go straight to pydantic's JSON validator (no ``json.loads`` first), which is the
    fastest validating path (see benchmarks/README.md).
    """
    if not line.strip():
        return [Issue(IssueCode.blank_line, Severity.error, "empty line", file=place.file, line=place.line)]
    if place.line == 1 and line.startswith(_BOM):
        message = "file starts with a UTF-8 byte-order mark, which JSON forbids"
        return [Issue(IssueCode.byte_order_mark, Severity.error, message, file=place.file, line=1)]
    model = model_for_table(table)
    try:
        return model.model_validate_json(line)
    except ValidationError as exc:
        return list(issues_from_validation_error(exc, place))


def read_jsonl(path: str | Path, *, table: str | None = None) -> Iterator[Record]:
    """The records in a JSON Lines file, validated line by line.

    ``table`` defaults to the one told by the file name. Raises :class:`InputError` naming the file
    and line at the first invalid line; use ``tradeschema validate`` for a full report.
    """
    name = table or table_for_path(path)
    if name is None:
        raise InputError(
            "cannot tell the record type from the file name; name it like statements.jsonl",
            file=str(path),
        )
    for number, line in iter_lines(path):
        result = validate_line(line, name, Place(str(path), number))
        if isinstance(result, list):
            first = result[0]
            raise InputError(f"{first.path or ''} {first.message}".strip(), file=str(path), line=number)
        yield result
