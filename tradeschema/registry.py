"""The record types of a dataset, in one place: names, tables, models, references and link tables.

Every part of tradeschema that needs to know which records exist asks this module: the validator
(which table a file holds), the exporter (which files to write), integrity (what a reference may
name), curation, the schema writer. A record type has a singular name (``statement``, as in its JSON
Schema's file name) and a table name (``statements``: the Dataset list, the JSON Lines file, the
Parquet table); every function that takes one accepts the other.

The link tables of an export (``statement_about``, ``rounds``, ...) are derived here from the record
types' list fields, so they too have one home. This module imports the models only, never pyarrow.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from dataclasses import dataclass, field

from .errors import UsageError
from .models import Measure, Negotiation, Party, Record, Source, Statement

__all__ = [
    "LINK_TABLES",
    "RECORD_TYPES",
    "TABLE_NAMES",
    "LinkTable",
    "RecordType",
    "links_of",
    "model_for_table",
    "record_type",
    "table_for_name",
]


@dataclass(frozen=True)
class RecordType:
    """One kind of record: its names, its model and the references it holds."""

    name: str
    """Singular name (``statement``): the record's JSON Schema is ``<name>.schema.json``."""
    table: str
    """Table name (``statements``): the Dataset list, the JSON Lines file and the Parquet table."""
    model: type[Record]
    """The pydantic model of one record."""
    references: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Reference fields and the tables a reference may name (a span's ``source_id`` always names a
    source, and is not listed)."""


_TYPES: tuple[RecordType, ...] = (
    RecordType("source", "sources", Source),
    RecordType("party", "parties", Party, {"affiliation": ("parties",)}),
    RecordType(
        "negotiation", "negotiations", Negotiation, {"parties": ("parties",), "measures": ("measures",)}
    ),
    RecordType("measure", "measures", Measure, {"imposed_by": ("parties",), "targets": ("parties",)}),
    RecordType(
        "statement",
        "statements",
        Statement,
        {
            "speaker": ("parties",),
            "reported_by": ("parties",),
            "via": ("parties",),
            "about": ("measures", "negotiations"),
        },
    ),
)

RECORD_TYPES: Mapping[str, RecordType] = {kind.name: kind for kind in _TYPES}
"""The record types by singular name, in the order of a dataset's lists."""
TABLE_NAMES: tuple[str, ...] = tuple(kind.table for kind in _TYPES)
"""The record tables, in dataset order (sources first, so spans can be checked as records arrive)."""
_BY_TABLE: Mapping[str, RecordType] = {kind.table: kind for kind in _TYPES}


def record_type(name: str) -> RecordType:
    """The record type named ``name``: singular or table name, any case (``statement``, ``Statements``).

    Raises :class:`~tradeschema.errors.UsageError` listing the choices for an unknown name.
    """
    key = name.strip().lower()
    found = RECORD_TYPES.get(key) or _BY_TABLE.get(key)
    if found is None:
        choices = ", ".join(f"{kind.name} ({kind.table})" for kind in _TYPES)
        raise UsageError(f"unknown record type {name!r}; choose one of {choices}")
    return found


def table_for_name(name: str) -> str:
    """The table of a record type given by either name; raises :class:`UsageError` when unknown."""
    return record_type(name).table


def model_for_table(table: str) -> type[Record]:
    """The model of the records in ``table`` (either name accepted)."""
    return record_type(table).model


@dataclass(frozen=True)
class LinkTable:
    """A derived table of an export: one row per item of the list ``field`` of the records in ``parent``."""

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
    """What a row is."""


# Column names for the items of each list of references.
_VALUE_COLUMN = {"about": "about_id", "targets": "target_id", "parties": "party_id", "measures": "measure_id"}


def _is_list(model: type[Record], name: str) -> bool:
    return typing.get_origin(model.model_fields[name].annotation) is list


def _derive_link_tables() -> dict[str, LinkTable]:
    tables: dict[str, LinkTable] = {}
    for kind in _TYPES:
        for name in kind.references:
            if not _is_list(kind.model, name):
                continue
            link = f"{kind.name}_{name}"
            tables[link] = LinkTable(
                link,
                kind.table,
                name,
                f"{kind.name}_id",
                _VALUE_COLUMN[name],
                f"One row per item of {kind.table}.{name} (derived).",
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


LINK_TABLES: Mapping[str, LinkTable] = _derive_link_tables()
"""The derived link tables of an export, by name: one per list of references, plus ``rounds``."""


def links_of(table: str) -> list[LinkTable]:
    """The link tables derived from a record table."""
    return [link for link in LINK_TABLES.values() if link.parent == table]
