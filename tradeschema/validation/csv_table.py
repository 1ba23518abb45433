"""CSV in the layout of :mod:`tradeschema.csv_layout`: one column per field, lists and records as JSON
(or DuckDB's nested literals) in a cell, an empty cell null and ``""`` empty text.

The derived ``<f>_date`` / ``<f>_precision`` columns are optional. Cells are typed by the field they
belong to (an integer field's cell ``5`` is the number 5), then each row goes through the model, in
batches (CSV is parsed in Python anyway, so there is no Arrow array to check vectorised).

Numbering: ``row`` counts the data rows from 1, as for Parquet; ``line`` is the physical line of the
file where the row (or the bad cell) is, the header being line 1, so for a file without line breaks
inside cells it is the row number frictionless reports. Every cell that cannot be decoded is an issue
of its own, and the row's other cells are still checked.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from ..csv_layout import CsvRows, decode_cell, long_cells, quoted_empty_cells
from ..registry import model_for_table
from ..report import IssueCode, excerpt, shorten
from ..tables import FieldSpec, field_specs
from .core import Run
from .progress import Progress
from .streams import open_binary
from .tabular import derived_columns, required_columns_present, rows_not_checked, validate_rows

__all__ = ["BadCell", "decode_row", "validate_csv"]

_BATCH = 8192


BadCell = tuple[int, str]
"""A cell that cannot be decoded: its index in the row and why."""


def decode_row(
    columns: Sequence[tuple[int, FieldSpec]], cells: Sequence[str], raw: str
) -> tuple[dict[str, Any], list[BadCell]]:
    """A row's values by field name (cells of ``columns``: index and field), and the cells that could
    not be decoded, which are left out of the values."""
    quoted: set[int] | None = None
    row: dict[str, Any] = {}
    bad: list[BadCell] = []
    for index, spec in columns:
        text = cells[index]
        if text == "" and quoted is None:
            quoted = quoted_empty_cells(raw)
        try:
            row[spec.name] = decode_cell(text, spec, quoted_empty=quoted is not None and index in quoted)
        except ValueError as exc:
            bad.append((index, str(exc)))
    return row, bad


def _undecodable(cells: Sequence[str]) -> tuple[int, int] | None:
    """(cell index, offset) of the first byte that was not UTF-8 (kept as a surrogate escape), if any."""
    for index, cell in enumerate(cells):
        if not cell.isascii():
            try:
                cell.encode("utf-8")
            except UnicodeEncodeError as bad:
                return index, bad.start
    return None


def _bad_bytes(cell: str, offset: int) -> str:
    """The undecodable bytes at ``offset`` of a cell and what follows, as an excerpt."""
    return excerpt(cell[offset : offset + 8].encode("utf-8", "surrogateescape"))


def validate_csv(run: Run, path: str, name: str, table: str, progress: Progress) -> None:
    """Validate one CSV file of ``table`` rows into ``run``; rows count from 1 after the header, lines
    from 1 at the header."""
    file_index = run.file_index(name)
    try:
        binary = open_binary(path)
    except OSError as exc:
        run.issue(IssueCode.unreadable_file, file=name, what="the file", note=exc.strerror or exc)
        return
    # Bytes that are not UTF-8 are kept as surrogate escapes, so one bad byte costs its row, located,
    # and not the file.
    stream = io.TextIOWrapper(binary, encoding="utf-8", errors="surrogateescape", newline="")
    reader = CsvRows(stream)
    try:
        with long_cells():
            _read(run, reader, name, table, file_index=file_index, progress=progress)
    except csv.Error as exc:
        run.issue(IssueCode.invalid_csv, file=name, line=reader.reader.line_num, note=exc)
    except OSError as exc:
        run.issue(IssueCode.unreadable_file, file=name, what="the file", note=exc.strerror or exc)
    finally:
        stream.close()


def _read(run: Run, reader: CsvRows, name: str, table: str, *, file_index: int, progress: Progress) -> None:
    """The header, then the rows, of one CSV file."""
    model = model_for_table(table)
    specs = {spec.name: spec for spec in field_specs(model)}
    derived = derived_columns(table)
    header = next(reader, None)
    if header is None:
        run.issue(IssueCode.empty_file, file=name, note="a CSV table needs its header")
        return
    bad = _undecodable(header)
    if bad is not None:
        run.issue(
            IssueCode.invalid_utf8,
            note=f"in the header, column {bad[0] + 1}",
            file=name,
            line=1,
            value=_bad_bytes(header[bad[0]], bad[1]),
        )
    if header and header[0].startswith("\ufeff"):
        run.issue(IssueCode.byte_order_mark, file=name, line=1)
        header[0] = header[0][1:]
    usable = True
    for column in header:
        if column not in specs and column not in derived:
            run.issue(
                IssueCode.unknown_column,
                column=column,
                table=table,
                file=name,
                path=column,
                value=shorten(column),
            )
            usable = False
    if not required_columns_present(run, table, set(header), name) or not usable:
        rows_not_checked(run, name)
        return
    keep = [(i, specs[column]) for i, column in enumerate(header) if column in specs]
    rows: list[dict[str, Any]] = []
    numbers: list[int] = []
    lines: list[int | None] = []
    left_out: list[frozenset[str]] = []
    number = 0
    for cells in reader:
        number += 1
        progress.advance(len(reader.raw))  # characters: bytes, near enough, for the percentage
        first_line = reader.first_line
        bad = _undecodable(cells)
        if bad is not None:
            index, offset = bad
            # A quoted cell may span lines: count the line breaks before the bad byte.
            before = sum(cell.count("\n") for cell in cells[:index]) + cells[index].count("\n", 0, offset)
            run.issue(
                IssueCode.invalid_utf8,
                note="the row was not checked",
                file=name,
                line=first_line + before,
                row=number,
                path=header[index] if index < len(header) else None,
                value=_bad_bytes(cells[index], offset),
            )
            continue
        if len(cells) != len(header):
            run.issue(
                IssueCode.invalid_csv,
                note=f"the row has {len(cells)} cells, the header {len(header)}",
                file=name,
                line=first_line,
                row=number,
            )
            continue
        row, failed = decode_row(keep, cells, reader.raw)
        for index, why in failed:
            before = sum(cell.count("\n") for cell in cells[:index])
            run.issue(
                IssueCode.invalid_csv,
                note=f"the cell is {why}",
                file=name,
                line=first_line + before,
                row=number,
                path=header[index],
                value=shorten(cells[index]),
            )
        rows.append(row)
        numbers.append(number)
        lines.append(first_line)
        left_out.append(frozenset(header[index] for index, _ in failed))
        if len(rows) >= _BATCH:
            validate_rows(
                run,
                rows,
                numbers,
                model,
                name=name,
                file_index=file_index,
                lines=lines,
                left_out=left_out,
            )
            rows, numbers, lines, left_out = [], [], [], []
    validate_rows(run, rows, numbers, model, name=name, file_index=file_index, lines=lines, left_out=left_out)
