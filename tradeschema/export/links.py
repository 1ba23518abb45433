"""Derived flat tables: one row per item of a list field, so analysts join instead of unnesting.

The record tables hold lists (``measures.targets``, ``statements.about``, ``negotiations.rounds``)
and are the canonical, lossless form. Every engine can unnest a list, but each spells it differently
(DuckDB ``unnest``, polars ``explode``, pandas ``explode`` on Arrow lists), so the everyday joins
("statements about a measure that targets China") would read differently everywhere. A link table
makes each of them a plain join. Link tables are derived from the record tables and never read
back: they are regenerated on every export.

Which link tables exist follows from the models: one per list of references in
the record types of :mod:`tradeschema.registry`, plus ``rounds`` for the rounds of negotiations.
"""

from __future__ import annotations

from functools import cache
from typing import cast

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..registry import LINK_TABLES
from ..tables import arrow_schema

__all__ = ["link_batch", "link_schema"]


@cache
def link_schema(name: str) -> pa.Schema:
    """The Arrow schema of a link table."""
    link = LINK_TABLES[name]
    parent = arrow_schema(link.parent)
    list_type = parent.field(link.field).type
    head = [
        pa.field(link.parent_column, pa.string(), nullable=False),
        pa.field(
            "position", pa.int32(), nullable=False, metadata={"description": "Index in the list, from 0."}
        ),
    ]
    item = list_type.value_field
    if link.value_column is not None:
        return pa.schema([*head, pa.field(link.value_column, item.type, nullable=False)])
    return pa.schema([*head, *(item.type.field(i) for i in range(item.type.num_fields))])


def link_batch(batch: pa.RecordBatch, name: str) -> pa.RecordBatch:
    """The rows of link table ``name`` for a batch of its parent table (in the layout of tables.py)."""
    link = LINK_TABLES[name]
    lists = cast(pa.ListArray, batch.column(link.field))
    parents = pc.list_parent_indices(lists)
    items = lists.flatten()
    offsets = lists.offsets.to_numpy()
    # Position of each item in its list: its index in the flattened values minus its list's start.
    positions = np.arange(len(items), dtype=np.int64) + offsets[0] - offsets[parents.to_numpy()]
    columns = [batch.column("id").take(parents), pa.array(positions.astype(np.int32), pa.int32())]
    if link.value_column is not None:
        columns.append(items)
    else:
        columns.extend(cast(pa.StructArray, items).flatten())
    return pa.RecordBatch.from_arrays(columns, schema=link_schema(name))
