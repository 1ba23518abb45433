"""The record models: minimal records, strictness, and dataset integrity with located errors."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from pydantic import ValidationError

from tradeschema import Dataset, Measure, Party, Statement
from tradeschema.countries import normalize_country
from tradeschema.testing import datasets

TEXT = "The United States restricted chip design software sales to China."


def _dataset(**lists: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "schema_version": "1.0.0",
        "sources": [
            {
                "id": "source:a",
                "kind": "news_article",
                "text": TEXT,
                "text_sha256": hashlib.sha256(TEXT.encode()).hexdigest(),
            }
        ],
        "parties": [
            {"id": "party:us", "kind": "state", "name": "United States", "country": "US"},
            {"id": "party:cn", "kind": "state", "name": "China", "country": "CN"},
        ],
        "measures": [
            {
                "id": "measure:us-chip-software",
                "type": "export_restriction",
                "imposed_by": "party:us",
                "targets": ["party:cn"],
                "evidence": [{"source_id": "source:a", "start": 4, "end": 17, "text": "United States"}],
            }
        ],
    }
    base.update(lists)
    return base


def test_minimal_records_need_only_id_kind_and_name() -> None:
    party = Party.model_validate_json('{"id": "party:us", "kind": "state", "name": "United States"}')
    assert party.aliases == [] and party.country is None and party.evidence == []
    statement = Statement(id="statement:1", kind="direct", text="We will act.")
    assert statement.speaker is None and statement.about == []


def test_a_valid_dataset_round_trips_through_json_unchanged() -> None:
    dataset = Dataset.model_validate(_dataset())
    assert Dataset.model_validate_json(dataset.model_dump_json()) == dataset


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(datasets())
def test_generated_datasets_round_trip_through_json(dataset: Dataset) -> None:
    assert Dataset.model_validate_json(dataset.model_dump_json()) == dataset


@pytest.mark.parametrize(
    ("json_text", "error_type"),
    [
        (
            '{"id": "m:1", "type": "export_ban", "evidence": [{"source_id": "s", "start": "1", "end": 2, "text": ""}]}',
            "int_type",
        ),
        (
            '{"id": "m:1", "type": "export_ban", "evidence": [{"source_id": "s", "start": true, "end": 2, "text": ""}]}',
            "int_type",
        ),
        ('{"id": "m:1", "type": "Export Ban"}', "enum"),
        ('{"id": "M:1", "type": "export_ban"}', "string_pattern_mismatch"),
        ('{"id": "m:1\\n", "type": "export_ban"}', "string_pattern_mismatch"),
        ('{"id": "m:1", "type": "export_ban", "announced": "2025-02-30"}', "string_pattern_mismatch"),
        ('{"id": "m:1", "type": "export_ban", "note": "x"}', "extra_forbidden"),
        ('{"id": "m:1", "type": "export_ban", "targets": "party:us"}', "list_type"),
    ],
)
def test_records_read_from_json_are_checked_strictly(json_text: str, error_type: str) -> None:
    with pytest.raises(ValidationError) as info:
        Measure.model_validate_json(json_text)
    assert error_type in {error["type"] for error in info.value.errors()}


def test_integral_floats_are_integers_as_in_json_schema() -> None:
    measure = Measure.model_validate_json(
        '{"id": "m:1", "type": "export_ban", "evidence": [{"source_id": "s", "start": 1.0, "end": 2, "text": "x"}]}'
    )
    assert measure.evidence[0].start == 1 and isinstance(measure.evidence[0].start, int)


def test_country_codes_are_iso_alpha2_with_eu_and_alpha3_aliases_normalise() -> None:
    assert Party(id="party:eu", kind="bloc", name="European Union", country="EU").country == "EU"
    with pytest.raises(ValidationError):
        Party.model_validate_json('{"id": "party:us", "kind": "state", "name": "US", "country": "USA"}')
    assert normalize_country("usa") == "US"
    assert normalize_country("EUU") == "EU"
    assert normalize_country("ZZZ") is None


def _errors(data: dict[str, Any]) -> list[tuple[str, tuple[Any, ...], Any]]:
    with pytest.raises(ValidationError) as info:
        Dataset.model_validate(data)
    return [(error["type"], error["loc"], error["input"]) for error in info.value.errors()]


def test_duplicate_ids_are_located() -> None:
    data = _dataset(statements=[{"id": "party:us", "kind": "direct", "text": "x"}])
    assert _errors(data) == [("duplicate-id", ("statements", 0, "id"), "party:us")]


def test_dangling_and_wrong_kind_references_are_located() -> None:
    data = _dataset(
        statements=[
            {
                "id": "statement:1",
                "kind": "indirect",
                "text": "x",
                "speaker": "party:jp",
                "about": ["party:us"],
            }
        ],
        negotiations=[
            {"id": "negotiation:1", "title": "t", "parties": ["party:us", "measure:us-chip-software"]}
        ],
    )
    assert sorted(_errors(data)) == [
        ("dangling-reference", ("statements", 0, "speaker"), "party:jp"),
        ("wrong-reference-kind", ("negotiations", 0, "parties", 1), "measure:us-chip-software"),
        ("wrong-reference-kind", ("statements", 0, "about", 0), "party:us"),
    ]


@pytest.mark.parametrize(
    ("span", "code", "field", "value"),
    [
        ({"source_id": "source:a", "start": 5, "end": 5, "text": ""}, "span-order", "end", 5),
        ({"source_id": "source:a", "start": 60, "end": 90, "text": "x"}, "span-out-of-range", "end", 90),
        (
            {"source_id": "source:a", "start": 4, "end": 10, "text": "United"[::-1]},
            "span-text-mismatch",
            "text",
            "detinU",
        ),
        (
            {"source_id": "source:zz", "start": 0, "end": 1, "text": "T"},
            "dangling-reference",
            "source_id",
            "source:zz",
        ),
        (
            {"source_id": "party:us", "start": 0, "end": 1, "text": "T"},
            "wrong-reference-kind",
            "source_id",
            "party:us",
        ),
    ],
)
def test_evidence_spans_are_checked_against_their_source(
    span: dict[str, Any], code: str, field: str, value: Any
) -> None:
    data = _dataset()
    data["measures"][0]["evidence"] = [span]
    assert _errors(data) == [(code, ("measures", 0, "evidence", 0, field), value)]


def test_span_error_message_names_the_path_and_value() -> None:
    data = _dataset()
    data["measures"][0]["evidence"][0]["text"] = "Untied States"
    with pytest.raises(ValidationError) as info:
        Dataset.model_validate(data)
    message = str(info.value)
    assert "measures.0.evidence.0.text" in message and "Untied States" in message


def test_source_hash_must_match_text() -> None:
    data = _dataset()
    data["sources"][0]["text_sha256"] = "0" * 64
    assert _errors(data) == [("text-hash-mismatch", ("sources", 0, "text_sha256"), "0" * 64)]


def test_round_dates_must_not_end_before_they_start() -> None:
    data = _dataset(
        negotiations=[
            {
                "id": "negotiation:1",
                "title": "t",
                "rounds": [
                    {"kind": "talks", "start": "2025-05", "end": "2025-05-31"},
                    {"kind": "talks", "start": "2025-06", "end": "2025-W21"},
                ],
            }
        ]
    )
    assert _errors(data) == [("date-range-order", ("negotiations", 0, "rounds", 1, "end"), "2025-W21")]


def test_unsupported_major_schema_version_is_rejected() -> None:
    assert _errors(_dataset(schema_version="2.0.0")) == [
        ("unsupported-schema-version", ("schema_version",), "2.0.0")
    ]
