"""The dict-returning adapter of the JSON Lines hot path checks exactly what the model checks."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from tradeschema.registry import RECORD_TYPES
from tradeschema.testing import invalid_records, records
from tradeschema.validation.core import adapter, dict_adapter

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
def test_same_errors_as_the_model(pair: tuple[str, tuple[dict[str, Any], str]]) -> None:
    table, (record, _) = pair
    raw = json.dumps(record)
    model = TABLES[table]
    expected = _errors(adapter(model).validate_json, raw)
    assert expected is not None
    assert _errors(dict_adapter(model).validate_json, raw) == expected


@FAST
@given(st.sampled_from(sorted(TABLES)).flatmap(lambda t: st.tuples(st.just(t), records(t))))
def test_same_values_as_the_model(pair: tuple[str, Any]) -> None:
    table, record = pair
    raw = record.model_dump_json(exclude_defaults=True)
    as_dict = dict_adapter(TABLES[table]).validate_json(raw)
    assert TABLES[table].model_validate(as_dict) == record


@pytest.mark.parametrize("raw", ['"x"', "[1]", "5", "null"])
def test_non_objects_fail_at_the_top(raw: str) -> None:
    model = RECORD_TYPES["statement"].model
    assert _errors(dict_adapter(model).validate_json, raw) == _errors(adapter(model).validate_json, raw)
