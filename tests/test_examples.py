"""Every example validates with both the models and the committed schema; every invalid one fails.

``invalid-*.json`` break a rule of the JSON Schema, so both reject them. ``invalid-integrity-*.json``
break an integrity rule that no JSON Schema can state (a reference, a span), so the schema accepts them
and the models reject them: that difference is the point of the integrity checks.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from pydantic import ValidationError

from tradeschema import Dataset
from tradeschema.schema import load_schema

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
VALIDATOR = Draft202012Validator(load_schema("dataset"), format_checker=Draft202012Validator.FORMAT_CHECKER)


def _paths(pattern: str) -> list[Path]:
    return sorted(EXAMPLES.glob(pattern))


def test_there_are_examples_of_each_kind() -> None:
    assert _paths("dataset.json")
    assert _paths("invalid-[!i]*.json")
    assert _paths("invalid-integrity-*.json")


@pytest.mark.parametrize("path", _paths("dataset.json"), ids=lambda path: path.name)
def test_valid_example_passes_models_and_schema(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert list(VALIDATOR.iter_errors(json.loads(text))) == []
    Dataset.model_validate_json(text)


@pytest.mark.parametrize(
    "path", [p for p in _paths("invalid-*.json") if "integrity" not in p.name], ids=lambda p: p.name
)
def test_invalid_example_fails_models_and_schema(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert list(VALIDATOR.iter_errors(json.loads(text)))
    with pytest.raises(ValidationError):
        Dataset.model_validate_json(text)


@pytest.mark.parametrize("path", _paths("invalid-integrity-*.json"), ids=lambda path: path.name)
def test_integrity_example_passes_schema_but_fails_models(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert list(VALIDATOR.iter_errors(json.loads(text))) == []
    with pytest.raises(ValidationError):
        Dataset.model_validate_json(text)
