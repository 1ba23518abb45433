"""CSV in the tabular layout: one column per field; lists and records as JSON in a cell; empty = null.

The derived ``<f>_date`` / ``<f>_precision`` columns are optional. Cells are typed by the field they
belong to (an integer field's cell ``5`` is the number 5), then each row goes through the model, in
batches (CSV is parsed in Python anyway, so there is no Arrow array to check vectorised).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from ..registry import model_for_table
from ..report import IssueCode, excerpt, shorten
from ..tables import FieldKind, field_specs
from .core import Run
from .progress import Progress
from .streams import open_binary
from .tabular import derived_columns, required_columns_present, rows_not_checked, validate_rows

__all__ = ["validate_csv"]

_BATCH = 8192


def _cell(text: str, kind: FieldKind) -> Any:
    """A cell's value for a field of ``kind``; text that does not parse is kept, so the model rejects it."""
    if text == "":
        return None
    if kind in (FieldKind.list, FieldKind.model):
        return json.loads(text)
    if kind is FieldKind.integer or kind is FieldKind.number:
        try:
            number = json.loads(text)
        except ValueError:
            return text
        return number if isinstance(number, (int, float)) and not isinstance(number, bool) else text
    if kind is FieldKind.boolean:
        return {"true": True, "false": False}.get(text, text)
    return text


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


def validate_csv(  # noqa: PLR0912, PLR0915  # one linear reader: header, then rows
    run: Run, path: str, name: str, table: str, progress: Progress
) -> None:
    """Validate one CSV file of ``table`` rows into ``run``; rows count from 1 after the header."""
    file_index = run.file_index(name)
    model = model_for_table(table)
    specs = {spec.name: spec for spec in field_specs(model)}
    derived = derived_columns(table)
    try:
        binary = open_binary(path)
    except OSError as exc:
        run.issue(IssueCode.unreadable_file, file=name, what="the file", note=exc.strerror or exc)
        return
    # Bytes that are not UTF-8 are kept as surrogate escapes, so one bad byte costs its row, located,
    # and not the file.
    stream = io.TextIOWrapper(binary, encoding="utf-8", errors="surrogateescape", newline="")
    try:
        reader = csv.reader(stream)
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
        keep = [(i, column, specs[column].kind) for i, column in enumerate(header) if column in specs]
        rows: list[dict[str, Any]] = []
        numbers: list[int] = []
        number = 0
        line_before = reader.line_num  # physical lines read before the row
        for cells in reader:
            number += 1
            progress.advance(1)
            first_line, line_before = line_before + 1, reader.line_num
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
                    row=number,
                )
                continue
            row: dict[str, Any] = {}
            try:
                for i, column, kind in keep:
                    row[column] = _cell(cells[i], kind)
            except ValueError as exc:
                run.issue(
                    IssueCode.invalid_csv,
                    note=f"the cell is not JSON: {exc}",
                    file=name,
                    row=number,
                    path=column,
                    value=shorten(cells[i]),
                )
                continue
            rows.append(row)
            numbers.append(number)
            if len(rows) >= _BATCH:
                validate_rows(run, rows, numbers, model, name=name, file_index=file_index)
                rows, numbers = [], []
        validate_rows(run, rows, numbers, model, name=name, file_index=file_index)
    except csv.Error as exc:
        run.issue(IssueCode.invalid_csv, file=name, line=reader.line_num, note=exc)
    except OSError as exc:
        run.issue(IssueCode.unreadable_file, file=name, what="the file", note=exc.strerror or exc)
    finally:
        stream.close()
