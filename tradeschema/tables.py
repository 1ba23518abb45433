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
from dataclasses import dataclass
from functools import cache
from typing import Any, Union

import pyarrow as pa
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .dates import PARTIAL_DATE_PATTERN
from .registry import model_for_table

__all__ = [
    "DATE_SUFFIX",
    "PRECISION_SUFFIX",
    "FieldKind",
    "FieldSpec",
    "arrow_schema",
    "field_specs",
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
    return _spec(name, info.annotation, list(info.metadata), never_null, info.description)


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
