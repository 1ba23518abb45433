"""The contract of an export folder, beyond the records of each form: the manifest and one truth.

An export folder holds the same records in several forms (``dataset.json``, ``jsonl/``, ``parquet/``,
``csv/``)
and a ``manifest.json`` with every file's size and SHA-256. Each form is validated on its own (its
own integrity scope, see :func:`tradeschema.validation.validate`); this module checks the rest:

- every file the manifest lists is there, with its size and SHA-256, and no other data file is;
- the forms hold the same records, table by table: each record is reduced to its canonical JSON
  (every field, model order), and a table to an order-free digest of those (the sum of a 64-bit hash
  per record), so the check needs constant memory and accepts any row order (a partitioned folder
  groups rows by its key).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..registry import TABLE_NAMES, model_for_table
from ..report import IssueCode
from .streams import file_digest

if TYPE_CHECKING:
    from ..models import Record
    from .core import Run
    from .discover import Input

__all__ = ["check_export_folder"]

_MASK = (1 << 64) - 1


def check_manifest(run: Run, root: str) -> None:
    """Every file of the manifest is present and unchanged; no data file is missing from it."""
    base = Path(root)
    manifest_name = os.path.join(root, "manifest.json")
    try:
        manifest = json.loads((base / "manifest.json").read_text("utf-8"))
        files = manifest["files"]
        listed = {str(entry["path"]): entry for entry in files}
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        run.issue(IssueCode.manifest_mismatch, file=manifest_name, note=f"it cannot be read: {exc}")
        return
    for relative, entry in listed.items():
        path = base / relative
        name = os.path.join(root, relative)
        if not path.is_file():
            run.issue(IssueCode.manifest_mismatch, file=name, note="listed there, but missing")
            continue
        size = path.stat().st_size
        if entry.get("bytes") is not None and size != entry["bytes"]:
            run.issue(
                IssueCode.manifest_mismatch,
                note=f"{size:,} bytes, the manifest says {entry['bytes']:,}",
                file=name,
            )
        elif file_digest(path)[0] != entry.get("sha256"):
            run.issue(IssueCode.manifest_mismatch, file=name, note="its SHA-256 differs")
    for path in sorted(p for p in base.rglob("*") if p.is_file()):
        relative = path.relative_to(base).as_posix()
        if relative != "manifest.json" and relative not in listed:
            run.issue(
                IssueCode.manifest_mismatch,
                note="not listed there",
                file=os.path.join(root, relative),
            )


def _canonical(record: Record) -> int:
    return hash(record.__pydantic_serializer__.to_json(record))


def _valid(validate: Callable[[Any], Record], value: Any) -> Record | None:
    """The record, or None when it is invalid (the validation of its form reports why)."""
    from pydantic import ValidationError

    try:
        return validate(value)
    except ValidationError:
        return None


def _jsonl_records(item: Input) -> Iterator[Record]:
    assert item.table is not None
    model = model_for_table(item.table)
    with open(item.path, "rb") as handle:
        for line in handle:
            record = _valid(model.model_validate_json, line)
            if record is not None:
                yield record


def _parquet_records(item: Input) -> Iterator[Record]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from ..tables import arrow_schema
    from .tabular import conform, record_columns, record_from_row, with_partitions

    assert item.table is not None
    model = model_for_table(item.table)
    layout = arrow_schema(item.table)
    constants = {key: value for key, value in item.partitions if key in record_columns(item.table)}
    file = pq.ParquetFile(item.path)
    read = [c for c in record_columns(item.table) if c in file.schema_arrow.names and c not in constants]
    columns = [*read, *constants]
    for read_batch in file.iter_batches(columns=read, use_threads=False):
        batch = with_partitions(read_batch, list(constants.items()), layout)
        arrays = conform(batch, columns, item.table)
        plain = pa.RecordBatch.from_arrays(
            [a.dictionary_decode() if pa.types.is_dictionary(a.type) else a for a in arrays.values()],
            names=list(arrays),
        )
        for row in plain.to_pylist():
            record = _valid(model.model_validate, record_from_row(row))
            if record is not None:
                yield record


def _csv_records(item: Input) -> Iterator[Record]:
    import io

    from ..csv_layout import CsvRows, long_cells
    from ..tables import field_specs
    from .csv_table import decode_row
    from .streams import open_binary
    from .tabular import record_from_row

    assert item.table is not None
    model = model_for_table(item.table)
    specs = {spec.name: spec for spec in field_specs(model)}
    with io.TextIOWrapper(open_binary(item.path), encoding="utf-8", newline="") as stream, long_cells():
        rows = CsvRows(stream)
        header = next(rows, [])
        columns = [(index, specs[name]) for index, name in enumerate(header) if name in specs]
        for cells in rows:
            values, bad = decode_row(columns, cells, rows.raw)
            record = None if bad else _valid(model.model_validate, record_from_row(values))
            if record is not None:
                yield record


def _document_records(item: Input, table: str) -> Iterator[Record]:
    model = model_for_table(table)
    with open(item.path, "rb") as handle:
        data: Any = json.load(handle)
    for value in data.get(table, []) if isinstance(data, dict) else []:
        record = _valid(model.model_validate, value)
        if record is not None:
            yield record


def _digests(items: Sequence[Input]) -> dict[str, tuple[int, int]] | None:
    """Per table: records and the order-free digest of their canonical JSON; None for an unread form."""
    found: dict[str, tuple[int, int]] = {}
    for table in TABLE_NAMES:
        count = total = 0
        for item in items:
            records: Iterator[Record]
            if item.format == "json":
                records = _document_records(item, table)
            elif item.table != table or item.link is not None:
                continue
            elif item.format == "jsonl":
                records = _jsonl_records(item)
            elif item.format == "parquet":
                records = _parquet_records(item)
            elif item.format == "csv":
                records = _csv_records(item)
            else:
                return None
            for record in records:
                count += 1
                total = (total + _canonical(record)) & _MASK
        found[table] = (count, total)
    return found


def check_export_folder(run: Run, root: str, scopes: Mapping[str, Sequence[Input]]) -> None:
    """The manifest of the export folder ``root``, and the same records in each of its forms."""
    errors_before = run.report.errors
    check_manifest(run, root)
    from .discover import EXPORT_FORMS

    order = [form for form, _ in EXPORT_FORMS]
    found = {scope.split(":", 1)[1]: items for scope, items in scopes.items() if scope.startswith(root + ":")}
    # The canonical form first: the others are compared with it, so a changed copy is the one named.
    forms = {
        form: found[form]
        for form in sorted(found, key=lambda f: order.index(f) if f in order else len(order))
    }
    if len(forms) < 2:
        return
    if errors_before or run.report.errors > errors_before:
        run.report.notes.append(f"{root}: its forms were not compared with each other, as some are invalid")
        return
    digests = {form: _digests(items) for form, items in forms.items()}
    compared = {form: d for form, d in digests.items() if d is not None}
    reference_form, reference = next(iter(compared.items()))
    for form, digest in compared.items():
        if form == reference_form:
            continue
        for table in TABLE_NAMES:
            if digest[table] != reference[table]:
                run.issue(
                    IssueCode.form_mismatch,
                    table=table,
                    count=digest[table][0],
                    form=form,
                    other_count=reference[table][0],
                    other=reference_form,
                    file=os.path.join(root, form),
                    path=f"$.{table}",
                )
