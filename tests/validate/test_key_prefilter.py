"""The cheap test that lets most lines skip the duplicate-key scan never lets a duplicate through."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tradeschema.registry import TABLE_NAMES, model_for_table
from tradeschema.testing import records
from tradeschema.validation.core import adapter, dict_validator
from tradeschema.validation.keys import duplicate_keys, key_counter, key_ends, may_repeat_keys

SEPARATORS = [(",", ":"), (", ", ": "), (",", " : "), (",", "\t:"), (" ,", ":  "), (",", "\r\n:")]


@settings(max_examples=150, deadline=None)
@given(data=st.data(), table=st.sampled_from(TABLE_NAMES), separators=st.sampled_from(SEPARATORS))
def test_a_line_with_a_repeated_key_is_always_sent_on(
    data: st.DataObject, table: str, separators: tuple[str, str]
) -> None:
    record = data.draw(records(table)).model_dump(mode="json", exclude_defaults=data.draw(st.booleans()))
    raw = json.dumps(record, separators=separators, ensure_ascii=data.draw(st.booleans())).encode()
    model = model_for_table(table)
    for dicts, validator in ((True, dict_validator(model)), (False, adapter(model))):
        count = key_counter(model, dicts)
        # A clean line: it may be sent on (white space before a colon), but the exact check finds nothing.
        assert not duplicate_keys(raw)
        # The same line with its first key given twice, the second value winning as in pydantic.
        key = next(iter(record))
        doubled = raw.replace(
            b"{",
            b"{" + json.dumps(key).encode() + separators[1].encode() + b'"x"' + separators[0].encode(),
            1,
        )
        assert duplicate_keys(doubled)
        assert may_repeat_keys(doubled, count(validator.validate_json(doubled)))


def test_compact_and_spaced_lines_without_repeats_skip_the_scan() -> None:
    record = {"id": "party:us", "kind": "state", "name": "United States"}
    model = model_for_table("parties")
    count = key_counter(model, True)
    for separators in [(",", ":"), (", ", ": ")]:
        raw = json.dumps(record, separators=separators).encode()
        assert not may_repeat_keys(raw, count(dict_validator(model).validate_json(raw)))


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='":{}[], \t\\ab'),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(alphabet='":{} \\ab'), inner, max_size=4)
    ),
    max_leaves=12,
)


def _keys(value: object) -> int:
    if isinstance(value, dict):
        return len(value) + sum(_keys(item) for item in value.values())
    if isinstance(value, list):
        return sum(_keys(item) for item in value)
    return 0


@settings(max_examples=300, deadline=None)
@given(values=st.lists(JSON, min_size=1, max_size=5), separators=st.sampled_from(SEPARATORS))
def test_key_ends_never_counts_fewer_keys_than_the_text_holds(
    values: list[object], separators: tuple[str, str]
) -> None:
    # Several lines at once, counted over a range of the text, as the JSON Lines reader counts a piece.
    lines = [json.dumps(value, separators=separators, ensure_ascii=False).encode() for value in values]
    text = b"xx" + b"\n".join(lines) + b"\nyy"
    assert key_ends(text, 2, len(text) - 3) >= sum(_keys(value) for value in values)
    for line, value in zip(lines, values, strict=True):
        assert key_ends(line) >= _keys(value)


def test_a_duplicate_key_after_a_line_cut_at_a_quote_is_still_found(tmp_path: Path) -> None:
    import tradeschema

    # A failing line that ends in a quote adds a key end across its newline; what the count takes off
    # for it must be exact, or a repeated key on another line of the piece could pass.
    good = json.dumps({"id": "party:a", "kind": "state", "name": "A"}).encode()
    cut = b'{"id": "party:b", "kind": "state", "name": "B'
    doubled = b'{"id": "party:c", "kind": "state", "kind": "state", "name": "C"}'
    path = tmp_path / "parties.jsonl"
    path.write_bytes(b"\n".join([good, cut + b'"', doubled, cut + b'"']) + b"\n")
    report = tradeschema.validate(path, jobs=1)
    assert [(i.code, i.line) for i in report.issues if i.code == "duplicate-key"] == [("duplicate-key", 3)]


@settings(max_examples=150, deadline=None)
@given(
    data=(st.binary(max_size=300) | st.binary(min_size=4200, max_size=9000)).map(
        lambda b: bytes(c if c % 3 else b'"\n:'[c % 9 // 3] for c in b)
    ),
    cut=st.data(),
)
def test_key_ends_counts_quotes_before_a_key_separator(data: bytes, cut: st.DataObject) -> None:
    # Short texts are counted with a regular expression, long ones with NumPy: both give the count.
    start = cut.draw(st.integers(0, len(data)))
    end = cut.draw(st.integers(start, len(data)))
    expected = sum(
        1 for i in range(start, end - 1) if data[i] == 34 and (data[i + 1] <= 32 or data[i + 1] == 58)
    )
    assert key_ends(data, start, end) == expected
