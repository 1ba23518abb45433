"""The derived link tables of an export (``statement_about``, ``rounds``, ...), checked against their parents.

A link table holds nothing of its own: each row is an item of a list field of its parent record table
(see :data:`tradeschema.registry.LINK_TABLES`). So it is valid when its columns are the layout's and
its rows are exactly those derived from the parent table beside it, in any order (a partitioned
folder groups rows by its key). Both sides are read batch by batch and reduced to an order-free
digest (the sum of a 64-bit hash per row), so memory stays flat however large the tables are.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from ..registry import LINK_TABLES
from ..report import IssueCode
from ..tables import link_batch, link_schema
from .tabular import compatible_type, partition_array

if TYPE_CHECKING:
    import pyarrow as pa

    from .core import Run
    from .discover import Input

__all__ = ["check_link_tables"]

_MASK = (1 << 64) - 1


def _batches(item: Input, columns: list[str], types: pa.Schema) -> Iterator[pa.RecordBatch]:
    """The file's batches with ``columns``, partition values added as columns of the layout's types."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    constants = {key: value for key, value in item.partitions if key in columns}
    read = [column for column in columns if column not in constants]
    for batch in pq.ParquetFile(item.path).iter_batches(columns=read, use_threads=False):
        arrays = [
            partition_array(constants[column], types.field(column).type, batch.num_rows)
            if column in constants
            else batch.column(column)
            for column in columns
        ]
        yield pa.RecordBatch.from_arrays(arrays, names=columns)


def _digest(batches: Iterator[pa.RecordBatch]) -> tuple[int, int]:
    """Rows and an order-free digest of their values (dictionary-encoded and plain text alike)."""
    rows = total = 0
    for batch in batches:
        for row in zip(*(column.to_pylist() for column in batch.columns), strict=True):
            total = (total + hash(repr(row))) & _MASK
            rows += 1
    return rows, total


def _derived(parents: Sequence[Input], name: str) -> Iterator[pa.RecordBatch]:
    from ..tables import arrow_schema

    link = LINK_TABLES[name]
    layout = arrow_schema(link.parent)
    for item in parents:
        for batch in _batches(item, ["id", link.field], layout):
            yield link_batch(batch, name)


def check_link_tables(run: Run, inputs: Sequence[Input]) -> None:
    """Check each link table among ``inputs`` against its parent table among them."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    names = sorted({item.link for item in inputs if item.link is not None})
    for name in names:
        files = [item for item in inputs if item.link == name]
        parents = [
            item for item in inputs if item.table == LINK_TABLES[name].parent and item.format == "parquet"
        ]
        expected = link_schema(name)
        usable = True
        for item in files:
            run.file_index(item.name)
            try:
                schema = pq.read_schema(item.path)
            except (OSError, pa.ArrowException) as exc:
                run.issue(IssueCode.invalid_parquet, file=item.name, note=exc)
                usable = False
                continue
            present = set(schema.names) | {key for key, _ in item.partitions}
            for field in expected:
                if field.name not in present:
                    run.issue(
                        IssueCode.missing_column,
                        column=field.name,
                        file=item.name,
                        path=field.name,
                    )
                    usable = False
                    continue
                actual = schema.field(field.name).type if field.name in schema.names else field.type
                if not compatible_type(actual, field.type):
                    run.issue(
                        IssueCode.column_type,
                        column=field.name,
                        actual=actual,
                        expected=field.type,
                        file=item.name,
                        path=field.name,
                    )
                    usable = False
            for column in schema.names:
                if expected.get_field_index(column) < 0:
                    run.issue(
                        IssueCode.unknown_column,
                        column=column,
                        table=name,
                        file=item.name,
                        path=column,
                    )
                    usable = False
        if not usable:
            continue
        if not parents:
            run.report.notes.append(
                f"{files[0].name}: link table {name} not compared with its rows: "
                f"{LINK_TABLES[name].parent} was not given as Parquet"
            )
            continue
        columns = expected.names
        found = _digest(batch for item in files for batch in _batches(item, columns, expected))
        derived = _digest(_derived(parents, name))
        if found != derived:
            run.issue(
                IssueCode.link_table_mismatch,
                table=name,
                rows=found[0],
                derived=derived[0],
                parent=f"{LINK_TABLES[name].parent}.{LINK_TABLES[name].field}",
                file=files[0].name,
            )
