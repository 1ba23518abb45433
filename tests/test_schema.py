"""The JSON Schema: generated from the models, committed, shipped, and in agreement with the models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from pydantic import ValidationError

from tradeschema import vocab
from tradeschema.cli import main
from tradeschema.models import Dataset
from tradeschema.registry import RECORD_TYPES
from tradeschema.schema import SCHEMA_NAMES, load_schema, schema_for, schema_json
from tradeschema.testing import datasets, invalid_records, records

ROOT = Path(__file__).resolve().parent.parent
TABLES = [kind.table for kind in RECORD_TYPES.values()]
MODELS = {kind.table: kind.model for kind in RECORD_TYPES.values()}
NAME_OF_TABLE = {kind.table: name for name, kind in RECORD_TYPES.items()}
FAST = settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(load_schema(name), format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_committed_and_shipped_schemas_equal_what_the_models_generate(name: str) -> None:
    generated = schema_json(name)
    committed = (ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
    shipped = (ROOT / "tradeschema" / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
    assert committed == generated, (
        f"schemas/{name}.schema.json is stale: run `tradeschema schema --out schemas`"
    )
    assert shipped == committed


def test_no_other_files_in_the_schema_folders() -> None:
    expected = {f"{name}.schema.json" for name in SCHEMA_NAMES}
    assert {path.name for path in (ROOT / "schemas").iterdir()} == expected
    assert {path.name for path in (ROOT / "tradeschema" / "schemas").iterdir()} == expected


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_is_valid_2020_12_with_identity(name: str) -> None:
    schema = schema_for(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(name) and schema["title"] and schema["description"]


def _properties_without_description(node: Any, path: str = "$") -> list[str]:
    missing = []
    if isinstance(node, dict):
        for key, prop in node.get("properties", {}).items():
            if not prop.get("description"):
                missing.append(f"{path}.{key}")
        for key, value in node.items():
            missing.extend(_properties_without_description(value, f"{path}/{key}"))
    elif isinstance(node, list):
        for item in node:
            missing.extend(_properties_without_description(item, path))
    return missing


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_property_has_a_description(name: str) -> None:
    assert _properties_without_description(schema_for(name)) == []


def test_measure_types_carry_gta_and_mast_codes() -> None:
    body = schema_for("measure")["$defs"]["MeasureType"]
    lines = {line.split("`")[1]: line for line in body["description"].splitlines() if line.startswith("- `")}
    assert set(lines) == set(body["enum"])
    assert lines["export_ban"] == (
        "- `export_ban`: A prohibition of exports. [GTA intervention type 19; MAST P31 (2019)]"
    )
    assert "MAST" not in lines["import_tariff"]
    assert all(len(line) > len(f"- `{code}`: ") for code, line in lines.items())


def test_every_vocabulary_value_is_described_in_the_schema() -> None:
    defs = schema_for("dataset")["$defs"]
    # Country and language codes are ISO lists, documented by their standard, not value by value.
    vocabularies = [body for name, body in defs.items() if "enum" in body and hasattr(vocab, name)]
    assert len(vocabularies) == 9
    for body in vocabularies:
        for value in body["enum"]:
            assert f"\n- `{value}`: " in body["description"], (body["title"], value)
    topics = defs["Negotiation"]["properties"]["topics"]
    assert "open Topic codelist" in topics["description"] and "- `tariffs`: " in topics["description"]


def _keywords(node: Any) -> set[str]:
    """Every keyword used in a schema, below ``properties`` and ``$defs`` too (not their names)."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            found.add(key)
            children = value.values() if key in ("properties", "$defs") else [value]
            for child in children:
                found |= _keywords(child)
    elif isinstance(node, list):
        for item in node:
            found |= _keywords(item)
    return found


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_uses_only_standard_keywords(name: str) -> None:
    # Strict validators (Ajv by default) refuse unknown keywords such as `x-codelist`.
    vocabulary = set(Draft202012Validator.VALIDATORS) | {
        "$schema", "$id", "$defs", "$comment", "title", "description", "default", "examples",
    }  # fmt: skip
    assert _keywords(load_schema(name)) - vocabulary == set()


def test_schema_command_writes_every_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--out", str(tmp_path / "s")]) == 0
    for name in SCHEMA_NAMES:
        written = (tmp_path / "s" / f"{name}.schema.json").read_text(encoding="utf-8")
        assert written == (ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["schema", "party"]) == 0
    assert json.loads(capsys.readouterr().out)["$id"].endswith("party")
    assert main(["schema", "nonsense"]) == 2
    assert "no schema named 'nonsense'" in capsys.readouterr().err


@FAST
@given(st.sampled_from(TABLES).flatmap(lambda table: st.tuples(st.just(table), records(table))))
def test_generated_records_are_accepted_by_the_schema_and_round_trip(pair: tuple[str, Any]) -> None:
    table, record = pair
    dumped = record.model_dump_json()
    errors = list(_validator(NAME_OF_TABLE[table]).iter_errors(json.loads(dumped)))
    assert errors == []
    assert MODELS[table].model_validate_json(dumped) == record


@FAST
@given(st.sampled_from(TABLES).flatmap(lambda table: st.tuples(st.just(table), invalid_records(table))))
def test_mutated_records_are_rejected_by_both_schema_and_model(
    pair: tuple[str, tuple[dict[str, Any], str]],
) -> None:
    table, (record, mutation) = pair
    schema_errors = list(_validator(NAME_OF_TABLE[table]).iter_errors(record))
    assert schema_errors, f"schema accepted a {mutation} mutation: {record}"
    with pytest.raises(ValidationError):
        MODELS[table].model_validate_json(json.dumps(record))


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(datasets())
def test_generated_datasets_are_accepted_by_the_dataset_schema(dataset: Dataset) -> None:
    assert list(_validator("dataset").iter_errors(json.loads(dataset.model_dump_json()))) == []


def test_field_reference_is_generated_and_current() -> None:
    from tradeschema.schema_doc import schema_markdown

    committed = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    assert committed == schema_markdown(), (
        "docs/schema.md is stale: run `tradeschema schema --markdown > docs/schema.md`"
    )
    for name in ("Party", "Measure", "Statement", "Negotiation", "Round", "MeasureType", "Topic"):
        assert f"### {name}" in committed
