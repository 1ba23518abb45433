"""The validator's schema verdict equals the committed JSON Schema's, under jsonschema with formats.

Generated valid records are mutated (wrong enum, missing required field, bad date, bad country,
unknown field, wrong type, "5" for an int, 5.0 for an int, trailing newline in a pattern field,
NaN) and fed to both, as JSON Lines and as Parquet rows (the vectorised path and its fallback).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from tradeschema import validate

from .conftest import write_csv, write_parquet

SCHEMAS = Path(__file__).parent.parent.parent / "schemas"

ids = st.from_regex(r"\A[a-z0-9][a-z0-9._:-]{0,12}\Z")
dates = st.sampled_from(["2025", "2025-06", "2025-06-11", "2025-W24", "2024-02-29", "2020-W53"])
spans = st.fixed_dictionaries(
    {"source_id": ids, "start": st.integers(0, 50), "end": st.integers(0, 50), "text": st.text(max_size=5)}
)
statements = st.fixed_dictionaries(
    {
        "id": ids,
        "kind": st.sampled_from(["direct", "partial", "indirect"]),
        "text": st.text(min_size=1, max_size=8),
    },
    optional={
        "speaker": ids,
        "date": dates,
        "about": st.lists(ids, max_size=2),
        "confidence": st.floats(0, 1),
        "evidence": st.lists(spans, max_size=2),
        "cue": st.none() | st.text(max_size=5),
    },
)
rounds = st.fixed_dictionaries(
    {"kind": st.sampled_from(["talks", "call", "summit", "meeting"])},
    optional={
        "country": st.sampled_from(["US", "CN", "GB", "EU"]),
        "start": dates,
        "duration_days": st.integers(1, 9),
    },
)
negotiations = st.fixed_dictionaries(
    {"id": ids, "title": st.text(min_size=1, max_size=8)},
    optional={
        "rounds": st.lists(rounds, max_size=2),
        "topics": st.lists(st.sampled_from(["tariffs", "chips"]), max_size=2),
    },
)

MUTATIONS = [
    "valid",
    "enum",
    "missing",
    "date",
    "country",
    "unknown",
    "type",
    "int-string",
    "int-float",
    "newline",
    "nan",
]


def mutate(record: dict[str, Any], how: str, data: st.DataObject) -> dict[str, Any]:
    record = json.loads(json.dumps(record))
    if how == "enum":
        record["kind"] = "shouted"
    elif how == "missing":
        del record["id"]
    elif how == "date":
        target = record["rounds"][0] if record.get("rounds") else record
        target["start" if "rounds" in record else "date"] = data.draw(
            st.sampled_from(["2025-02-30", "2023-W53", "0000", "25-06"])
        )
    elif how == "country":
        if record.get("rounds"):
            record["rounds"][0]["country"] = data.draw(st.sampled_from(["USA", "us", "ZZ"]))
        else:
            record["kind"] = "direct "
    elif how == "unknown":
        record["mood"] = 1
    elif how == "type":
        record["id"] = 5
    elif how == "int-string":
        if record.get("evidence"):
            record["evidence"][0]["start"] = "5"
        elif record.get("rounds"):
            record["rounds"][0]["duration_days"] = "5"
        else:
            record["id"] = ["x"]
    elif how == "int-float":
        if record.get("evidence"):
            record["evidence"][0]["start"] = 5.0
        elif record.get("rounds"):
            record["rounds"][0]["duration_days"] = 5.0
    elif how == "newline":
        record["id"] = record["id"] + "\n"
    elif how == "nan":
        record["confidence" if "kind" in record else "title"] = math.nan
    return record


def schema_verdict(name: str, records: list[dict[str, Any]]) -> set[int]:
    """Indices of records the committed schema rejects. NaN is not JSON: a strict parser rejects it."""
    validator = Draft202012Validator(
        json.loads((SCHEMAS / f"{name}.schema.json").read_text()),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    bad = set()
    for index, record in enumerate(records):
        text = json.dumps(record)
        try:
            parsed = orjson.loads(text)
        except orjson.JSONDecodeError:
            bad.add(index)
            continue
        if any(True for _ in validator.iter_errors(parsed)):
            bad.add(index)
    return bad


def failing_lines(report: Any) -> set[int]:
    schema_codes = {
        "missing-field",
        "unknown-field",
        "type-error",
        "enum-error",
        "pattern-error",
        "range-error",
        "schema-error",
        "invalid-json",
        "not-an-object",
    }
    return {i.line - 1 for i in report.issues if i.code in schema_codes}


@pytest.mark.parametrize(("name", "strategy"), [("statement", statements), ("negotiation", negotiations)])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_jsonl_agrees_with_json_schema(name: str, strategy: Any, data: st.DataObject, tmp_path: Path) -> None:
    originals = data.draw(st.lists(strategy, min_size=1, max_size=6))
    records = [mutate(r, data.draw(st.sampled_from(MUTATIONS)), data) for r in originals]
    path = tmp_path / f"{name}s.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    report = validate(path)
    assert failing_lines(report) == schema_verdict(name, records)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_parquet_vectorised_equals_per_row(data: st.DataObject, tmp_path: Path) -> None:
    """Rows flagged by the vectorised checks + fallback fail exactly when per-row validation fails."""
    import pyarrow as pa

    from tradeschema.models import Statement

    originals = data.draw(st.lists(statements, min_size=1, max_size=8))
    how = [
        data.draw(st.sampled_from(["valid", "enum", "newline", "nan", "date", "missing"])) for _ in originals
    ]
    rows = [mutate(r, h, data) for r, h in zip(originals, how, strict=True)]
    try:
        path = write_parquet(tmp_path / "statements.parquet", "statements", rows)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return  # the mutation cannot be stored in the typed layout at all
    report = validate(path)
    flagged = {
        i.row - 1
        for i in report.issues
        if i.row is not None and i.severity == "error" and i.code not in ("duplicate-id", "span-order")
    }
    expected = set()
    for index, row in enumerate(rows):
        clean = {k: v for k, v in row.items() if v is not None}
        try:
            Statement.model_validate(clean)
        except Exception:  # any validation failure counts
            expected.add(index)
    assert flagged == expected


@pytest.mark.parametrize("form", ["jsonl", "parquet", "csv"])
def test_a_backward_span_is_an_error_in_every_form_without_sources(form: str, tmp_path: Path) -> None:
    """Integrity keeps no spans when no sources are given, but a span that does not run forward is an
    error of its own: every form reports it, at the same record and path."""
    span = {"source_id": "source:a", "start": 9, "end": 3, "text": "x"}
    row = {
        "id": "statement:a",
        "kind": "direct",
        "text": "x",
        "about": [],
        "evidence": [{**span, "start": 1}, span],
    }
    path = tmp_path / f"statements.{form}"
    if form == "jsonl":
        path.write_text(json.dumps(row) + "\n")
    elif form == "parquet":
        write_parquet(path, "statements", [row])
    else:
        write_csv(path, "statements", [row])
    report = validate(path)
    assert [(str(i.code), i.path, i.line or i.row) for i in report.issues] == [
        ("span-order", "$.evidence[1].end", 1)
    ]
