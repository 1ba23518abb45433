"""The dict-returning validator of the JSON Lines hot path checks what the model checks, except that it
takes no whole float (``5.0``) for an integer: stricter, never looser, and the reader hands what it
rejects to the model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from tradeschema import validate
from tradeschema.registry import RECORD_TYPES
from tradeschema.testing import invalid_records, records
from tradeschema.validation.core import adapter, dict_validator

TABLES = {kind.table: kind.model for kind in RECORD_TYPES.values()}
FAST = settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _errors(validate: Any, raw: str) -> set[tuple[str, tuple[Any, ...]]] | None:
    try:
        validate(raw)
    except ValidationError as exc:
        # A model says "model_type" where a TypedDict says "dict_type": the same failure.
        return {(e["type"].replace("model_type", "dict_type"), tuple(e["loc"])) for e in exc.errors()}
    return None


@FAST
@given(st.sampled_from(sorted(TABLES)).flatmap(lambda t: st.tuples(st.just(t), invalid_records(t))))
def test_rejects_what_the_model_rejects(pair: tuple[str, tuple[dict[str, Any], str]]) -> None:
    table, (record, _) = pair
    raw = json.dumps(record)
    model = TABLES[table]
    expected = _errors(adapter(model).validate_json, raw)
    assert expected is not None
    found = _errors(dict_validator(model).validate_json, raw)
    assert found is not None
    # What the reader relies on to skip the model: where the plain-dict validator reports no
    # `int_type` error (the one a whole float in an integer field gives), the model reports the
    # very same errors.
    if not any(error_type == "int_type" for error_type, _ in found):
        assert found == expected


@FAST
@given(st.sampled_from(sorted(TABLES)).flatmap(lambda t: st.tuples(st.just(t), records(t))))
def test_same_values_as_the_model(pair: tuple[str, Any]) -> None:
    table, record = pair
    raw = record.model_dump_json(exclude_defaults=True)
    as_dict = dict_validator(TABLES[table]).validate_json(raw)
    assert TABLES[table].model_validate(as_dict) == record


@pytest.mark.parametrize("raw", ['"x"', "[1]", "5", "null"])
def test_non_objects_fail_at_the_top(raw: str) -> None:
    model = RECORD_TYPES["statement"].model
    assert _errors(dict_validator(model).validate_json, raw) == _errors(adapter(model).validate_json, raw)


def test_whole_floats_are_left_to_the_model() -> None:
    model = RECORD_TYPES["statement"].model
    raw = '{"id": "statement:a", "kind": "direct", "text": "x", "evidence": [{"source_id": "s", "start": 1.0, "end": 2, "text": "x"}]}'
    assert adapter(model).validate_json(raw).evidence[0].start == 1
    assert _errors(dict_validator(model).validate_json, raw) == {("int_type", ("evidence", 0, "start"))}


def test_the_reader_accepts_whole_floats_and_reports_the_models_errors(tmp_path: Path) -> None:
    span = '{"source_id": "s", "start": %s, "end": 9, "text": "x"}'
    lines = [
        '{"id": "statement:a", "kind": "direct", "text": "x", "evidence": [%s]}' % (span % "1.0"),
        '{"id": "statement:b", "kind": "direct", "text": "x", "evidence": [%s]}' % (span % "1.5"),
        '{"id": "statement:c", "kind": "direct", "text": "x", "evidence": [%s]}' % (span % "10.0"),
        '{"id": "statement:d", "kind": "direct", "text": "x", "evidence": [%s]}' % (span % "1e20"),
    ]
    path = tmp_path / "statements.jsonl"
    path.write_text("\n".join(lines) + "\n")
    report = validate(path)
    found = [(issue.code, issue.line, issue.path) for issue in report.issues]
    # Lines 2 and 4 break the schema; line 3's span, once 10, starts after it ends (an integrity rule the
    # record breaks alone): both as the model tells them.
    assert found == [
        ("type-error", 2, "$.evidence[0].start"),
        ("span-order", 3, "$.evidence[0].end"),
        ("range-error", 4, "$.evidence[0].start"),
    ]
    assert report.records == 4


@pytest.mark.parametrize("kind", ["model", "dicts"])
def test_string_values_are_not_cached_but_keys_are(kind: str) -> None:
    # pydantic caches every short string it parses by default, a hash and a lookup per value that
    # repeats rarely in records (ids, texts): the models and the hot path's validator cache keys only.
    # Equal values parsed from two lines are then two objects; equal keys stay one.
    model = RECORD_TYPES["statement"].model
    raw = b'{"id": "statement:a", "kind": "direct", "text": "the same words"}'
    if kind == "model":
        first, second = (adapter(model).validate_json(raw).model_dump() for _ in range(2))
    else:
        first, second = (dict_validator(model).validate_json(raw) for _ in range(2))
        assert next(iter(first)) is next(iter(second))
    assert first["text"] == second["text"]
    assert first["text"] is not second["text"]
