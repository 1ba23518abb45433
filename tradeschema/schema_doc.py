"""A Markdown field reference generated from the JSON Schema (``docs/schema.md``)."""

from __future__ import annotations

import enum
from typing import Any

from . import vocab
from .dates import PARTIAL_DATE_PATTERN
from .models import ID_PATTERN, RECORD_TYPES, SCHEMA_VERSION
from .schema import SCHEMA_NAMES, portable_pattern, schema_for
from .vocab import Topic, codelist, codelist_description

__all__ = ["schema_markdown"]


def _type_of(prop: dict[str, Any]) -> str:
    if "$ref" in prop:
        name = str(prop["$ref"]).rsplit("/", 1)[-1]
        return f"[{name}](#{name.lower()})"
    if "anyOf" in prop:
        kinds = [_type_of(option) for option in prop["anyOf"] if option.get("type") != "null"]
        return " or ".join(kinds) + " or null"
    if prop.get("type") == "array":
        return f"list of {_type_of(prop.get('items', {}))}"
    pattern = prop.get("pattern")
    if pattern == portable_pattern(PARTIAL_DATE_PATTERN):
        return "partial date (`YYYY`, `YYYY-MM`, `YYYY-Www`, `YYYY-MM-DD`)"
    if pattern == portable_pattern(ID_PATTERN):
        return "id"
    kind = str(prop.get("type", "any"))
    if pattern is not None:
        kind += " (pattern)"
    return kind


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _without_values(description: str, vocabulary: type[enum.Enum], *, open_: bool = False) -> str:
    """A description without the list of values the schema appends to it (the tables show them)."""
    return description.replace("\n\n" + codelist_description(vocabulary, open_=open_), "")


def _model_section(name: str, body: dict[str, Any]) -> list[str]:
    required = set(body.get("required", []))
    lines = [f"### {name}", "", _cell(body.get("description", "")), ""]
    lines += ["| field | type | required | description |", "| --- | --- | --- | --- |"]
    for field, prop in body.get("properties", {}).items():
        lines.append(
            f"| `{field}` | {_type_of(prop)} | {'yes' if field in required else ''} | "
            f"{_cell(_without_values(prop.get('description', ''), Topic, open_=True))} |"
        )
    lines.append("")
    return lines


def _codelist_section(description: str, vocabulary: type[enum.Enum], *, open_: bool = False) -> list[str]:
    data = codelist(vocabulary, open_=open_)
    lines = [f"### {data['name']}", "", _cell(_without_values(description, vocabulary, open_=open_)), ""]
    if open_:
        lines += ["An open codelist: other values are allowed and reported as warnings.", ""]
    values = data["values"]
    extra = [key for key in ("gta_intervention_type", "mast_code") if any(key in value for value in values)]
    header = "| value | description |" + "".join(f" {key} |" for key in extra)
    lines += [header, "| --- | --- |" + " --- |" * len(extra)]
    for value in values:
        row = f"| `{value['code']}` | {_cell(value['description'])} |"
        row += "".join(f" {'' if value.get(key) is None else value[key]} |" for key in extra)
        lines.append(row)
    lines.append("")
    return lines


def schema_markdown(name: str = "dataset") -> str:
    """The field reference as Markdown: of every record and vocabulary (``dataset``, the default), or
    of one record type (``measure``, ...) with the records and vocabularies it uses."""
    root = schema_for(name)
    defs: dict[str, Any] = dict(root.get("$defs", {}))
    title = "Dataset" if name == "dataset" else RECORD_TYPES[name].__name__
    heading = f"# tradeschema {SCHEMA_VERSION} field reference"
    command = "tradeschema schema --markdown"
    files = ", ".join(f"`schemas/{schema}.schema.json`" for schema in SCHEMA_NAMES)
    if name != "dataset":
        heading += f": {title}"
        command += f" {name}"
        files = f"`schemas/{name}.schema.json`"
    lines = [
        heading,
        "",
        f"Generated from the models by `{command}`; do not edit by hand.",
        f"JSON Schemas: {files}.",
        "",
        "## Records",
        "",
    ]
    lines += _model_section(title, root)
    models = sorted(key for key, body in defs.items() if body.get("type") == "object")
    codelists = sorted(key for key, body in defs.items() if "enum" in body and hasattr(vocab, key))
    for key in models:
        lines += _model_section(key, defs[key])
    lines += ["## Vocabularies", ""]
    for key in codelists:
        lines += _codelist_section(defs[key].get("description", ""), getattr(vocab, key))
    negotiation = root if title == "Negotiation" else defs.get("Negotiation")
    if negotiation is not None:
        topics = negotiation["properties"]["topics"]
        lines += _codelist_section(topics.get("description", ""), Topic, open_=True)
    if any(key in defs for key in ("CountryCode", "LanguageCode")):
        lines += [
            "### Country and language codes",
            "",
            "`CountryCode`: ISO 3166-1 alpha-2 codes from the `pycountry` data, plus `EU` (European Union)"
            " and `XK` (Kosovo). `LanguageCode`: ISO 639-1 two-letter codes.",
            "",
        ]
    return "\n".join(lines)
