"""CSV in the tabular layout: one column per field; lists and records as JSON in a cell; empty = null.

The derived ``<f>_date`` / ``<f>_precision`` columns are optional. Cells are typed by the field they
belong to (an integer field's cell ``5`` is the number 5), then each row goes through the model, in
batches (CSV is parsed in Python anyway, so there is no Arrow array to check vectorised).
"""

from __future__ import annotations

import csv
import json
from typing import Any

from ..registry import model_for_table
from ..report import IssueCode, shorten
from ..tables import FieldKind, field_specs
from .core import Run
from .progress import Progress
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


def validate_csv(  # noqa: PLR0912, PLR0915  # one linear reader: header, then rows
    run: Run, path: str, name: str, table: str, progress: Progress
) -> None:
    """Validate one CSV file of ``table`` rows into ``run``; rows count from 1 after the header."""
    file_index = run.file_index(name)
    model = model_for_table(table)
    specs = {spec.name: spec for spec in field_specs(model)}
    derived = derived_columns(table)
    try:
        stream = open(path, encoding="utf-8", newline="")  # noqa: SIM115  # closed in finally
    except OSError as exc:
        run.issue(IssueCode.unreadable_file, f"cannot open: {exc.strerror}", file=name)
        return
    try:
        reader = csv.reader(stream)
        header = next(reader, None)
        if header is None:
            run.issue(IssueCode.empty_file, "the file is empty: a CSV table needs its header", file=name)
            return
        if header and header[0].startswith("\ufeff"):
            run.issue(IssueCode.byte_order_mark, "the file starts with a byte-order mark", file=name, line=1)
            header[0] = header[0][1:]
        usable = True
        for column in header:
            if column not in specs and column not in derived:
                run.issue(
                    IssueCode.unknown_column,
                    f"column {column!r} is not a field of {table}",
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
        for cells in reader:
            number += 1
            progress.advance(1)
            if len(cells) != len(header):
                run.issue(
                    IssueCode.invalid_csv,
                    f"row has {len(cells)} cells, the header {len(header)}",
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
                    f"cell is not JSON: {exc}",
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
    except UnicodeDecodeError as exc:
        run.issue(IssueCode.invalid_utf8, f"bytes are not UTF-8: {exc.reason}", file=name)
    except csv.Error as exc:
        run.issue(IssueCode.invalid_csv, f"not readable CSV: {exc}", file=name)
    finally:
        stream.close()
