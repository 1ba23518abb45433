"""Shared parts of the validator: the run state, pydantic errors as issues, open-codelist warnings.

Every input reader (JSON Lines, Dataset JSON, Parquet, CSV) feeds one :class:`Run`: it owns the
:class:`~tradeschema.report.Report`, the compact integrity state shared across files, and the list of
files (a file's index in that list is how integrity state remembers where a record came from).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict

from ..integrity import IntegrityChecker, Where
from ..models import ID_PATTERN
from ..report import Issue, IssueCode, Report, Severity, format_path, shorten
from ..vocab import Topic
from .integrity import ITEM, ROW, CompactIdIndex

if TYPE_CHECKING:
    from pydantic import TypeAdapter, ValidationError

    from ..integrity import Violation
    from ..models import Record

__all__ = ["HINTS", "UNREADABLE_CODES", "Run", "adapter", "code_for_error"]

UNREADABLE_CODES: frozenset[IssueCode] = frozenset(
    {IssueCode.unreadable_file, IssueCode.invalid_parquet, IssueCode.no_input, IssueCode.unknown_record_type}
)
"""Codes that mean an input could not be read at all: the command line exits with 2 for them."""

HINTS: dict[IssueCode, str] = {
    IssueCode.unreadable_file: "check the path and its permissions",
    IssueCode.invalid_utf8: "re-encode the file as UTF-8",
    IssueCode.invalid_json: "each line must be one complete JSON object (RFC 8259; no NaN or Infinity)",
    IssueCode.not_an_object: "each record must be a JSON object {...}",
    IssueCode.blank_line: "remove empty lines; JSON Lines has one record per line",
    IssueCode.byte_order_mark: "save the file as UTF-8 without a byte-order mark",
    IssueCode.too_deeply_nested: "no record of the schema nests this deep; check how the file was written",
    IssueCode.invalid_parquet: "the file is truncated or not Parquet; export it again",
    IssueCode.invalid_csv: "cells holding lists or records must be JSON; check quoting",
    IssueCode.missing_column: "add the column (see `tradeschema.tables.arrow_schema`)",
    IssueCode.unknown_column: "remove or rename the column; names follow the schema's field names",
    IssueCode.column_type: "write the column with the type of the table layout",
    IssueCode.unknown_record_type: "name the file after its table (statements.jsonl) or pass --record",
    IssueCode.unsupported_schema_version: "upgrade tradeschema, or convert the data to this schema version",
    IssueCode.empty_file: "a Dataset document needs its JSON object, a CSV table its header row",
    IssueCode.no_input: "give a .json, .jsonl, .parquet or .csv file, or an export folder",
    IssueCode.missing_field: "add the field; see the schema for its meaning",
    IssueCode.unknown_field: "remove the field or fix its spelling; the schema allows no other fields",
    IssueCode.type_error: "write the value with the JSON type the schema gives (no quoted numbers)",
    IssueCode.enum_error: "use one of the values listed in the schema's enum",
    IssueCode.pattern_error: "ids are lowercase [a-z0-9._:-]; dates YYYY, YYYY-MM, YYYY-MM-DD or YYYY-Www",
    IssueCode.range_error: "keep the value within the schema's minimum and maximum",
    IssueCode.schema_error: "see the schema for this field",
    IssueCode.duplicate_id: "give each record its own id",
    IssueCode.dangling_reference: "add the referenced record, or fix the id",
    IssueCode.wrong_reference_kind: "point the reference at a record of the expected table",
    IssueCode.span_order: "a span needs start < end",
    IssueCode.span_out_of_range: "offsets count Unicode code points of the source text",
    IssueCode.span_text_mismatch: "text must equal source.text[start:end] (code points, not bytes)",
    IssueCode.text_hash_mismatch: "recompute text_sha256 from the UTF-8 text",
    IssueCode.date_range_order: "a round cannot end before it starts",
    IssueCode.derived_value_mismatch: "derived columns are written by the export; export the data again",
    IssueCode.link_table_mismatch: "link tables are derived on export; export the data again",
    IssueCode.form_mismatch: "the forms of one export must hold the same records; export the data again",
    IssueCode.manifest_mismatch: "a file changed after the export; export the data again",
    IssueCode.open_codelist_value: "allowed, but check for a typo against the codelist",
}
"""One-line hint per issue code."""

_TOPICS = frozenset(topic.value for topic in Topic)
_ID = re.compile(ID_PATTERN)


def _pattern_message(pattern: object, default: str) -> str:
    """Name the form a string must have, instead of quoting a pattern of a thousand characters."""
    from ..dates import PARTIAL_DATE_PATTERN

    if pattern == PARTIAL_DATE_PATTERN:
        return "not a date that exists, written YYYY, YYYY-MM, YYYY-Www or YYYY-MM-DD"
    if pattern == ID_PATTERN:
        return "not an id: use lowercase letters, digits and - _ . :"
    if isinstance(pattern, str) and len(pattern) > 80:
        return "string does not have the form the schema requires"
    return default


# Pydantic error types that are not named `<something>_type` but still mean "wrong JSON type".
_TYPE_ERRORS = frozenset(
    {"int_from_float", "finite_number", "none_required", "is_instance_of", "model_type", "dataclass_type"}
)
_RANGE_ERRORS = frozenset(
    {
        "greater_than",
        "greater_than_equal",
        "less_than",
        "less_than_equal",
        "too_short",
        "too_long",
        "string_too_short",
        "string_too_long",
    }
)


_DIRECT: dict[str, IssueCode] = {
    "missing": IssueCode.missing_field,
    "extra_forbidden": IssueCode.unknown_field,
    "enum": IssueCode.enum_error,
    "literal_error": IssueCode.enum_error,
    "string_pattern_mismatch": IssueCode.pattern_error,
    "recursion_loop": IssueCode.too_deeply_nested,
    **dict.fromkeys(_RANGE_ERRORS, IssueCode.range_error),
    **dict.fromkeys(_TYPE_ERRORS, IssueCode.type_error),
}


def code_for_error(error_type: str, message: str = "") -> IssueCode:
    """The issue code of a pydantic error type (``missing`` -> ``missing-field``, ...)."""
    if error_type == "json_invalid":
        # pydantic-core's JSON parser stops at 200 levels; no record of the schema nests that deep.
        return IssueCode.too_deeply_nested if "recursion limit" in message else IssueCode.invalid_json
    code = _DIRECT.get(error_type)
    if code is not None:
        return code
    if error_type.endswith(("_type", "_parsing")):
        return IssueCode.type_error
    try:
        # Integrity errors raised through pydantic (by Dataset) carry their issue code as their type.
        return IssueCode(error_type)
    except ValueError:
        return IssueCode.schema_error


def error_message(code: IssueCode, error: Any) -> str:
    """A one-line message for one pydantic error (an ``ErrorDetails``) of issue ``code``."""
    loc = tuple(error["loc"])
    message: str = error["msg"]
    if code is IssueCode.missing_field and loc:
        return f"required field {loc[-1]!r} is missing"
    if code is IssueCode.unknown_field and loc:
        return f"field {loc[-1]!r} is not in the schema"
    if code is IssueCode.pattern_error:
        return _pattern_message(error.get("ctx", {}).get("pattern"), message)
    return message


@cache
def dict_adapter(model: type[Record]) -> TypeAdapter[Any]:
    """A pydantic adapter that checks exactly what ``model`` checks but returns plain dicts.

    Derived from the model's fields (same annotated types and constraints, same required fields,
    unknown fields forbidden at every level), so it cannot drift from the model. Building dicts
    instead of model instances is ~9% faster on the JSON Lines hot path, where a record that only
    contributes its id is dropped right after validation.
    """
    from pydantic import TypeAdapter

    return TypeAdapter(_typed_dict(model))


def _typed_dict(model: type[BaseModel]) -> Any:
    from typing_extensions import NotRequired, TypedDict

    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        annotation = _as_dicts(info.annotation)
        if info.metadata:
            params = (annotation, *info.metadata)
            annotation = Annotated[params]
        fields[name] = annotation if info.is_required() else NotRequired[annotation]
    # The functional form, since the fields come from the model at run time.
    typed: Any = TypedDict(f"{model.__name__}Dict", fields)  # type: ignore[misc]
    config = ConfigDict(extra="forbid", allow_inf_nan=model.model_config.get("allow_inf_nan", True))
    setattr(typed, "__pydantic_config__", config)  # noqa: B010  # how pydantic configures a TypedDict
    return typed


def _as_dicts(annotation: Any) -> Any:
    """``annotation`` with every nested model replaced by its TypedDict twin."""
    import types
    import typing

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _typed_dict(annotation)
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        params = (_as_dicts(args[0]), *annotation.__metadata__)
        return Annotated[params]
    if origin is list:
        return list[_as_dicts(args[0])]  # type: ignore[misc]
    if origin in (typing.Union, types.UnionType):
        members = tuple(_as_dicts(arg) for arg in args)
        return typing.Union[members]  # noqa: UP007  # a tuple built at run time
    return annotation


@cache
def adapter(model: type[Record]) -> TypeAdapter[Any]:
    """The (cached) pydantic adapter of a record model; building one costs milliseconds."""
    from pydantic import TypeAdapter

    return TypeAdapter(model)


class Run:
    """State of one validation run over any number of inputs."""

    def __init__(
        self, known_tables: Collection[str] | None, keep_per_code: int = 1000, report: Report | None = None
    ) -> None:
        self.report = Report(keep_per_code=keep_per_code) if report is None else report
        """The report issues go to; several runs (one per integrity scope) may share one."""
        self.integrity = IntegrityChecker(known_tables, emit=self._violation, index=CompactIdIndex())
        self.unreadable = False
        """True once an input could not be read at all (exit code 2)."""
        # For Dataset documents: per file, each record's (table, index in its list, line), by ordinal.
        self._items: dict[int, list[tuple[str, int, int]]] = {}

    # ----------------------------------------------------------------- places and issues

    def file_index(self, name: str) -> int:
        """Register a file (once) and return its index, the compact form integrity state keeps."""
        self.report.files.append(name)
        return len(self.report.files) - 1

    def issue(
        self,
        code: IssueCode,
        message: str,
        *,
        file: str | None,
        line: int | None = None,
        row: int | None = None,
        path: str | None = None,
        record_id: str | None = None,
        value: str | None = None,
        severity: Severity = Severity.error,
    ) -> None:
        """Add one issue to the report, with the code's hint."""
        if code in UNREADABLE_CODES:
            self.unreadable = True
        self.report.add(
            Issue(
                code=code,
                severity=severity,
                message=message,
                file=file,
                line=line,
                row=row,
                path=path,
                record_id=record_id,
                value=value,
                hint=HINTS.get(code),
            )
        )

    def item(self, file_index: int, table: str, index: int, line: int) -> Where:
        """The location of a record in a Dataset document (its list, index and line)."""
        items = self._items.setdefault(file_index, [])
        items.append((table, index, line))
        return (file_index, len(items) - 1, ITEM)

    def place(self, where: Where) -> tuple[str | None, int | None, int | None, tuple[str | int, ...]]:
        """File, line, row and JSON path root of a compact location."""
        file_index, number, kind = where
        file = self.report.files[file_index] if 0 <= file_index < len(self.report.files) else None
        if kind == ITEM:
            table, index, line = self._items[file_index][number]
            return file, line, None, (table, index)
        if kind == ROW:
            return file, None, number, ()
        return file, number, None, ()

    def _violation(self, violation: Violation) -> None:
        file, line, row, root = self.place(violation.where)
        self.issue(
            violation.code,
            violation.message,
            file=file,
            line=line,
            row=row,
            path=format_path((*root, *violation.loc)),
            record_id=violation.record_id,
            value=None if violation.value is None else shorten(violation.value),
        )

    def validation_error(
        self,
        exc: ValidationError,
        *,
        file: str,
        line: int | None = None,
        row: int | None = None,
        root: Sequence[str | int] = (),
        record_id: str | None = None,
        register: tuple[str, Where] | None = None,
    ) -> None:
        """Turn each error of a pydantic ``ValidationError`` into an issue at its JSON path.

        Called once per failing record, which is counted as checked. With ``register`` (its table and
        place), a well-formed ``record_id`` is still remembered, so references to the failing record
        are not reported as dangling on top of its own errors.
        """
        self.report.records += 1
        if register is not None and record_id is not None and _ID.fullmatch(record_id):
            self.integrity.add_id(record_id, register[0], register[1])
        for error in exc.errors(include_url=False):
            code = code_for_error(error["type"], error["msg"])
            loc = tuple(error["loc"])
            whole_input = code in (IssueCode.invalid_json, IssueCode.too_deeply_nested)
            value = None
            if not whole_input and code is not IssueCode.missing_field:
                value = shorten(error.get("input"))
            message = error_message(code, error)
            self.issue(
                code,
                message,
                file=file,
                line=line,
                row=row,
                path=format_path((*root, *loc)),
                record_id=record_id,
                value=value,
            )

    # ----------------------------------------------------------------- records

    def record(self, record: Record, where: Where) -> None:
        """Take a record that passed the schema: open-codelist warnings and integrity."""
        self.report.records += 1
        if record.table == "negotiations":
            self.topics(record, where)
        self.integrity.add(record, where)

    def topics(self, record: Record, where: Where) -> None:
        """Warn about negotiation topics outside the open Topic codelist."""
        for index, topic in enumerate(getattr(record, "topics", ())):
            if topic not in _TOPICS:
                file, line, row, root = self.place(where)
                self.issue(
                    IssueCode.open_codelist_value,
                    f"topic {topic!r} is not in the Topic codelist (allowed: the codelist is open)",
                    file=file,
                    line=line,
                    row=row,
                    path=format_path((*root, "topics", index)),
                    record_id=record.id,
                    value=shorten(topic),
                    severity=Severity.warning,
                )

    def finish(self) -> Report:
        """Resolve integrity state kept back, add the notes, and return the report."""
        self.integrity.finish()
        self.report.notes.extend(self.integrity.notes())
        return self.report
