"""A Markdown field reference generated from the JSON Schema (``docs/schema.md``)."""

from __future__ import annotations

import enum
from typing import Any

from . import vocab
from .dates import PARTIAL_DATE_PATTERN
from .models import ID_PATTERN, SCHEMA_VERSION
from .registry import RECORD_TYPES
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
    title = "Dataset" if name == "dataset" else RECORD_TYPES[name].model.__name__
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
    if name == "dataset":
        lines += layout_markdown()
        lines += issues_markdown()
    return "\n".join(lines)


def _arrow_type(kind: Any) -> str:
    return f"`{kind}`"


def layout_markdown() -> list[str]:
    """The Parquet layout, from the same code that writes it (:func:`tradeschema.tables.arrow_schema`)."""
    from .registry import LINK_TABLES, TABLE_NAMES
    from .tables import DATE_SUFFIX, PRECISION_SUFFIX, arrow_schema, link_schema

    lines = [
        "## Parquet layout",
        "",
        "One table per record type, one column per field in model order, typed from the models, never "
        "inferred. Closed vocabularies and country and language codes are `dictionary<int32, string>`. "
        f"A partial date `f` is followed by two derived columns: `f{DATE_SUFFIX}` (`date32`, the first "
        f"day it covers) and `f{PRECISION_SUFFIX}` (year, month, week or day), inside structs too. "
        "A required field is a non-nullable column.",
        "",
    ]
    for table in TABLE_NAMES:
        lines += [f"### `{table}`", "", "| column | Arrow type | nullable |", "| --- | --- | --- |"]
        for field in arrow_schema(table):
            lines.append(
                f"| `{field.name}` | {_arrow_type(field.type)} | {'yes' if field.nullable else 'no'} |"
            )
        lines.append("")
    lines += [
        "### Derived link tables",
        "",
        "One row per item of a list field, derived from the record tables on every export and checked "
        "against them by `tradeschema validate`.",
        "",
        "| table | one row per item of | columns |",
        "| --- | --- | --- |",
    ]
    for name, link in LINK_TABLES.items():
        columns = ", ".join(f"`{field.name}`: {_arrow_type(field.type)}" for field in link_schema(name))
        lines.append(f"| `{name}` | `{link.parent}.{link.field}` | {columns} |")
    lines.append("")
    return lines


def issues_markdown() -> list[str]:
    """Every issue code of a validation report, from the registry that words them."""
    from .report import ISSUE_TYPES, IssueCode

    lines = [
        "## Validation issue codes",
        "",
        "The codes `tradeschema validate` reports (`tradeschema.IssueCode`), with the message each "
        "gives and its hint. Errors make data invalid (exit 1); an unreadable input also makes the "
        "command exit 2; warnings leave the data valid.",
        "",
        "| code | severity | message | hint |",
        "| --- | --- | --- | --- |",
    ]
    for code in IssueCode:
        kind = ISSUE_TYPES[code]
        severity = f"{kind.severity}{', unreadable' if kind.unreadable else ''}"
        lines.append(f"| `{code}` | {severity} | {_cell(kind.template)} | {_cell(kind.hint)} |")
    lines.append("")
    return lines
