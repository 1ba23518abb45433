"""Curation: an analyst's corrections applied after extraction, validated like everything else.

A curation file is JSON::

    {
      "add":    {"parties": [{...Party...}], "measures": [...], "statements": [...], "negotiations": [...]},
      "update": [{"id": "party:person:howard-lutnick", "set": {"role": "Secretary of Commerce"}}],
      "remove": ["statement:...:004"]
    }

The file is parsed by the model :class:`CurationFile` (strict: no coercion, no unknown keys, tables
from the registry), so any malformed file, however nested, raises :class:`CurationError` naming the
file and the JSON path of the first problem (``$.update[2].id``). Additions come first, then updates
(fields replaced by id), then removals; the result is validated as a whole
:class:`~tradeschema.models.Dataset`, so a removal that leaves a dangling reference is an error.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from ..errors import InputError
from ..registry import TABLE_NAMES
from ..report import format_path

if TYPE_CHECKING:
    from ..models import Dataset

__all__ = ["CurationError", "CurationFile", "CurationUpdate", "apply_curation"]


class CurationError(InputError):
    """A curation file is unreadable or one of its entries cannot be applied; the message names the
    entry by its JSON path (``$.update[2]``)."""


class _Strict(BaseModel):
    # Strict: a curation is written by hand, so `"1"` for a number or `{}` for an id is a mistake to
    # report, not to coerce.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class CurationUpdate(_Strict):
    """Fields to replace in one record, found by id."""

    id: str
    """The id of the record to change."""
    set: dict[str, Any]
    """Field names and their new values; the record as a whole is validated afterwards."""


@cache
def _additions() -> type[BaseModel]:
    # One optional list of record objects per table, from the registry; other keys are refused.
    fields: Any = {table: (list[dict[str, Any]], []) for table in TABLE_NAMES}
    model: type[BaseModel] = create_model("CurationAdditions", __base__=_Strict, **fields)
    return model


class CurationFile(_Strict):
    """A curation file: records to add (by table), fields to update (by id), ids to remove."""

    add: dict[str, list[dict[str, Any]]] = Field(default_factory=dict)
    """Records to add, as JSON objects, under their table name (``parties``, ``statements``, ...)."""
    update: list[CurationUpdate] = Field(default_factory=list)
    """Fields to replace, record by record."""
    remove: list[str] = Field(default_factory=list)
    """Ids of records to remove."""


_EXTRA: dict[tuple[str | int, ...], str] = {
    (): "unknown key; expected add, update and/or remove",
    ("add",): f"unknown table; expected one of {', '.join(TABLE_NAMES)}",
}


def _located(exc: ValidationError, file: str, root: tuple[str, ...] = ()) -> CurationError:
    """The first error of a malformed curation file, with its JSON path (and line, for bad JSON)."""
    errors = exc.errors(include_url=False)
    error = errors[0]
    loc = (*root, *error["loc"])
    message = error["msg"]
    line = None
    if error["type"] == "json_invalid":
        found = re.search(r" at line (\d+) column \d+", message)
        line = int(found.group(1)) if found else None
        message = "not valid JSON: " + message.removeprefix("Invalid JSON: ")
    elif error["type"] == "extra_forbidden":
        message = _EXTRA.get(loc[:-1], "unknown field")
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return CurationError(f"{format_path(loc)}: {message}{more}", file=file, line=line)


def _errors(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors()[:5]:
        where = ".".join(str(x) for x in error["loc"]) or "record"
        parts.append(f"{where}: {error['msg']}")
    more = len(exc.errors()) - 5
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


def _load(path: str | os.PathLike[str]) -> CurationFile:
    name = os.fspath(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise CurationError(f"cannot read curation file: {exc.strerror}", file=name) from None
    try:
        curation = CurationFile.model_validate_json(raw)
    except ValidationError as exc:
        raise _located(exc, name) from None
    try:
        _additions().model_validate(curation.add)
    except ValidationError as exc:
        raise _located(exc, name, ("add",)) from None
    return curation


def _named(record: dict[str, Any], ids: set[str]) -> bool:
    record_id = record.get("id")
    return isinstance(record_id, str) and record_id in ids


def apply_curation(dataset: Dataset, path: str | os.PathLike[str]) -> Dataset:
    """Apply a curation file to a dataset; returns the new, validated dataset (the input is unchanged).

    Raises :class:`CurationError` naming the file and the entry's JSON path for a file that is not a
    curation (any malformed shape), an entry that cannot be applied, or an invalid result.
    """
    from ..models import Dataset

    name = os.fspath(path)
    curation = _load(path)
    tables: dict[str, list[dict[str, Any]]] = {
        table: [record.model_dump(mode="json") for record in getattr(dataset, table)] for table in TABLE_NAMES
    }
    for table, records in curation.add.items():
        tables[table].extend(dict(record) for record in records)
    # Records added with an id that is not a string are left to the validation of the result.
    by_id = {
        record["id"]: record
        for table in TABLE_NAMES
        for record in tables[table]
        if isinstance(record.get("id"), str)
    }
    for index, entry in enumerate(curation.update):
        where = f"$.update[{index}]"
        record = by_id.get(entry.id)
        if record is None:
            raise CurationError(f"{where} (id {entry.id!r}): no record with this id", file=name)
        for field, value in entry.set.items():
            if field == "id":
                raise CurationError(f"{where}.set.id (id {entry.id!r}): ids cannot be changed", file=name)
            if field not in record:
                raise CurationError(
                    f"{where}.set (id {entry.id!r}): the record has no field {field!r}", file=name
                )
            record[field] = value
    removed: set[str] = set()
    for index, record_id in enumerate(curation.remove):
        if record_id not in by_id:
            raise CurationError(f"$.remove[{index}] (id {record_id!r}): no record with this id", file=name)
        removed.add(record_id)
    for table in TABLE_NAMES:
        tables[table] = [record for record in tables[table] if not _named(record, removed)]
    try:
        return Dataset.model_validate({"schema_version": dataset.schema_version, **tables})
    except ValidationError as exc:
        raise CurationError(f"the curated dataset is invalid: {_errors(exc)}", file=name) from None
