"""A Markdown field reference generated from the JSON Schema (``docs/schema.md``)."""

from __future__ import annotations

from typing import Any

from .dates import PARTIAL_DATE_PATTERN
from .models import ID_PATTERN, SCHEMA_VERSION
from .schema import SCHEMA_NAMES, portable_pattern, schema_for

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


def _model_section(name: str, body: dict[str, Any]) -> list[str]:
    required = set(body.get("required", []))
    lines = [f"### {name}", "", _cell(body.get("description", "")), ""]
    lines += ["| field | type | required | description |", "| --- | --- | --- | --- |"]
    for field, prop in body.get("properties", {}).items():
        lines.append(
            f"| `{field}` | {_type_of(prop)} | {'yes' if field in required else ''} | "
            f"{_cell(prop.get('description', ''))} |"
        )
    lines.append("")
    return lines


def _codelist_section(name: str, body: dict[str, Any]) -> list[str]:
    codelist = body["x-codelist"]
    lines = [f"### {name}", "", _cell(body.get("description", "")), ""]
    if codelist["open"]:
        lines += ["An open codelist: other values are allowed and reported as warnings.", ""]
    values = codelist["values"]
    extra = [key for key in ("gta_intervention_type", "mast_code") if any(key in value for value in values)]
    header = "| value | description |" + "".join(f" {key} |" for key in extra)
    lines += [header, "| --- | --- |" + " --- |" * len(extra)]
    for value in codelist["values"]:
        row = f"| `{value['code']}` | {_cell(value['description'])} |"
        row += "".join(f" {'' if value.get(key) is None else value[key]} |" for key in extra)
        lines.append(row)
    lines.append("")
    return lines


def schema_markdown() -> str:
    """The field reference of every record and vocabulary, as Markdown."""
    dataset = schema_for("dataset")
    defs: dict[str, Any] = dict(dataset["$defs"])
    lines = [
        f"# tradeschema {SCHEMA_VERSION} field reference",
        "",
        "Generated from the models by `tradeschema schema --markdown`; do not edit by hand.",
        f"JSON Schemas: {', '.join(f'`schemas/{name}.schema.json`' for name in SCHEMA_NAMES)}.",
        "",
        "## Records",
        "",
    ]
    lines += _model_section("Dataset", dataset)
    models = sorted(name for name, body in defs.items() if body.get("type") == "object")
    codelists = sorted(name for name, body in defs.items() if "x-codelist" in body)
    for name in models:
        lines += _model_section(name, defs[name])
    lines += ["## Vocabularies", ""]
    for name in codelists:
        lines += _codelist_section(name, defs[name])
    topic = defs["Negotiation"]["properties"]["topics"]
    lines += _codelist_section("Topic", {"description": "Subjects of a negotiation.", **topic})
    lines += [
        "### Country and language codes",
        "",
        "`CountryCode`: ISO 3166-1 alpha-2 codes from the `pycountry` data, plus `EU` (European Union)"
        " and `XK` (Kosovo). `LanguageCode`: ISO 639-1 two-letter codes.",
        "",
    ]
    lines += layout_markdown()
    lines += issues_markdown()
    return "\n".join(lines)


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
