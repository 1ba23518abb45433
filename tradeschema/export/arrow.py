"""Records to Arrow and back, in the layout of :mod:`tradeschema.tables`.

Arrow columns are built from JSON, not from ``model_dump()`` dicts: each record is serialised by
pydantic's Rust serializer (canonical JSON, model field order), and ``pyarrow.json`` parses the
lines against an explicit schema derived from the models. That keeps Python work per record to one
serializer call, and the parse runs outside the GIL.

The JSON read schema is the table layout *before* derivation: vocabularies are plain strings (the
JSON reader cannot produce dictionaries) and the derived ``<f>_date`` / ``<f>_precision`` columns are
absent. :func:`batch_from_json` then encodes vocabularies and adds the derived columns, walking the
field specs so nested records (a round's ``start``) get them too.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from typing import Any, cast

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pa_json
from pydantic import BaseModel

from ..errors import ExportError
from ..models import Record
from ..registry import model_for_table
from ..tables import FieldKind, FieldSpec, arrow_schema, derive_dates, field_specs

__all__ = [
    "Rows",
    "batch_from_json",
    "batch_from_lines",
    "batch_from_records",
    "json_read_schema",
    "parse_lines",
    "record_json",
    "records_from_batch",
]

# Parse blocks of this size in parallel; a batch of 64k small records is a few blocks.
_JSON_BLOCK_SIZE = 4 << 20


def _json_type(spec: FieldSpec, absent_ok: bool = False) -> pa.DataType:
    if spec.kind is FieldKind.list:
        assert spec.item is not None
        return pa.list_(pa.field("item", _json_type(spec.item, absent_ok), nullable=False))
    if spec.kind is FieldKind.model:
        assert spec.model is not None
        return pa.struct(list(_json_fields(spec.model, absent_ok)))
    return {
        FieldKind.string: pa.string(),
        FieldKind.partial_date: pa.string(),
        FieldKind.vocabulary: pa.string(),
        FieldKind.integer: pa.int64(),
        FieldKind.number: pa.float64(),
        FieldKind.boolean: pa.bool_(),
    }[spec.kind]


def _json_fields(model: type[BaseModel], absent_ok: bool = False) -> Iterator[pa.Field]:
    for spec in field_specs(model):
        yield pa.field(spec.name, _json_type(spec, absent_ok), nullable=absent_ok or not spec.required)


@cache
def json_read_schema(table: str) -> pa.Schema:
    """The schema ``table``'s records are parsed from JSON with: model fields only, vocabularies as text."""
    return pa.schema(list(_json_fields(model_for_table(table))))


@cache
def _input_read_schema(table: str) -> pa.Schema:
    """:func:`json_read_schema` with every field nullable: valid input lines may leave out fields that
    have a default (``about``, ``evidence``); the layout turns those absent lists into ``[]``."""
    return pa.schema(list(_json_fields(model_for_table(table), absent_ok=True)))


def record_json(record: BaseModel) -> bytes:
    """A record as canonical compact JSON: every field, in model order, UTF-8."""
    return record.__pydantic_serializer__.to_json(record)


def _to_layout(values: pa.Array, spec: FieldSpec, target: pa.DataType) -> pa.Array:
    """Convert one parsed JSON array to its layout type, recursing into lists and structs."""
    if spec.kind is FieldKind.vocabulary:
        return pc.dictionary_encode(values).cast(target)
    if spec.kind is FieldKind.model:
        assert spec.model is not None
        return _struct_to_layout(cast(pa.StructArray, values), spec.model, target)
    if spec.kind is FieldKind.list:
        assert spec.item is not None
        lists = cast(pa.ListArray, values)
        items = _to_layout(lists.flatten(), spec.item, target.value_type)
        if not lists.null_count:
            # `offsets` ignores a slice's offset while `flatten()` honours it; rebase the offsets to 0.
            offsets = pc.subtract(lists.offsets, lists.offsets[0])
            return pa.ListArray.from_arrays(offsets, items, type=target)
        # `flatten()` skips what null entries span, so offsets are rebuilt from the lengths.
        lengths = pc.fill_null(pc.list_value_length(lists), 0)
        offsets = pa.concat_arrays([pa.array([0], pa.int32()), pc.cumulative_sum(lengths).cast(pa.int32())])
        # A list field that never holds null (default `[]`) was absent from the input: it is `[]`.
        mask = None if spec.required else lists.is_null()
        return pa.ListArray.from_arrays(offsets, items, type=target, mask=mask)
    return values if values.type == target else values.cast(target)


def _layout_children(
    columns: Sequence[pa.Array], model: type[BaseModel], targets: Sequence[pa.Field]
) -> list[pa.Array]:
    by_name = {field.name: field for field in targets}
    children: list[pa.Array] = []
    for spec, column in zip(field_specs(model), columns, strict=True):
        children.append(_to_layout(column, spec, by_name[spec.name].type))
        if spec.kind is FieldKind.partial_date:
            children.extend(derive_dates(column))
    return children


def _struct_to_layout(values: pa.StructArray, model: type[BaseModel], target: pa.DataType) -> pa.Array:
    fields = [target.field(i) for i in range(target.num_fields)]
    columns = [values.field(spec.name) for spec in field_specs(model)]
    children = _layout_children(columns, model, fields)
    mask = values.is_null() if values.null_count else None
    return pa.StructArray.from_arrays(children, fields=fields, mask=mask)


def batch_from_json(lines: bytes, table: str) -> pa.RecordBatch:
    """A record batch in the layout of ``table`` from canonical JSON Lines (see :func:`record_json`).

    The lines must hold valid records of the table's model; validation happens before this step.
    """
    schema = arrow_schema(table)
    read_schema = json_read_schema(table)
    if not lines.strip():
        return pa.RecordBatch.from_pylist([], schema=schema)
    try:
        parsed = pa_json.read_json(
            io.BytesIO(lines),
            read_options=pa_json.ReadOptions(block_size=_JSON_BLOCK_SIZE),
            parse_options=pa_json.ParseOptions(
                explicit_schema=read_schema, unexpected_field_behavior="error"
            ),
        )
    except pa.ArrowInvalid as exc:
        # Values the models accept but Arrow cannot hold (an integer beyond int64) end up here.
        raise ExportError(f"cannot convert {table} to Arrow: {exc}") from exc
    return _batch_from_table(parsed, table)


def parse_lines(lines: bytes, table: str) -> pa.Table | None:
    """``lines`` of ``table`` records as ``pyarrow.json`` reads them, strictly: model fields only, each
    of its JSON type, every field nullable (an absent field and a null are both null here). ``None``
    when the reader refuses the block: a repeated key, a wrong type, ``5.0`` for an integer, a line
    that is not an object, text that is not JSON or not UTF-8.
    """
    try:
        # One thread: a streamed export already keeps both cores busy, and more threads than cores
        # only add switching.
        return pa_json.read_json(
            io.BytesIO(lines),
            read_options=pa_json.ReadOptions(block_size=_JSON_BLOCK_SIZE, use_threads=False),
            parse_options=pa_json.ParseOptions(
                explicit_schema=_input_read_schema(table), unexpected_field_behavior="error"
            ),
        )
    except pa.ArrowInvalid:
        return None


def batch_from_lines(lines: bytes, table: str, parsed: pa.Table | None = None) -> pa.RecordBatch:
    """A record batch in the layout of ``table`` from JSON Lines that passed validation as they are.

    Unlike :func:`batch_from_json` the lines need not be canonical: fields with a default may be left
    out, keys may come in any order. ``parsed`` is what :func:`parse_lines` gave for them, when
    already known. A block ``pyarrow.json`` refuses although the models accept it (``5.0`` for an
    integer) goes through the models instead, line by line; a line the models reject raises
    :class:`pydantic.ValidationError`.
    """
    if not lines or lines.isspace():
        return pa.RecordBatch.from_pylist([], schema=arrow_schema(table))
    if parsed is None:
        parsed = parse_lines(lines, table)
    if parsed is None:
        validate = model_for_table(table).model_validate_json
        canonical = [record_json(validate(line)) for line in lines.split(b"\n") if line.strip()]
        return batch_from_json(b"\n".join(canonical), table)
    return _batch_from_table(parsed, table)


def _batch_from_table(parsed: pa.Table, table: str) -> pa.RecordBatch:
    schema = arrow_schema(table)
    # One chunk per column, so the children below line up row for row.
    columns = [column.combine_chunks() for column in parsed.columns]
    children = _layout_children(columns, model_for_table(table), list(schema))
    return pa.RecordBatch.from_arrays(children, schema=schema)


def batch_from_records(records: Iterable[Record], table: str) -> pa.RecordBatch:
    """A record batch in the layout of ``table`` from record models."""
    return batch_from_json(b"\n".join(record_json(record) for record in records), table)


def records_from_batch(batch: pa.RecordBatch | pa.Table, table: str) -> Iterator[Record]:
    """The records held in a batch in the layout of ``table`` (derived columns are ignored)."""
    model = model_for_table(table)
    read_schema = json_read_schema(table)
    # Casting to the read schema drops derived fields (also inside structs) and decodes dictionaries.
    plain = batch.select(read_schema.names).cast(read_schema)
    validate: Any = model.model_validate
    for row in plain.to_pylist():
        yield validate(row)


class Rows:
    """A block of records of one table: their JSON Lines and, when asked for, their Arrow batch.

    ``canonical`` lines are the exporter's own serialisation (:func:`~.arrow.record_json`); others
    are input lines, which may leave out defaults and order keys freely: for those, :attr:`parsed`
    is the block as ``pyarrow.json`` reads it. Both are built once, by the first to ask.
    """

    def __init__(self, table: str, lines: bytes, *, canonical: bool) -> None:
        self.table = table
        self.lines = lines
        """Whole lines, each ending in ``\\n``."""
        self.canonical = canonical
        self._parsed: pa.Table | None = None
        self._parse_tried = False
        self._batch: pa.RecordBatch | None = None
        # Writers on several threads ask for the batch: the first builds it, the others wait for it.
        self._building = threading.Lock()

    @property
    def parsed(self) -> pa.Table | None:
        """Input lines as :func:`parse_lines` reads them (``None`` when it refuses them), read once;
        ``None`` for canonical lines."""
        with self._building:
            return self._parse()

    def _parse(self) -> pa.Table | None:
        if not self._parse_tried and not self.canonical:
            self._parse_tried = True
            self._parsed = parse_lines(self.lines, self.table)
        return self._parsed

    @property
    def batch(self) -> pa.RecordBatch:
        """The records in the table layout (see :mod:`tradeschema.tables`), built once."""
        with self._building:
            if self._batch is None:
                if self.canonical:
                    self._batch = batch_from_json(self.lines, self.table)
                else:
                    self._batch = batch_from_lines(self.lines, self.table, self._parse())
            return self._batch
