"""Shared parts of the validator: the run state, pydantic errors as issues, open-codelist warnings.

Every input reader (JSON Lines, Dataset JSON, Parquet, CSV) feeds one :class:`Run`: it owns the
:class:`~tradeschema.report.Report`, the compact integrity state shared across files, and the list of
files (a file's index in that list is how integrity state remembers where a record came from).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict

from ..countries import normalize_country
from ..integrity import PACK_EVERY, IdIndex, IntegrityChecker, RecordingIdIndex, Where
from ..models import ID_PATTERN, WHOLE_FLOATS
from ..report import ISSUE_TYPES, Issue, IssueCode, Report, format_path, issue_message, shorten
from ..vocab import Topic
from .integrity import ITEM, ROW, CompactIdIndex

if TYPE_CHECKING:
    from pydantic import TypeAdapter, ValidationError
    from pydantic_core import SchemaValidator

    from ..integrity import Violation
    from ..models import Record

__all__ = ["UNREADABLE_CODES", "RecordHook", "Run", "adapter", "code_for_error", "error_message"]

UNREADABLE_CODES: frozenset[IssueCode] = frozenset(
    code for code, kind in ISSUE_TYPES.items() if kind.unreadable
)
"""Codes that mean an input could not be read at all: the command line exits with 2 for them."""

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


# A closed vocabulary longer than this is not listed in a message (countries are 250 codes).
_LISTED_VALUES = 12
_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")


def _allowed_values(error: Any) -> list[str]:
    """The values an ``enum`` or ``literal_error`` allows, as pydantic lists them in its context."""
    return list(_listed(str(error.get("ctx", {}).get("expected", ""))))


@lru_cache(maxsize=256)
def _listed(expected: str) -> tuple[str, ...]:
    # Cached: a file whose lines all break one enum field would parse the same list on every line.
    return tuple(_QUOTED.findall(expected))


def _enum_message(error: Any) -> str:
    allowed = _allowed_values(error)
    loc = tuple(error["loc"])
    if len(allowed) <= _LISTED_VALUES or not loc:
        return str(error["msg"])
    kind = ISSUE_TYPES[IssueCode.enum_error]
    assert kind.long_template is not None
    return kind.long_template.format(given=error.get("input"), count=len(allowed), field=loc[-1])


def enum_hint(error: Any) -> str | None:
    """The hint for a value outside a closed vocabulary that names the value probably meant (an
    alpha-3 country code's alpha-2 code, the same word in another case), or ``None``."""
    given = error.get("input")
    if not isinstance(given, str):
        return None
    allowed = _allowed_values(error)
    meant = normalize_country(given) if given.strip() else None
    if meant is None or meant not in allowed:
        meant = {value.casefold(): value for value in allowed}.get(given.strip().casefold())
    if meant is None or meant == given:
        return None
    template = ISSUE_TYPES[IssueCode.enum_error].suggestion
    assert template is not None
    return template.format(suggestion=meant, given=given)


def error_message(code: IssueCode, error: Any) -> str:
    """A one-line message for one pydantic error (an ``ErrorDetails``) of issue ``code``."""
    loc = tuple(error["loc"])
    message: str = error["msg"]
    if code in (IssueCode.missing_field, IssueCode.unknown_field) and loc:
        return issue_message(code, field=loc[-1])
    if code is IssueCode.pattern_error:
        message = _pattern_message(error.get("ctx", {}).get("pattern"), message)
    elif code is IssueCode.enum_error:
        message = _enum_message(error)
    elif code in (IssueCode.invalid_json, IssueCode.too_deeply_nested):
        return issue_message(code, note=message, what="the JSON")
    if "{note}" in ISSUE_TYPES[code].template:
        return issue_message(code, note=message)
    # An integrity violation raised through Dataset validation: the registry worded it already.
    return message


@cache
def dict_validator(model: type[Record]) -> SchemaValidator:
    """A pydantic-core validator that checks what ``model`` checks but returns plain dicts, and accepts
    no float where the model takes a whole one (:data:`~tradeschema.models.WHOLE_FLOATS`).

    Derived from the model's fields (same annotated types and constraints, same required fields,
    unknown fields forbidden at every level), so it cannot drift from the model. Building dicts
    instead of model instances is ~9% faster on the JSON Lines hot path, where a record that only
    contributes its id is dropped right after validation; leaving out the one Python validator of
    the model, called twice per evidence span, another ~3%. It is therefore stricter than the model,
    never looser: what it rejects, the model judges again.

    A ``TypeAdapter`` of a TypedDict takes no configuration of its own for the parse itself, so the
    validator is built here with the model's: string values are not cached (see
    :class:`~tradeschema.models.StrictModel`), which a TypedDict's config alone would leave on.
    """
    from pydantic import TypeAdapter
    from pydantic_core import CoreConfig, SchemaValidator

    schema = TypeAdapter(_typed_dict(model)).core_schema
    return SchemaValidator(schema, CoreConfig(cache_strings=model.model_config.get("cache_strings", True)))


def _typed_dict(model: type[BaseModel]) -> Any:
    from typing_extensions import NotRequired, TypedDict

    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        annotation = _as_dicts(info.annotation)
        metadata = [item for item in info.metadata if item is not WHOLE_FLOATS]
        if metadata:
            params = (annotation, *metadata)
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
        metadata = [item for item in annotation.__metadata__ if item is not WHOLE_FLOATS]
        inner = _as_dicts(args[0])
        if not metadata:
            return inner
        params = (inner, *metadata)
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


RecordHook = Callable[["Record", Where], None]
"""Called with every record that passed the schema, and its compact place (see :meth:`Run.place`)."""


class Run:
    """State of one validation run over any number of inputs.

    ``on_record``, when given, receives every record that passes the schema, as a model, with its
    place: the readers then build a model for every record (the JSON Lines hot path, which keeps
    only ids, is off), so a caller can keep exactly the records the report speaks of.

    ``index`` is where integrity remembers ids (by default a :class:`CompactIdIndex`); a distributed
    run passes one that records them, and checks ids across files itself.
    """

    def __init__(
        self,
        known_tables: Collection[str] | None,
        keep_per_code: int = 1000,
        report: Report | None = None,
        on_record: RecordHook | None = None,
        index: IdIndex | None = None,
        *,
        part: bool = False,
    ) -> None:
        self.on_record = on_record
        self.report = Report(keep_per_code=keep_per_code) if report is None else report
        """The report issues go to; several runs (one per integrity scope) may share one."""
        # The run over one part of an input checks what a record can break alone, and hands the rest
        # of integrity to the run over the whole input (IntegrityChecker.part and absorb).
        if part:
            # Packed as it fills: a worker's ids are held, pickled and handed over compactly.
            index = RecordingIdIndex(pack_every=PACK_EVERY)
        self.integrity = IntegrityChecker(
            known_tables, emit=self.violation, index=CompactIdIndex() if index is None else index, defer=part
        )
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
        /,
        *,
        file: str | None,
        line: int | None = None,
        row: int | None = None,
        path: str | None = None,
        record_id: str | None = None,
        value: str | None = None,
        **fields: object,
    ) -> None:
        """Add one issue to the report: its message from the code's template and ``fields``, its hint."""
        self.add_issue(
            code,
            issue_message(code, **fields),
            file=file,
            line=line,
            row=row,
            path=path,
            record_id=record_id,
            value=value,
        )

    def add_issue(
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
        hint: str | None = None,
    ) -> None:
        """Add one issue whose message was already worded by the registry (an integrity violation's);
        ``hint``, also worded by the registry, replaces the code's usual hint."""
        kind = ISSUE_TYPES[code]
        if kind.unreadable:
            self.unreadable = True
        self.report.add(
            Issue(
                code=code,
                severity=kind.severity,
                message=message,
                file=file,
                line=line,
                row=row,
                path=path,
                record_id=record_id,
                value=value,
                hint=kind.hint if hint is None else hint,
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

    def violation(self, violation: Violation) -> None:
        """Add an integrity violation as an issue, at the place its compact location names."""
        file, line, row, root = self.place(violation.where)
        self.add_issue(
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
        ignore: Collection[str] = (),
    ) -> None:
        """Turn each error of a pydantic ``ValidationError`` into an issue at its JSON path.

        Called once per failing record, which is counted as checked. With ``register`` (its table and
        place), a well-formed ``record_id`` is still remembered, so references to the failing record
        are not reported as dangling on top of its own errors. Errors under a top-level field in
        ``ignore`` are dropped: the reader already reported that field's value (a CSV cell it could
        not decode and left out).
        """
        self.failed_record(record_id, register)
        for error in exc.errors(include_url=False):
            code = code_for_error(error["type"], error["msg"])
            loc = tuple(error["loc"])
            if loc and loc[0] in ignore:
                continue
            whole_input = code in (IssueCode.invalid_json, IssueCode.too_deeply_nested)
            value = None
            if not whole_input and code is not IssueCode.missing_field:
                value = shorten(error.get("input"))
            message = error_message(code, error)
            hint = enum_hint(error) if code is IssueCode.enum_error else None
            self.add_issue(
                code,
                message,
                hint=hint,
                file=file,
                line=line,
                row=row,
                path=format_path((*root, *loc)),
                record_id=record_id,
                value=value,
            )

    def failed_record(self, record_id: str | None, register: tuple[str, Where] | None = None) -> None:
        """Count a record whose errors are reported, remembering its id as :meth:`validation_error` does."""
        self.report.records += 1
        if register is not None and record_id is not None and _ID.fullmatch(record_id):
            self.integrity.add_id(record_id, register[0], register[1])

    # ----------------------------------------------------------------- records

    def record(self, record: Record, where: Where) -> None:
        """Take a record that passed the schema: open-codelist warnings and integrity."""
        self.report.records += 1
        if record.table == "negotiations":
            self.topics(record, where)
        self.integrity.add(record, where)
        if self.on_record is not None:
            self.on_record(record, where)

    def topics(self, record: Record, where: Where) -> None:
        """Warn about negotiation topics outside the open Topic codelist."""
        for index, topic in enumerate(getattr(record, "topics", ())):
            if topic not in _TOPICS:
                file, line, row, root = self.place(where)
                self.issue(
                    IssueCode.open_codelist_value,
                    field="topic",
                    codelist="Topic",
                    given=topic,
                    file=file,
                    line=line,
                    row=row,
                    path=format_path((*root, "topics", index)),
                    record_id=record.id,
                    value=shorten(topic),
                )

    def finish(self) -> Report:
        """Resolve integrity state kept back, add the notes, put the issues in file order (see
        :meth:`Report.sort_issues`), and return the report."""
        self.integrity.finish()
        self.report.notes.extend(self.integrity.notes())
        self.report.sort_issues()
        return self.report
