"""Derived flat tables: one row per item of a list field, so analysts join instead of unnesting.

The record tables hold lists (``measures.targets``, ``statements.about``, ``negotiations.rounds``)
and are the canonical, lossless form. Every engine can unnest a list, but each spells it differently
(DuckDB ``unnest``, polars ``explode``, pandas ``explode`` on Arrow lists), so the everyday joins
("statements about a measure that targets China") would read differently everywhere. A link table
makes each of them a plain join. Link tables are derived from the record tables and never read
back: they are regenerated on every export.

Which link tables exist follows from the models: one per list of references in
:data:`tradeschema.integrity.REFERENCE_FIELDS`, plus ``rounds`` for the rounds of negotiations.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import cast

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..integrity import REFERENCE_FIELDS
from ..tables import FieldKind, arrow_schema, field_specs, model_for_table

__all__ = ["LINK_TABLES", "LinkTable", "link_batch", "link_schema", "links_of"]


@dataclass(frozen=True)
class LinkTable:
    """A derived table: one row per item of the list ``field`` of the records in ``parent``."""

    name: str
    """Table (and file) name."""
    parent: str
    """The record table the rows come from."""
    field: str
    """The list field that is flattened."""
    parent_column: str
    """Column holding the parent record's id."""
    value_column: str | None
    """Column holding the item, for a list of ids; ``None`` when the items are records (their fields
    become columns)."""
    description: str


_SINGULAR = {"sources": "source", "parties": "party", "negotiations": "negotiation", "measures": "measure"}
_SINGULAR["statements"] = "statement"
# Column names for the items of each list of references.
_VALUE_COLUMN = {"about": "about_id", "targets": "target_id", "parties": "party_id", "measures": "measure_id"}


def _derive_link_tables() -> dict[str, LinkTable]:
    tables: dict[str, LinkTable] = {}
    for parent, references in REFERENCE_FIELDS.items():
        specs = {spec.name: spec for spec in field_specs(model_for_table(parent))}
        for name in references:
            if specs[name].kind is not FieldKind.list:
                continue
            link = f"{_SINGULAR[parent]}_{name}"
            tables[link] = LinkTable(
                link,
                parent,
                name,
                f"{_SINGULAR[parent]}_id",
                _VALUE_COLUMN[name],
                f"One row per item of {parent}.{name} (derived).",
            )
    tables["rounds"] = LinkTable(
        "rounds",
        "negotiations",
        "rounds",
        "negotiation_id",
        None,
        "One row per round of a negotiation, with the round's fields (derived).",
    )
    return tables


LINK_TABLES: dict[str, LinkTable] = _derive_link_tables()
"""The derived tables by name."""


def links_of(table: str) -> list[LinkTable]:
    """The link tables derived from a record table."""
    return [link for link in LINK_TABLES.values() if link.parent == table]


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
