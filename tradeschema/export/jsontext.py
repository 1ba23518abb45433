"""Compact JSON text of each value of an Arrow array, built by Arrow's compute functions.

The CSV form writes lists and records as JSON text in one cell. Turning each value into Python and
serialising it cost about 20 µs a record, a third of a streamed export's converting thread; these
functions build the same text column by column, in C++. The text is what pydantic-core's ``to_json``
gives for the value's Python form (``to_json(array.to_pylist()[i])``): keys in field order, no
spaces, strings escaped as JSON requires (quote, backslash, control characters) and other characters
written as they are, dates as ``"YYYY-MM-DD"``, a null as ``null``.
"""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["json_text"]

# Control characters have short escapes where JSON defines one, ``\u00XX`` otherwise (lowercase hex,
# as serde_json writes them).
_SHORT = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
_CONTROL = [(chr(code), _SHORT.get(chr(code), f"\\u{code:04x}")) for code in range(32)]


def json_text(array: pa.Array) -> pa.StringArray:
    """The JSON text of each value of ``array`` (``null`` for a null), as a string array of its length.

    Handles the types of the export's Arrow layout: strings (and dictionaries of them), integers,
    booleans, dates, structs and lists of any of these. Raises ``TypeError`` for any other type.
    """
    kind = array.type
    if pa.types.is_dictionary(kind):
        array, kind = array.dictionary_decode(), kind.value_type
    if pa.types.is_struct(kind):
        return _struct(array)
    if pa.types.is_list(kind):
        return _list(array)
    return _fill(_scalar_text(array))


def _scalar_text(array: pa.Array) -> pa.Array:
    """The text of values that hold no other values; nulls stay null."""
    kind = array.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return _quoted(array)
    if pa.types.is_date32(kind):
        return _quoted(pc.cast(array, pa.string()))
    if pa.types.is_integer(kind) or pa.types.is_null(kind):
        return pc.cast(array, pa.string())
    if pa.types.is_boolean(kind):
        return pc.if_else(array, "true", "false")
    raise TypeError(f"no JSON text for Arrow type {kind}")


def _fill(text: pa.Array) -> pa.StringArray:
    filled = pc.fill_null(text, "null")
    assert isinstance(filled, pa.StringArray)
    return filled


def _quoted(text: pa.Array) -> pa.Array:
    """Strings escaped and in quotes; nulls stay null."""
    # One scan tells whether anything needs escaping; most text does not, and each replacement
    # below copies the whole array.
    if pc.any(pc.match_substring_regex(text, '[\\\\"\\x00-\\x1f]')).as_py():
        text = pc.replace_substring(text, "\\", "\\\\")
        text = pc.replace_substring(text, '"', '\\"')
        if pc.any(pc.match_substring_regex(text, "[\\x00-\\x1f]")).as_py():
            for char, escape in _CONTROL:
                text = pc.replace_substring(text, char, escape)
    return pc.binary_join_element_wise('"', text, '"', "")


def _struct(array: pa.StructArray) -> pa.StringArray:
    kind = array.type
    members = [
        pc.binary_join_element_wise(
            json.dumps(kind.field(index).name, ensure_ascii=False) + ":",
            json_text(pc.struct_field(array, [index])),
            "",
        )
        for index in range(kind.num_fields)
    ]
    body = pc.binary_join_element_wise(*members, ",") if members else pa.array([""] * len(array))
    text = pc.binary_join_element_wise("{", body, "}", "")
    return _fill(pc.if_else(array.is_valid(), text, pa.scalar(None, pa.string())))


def _list(array: pa.ListArray) -> pa.StringArray:
    # The values of every list, as JSON text, put back into lists by the same offsets, then joined.
    # A sliced array's offsets start past 0, and its values are the whole child: both are rebased.
    offsets = array.offsets
    first = offsets[0].as_py()
    items = json_text(array.values.slice(first, offsets[-1].as_py() - first))
    lists = pa.ListArray.from_arrays(pc.subtract(offsets, first), items, mask=array.is_null())
    body = pc.binary_join(lists, ",")
    return _fill(pc.binary_join_element_wise("[", body, "]", ""))
