"""Validation reports: data problems are issues collected in a report, never exceptions.

An :class:`Issue` has a stable :class:`IssueCode`, a :class:`Severity`, a place (file, line or row,
JSON path, record id), the offending value shortened for display, a message and a hint. A
:class:`Report` counts every issue and keeps a bounded number of each code, so a file with a million
identical errors reports them all in its counts without holding a million objects.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

from ._compat import StrEnum

__all__ = [
    "Issue",
    "IssueCode",
    "IssueGroup",
    "Report",
    "Severity",
    "format_path",
    "shorten",
]


class Severity(StrEnum):
    """How serious an issue is. Only errors make data invalid."""

    error = "error"
    """The data does not conform to the schema."""
    warning = "warning"
    """The data conforms, but something deserves a look (such as a value outside an open codelist)."""


class IssueCode(StrEnum):
    """Stable codes for every kind of issue. Pipelines may match on these; they never change meaning."""

    # Reading input
    unreadable_file = "unreadable-file"
    """The file could not be opened or read."""
    invalid_utf8 = "invalid-utf8"
    """The bytes are not valid UTF-8."""
    invalid_json = "invalid-json"
    """A document or line is not valid JSON."""
    not_an_object = "not-an-object"
    """A JSON Lines line or a record is not a JSON object."""
    blank_line = "blank-line"
    """A JSON Lines file has an empty line."""
    byte_order_mark = "byte-order-mark"
    """The file starts with a UTF-8 byte-order mark, which JSON forbids."""
    too_deeply_nested = "too-deeply-nested"
    """The JSON nests deeper than a record of the schema can."""
    invalid_parquet = "invalid-parquet"
    """The file is not a readable Parquet file."""
    invalid_csv = "invalid-csv"
    """The file is not readable CSV, or a cell cannot be decoded."""
    missing_column = "missing-column"
    """A table lacks a column the schema requires."""
    unknown_column = "unknown-column"
    """A table has a column the schema does not define."""
    column_type = "column-type"
    """A table column has a type that cannot hold the field's values."""
    unknown_record_type = "unknown-record-type"
    """The record type of a file could not be told from its name; pass ``--record``."""
    unsupported_schema_version = "unsupported-schema-version"
    """The data declares a schema version this release cannot check."""
    empty_file = "empty-file"
    """A Dataset document or a CSV file has no content at all (zero bytes, or only whitespace).

    An empty table is valid: a JSON Lines file of no lines, or a Parquet or CSV table with its columns
    and no rows."""
    no_input = "no-input"
    """A path does not exist, or a folder holds no file the validator recognises."""

    # The JSON Schema's rules, checked per record
    missing_field = "missing-field"
    """A required field is absent."""
    unknown_field = "unknown-field"
    """A field the schema does not define is present."""
    type_error = "type-error"
    """A value has the wrong JSON type."""
    enum_error = "enum-error"
    """A value is not in a closed vocabulary."""
    pattern_error = "pattern-error"
    """A string does not have the required form (id, partial date, code)."""
    range_error = "range-error"
    """A number or length is outside its allowed range."""
    schema_error = "schema-error"
    """Any other violation of the JSON Schema."""

    # Integrity, across fields and records
    duplicate_id = "duplicate-id"
    """Two records share an id."""
    dangling_reference = "dangling-reference"
    """A reference names an id that no record has."""
    wrong_reference_kind = "wrong-reference-kind"
    """A reference names a record of the wrong type, such as a measure where a party is expected."""
    span_order = "span-order"
    """An evidence span does not have ``start < end``."""
    span_out_of_range = "span-out-of-range"
    """An evidence span ends beyond its source's text."""
    span_text_mismatch = "span-text-mismatch"
    """An evidence span's ``text`` differs from the source text at its offsets."""
    text_hash_mismatch = "text-hash-mismatch"
    """A source's ``text_sha256`` is not the hash of its ``text``."""
    date_range_order = "date-range-order"
    """A date range ends before it starts."""
    derived_value_mismatch = "derived-value-mismatch"
    """A derived column (``f_date``, ``f_precision``) does not hold what its partial date gives."""

    # An export folder as a whole
    link_table_mismatch = "link-table-mismatch"
    """A derived link table's rows are not those derived from its parent record table."""
    form_mismatch = "form-mismatch"
    """Two forms of one export folder (``dataset.json``, ``jsonl/``, ``parquet/``) hold different records."""
    manifest_mismatch = "manifest-mismatch"
    """A file of an export folder is missing, or its size or SHA-256 differs from the manifest."""

    # Warnings
    open_codelist_value = "open-codelist-value"
    """A value is outside an open codelist: allowed, but worth checking for a typo."""


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found in the data, with its place."""

    code: IssueCode
    """Stable code of the problem."""
    severity: Severity
    """Error or warning."""
    message: str
    """One-line description."""
    file: str | None = None
    """File the problem is in."""
    line: int | None = None
    """1-based line, for text formats (JSON Lines, JSON)."""
    row: int | None = None
    """1-based row, for tables (Parquet, CSV)."""
    path: str | None = None
    """JSON path of the value, such as ``$.measures[2].imposed_by``, or a column name."""
    record_id: str | None = None
    """Id of the record, when known."""
    value: str | None = None
    """The offending value, shortened for display."""
    hint: str | None = None
    """How to fix it."""

    def to_dict(self) -> dict[str, Any]:
        """The issue as a JSON-ready dict, with every key present."""
        return {
            "code": str(self.code),
            "severity": str(self.severity),
            "file": self.file,
            "line": self.line,
            "row": self.row,
            "path": self.path,
            "record_id": self.record_id,
            "value": self.value,
            "message": self.message,
            "hint": self.hint,
        }


def format_path(loc: Sequence[str | int], root: str = "$") -> str:
    """Render a location as a JSON path: ``("measures", 2, "id")`` -> ``$.measures[2].id``."""
    parts = [root]
    for key in loc:
        if isinstance(key, int):
            parts.append(f"[{key}]")
        elif key.isidentifier():
            parts.append(f".{key}")
        else:
            escaped = key.replace("\\", "\\\\").replace("'", "\\'")
            parts.append(f"['{escaped}']")
    return "".join(parts)


def shorten(value: object, limit: int = 80) -> str:
    """A display form of a value, cut to ``limit`` characters."""
    try:
        text = repr(value)
    except RecursionError:
        # A deeply nested input value: its repr would overflow the stack; say what it is instead.
        text = f"<deeply nested {type(value).__name__}>"
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


@dataclass(slots=True)
class IssueGroup:
    """Issues of one code at one path: how many, and the first one found."""

    first: Issue
    """The first issue of the group, in the order found."""
    count: int = 1
    """Number of issues in the group (all counted, whether kept or not)."""

    def to_dict(self) -> dict[str, Any]:
        """The group as JSON-ready data."""
        return {
            "code": str(self.first.code),
            "severity": str(self.first.severity),
            "path": self.first.path,
            "count": self.count,
            "first": self.first.to_dict(),
        }


@dataclass
class Report:
    """Issues found in one validation run, counted by code, with a bounded sample of each code kept."""

    keep_per_code: int = 1000
    """How many issues of each code are kept; all are counted."""
    issues: list[Issue] = field(default_factory=list)
    """The issues kept, in the order found."""
    counts: Counter[str] = field(default_factory=Counter)
    """Number of issues found, by code."""
    severity_counts: Counter[str] = field(default_factory=Counter)
    """Number of issues found, by severity."""
    files: list[str] = field(default_factory=list)
    """Files checked."""
    records: int = 0
    """Records checked."""
    groups: dict[tuple[str, str, str], IssueGroup] = field(default_factory=dict)
    """Issues grouped by code, severity and path (list indices kept), each with its count and first place."""
    notes: list[str] = field(default_factory=list)
    """What the run could and could not check, such as references into tables that were not given."""

    def add(self, issue: Issue) -> None:
        """Count an issue, and keep it if fewer than ``keep_per_code`` of its code are kept."""
        self.counts[str(issue.code)] += 1
        self.severity_counts[str(issue.severity)] += 1
        key = (str(issue.code), str(issue.severity), issue.path or "")
        group = self.groups.get(key)
        if group is None:
            self.groups[key] = IssueGroup(issue)
        else:
            group.count += 1
        if self.counts[str(issue.code)] <= self.keep_per_code:
            self.issues.append(issue)

    def extend(self, issues: Iterable[Issue]) -> None:
        """Add several issues."""
        for issue in issues:
            self.add(issue)

    @property
    def errors(self) -> int:
        """Number of errors found."""
        return self.severity_counts[str(Severity.error)]

    @property
    def warnings(self) -> int:
        """Number of warnings found."""
        return self.severity_counts[str(Severity.warning)]

    @property
    def valid(self) -> bool:
        """True when no error was found (warnings do not make data invalid)."""
        return self.errors == 0

    def to_dict(self, max_issues: int | None = None) -> dict[str, Any]:
        """The report as JSON-ready data: ``{valid, counts, issues, ...}``.

        ``max_issues`` caps how many issues are listed, never what is counted.
        """
        listed = self.issues if max_issues is None else self.issues[:max_issues]
        return {
            "valid": self.valid,
            "counts": {
                "errors": self.errors,
                "warnings": self.warnings,
                "records": self.records,
                "by_code": dict(sorted(self.counts.items())),
            },
            "files": list(self.files),
            "notes": list(self.notes),
            "groups": [group.to_dict() for group in self.sorted_groups()],
            "issues": [issue.to_dict() for issue in listed],
            "issues_listed": len(listed),
        }

    def raise_for_errors(self) -> None:
        """Raise :class:`~tradeschema.errors.InvalidDataError` (with this report) when there is an error."""
        if not self.valid:
            from .errors import InvalidDataError

            raise InvalidDataError(self)

    def failure_cases(self) -> pa.Table:
        """The issues kept, one row each, as a pyarrow Table (``.to_pandas()`` gives a DataFrame).

        Columns: code, severity, file, line, row, path, record_id, value, message, hint.
        """
        import pyarrow as pa

        names = ("code", "severity", "file", "line", "row", "path", "record_id", "value", "message", "hint")
        rows = [issue.to_dict() for issue in self.issues]
        types = {"line": pa.int64(), "row": pa.int64()}
        return pa.table(
            {name: pa.array([row[name] for row in rows], types.get(name, pa.string())) for name in names}
        )

    def sorted_groups(self) -> list[IssueGroup]:
        """Groups with errors first, then by descending count."""
        return sorted(
            self.groups.values(),
            key=lambda g: (g.first.severity != Severity.error, -g.count, str(g.first.code)),
        )
