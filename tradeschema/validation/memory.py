"""In-memory data: records as dicts, JSON text, and tables (pyarrow, pandas, polars), into one Run.

Tables are checked as Parquet files are: vectorised on Arrow arrays, batch by batch, with the model
run only on the rows a vectorised check flags (see :mod:`.tabular`). A pandas or polars DataFrame
becomes an Arrow table first (zero-copy where the types allow). Rows count from 1; the report names
the input ``<table>`` (or ``<records>``, ``<json>``), since it has no file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..registry import TABLE_NAMES, record_type
from ..report import IssueCode
from .integrity import ROW

if TYPE_CHECKING:
    import pyarrow as pa

    from .core import Run

__all__ = ["as_arrow", "table_of_schema", "validate_arrow", "validate_dicts"]

_BATCH_ROWS = 16384


def as_arrow(data: object) -> pa.Table | pa.RecordBatch | Any | None:
    """``data`` as a pyarrow Table, RecordBatch or Dataset, or None when it is no table.

    Recognised without importing pandas or polars: a DataFrame is told by its module.
    """
    module = type(data).__module__.split(".", 1)[0]
    if module == "pyarrow":
        import pyarrow as pa
        import pyarrow.dataset as ds

        if isinstance(data, (pa.Table, pa.RecordBatch, ds.Dataset)):
            return data
        return None
    if module == "pandas" and type(data).__name__ == "DataFrame":
        import pyarrow as pa

        return pa.Table.from_pandas(data, preserve_index=False)
    if module == "polars" and type(data).__name__ == "DataFrame":
        frame: Any = data
        return frame.to_arrow()
    return None


def table_of_schema(schema: pa.Schema, record: str | None) -> str | None:
    """The table a tabular input holds: ``record``, else the ``tradeschema.table`` of its metadata."""
    if record is not None:
        return record_type(record).table
    metadata = schema.metadata or {}
    found = metadata.get(b"tradeschema.table", b"").decode("utf-8", "replace")
    return found if found in TABLE_NAMES else None


def validate_arrow(run: Run, data: Any, table: str, name: str = "<table>") -> None:
    """Validate a pyarrow Table, RecordBatch or Dataset of ``table`` rows into ``run``."""
    import pyarrow as pa
    import pyarrow.dataset as ds

    from .tabular import check_derived_dates, check_layout, conform, derived_columns, validate_batch

    file_index = run.file_index(name)
    columns = check_layout(run, data.schema, table, name)
    if columns is None:
        return
    derived = [c for c in data.schema.names if c in derived_columns(table)]
    if isinstance(data, ds.Dataset):
        batches: Iterable[pa.RecordBatch] = data.to_batches(columns=[*columns, *derived])
    elif isinstance(data, pa.RecordBatch):
        batches = [data]
    else:
        batches = data.to_batches(max_chunksize=_BATCH_ROWS)
    first_row = 1
    for batch in batches:
        if derived:
            check_derived_dates(run, batch, table, name=name, first_row=first_row)
        arrays = conform(batch, columns, table)
        validate_batch(
            run, arrays, batch.num_rows, table, name=name, file_index=file_index, first_row=first_row
        )
        first_row += batch.num_rows


def validate_dicts(
    run: Run, records: Iterable[Mapping[str, Any]], table: str, name: str = "<records>"
) -> None:
    """Validate records given as dicts (``json.loads`` of a record, or ``model_dump``) into ``run``."""
    from pydantic import ValidationError

    from .core import adapter

    model = record_type(table).model
    validate = adapter(model).validate_json
    file_index = run.file_index(name)
    for number, value in enumerate(records, 1):
        if not isinstance(value, Mapping):
            run.issue(IssueCode.not_an_object, file=name, row=number, what="the record")
            continue
        record_id = value.get("id") if isinstance(value.get("id"), str) else None
        try:
            # Through JSON, so a Python value the JSON Schema could not see (a tuple, a date) is
            # judged as its JSON form would be, and strict mode reads enums from their strings.
            record = validate(json.dumps(value, allow_nan=False, default=str))
        except ValidationError as exc:
            run.validation_error(
                exc,
                file=name,
                row=number,
                record_id=record_id,
                register=(model.table, (file_index, number, ROW)),
            )
            continue
        except (TypeError, ValueError) as exc:
            run.issue(IssueCode.type_error, file=name, row=number, note=f"the record is not JSON data: {exc}")
            continue
        run.record(record, (file_index, number, ROW))
