"""Curation: an analyst's corrections applied after extraction, validated like everything else.

A curation file is JSON::

    {
      "add":    {"parties": [{...Party...}], "measures": [...], "statements": [...], "negotiations": [...]},
      "update": [{"id": "party:person:howard-lutnick", "set": {"role": "Secretary of Commerce"}}],
      "remove": ["statement:...:004"]
    }

Additions come first, then updates (fields replaced by id), then removals; the result is validated as
a whole :class:`~tradeschema.models.Dataset`, so a removal that leaves a dangling reference is an error.
Every problem raises :class:`CurationError` naming the file and the entry (``update[2]``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ..errors import InputError
from ..registry import TABLE_NAMES

if TYPE_CHECKING:
    from ..models import Dataset

__all__ = ["CurationError", "apply_curation"]

_KEYS = ("add", "update", "remove")


class CurationError(InputError):
    """A curation file is unreadable or one of its entries cannot be applied; the message names the entry."""


def _errors(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors()[:5]:
        where = ".".join(str(x) for x in error["loc"]) or "record"
        parts.append(f"{where}: {error['msg']}")
    more = len(exc.errors()) - 5
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


def _load(path: str | os.PathLike[str]) -> dict[str, Any]:
    name = os.fspath(path)
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CurationError(f"cannot read curation file: {exc}", file=name) from None
    try:
        loaded = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise CurationError(f"not valid JSON: {exc.msg}", file=name, line=exc.lineno) from None
    if not isinstance(loaded, dict):
        raise CurationError("expected a JSON object with 'add', 'update' and/or 'remove'", file=name)
    unknown = sorted(set(loaded) - set(_KEYS))
    if unknown:
        raise CurationError(f"unknown key(s) {', '.join(unknown)}; expected {', '.join(_KEYS)}", file=name)
    return loaded


def apply_curation(dataset: Dataset, path: str | os.PathLike[str]) -> Dataset:  # noqa: PLR0912  # one check per entry shape, each with its own message
    """Apply a curation file to a dataset; returns the new, validated dataset (the input is unchanged)."""
    from ..models import Dataset

    name = os.fspath(path)
    curation = _load(path)
    tables: dict[str, list[dict[str, Any]]] = {
        table: [record.model_dump(mode="json") for record in getattr(dataset, table)] for table in TABLE_NAMES
    }
    add = curation.get("add", {})
    if not isinstance(add, dict):
        raise CurationError("'add' must be an object of lists by table", file=name)
    for table, records in add.items():
        if table not in TABLE_NAMES or not isinstance(records, list):
            raise CurationError(
                f"add.{table}: expected a list under one of {', '.join(TABLE_NAMES)}", file=name
            )
        for index, record in enumerate(records):
            if not isinstance(record, dict):
                raise CurationError(f"add.{table}[{index}]: expected a record object", file=name)
            tables[table].append(record)
    by_id = {record.get("id"): record for table in TABLE_NAMES for record in tables[table]}
    for index, entry in enumerate(curation.get("update", [])):
        where = f"update[{index}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("set"), dict) or "id" not in entry:
            raise CurationError(f"{where}: expected {{'id': ..., 'set': {{field: value}}}}", file=name)
        record = by_id.get(entry["id"])
        if record is None:
            raise CurationError(f"{where} (id {entry['id']!r}): no record with this id", file=name)
        for field, value in entry["set"].items():
            if field == "id":
                raise CurationError(f"{where} (id {entry['id']!r}): ids cannot be changed", file=name)
            if field not in record:
                raise CurationError(
                    f"{where} (id {entry['id']!r}): the record has no field {field!r}", file=name
                )
            record[field] = value
    removals = curation.get("remove", [])
    if not isinstance(removals, list):
        raise CurationError("'remove' must be a list of ids", file=name)
    removed: set[str] = set()
    for index, record_id in enumerate(removals):
        if record_id not in by_id:
            raise CurationError(f"remove[{index}] (id {record_id!r}): no record with this id", file=name)
        removed.add(record_id)
    for table in TABLE_NAMES:
        tables[table] = [record for record in tables[table] if record.get("id") not in removed]
    try:
        return Dataset.model_validate({"schema_version": dataset.schema_version, **tables})
    except ValidationError as exc:
        raise CurationError(f"the curated dataset is invalid: {_errors(exc)}", file=name) from None
