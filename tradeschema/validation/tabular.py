"""Checks shared by the table formats (Parquet, CSV): layout, vectorised flags, per-row fallback.

A batch is checked in two steps:

1. vectorised, on Arrow arrays: every rule of the record's JSON Schema (read from the shipped schema,
   so nothing is typed twice) becomes a boolean "suspect" mask: nulls in required fields, ``is_in`` on
   vocabularies, patterns (RE2 where the pattern translates exactly, else Python ``re`` on the unique
   values only), string lengths, number ranges, NaN, and the same inside lists and structs through
   list parent indices. A rule the translator does not know flags every row it applies to, so the
   mask is always a superset of the failing rows;
2. only suspect rows become Python dicts and go through the model, which locates each failure
   exactly. Rows that are not suspect feed the integrity state straight from the arrays.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..registry import model_for_table, record_type
from ..report import IssueCode, format_path
from ..schema import load_schema
from ..tables import DATE_SUFFIX, PRECISION_SUFFIX, FieldKind, arrow_schema, derive_dates, field_specs
from .core import Run
from .integrity import ROW

if TYPE_CHECKING:
    from ..models import Record

__all__ = [
    "PER_ROW_TABLES",
    "add_integrity",
    "check_derived_dates",
    "check_layout",
    "compatible_type",
    "conform",
    "derived_columns",
    "partition_array",
    "record_columns",
    "record_from_row",
    "suspect_rows",
    "validate_batch",
    "with_partitions",
]

# Schema keywords the translator handles; any other keyword makes its values suspect.
_KNOWN = frozenset(
    {
        "type",
        "pattern",
        "minLength",
        "minimum",
        "maximum",
        "enum",
        "items",
        "properties",
        "required",
        "additionalProperties",
        "anyOf",
        "$ref",
        "default",
        "description",
        "title",
        "$comment",
    }
)
# Whole-table tables: few rows, but rules (hashes, round dates) easiest read from models.
PER_ROW_TABLES = frozenset({"sources", "negotiations"})


def record_columns(table: str) -> list[str]:
    """Top-level record fields of a table (the derived date columns excluded)."""
    return [spec.name for spec in field_specs(model_for_table(table))]


def derived_columns(table: str) -> set[str]:
    """Names of the derived ``<f>_date`` / ``<f>_precision`` columns of a table."""
    return {
        spec.name + suffix
        for spec in field_specs(model_for_table(table))
        if spec.kind is FieldKind.partial_date
        for suffix in (DATE_SUFFIX, PRECISION_SUFFIX)
    }


def compatible_type(  # noqa: PLR0911  # one answer per Arrow type family
    actual: pa.DataType, expected: pa.DataType
) -> bool:
    """True when a column of type ``actual`` casts losslessly to the layout's ``expected`` type."""
    if pa.types.is_dictionary(actual):
        actual = actual.value_type
    if pa.types.is_dictionary(expected):
        expected = expected.value_type
    if pa.types.is_null(actual):
        return True
    if pa.types.is_string(expected) or pa.types.is_large_string(expected):
        return bool(pa.types.is_string(actual) or pa.types.is_large_string(actual))
    if pa.types.is_integer(expected):
        return bool(pa.types.is_integer(actual))
    if pa.types.is_floating(expected):
        return bool(pa.types.is_floating(actual) or pa.types.is_integer(actual))
    if pa.types.is_boolean(expected):
        return bool(pa.types.is_boolean(actual))
    if pa.types.is_date(expected):
        return bool(pa.types.is_date(actual) or pa.types.is_timestamp(actual))
    if pa.types.is_list(expected):
        return (pa.types.is_list(actual) or pa.types.is_large_list(actual)) and compatible_type(
            actual.value_type, expected.value_type
        )
    if pa.types.is_struct(expected):
        if not pa.types.is_struct(actual):
            return False
        names = [actual.field(i).name for i in range(actual.num_fields)]
        if set(names) - {expected.field(i).name for i in range(expected.num_fields)}:
            return False
        return all(
            compatible_type(actual.field(names.index(f.name)).type, f.type) if f.name in names else f.nullable
            for f in (expected.field(i) for i in range(expected.num_fields))
        )
    return bool(actual == expected)


def check_layout(
    run: Run,
    schema: pa.Schema,
    table: str,
    name: str,
    partition_columns: Collection[str] = frozenset(),
) -> list[str] | None:
    """Compare a file's columns with the layout; returns the record columns to read, or None if unusable."""
    expected = arrow_schema(table)
    derived = derived_columns(table)
    fields = {spec.name: spec for spec in field_specs(model_for_table(table))}
    usable = True
    columns: list[str] = []
    for column in schema.names:
        if column in partition_columns:
            continue
        if column not in fields and column not in derived:
            run.issue(
                IssueCode.unknown_column,
                column=column,
                table=table,
                file=name,
                path=column,
            )
            usable = False
            continue
        actual_type = schema.field(column).type
        if not compatible_type(actual_type, expected.field(column).type):
            run.issue(
                IssueCode.column_type,
                column=column,
                actual=actual_type,
                expected=expected.field(column).type,
                file=name,
                path=column,
            )
            usable = False
            continue
        if column in fields:
            columns.append(column)
    present = set(schema.names) | set(partition_columns)
    if not required_columns_present(run, table, present, name) or not usable:
        rows_not_checked(run, name)
        return None
    return columns


def required_columns_present(run: Run, table: str, present: set[str], name: str) -> bool:
    """Report each required field of ``table`` without a column; True when none is missing."""
    complete = True
    for field_name, info in model_for_table(table).model_fields.items():
        if info.is_required() and field_name not in present:
            run.issue(
                IssueCode.missing_column,
                column=field_name,
                file=name,
                path=field_name,
            )
            complete = False
    return complete


def rows_not_checked(run: Run, name: str) -> None:
    """Say that a table's rows were skipped because its columns do not fit the layout."""
    run.issue(
        IssueCode.schema_error,
        file=name,
        note="rows were not checked: the columns do not match the table layout",
    )


def partition_array(value: str | None, target: pa.DataType, length: int) -> pa.Array:
    """A hive partition value as a column of ``length`` rows of the layout's type ``target``.

    Folder names hold values as text (``kind=state``, ``start_date=2025-05-01``); the layout's type
    says how to read them back. A value that does not cast stays text, so the model reports it.
    """
    if pa.types.is_dictionary(target):
        target = target.value_type
    text = pa.array([value] * length, pa.string())
    try:
        return text.cast(target)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return text


def check_derived_dates(run: Run, batch: pa.RecordBatch, table: str, *, name: str, first_row: int) -> None:
    """The derived ``f_date`` / ``f_precision`` columns of ``batch`` hold what each partial date ``f`` gives.

    Vectorised: each distinct date is parsed once (see :func:`tradeschema.tables.derive_dates`).
    Rows whose date is itself invalid are left to the schema checks.
    """
    for spec in field_specs(model_for_table(table)):
        if spec.kind is not FieldKind.partial_date or spec.name not in batch.schema.names:
            continue
        values = batch.column(spec.name)
        if pa.types.is_dictionary(values.type):
            values = values.dictionary_decode()
        if values.null_count == len(values):
            expected: tuple[pa.Array, pa.Array] = (
                pa.nulls(len(values), pa.date32()),
                pa.nulls(len(values), pa.string()),
            )
        else:
            try:
                expected = derive_dates(values)
            except ValueError:
                continue  # an impossible date: the schema checks report it
        for suffix, derived in zip((DATE_SUFFIX, PRECISION_SUFFIX), expected, strict=True):
            column = spec.name + suffix
            if column not in batch.schema.names:
                continue
            got = _plain(batch.column(column))
            want = _plain(derived)
            if got.type != want.type:
                got = got.cast(want.type)
            same = pc.fill_null(pc.equal(got, want), False)
            both_null = pc.and_(pc.is_null(got), pc.is_null(want))
            for index in pc.indices_nonzero(pc.invert(pc.or_(same, both_null))).to_pylist():
                run.issue(
                    IssueCode.derived_value_mismatch,
                    column=column,
                    actual=got[index].as_py(),
                    field=spec.name,
                    given=values[index].as_py(),
                    expected=want[index].as_py(),
                    file=name,
                    row=first_row + index,
                    path=column,
                    value=str(got[index].as_py()),
                )


def with_partitions(
    batch: pa.RecordBatch, constants: Sequence[tuple[str, str | None]], layout: pa.Schema
) -> pa.RecordBatch:
    """``batch`` with a column per hive partition value, typed as in ``layout``."""
    for key, value in constants:
        batch = batch.append_column(key, partition_array(value, layout.field(key).type, batch.num_rows))
    return batch


def conform(batch: pa.RecordBatch | pa.Table, columns: list[str], table: str) -> dict[str, pa.Array]:
    """The record columns of a batch, cast to the layout's types (dictionaries decoded to strings)."""
    expected = arrow_schema(table)
    out: dict[str, pa.Array] = {}
    for column in columns:
        array = batch.column(column)
        if isinstance(array, pa.ChunkedArray):
            array = array.combine_chunks()
        target = expected.field(column).type
        if pa.types.is_dictionary(target):
            target = target.value_type
            if pa.types.is_dictionary(array.type):
                # Checks run on the dictionary itself, the cheap way, so keep it encoded.
                out[column] = array.cast(pa.dictionary(array.type.index_type, target))
                continue
        if array.type != target:
            array = array.cast(target)
        out[column] = array
    return out


# ---------------------------------------------------------------------- the JSON Schema as masks


@cache
def _schema(table: str) -> dict[str, Any]:
    return load_schema(record_type(table).name)


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """A node with ``$ref`` followed and ``anyOf [X, null]`` unwrapped; also whether null is allowed."""
    nullable = False
    while True:
        if "$ref" in node:
            target = defs[node["$ref"].rsplit("/", 1)[-1]]
            node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
            continue
        if "anyOf" in node:
            options = node["anyOf"]
            rest = [o for o in options if o != {"type": "null"}]
            if len(rest) == 1 and len(options) == 2:
                nullable = True
                node = {**rest[0], **{k: v for k, v in node.items() if k != "anyOf"}}
                continue
        return node, nullable


@cache
def _re2_pattern(pattern: str) -> str | None:
    """The pattern for RE2 when it means exactly the same (or less), else None."""
    translated = pattern.replace("(?!\\n)$", "$")
    if "(?" in translated.replace("(?:", ""):
        return None
    return translated


def _any(masks: list[pa.Array], length: int) -> pa.Array:
    result = pa.array([False] * length, pa.bool_()) if not masks else masks[0]
    for mask in masks[1:]:
        result = pc.or_(result, mask)
    return result


def _bad_values(  # noqa: PLR0912  # one branch per JSON Schema keyword
    array: pa.Array, node: dict[str, Any], defs: dict[str, Any]
) -> pa.Array:
    """True for each (non-null) value of ``array`` that may break ``node``; nulls are False."""
    if pa.types.is_dictionary(array.type):
        dictionary_bad = _bad_values(array.dictionary, node, defs)
        mask = pc.take(dictionary_bad, array.indices)
        return pc.fill_null(mask, False)
    masks: list[pa.Array] = []
    length = len(array)
    unknown = set(node) - _KNOWN
    if unknown:
        masks.append(pc.is_valid(array))
    kind = node.get("type")
    if kind == "string":
        if "enum" in node:
            masks.append(pc.invert(pc.is_in(array, value_set=pa.array(node["enum"], pa.string()))))
        if "minLength" in node:
            masks.append(pc.less(pc.utf8_length(array), node["minLength"]))
        if "pattern" in node:
            masks.append(_pattern_mask(array, node["pattern"]))
    elif kind in ("integer", "number"):
        if "minimum" in node:
            masks.append(pc.less(array, node["minimum"]))
        if "maximum" in node:
            masks.append(pc.greater(array, node["maximum"]))
        if pa.types.is_floating(array.type):
            masks.append(pc.invert(pc.is_finite(array)))
    elif kind == "array":
        item_node, item_nullable = _resolve(node.get("items", {}), defs)
        values = array.flatten()
        bad = _bad_values(values, item_node, defs)
        if not item_nullable:
            bad = pc.or_(bad, pc.is_null(values))
        parents = pc.filter(pc.list_parent_indices(array), bad)
        # The rows holding a bad item, as a mask (parents are row indexes, so no nulls).
        holding = np.zeros(length, dtype=bool)
        holding[parents.to_numpy(zero_copy_only=False)] = True
        masks.append(pa.array(holding))
    elif kind == "object":
        masks.append(_bad_struct(array, node, defs))
    elif kind != "boolean":
        masks.append(pc.is_valid(array))
    return pc.fill_null(_any(masks, length), False)


def _pattern_mask(array: pa.Array, pattern: str) -> pa.Array:
    re2 = _re2_pattern(pattern)
    if re2 is not None:
        return pc.invert(pc.match_substring_regex(array, re2))
    # Lookarounds: check each distinct value once with Python's `re`, the engine of the schema's
    # reference validator; dates and codes have few distinct values.
    compiled = re.compile(pattern)
    distinct = pc.unique(array).drop_null().to_pylist()
    bad = [value for value in distinct if not compiled.search(value)]
    return pc.is_in(array, value_set=pa.array(bad, pa.string()))


def _bad_struct(array: pa.Array, node: dict[str, Any], defs: dict[str, Any]) -> pa.Array:
    required = set(node.get("required", ()))
    masks = []
    names = {array.type.field(i).name for i in range(array.type.num_fields)}
    for name in required - names:
        del name
        return pc.is_valid(array)
    for name, child_node in node.get("properties", {}).items():
        if name not in names:
            continue
        child = pc.struct_field(array, name)
        resolved, _ = _resolve(child_node, defs)
        bad = _bad_values(child, resolved, defs)
        if name in required:
            bad = pc.or_(bad, pc.is_null(child))
        masks.append(bad)
    return _any(masks, len(array))


def suspect_rows(columns: dict[str, pa.Array], table: str, length: int) -> pa.Array:
    """True for each row that may break the record's JSON Schema (a superset of the failing rows)."""
    schema = _schema(table)
    defs = schema.get("$defs", {})
    required = set(schema.get("required", ()))
    masks = []
    for name, node in schema["properties"].items():
        array = columns.get(name)
        if array is None:
            continue
        resolved, _ = _resolve(node, defs)
        bad = _bad_values(array, resolved, defs)
        if name in required:
            bad = pc.or_(bad, pc.is_null(array))
        masks.append(bad)
    return _any(masks, length)


# ---------------------------------------------------------------------- per-row fallback


def _derived(key: str, siblings: dict[str, Any]) -> bool:
    """True for a derived ``<f>_date`` / ``<f>_precision`` field that stands beside its field ``f``."""
    for suffix in (DATE_SUFFIX, PRECISION_SUFFIX):
        if key.endswith(suffix) and key[: -len(suffix)] in siblings:
            return True
    return False


def record_from_row(value: Any) -> Any:
    """A row as the record it stands for: a null cell is an absent field, and the derived date
    columns of a partial date inside a struct (a round's ``start_date``) are not record fields."""
    if isinstance(value, dict):
        return {k: record_from_row(v) for k, v in value.items() if v is not None and not _derived(k, value)}
    if isinstance(value, list):
        return [record_from_row(v) for v in value]
    return value


def validate_rows(
    run: Run,
    rows: list[dict[str, Any]],
    numbers: list[int],
    model: type[Record],
    *,
    name: str,
    file_index: int,
    lines: Sequence[int | None] | None = None,
    left_out: Sequence[Collection[str]] | None = None,
) -> None:
    """Validate rows one by one through the model; errors are located at row and JSON path.

    ``lines`` gives each row's physical line (CSV) for the issues; ``left_out`` each row's fields the
    reader already reported and left out: errors under them are not reported twice, and a row with
    any is not taken as a record even when the rest of it passes.
    """
    from pydantic import ValidationError

    validate = model.model_validate
    for index, (row, number) in enumerate(zip(rows, numbers, strict=True)):
        line = None if lines is None else lines[index]
        ignore = () if left_out is None else left_out[index]
        record_id = row.get("id") if isinstance(row.get("id"), str) else None
        register = (model.table, (file_index, number, ROW))
        try:
            record = validate(record_from_row(row))
        except ValidationError as exc:
            run.validation_error(
                exc,
                file=name,
                line=line,
                row=number,
                record_id=record_id,
                register=register,
                ignore=ignore,
            )
        except RecursionError:
            run.issue(
                IssueCode.too_deeply_nested,
                what="a cell",
                file=name,
                line=line,
                row=number,
                record_id=record_id,
            )
        else:
            if ignore:
                run.failed_record(record_id, register)
            else:
                run.record(record, (file_index, number, ROW))


def validate_batch(
    run: Run,
    columns: dict[str, pa.Array],
    length: int,
    table: str,
    *,
    name: str,
    file_index: int,
    first_row: int,
) -> None:
    """Check one batch of rows (``first_row`` is the 1-based number of its first row)."""
    model = model_for_table(table)
    if table in PER_ROW_TABLES:
        suspect = pa.array([True] * length, pa.bool_())
    else:
        suspect = suspect_rows(columns, table, length)
    batch = pa.RecordBatch.from_arrays([_plain(a) for a in columns.values()], names=list(columns))
    flagged = pc.indices_nonzero(suspect).to_pylist()
    if flagged:
        rows = batch.take(pa.array(flagged, pa.int64())).to_pylist()
        validate_rows(run, rows, [first_row + i for i in flagged], model, name=name, file_index=file_index)
    good = pc.invert(suspect)
    count = length - len(flagged)
    if count:
        run.report.records += count
        add_integrity(
            run,
            batch.filter(good),
            pc.indices_nonzero(good),
            table,
            file_index=file_index,
            first_row=first_row,
        )


def _plain(array: pa.Array) -> pa.Array:
    return array.dictionary_decode() if pa.types.is_dictionary(array.type) else array


def add_integrity(
    run: Run,
    batch: pa.RecordBatch,
    positions: pa.Array,
    table: str,
    *,
    file_index: int,
    first_row: int,
    kind: int = ROW,
) -> None:
    """Feed valid rows' ids, references and evidence spans to the integrity state, from the arrays.

    ``positions`` are the rows' 0-based positions in their batch, whose first row is number
    ``first_row`` of the file; ``kind`` tells whether the numbers are rows or lines
    (:data:`tradeschema.integrity.ROW`, :data:`tradeschema.integrity.LINE`).
    """
    integrity = run.integrity
    numbers = pc.add(positions, first_row).to_pylist()
    integrity.add_ids(batch.column("id").to_pylist(), table, file_index, numbers, kind)
    for field_name, allowed in integrity.refs_wanted(table):
        if field_name not in batch.schema.names:
            continue
        column = batch.column(field_name)
        if pa.types.is_list(column.type):
            values = column.flatten().to_pylist()
            parents = pc.list_parent_indices(column).to_pylist()
            offsets = column.offsets.to_pylist()
            for value, parent, index in zip(values, parents, _item_indices(parents, offsets), strict=True):
                integrity.add_ref(
                    value, allowed, table, (field_name, index), (file_index, numbers[parent], kind)
                )
        else:
            for value, number in zip(column.to_pylist(), numbers, strict=True):
                if value is not None:
                    integrity.add_ref(value, allowed, table, (field_name,), (file_index, number, kind))
    if "evidence" in batch.schema.names:
        _add_spans(run, batch, numbers, table, file_index=file_index, kind=kind)


def _add_spans(
    run: Run, batch: pa.RecordBatch, numbers: list[int], table: str, *, file_index: int, kind: int
) -> None:
    """Feed the rows' evidence spans to the integrity state. With no sources to check them against,
    it keeps none: only the spans that do not run forward go in, to be reported."""
    integrity = run.integrity
    column = batch.column("evidence")
    spans = column.flatten()
    if not len(spans):
        return
    fields = [pc.struct_field(spans, f) for f in ("source_id", "start", "end", "text")]
    taken = None if integrity.spans_wanted else pc.indices_nonzero(pc.greater_equal(fields[1], fields[2]))
    if taken is not None and not len(taken):
        return
    ids = batch.column("id").to_pylist()
    parents = pc.list_parent_indices(column).to_pylist()
    indices = _item_indices(parents, column.offsets.to_pylist())
    if taken is not None:
        chosen = taken.to_pylist()
        parents, indices = [parents[i] for i in chosen], [indices[i] for i in chosen]
        fields = [field.take(taken) for field in fields]
    for parent, index, source_id, start, end, text in zip(
        parents, indices, *(field.to_pylist() for field in fields), strict=True
    ):
        integrity.add_span(
            table,
            ("evidence", index),
            ids[parent],
            source_id,
            start,
            end,
            text,
            (file_index, numbers[parent], kind),
        )


def _item_indices(parents: list[int], offsets: list[int]) -> list[int]:
    """Index of each flattened list item within its own list."""
    base = offsets[0]
    return [position - (offsets[parent] - base) for position, parent in enumerate(parents)]


def describe_path(loc: tuple[str | int, ...]) -> str:
    """JSON path of a value inside a row."""
    return format_path(loc)
