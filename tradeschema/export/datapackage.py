"""``datapackage.json``: the CSV tables of an export described as a Frictionless Data Package.

One Tabular Data Resource per record table (``csv/<table>.csv``), each with a Table Schema generated
from the models: a field per column (``string``, ``integer``, ``number``, ``boolean``; lists are
``array`` and nested records ``object``, both JSON text as frictionless reads them), ``required`` for
the fields a record must have, ``enum`` for closed vocabularies, the primary key ``id``, and a foreign
key for every reference field of the registry that holds one id of one table (a list of references,
or a reference to one of several tables, has no foreign key in Table Schema). ``frictionless validate
datapackage.json`` checks the CSV files against it.
"""

from __future__ import annotations

import json
import typing
from pathlib import Path
from typing import Any

from ..models import SCHEMA_VERSION
from ..registry import RECORD_TYPES, TABLE_NAMES, model_for_table, record_type
from ..tables import FieldKind, FieldSpec, field_specs
from .layout import CSV_FOLDER, DATAPACKAGE_JSON

__all__ = ["data_package", "table_schema", "write_data_package"]

_TYPES = {
    FieldKind.string: "string",
    FieldKind.vocabulary: "string",
    FieldKind.partial_date: "string",
    FieldKind.integer: "integer",
    FieldKind.number: "number",
    FieldKind.boolean: "boolean",
    FieldKind.list: "array",
    FieldKind.model: "object",
}


def _field(spec: FieldSpec, required: bool) -> dict[str, Any]:
    field: dict[str, Any] = {"name": spec.name, "type": _TYPES[spec.kind]}
    if spec.description:
        field["description"] = spec.description
    constraints: dict[str, Any] = {}
    if required:
        constraints["required"] = True
    if spec.vocabulary is not None:
        constraints["enum"] = [str(member.value) for member in spec.vocabulary]
    if constraints:
        field["constraints"] = constraints
    return field


def _is_single(table: str, name: str) -> bool:
    """True when the field holds one reference (not a list of them)."""
    annotation = model_for_table(table).model_fields[name].annotation
    return typing.get_origin(annotation) is not list


def table_schema(table: str) -> dict[str, Any]:
    """The Table Schema of ``table``'s CSV file."""
    kind = record_type(table)
    model = kind.model
    fields = [_field(spec, model.model_fields[spec.name].is_required()) for spec in field_specs(model)]
    foreign_keys = [
        {
            "fields": name,
            # A reference to the table itself is the empty resource name in Table Schema.
            "reference": {"resource": "" if targets[0] == kind.table else targets[0], "fields": "id"},
        }
        for name, targets in kind.references.items()
        if len(targets) == 1 and _is_single(kind.table, name)
    ]
    schema: dict[str, Any] = {"fields": fields, "primaryKey": ["id"], "missingValues": [""]}
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return schema


def data_package() -> dict[str, Any]:
    """The Data Package of an export's CSV tables."""
    resources = []
    for table in TABLE_NAMES:
        model = model_for_table(table)
        resources.append(
            {
                "name": table,
                "path": f"{CSV_FOLDER}/{table}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": (model.__doc__ or "").strip(),
                "dialect": {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True},
                "schema": table_schema(table),
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": "tradeschema-export",
        "title": "tradeschema export",
        "version": SCHEMA_VERSION,
        "description": (
            f"Records of schema version {SCHEMA_VERSION}: "
            + ", ".join(kind.table for kind in RECORD_TYPES.values())
            + ". Lists and nested records are JSON text cells; an empty cell is null."
        ),
        "resources": resources,
    }


def write_data_package(root: str | Path) -> Path:
    """Write ``datapackage.json`` into the export folder ``root``."""
    path = Path(root) / DATAPACKAGE_JSON
    path.write_text(json.dumps(data_package(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
