"""The JSON text Arrow builds for the CSV form is pydantic-core's ``to_json`` of the same values."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic_core import to_json

from tradeschema.export.arrow import batch_from_records
from tradeschema.export.jsontext import json_text
from tradeschema.models import Dataset
from tradeschema.registry import TABLE_NAMES
from tradeschema.testing import datasets


def _serialised(array: pa.Array) -> list[str]:
    return [to_json(value).decode() for value in array.to_pylist()]


@settings(max_examples=40, deadline=None)
@given(data=datasets())
def test_every_nested_column_of_every_table_as_pydantic_writes_it(data: Dataset) -> None:
    # The columns the CSV form writes as JSON text: lists and records.
    for table in TABLE_NAMES:
        records = getattr(data, table)
        if not records:
            continue
        batch = batch_from_records(records, table)
        for name, column in zip(batch.schema.names, batch.columns, strict=True):
            if pa.types.is_list(column.type) or pa.types.is_struct(column.type):
                assert json_text(column).to_pylist() == _serialised(column), (table, name)


# Every character class a JSON encoder treats apart: quote, backslash, each control character, DEL,
# non-ASCII, a character beyond the Basic Multilingual Plane, and the line separators JSON allows raw.
_TEXT = st.text(
    alphabet=st.sampled_from(['"', "\\", "/", "\x7f", "é", "商", "\U0001f600", "\u2028", "a", " "])
    | st.characters(max_codepoint=31),
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(
        st.none()
        | st.fixed_dictionaries(
            {
                "text": st.none() | _TEXT,
                "start": st.integers(-(2**63), 2**63 - 1),
                "flag": st.none() | st.booleans(),
                "tags": st.none() | st.lists(st.none() | _TEXT, max_size=3),
            }
        ),
        max_size=6,
    ),
    cut=st.integers(0, 3),
)
def test_nested_values_nulls_and_escapes(rows: list[dict[str, object] | None], cut: int) -> None:
    kind = pa.struct(
        [
            ("text", pa.string()),
            ("start", pa.int64()),
            ("flag", pa.bool_()),
            ("tags", pa.list_(pa.string())),
        ]
    )
    array = pa.array([rows, None, rows], pa.list_(kind))
    for part in (array, array.slice(min(cut, len(array)))):  # a slice: offsets not starting at 0
        text = json_text(part).to_pylist()
        assert text == _serialised(part)
        assert [json.loads(value) for value in text] == part.to_pylist()


def test_dictionaries_and_dates_are_written_as_their_values() -> None:
    import datetime as dt

    array = pa.array(["day", None, "month"]).dictionary_encode()
    assert json_text(array).to_pylist() == ['"day"', "null", '"month"']
    dates = pa.array([dt.date(2025, 6, 25), None])
    assert json_text(dates).to_pylist() == ['"2025-06-25"', "null"]


def test_a_type_the_layout_never_holds_is_refused() -> None:
    with pytest.raises(TypeError, match="no JSON text"):
        json_text(pa.array([1.5]))
