"""The Arrow (Parquet) layout of each record type, derived from the models.

One table per record type (``sources``, ``parties``, ``negotiations``, ``measures``, ``statements``),
one column per model field, in model order, so a table row and a JSON Lines line hold the same record.
Types are explicit, never inferred:

- strings are ``string``; ids and references are ``string`` too;
- closed vocabularies (enums, country and language codes) are ``dictionary<int32, string>``;
- integers are ``int64``, numbers ``float64``;
- lists are ``list<...>`` and nested records ``struct<...>``, so a record round-trips without joins;
- a partial date field ``f`` is stored as written in ``f`` (``string``) and is followed by two derived
  columns for analysis: ``f_date`` (``date32``, the first day the date covers) and ``f_precision``
  (``dictionary``: year, month, week or day). Inside structs (a round's ``start``) the same applies.

Required fields are non-nullable; optional fields are nullable. Each field carries its description
from the model in the Arrow field metadata under ``description``.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from functools import cache, lru_cache
from typing import Any, Union, cast

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .dates import PARTIAL_DATE_PATTERN, DatePrecision, parse_partial_date
from .registry import LINK_TABLES, model_for_table

__all__ = [
    "DATE_SUFFIX",
    "PRECISION_SUFFIX",
    "FieldKind",
    "FieldSpec",
    "arrow_schema",
    "derive_dates",
    "field_specs",
    "link_batch",
    "link_schema",
]

DATE_SUFFIX = "_date"
"""Suffix of the derived ``date32`` column of a partial date field."""
PRECISION_SUFFIX = "_precision"
"""Suffix of the derived precision column of a partial date field."""

_DICTIONARY = pa.dictionary(pa.int32(), pa.string())


class FieldKind(enum.Enum):
    """The shape of a model field, as far as the table layout is concerned."""

    string = "string"
    vocabulary = "vocabulary"
    partial_date = "partial_date"
    integer = "integer"
    number = "number"
    boolean = "boolean"
    model = "model"
    list = "list"


@dataclass(frozen=True)
class FieldSpec:
    """A model field (or list item) described for the table layout."""

    name: str
    """Field name (column name at the top level)."""
    kind: FieldKind
    """Shape of the value."""
    required: bool
    """True when the field must be present and non-null."""
    description: str | None = None
    """The field's docstring."""
    item: FieldSpec | None = None
    """For a list: the item's spec."""
    model: type[BaseModel] | None = None
    """For a nested record: its model."""
    vocabulary: type[enum.Enum] | None = None
    """For a vocabulary: its enum."""
    absent_is_null: bool = False
    """True when leaving the field out is the same, to the model, as giving it null: it takes null and
    defaults to it. (A reader that makes an absent field null, as Arrow's JSON reader does, loses
    nothing only for such a field.)"""


def _strip_optional(annotation: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(args) == 1:
            return args[0], True
        raise TypeError(f"unions other than Optional have no table layout: {annotation!r}")
    return annotation, False


def _is_partial_date(metadata: list[Any]) -> bool:
    return any(getattr(item, "pattern", None) == PARTIAL_DATE_PATTERN for item in metadata)


def _spec(
    name: str, annotation: Any, metadata: list[Any], required: bool, description: str | None
) -> FieldSpec:
    annotation, optional = _strip_optional(annotation)
    required = required and not optional
    if typing.get_origin(annotation) is typing.Annotated:
        base, *extra = typing.get_args(annotation)
        return _spec(name, base, [*metadata, *extra], required, description)
    if typing.get_origin(annotation) is list:
        (item_type,) = typing.get_args(annotation)
        item = _spec("item", item_type, [], True, None)
        return FieldSpec(name, FieldKind.list, required, description, item=item)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return FieldSpec(name, FieldKind.vocabulary, required, description, vocabulary=annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return FieldSpec(name, FieldKind.model, required, description, model=annotation)
    if annotation is str:
        kind = FieldKind.partial_date if _is_partial_date(metadata) else FieldKind.string
        return FieldSpec(name, kind, required, description)
    simple = {int: FieldKind.integer, float: FieldKind.number, bool: FieldKind.boolean}
    if annotation in simple:
        return FieldSpec(name, simple[annotation], required, description)
    raise TypeError(f"field {name!r} has a type with no table layout: {annotation!r}")


def _field_spec(name: str, info: FieldInfo) -> FieldSpec:
    # A field defaulting to None is nullable; one defaulting to [] may be absent but is never null.
    never_null = info.is_required() or info.default is not None
    spec = _spec(name, info.annotation, list(info.metadata), never_null, info.description)
    takes_null = _strip_optional(info.annotation)[1]
    return replace(spec, absent_is_null=takes_null and not never_null)


@cache
def field_specs(model: type[BaseModel]) -> tuple[FieldSpec, ...]:
    """The layout-relevant description of each field of a model, in model order."""
    return tuple(_field_spec(name, info) for name, info in model.model_fields.items())


def _arrow_type(spec: FieldSpec) -> pa.DataType:
    if spec.kind is FieldKind.list:
        assert spec.item is not None
        return pa.list_(_arrow_item_field(spec.item))
    if spec.kind is FieldKind.model:
        assert spec.model is not None
        return pa.struct(list(_arrow_fields(spec.model)))
    return {
        FieldKind.string: pa.string(),
        FieldKind.partial_date: pa.string(),
        FieldKind.vocabulary: _DICTIONARY,
        FieldKind.integer: pa.int64(),
        FieldKind.number: pa.float64(),
        FieldKind.boolean: pa.bool_(),
    }[spec.kind]


def _arrow_item_field(spec: FieldSpec) -> pa.Field:
    return pa.field("item", _arrow_type(spec), nullable=False)


def _arrow_fields(model: type[BaseModel]) -> Iterator[pa.Field]:
    for spec in field_specs(model):
        metadata = {"description": spec.description} if spec.description else None
        yield pa.field(spec.name, _arrow_type(spec), nullable=not spec.required, metadata=metadata)
        if spec.kind is FieldKind.partial_date:
            yield pa.field(
                spec.name + DATE_SUFFIX,
                pa.date32(),
                nullable=not spec.required,
                metadata={"description": f"First day covered by {spec.name} (derived)."},
            )
            yield pa.field(
                spec.name + PRECISION_SUFFIX,
                _DICTIONARY,
                nullable=not spec.required,
                metadata={"description": f"Precision of {spec.name}: year, month, week or day (derived)."},
            )


@cache
def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of a table (``parties``, ``measures``, ...), derived from its model."""
    return pa.schema(list(_arrow_fields(model_for_table(table))))


# ---------------------------------------------------------------------- derived link tables
# One row per item of a list field, so analysts join instead of unnesting. The record tables hold
# the lists and are the canonical, lossless form; every engine unnests differently (DuckDB `unnest`,
# polars and pandas `explode`), so the everyday joins would read differently everywhere. Link
# tables are derived from the record tables (`tradeschema.registry.LINK_TABLES`) on every export.


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


# ---------------------------------------------------------------------- derived date columns

_PRECISIONS: tuple[str, ...] = tuple(str(p) for p in DatePrecision)
_PRECISION_INDEX = {name: index for index, name in enumerate(_PRECISIONS)}


@cache
def _precision_dictionary() -> pa.Array:
    # Built on first use: pyarrow imports pandas (when installed) the first time it converts a
    # Python sequence, a fifth of a second that a process validating JSON Lines never needs.
    return pa.array(_PRECISIONS, pa.string())


@lru_cache(maxsize=1 << 16)
def _date_parts(value: str) -> tuple[date, int]:
    """First day and precision index of a partial date; cached, as batches repeat the same dates."""
    parsed = parse_partial_date(value)
    return parsed.first, _PRECISION_INDEX[str(parsed.precision)]


def derive_dates(values: pa.Array) -> tuple[pa.Array, pa.Array]:
    """The ``_date`` and ``_precision`` arrays of a partial-date string array.

    Dates repeat a lot, so each distinct value is parsed once in Python and the results are taken
    back out by index.
    """
    encoded = cast(pa.DictionaryArray, pc.dictionary_encode(values))
    distinct = [_date_parts(v) for v in encoded.dictionary.to_pylist()]
    firsts = pa.array([first for first, _ in distinct], pa.date32())
    precisions = pa.array([precision for _, precision in distinct], pa.int32())
    dates = firsts.take(encoded.indices)
    precision = pa.DictionaryArray.from_arrays(precisions.take(encoded.indices), _precision_dictionary())
    return dates, precision
