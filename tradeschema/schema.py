"""JSON Schema (Draft 2020-12) generated from the models: one for a Dataset, one per record type.

The schemas are derived, never written by hand. :func:`write_schemas` writes them with sorted keys
and an indent of 2, so the committed copies in ``schemas/`` (and the copy shipped in the package)
can be compared byte for byte with what the models generate.
"""

from __future__ import annotations

import enum
import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode, JsonSchemaValue
from pydantic_core import core_schema

from .models import SCHEMA_VERSION, Dataset
from .registry import RECORD_TYPES
from .vocab import codelist_description

__all__ = [
    "DRAFT_2020_12",
    "SCHEMA_NAMES",
    "load_schema",
    "portable_pattern",
    "schema_for",
    "schema_id",
    "schema_json",
    "write_schemas",
]

DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
"""The JSON Schema dialect of every generated schema."""

SCHEMA_NAMES: tuple[str, ...] = ("dataset", *RECORD_TYPES)
"""Names of the generated schemas: ``dataset`` and each record type."""


def portable_pattern(pattern: str) -> str:
    """A model pattern rewritten to mean the same in every JSON Schema validator.

    The models' patterns are written for Rust's engine (pydantic-core), where ``$`` is the end of the
    text, as in ECMA-262. Python's ``re`` (used by ``jsonschema``) also lets ``$`` match before a final
    newline, so ``"party:us\\n"`` would pass there; the look-ahead ``(?!\\n)`` before the final ``$``
    closes that gap and changes nothing for the other engines.
    """
    if pattern.endswith("$") and not pattern.endswith("\\$") and not pattern.endswith("(?!\\n)$"):
        return pattern[:-1] + "(?!\\n)$"
    return pattern


class _Generator(GenerateJsonSchema):
    """Pydantic's generator, with portable patterns and each vocabulary's values in its description.

    Only standard keywords are written, so the schemas compile under validators in strict mode (Ajv's
    default) as well as under lenient ones.
    """

    def str_schema(self, schema: core_schema.StringSchema) -> JsonSchemaValue:
        result = super().str_schema(schema)
        if "pattern" in result:
            result["pattern"] = portable_pattern(result["pattern"])
        return result

    def enum_schema(self, schema: core_schema.EnumSchema) -> JsonSchemaValue:
        enum_cls = schema["cls"]
        if issubclass(enum_cls, enum.Enum) and enum_cls.__module__.endswith(".vocab"):
            self._vocabularies[enum_cls.__name__] = enum_cls
        return super().enum_schema(schema)

    _vocabularies: dict[str, type[enum.Enum]]
    """The vocabularies met while generating, by name (filled by :meth:`enum_schema`)."""

    def generate(
        self, schema: core_schema.CoreSchema, mode: JsonSchemaMode = "validation"
    ) -> JsonSchemaValue:
        self._vocabularies = {}
        result = super().generate(schema, mode)
        # Pydantic sets an enum's description from its docstring after `enum_schema`, so the values
        # are added here, once the definitions are final.
        for body in result.get("$defs", {}).values():
            vocabulary = self._vocabularies.get(body.get("title", ""))
            if vocabulary is not None and "enum" in body:
                described = body.get("description", "")
                body["description"] = f"{described}\n\n{codelist_description(vocabulary)}".lstrip()
        return result


def schema_id(name: str) -> str:
    """The ``$id`` of a generated schema, carrying the schema version."""
    return f"urn:tradeschema:{SCHEMA_VERSION}:{name}"


def _model_for(name: str) -> type[BaseModel]:
    if name == "dataset":
        return Dataset
    try:
        return RECORD_TYPES[name].model
    except KeyError:
        known = ", ".join(SCHEMA_NAMES)
        raise KeyError(f"no schema named {name!r}; known: {known}") from None


def schema_for(name: str) -> dict[str, Any]:
    """Generate the JSON Schema of ``dataset`` or of one record type (``party``, ``measure``, ...)."""
    model = _model_for(name)
    body = model.model_json_schema(schema_generator=_Generator, mode="validation")
    what = "a tradeschema dataset" if name == "dataset" else f"one {name} record (a JSON Lines line)"
    header = {
        "$schema": DRAFT_2020_12,
        "$id": schema_id(name),
        "title": f"tradeschema {SCHEMA_VERSION}: {model.__name__}",
        "description": f"JSON Schema of {what}, schema version {SCHEMA_VERSION}. "
        + (body.pop("description", "") or ""),
        "$comment": f"tradeschema schema version {SCHEMA_VERSION}, generated from the models by "
        "`tradeschema schema`; do not edit by hand.",
    }
    body.pop("title", None)
    return {**header, **body}


@cache
def schema_json(name: str) -> str:
    """A generated schema as text: sorted keys, indent 2, UTF-8, final newline."""
    return json.dumps(schema_for(name), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(directory: str | Path) -> list[Path]:
    """Write every schema into ``directory`` as ``<name>.schema.json``; returns the paths written."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMA_NAMES:
        path = out / f"{name}.schema.json"
        path.write_text(schema_json(name), encoding="utf-8")
        written.append(path)
    return written


@cache
def load_schema(name: str) -> dict[str, Any]:
    """The schema shipped inside the package, read without importing or running the generator."""
    if name not in SCHEMA_NAMES:
        known = ", ".join(SCHEMA_NAMES)
        raise KeyError(f"no schema named {name!r}; known: {known}")
    text = (
        resources.files("tradeschema").joinpath("schemas").joinpath(f"{name}.schema.json").read_text("utf-8")
    )
    result: dict[str, Any] = json.loads(text)
    return result
