"""The CSV layout of each record table, derived from the models: what ``export`` writes, ``validate`` reads.

One file per record table, a header row of the model's field names in model order (see
:func:`tradeschema.tables.field_specs`), then one row per record:

- a null or absent value is an empty cell without quotes; an empty string is a quoted empty cell
  ``""`` (as DuckDB and PostgreSQL write them), so the two stay apart;
- text, vocabulary values and partial dates are written as they are and quoted, numbers as numbers
  (``2`` for 2.0), booleans as ``true`` / ``false``;
- lists and nested records are JSON text (compact, UTF-8), e.g. ``["party:cn","party:us"]``;
- rows end with ``\\n``. The export writes this with Arrow's CSV writer
  (:class:`tradeschema.export.writers.CsvWriter`); a reader takes any CSV quoting.

Reading accepts that layout and also the nested literals DuckDB (1.3 and later: earlier versions
leave text in lists unquoted, which no grammar can split) writes when it copies our Parquet to CSV
(``COPY (SELECT * FROM 'x.parquet') TO 'x.csv'``), by a small grammar (:func:`parse_nested_literal`)::

    value  := NULL | quoted | list | struct | bare
    list   := '[' [ value { ',' value } ] ']'
    struct := '{' [ key ':' value { ',' key ':' value } ] '}'        key := quoted | bare
    quoted := "'" { '\\' char | any char but ' and \\ } "'"
    bare   := the characters up to the next ',' ']' '}' (':' in a key), spaces around trimmed

A list or record cell that holds a double quote is JSON when it parses as JSON; any other is read
with this grammar, and its scalars are typed by the field they fill (``5`` is the number 5 in an
integer field, the text ``"5"`` in a text field). Where a cell has no double quote the two readings
agree except on type, and typing by the field is the reading that keeps DuckDB's ``[123]`` (a list
of one text) a text; so ``[1, 2]`` is two numbers in a list of numbers, two texts in a list of texts.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .registry import model_for_table
from .tables import FieldKind, FieldSpec, field_specs

__all__ = [
    "CsvRows",
    "csv_columns",
    "decode_cell",
    "long_cells",
    "parse_nested_literal",
    "quoted_empty_cells",
]

_INTEGER = re.compile(r"-?[0-9]+")
_NUMBER = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_TEXT_KINDS = frozenset({FieldKind.string, FieldKind.vocabulary, FieldKind.partial_date})


# A source's text is one cell; Python's csv refuses cells over 128 KiB unless told otherwise.
_CELL_LIMIT = 1 << 30


@contextmanager
def long_cells() -> Iterator[None]:
    """Let :mod:`csv` read cells up to 1 GiB inside the block (the limit is process-wide, so it is
    put back after)."""
    before = csv.field_size_limit()
    csv.field_size_limit(max(before, _CELL_LIMIT))
    try:
        yield
    finally:
        csv.field_size_limit(before)


# Stands in for NUL while Python's csv reads a line: a lone surrogate below U+DC80, which neither UTF-8
# nor the surrogate escapes of undecodable bytes (U+DC80-U+DCFF) ever produce.
_NUL = "\udc00"


class CsvRows:
    """The rows of a CSV text stream, each with its raw text and the physical line it starts on.

    :mod:`csv` reads one line at a time until a row is complete, so the lines taken between two rows
    are exactly the row's text: what :func:`~tradeschema.csv_layout.quoted_empty_cells` needs to tell
    a null cell from empty text.
    """

    def __init__(self, stream: Iterator[str]) -> None:
        self._stream = stream
        self._taken: list[str] = []
        self._lines_before = 0
        self.reader = csv.reader(self._lines())
        self.first_line = 0
        """The physical line (from 1) the last row read starts on."""
        self.raw = ""
        """The raw text of the last row read."""

    def _lines(self) -> Iterator[str]:
        for line in self._stream:
            if "\x00" in line:
                # Python 3.10's csv refuses NUL, which JSON and the models allow in text; it stands in
                # as a code point no decoding produces, and is put back in the cells.
                line = line.replace("\x00", _NUL)  # noqa: PLW2901
            self._taken.append(line)
            yield line

    def __iter__(self) -> Iterator[list[str]]:
        return self

    def __next__(self) -> list[str]:
        cells = next(self.reader)
        self.first_line = self._lines_before + 1
        self._lines_before = self.reader.line_num
        self.raw = "".join(self._taken)
        self._taken.clear()
        if _NUL in self.raw:
            self.raw = self.raw.replace(_NUL, "\x00")
            cells = [cell.replace(_NUL, "\x00") for cell in cells]
        return cells


def csv_columns(table: str) -> tuple[str, ...]:
    """The header of ``table``'s CSV file: the model's fields in model order."""
    return tuple(spec.name for spec in field_specs(model_for_table(table)))


def quoted_empty_cells(row: str) -> set[int]:
    """Indexes of the cells written as ``""`` in the raw text of one CSV row (a null cell is bare).

    Python's :mod:`csv` reads both as ``""``; this small scanner tells them apart where it matters.
    """
    found: set[int] = set()
    index = 0
    position = 0
    length = len(row)
    while position <= length:
        if position < length and row[position] == '"':
            start = position
            position += 1
            while position < length:
                if row[position] == '"':
                    if position + 1 < length and row[position + 1] == '"':
                        position += 2
                        continue
                    break
                position += 1
            if position == start + 1:
                found.add(index)
            position += 1
        while position < length and row[position] not in ",\r\n":
            position += 1
        if position >= length or row[position] != ",":
            break
        position += 1
        index += 1
    return found


class _Literal:
    """A recursive-descent reader of one DuckDB nested literal (see the module docstring)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0

    def fail(self, what: str) -> ValueError:
        return ValueError(f"{what} at character {self.at + 1} of a nested value")

    def skip_spaces(self) -> None:
        while self.at < len(self.text) and self.text[self.at] == " ":
            self.at += 1

    def value(self, stops: str) -> Any:
        self.skip_spaces()
        if self.at >= len(self.text):
            raise self.fail("a value is missing")
        char = self.text[self.at]
        if char == "[":
            return self.sequence()
        if char == "{":
            return self.struct()
        if char == "'":
            return self.quoted()
        token = self.bare(stops)
        return None if token == "NULL" else token

    def sequence(self) -> list[Any]:
        self.at += 1
        items: list[Any] = []
        self.skip_spaces()
        if self.peek() == "]":
            self.at += 1
            return items
        while True:
            items.append(self.value(",]"))
            self.skip_spaces()
            char = self.peek()
            self.at += 1
            if char == "]":
                return items
            if char != ",":
                raise self.fail("expected ',' or ']'")

    def struct(self) -> dict[str, Any]:
        self.at += 1
        fields: dict[str, Any] = {}
        self.skip_spaces()
        if self.peek() == "}":
            self.at += 1
            return fields
        while True:
            self.skip_spaces()
            key = self.quoted() if self.peek() == "'" else self.bare(":")
            self.skip_spaces()
            if self.peek() != ":":
                raise self.fail("expected ':' after a key")
            self.at += 1
            if key in fields:
                raise self.fail(f"key {key!r} appears twice")
            fields[key] = self.value(",}")
            self.skip_spaces()
            char = self.peek()
            self.at += 1
            if char == "}":
                return fields
            if char != ",":
                raise self.fail("expected ',' or '}'")

    def quoted(self) -> str:
        self.at += 1
        out: list[str] = []
        while self.at < len(self.text):
            char = self.text[self.at]
            if char == "\\" and self.at + 1 < len(self.text):
                out.append(self.text[self.at + 1])
                self.at += 2
                continue
            self.at += 1
            if char == "'":
                return "".join(out)
            out.append(char)
        raise self.fail("a quoted text is not closed")

    def bare(self, stops: str) -> str:
        start = self.at
        while self.at < len(self.text) and self.text[self.at] not in stops:
            self.at += 1
        token = self.text[start : self.at].strip(" ")
        if not token:
            raise self.fail("a value is missing")
        return token

    def peek(self) -> str:
        return self.text[self.at] if self.at < len(self.text) else ""


def parse_nested_literal(text: str) -> Any:
    """A DuckDB nested literal (``['party:us', x]``, ``{'start': 1, 'end': 5}``) as lists, dicts, text
    and ``None``; scalars stay text (see :func:`decode_cell` for typing). Raises :class:`ValueError`."""
    reader = _Literal(text)
    value = reader.value("")
    reader.skip_spaces()
    if reader.at != len(text):
        raise reader.fail("unexpected text after the value")
    return value


def _scalar(text: str, kind: FieldKind) -> Any:
    """A cell's (or a literal's) text as a value of ``kind``; text that does not fit is kept, so the
    model rejects it at its place."""
    if kind is FieldKind.integer and _INTEGER.fullmatch(text):
        return int(text)
    if kind is FieldKind.number and _NUMBER.fullmatch(text):
        number = float(text)
        return int(number) if number.is_integer() and _INTEGER.fullmatch(text) else number
    if kind is FieldKind.boolean:
        return {"true": True, "false": False}.get(text, text)
    return text


def _typed(value: Any, spec: FieldSpec) -> Any:
    """A parsed literal typed by the field it fills."""
    if value is None:
        return None
    if spec.kind is FieldKind.list and isinstance(value, list):
        assert spec.item is not None
        return [_typed(item, spec.item) for item in value]
    if spec.kind is FieldKind.model and isinstance(value, dict):
        assert spec.model is not None
        specs = {child.name: child for child in field_specs(spec.model)}
        return {key: _typed(item, specs[key]) if key in specs else item for key, item in value.items()}
    if isinstance(value, str):
        return _scalar(value, spec.kind)
    return value


def _nested(text: str, spec: FieldSpec) -> Any:
    """A list or record cell: JSON when it has a double quote and parses, else a DuckDB literal typed
    by the field (see the module docstring)."""
    literal = text.lstrip(" ")[:1] in ("[", "{")
    if '"' in text or not literal:
        try:
            return json.loads(text)
        except ValueError as not_json:
            if not literal:
                raise ValueError(f"not JSON: {not_json}") from None
    try:
        return _typed(parse_nested_literal(text), spec)
    except ValueError as exc:
        raise ValueError(f"neither JSON nor a nested literal: {exc}") from None


def _number(text: str) -> Any:
    try:
        number = json.loads(text)
    except ValueError:
        return text
    return number if isinstance(number, (int, float)) and not isinstance(number, bool) else text


def decode_cell(text: str, spec: FieldSpec, *, quoted_empty: bool = False) -> Any:
    """A cell's value for the field ``spec``: ``None`` for a null cell, JSON or a DuckDB literal for
    lists and records. Raises :class:`ValueError` for a list or record cell that is neither."""
    if text == "":
        return "" if quoted_empty else None
    if spec.kind in (FieldKind.list, FieldKind.model):
        return _nested(text, spec)
    if spec.kind in (FieldKind.integer, FieldKind.number):
        return _number(text)
    if spec.kind in _TEXT_KINDS:
        return text
    return _scalar(text, spec.kind)
