"""Validation reports: data problems are issues collected in a report, never exceptions.

An :class:`Issue` has a stable :class:`IssueCode`, a :class:`Severity`, a place (file, line or row,
JSON path, record id), the offending value shortened for display, a message and a hint. A
:class:`Report` counts every issue and keeps a bounded number of each code, so a file with a million
identical errors reports them all in its counts without holding a million objects.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

from ._compat import StrEnum

__all__ = [
    "ISSUE_TYPES",
    "Issue",
    "IssueCode",
    "IssueGroup",
    "IssueType",
    "Report",
    "Severity",
    "excerpt",
    "format_path",
    "issue_message",
    "printable",
    "shorten",
    "utf8_safe",
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
    duplicate_key = "duplicate-key"
    """A JSON object has the same key twice; readers disagree on which value counts."""
    line_too_long = "line-too-long"
    """A JSON Lines line is longer than the reader's limit; it was skipped, not read."""
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
    """The record type of a file could not be told from its name."""
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
class IssueType:
    """What an issue code means: its message template, its hint and its default severity.

    The one place each message is worded. A template names the facts a caller supplies (``{column!r}``,
    ``{note}`` for a detail that only the reader or pydantic can give); hints never name command-line
    options, which belong to the command line.
    """

    template: str
    """The message, a :meth:`str.format` template over the fields the caller gives."""
    hint: str
    """How to fix it."""
    severity: Severity = Severity.error
    """Severity unless the caller says otherwise."""
    unreadable: bool = False
    """True when the input could not be read at all (the command line exits with 2)."""
    suggestion: str | None = None
    """The hint instead of :attr:`hint` when the validator can name the value probably meant: a
    template over ``{suggestion}`` and ``{given}``."""
    long_template: str | None = None
    """The message instead of :attr:`template` when the allowed values are too many to list: a
    template over ``{given}``, ``{count}`` and ``{field}``."""

    def message(self, **fields: object) -> str:
        """The message with ``fields`` filled in."""
        return self.template.format(**fields)


_REREAD = "export the data again"

ISSUE_TYPES: dict[IssueCode, IssueType] = {
    IssueCode.unreadable_file: IssueType(
        "cannot read {what}: {note}", "check the path and its permissions", unreadable=True
    ),
    IssueCode.invalid_utf8: IssueType("bytes are not UTF-8 ({note})", "re-encode the file as UTF-8"),
    IssueCode.invalid_json: IssueType(
        "not valid JSON: {note}", "each line must be one complete JSON object (RFC 8259; no NaN or Infinity)"
    ),
    IssueCode.not_an_object: IssueType(
        "{what} is not a JSON object", "each record must be a JSON object {{...}}"
    ),
    IssueCode.blank_line: IssueType("empty line", "remove empty lines; JSON Lines has one record per line"),
    IssueCode.byte_order_mark: IssueType(
        "the file starts with a UTF-8 byte-order mark", "save the file as UTF-8 without a byte-order mark"
    ),
    IssueCode.duplicate_key: IssueType(
        "key {key!r} appears more than once in one object",
        "keep one of the two values; parsers differ on which one a record gets",
    ),
    IssueCode.line_too_long: IssueType(
        "the line has {length:,} bytes, over the limit of {limit:,}; it was not read",
        "no record of the schema is this long; check how the file was written, or raise the line limit",
    ),
    IssueCode.too_deeply_nested: IssueType(
        "{what} nests too deeply", "no record of the schema nests this deep; check how the file was written"
    ),
    IssueCode.invalid_parquet: IssueType(
        "not a readable Parquet file: {note}",
        "the file is truncated or not Parquet; export it again",
        unreadable=True,
    ),
    IssueCode.invalid_csv: IssueType(
        "not readable CSV: {note}",
        "cells holding lists or records must be JSON (or DuckDB's nested literals); check quoting",
    ),
    IssueCode.missing_column: IssueType(
        "required column {column!r} is missing", "add the column (see `tradeschema.tables.arrow_schema`)"
    ),
    IssueCode.unknown_column: IssueType(
        "column {column!r} is not in the {table} layout",
        "remove or rename the column; names follow the schema's field names",
    ),
    IssueCode.column_type: IssueType(
        "column {column!r} is {actual}, the layout has {expected}",
        "write the column with the type of the table layout",
    ),
    IssueCode.unknown_record_type: IssueType(
        "cannot tell the record type from the file name",
        "name the file after its table (statements.jsonl) or give the record type",
        unreadable=True,
    ),
    IssueCode.unsupported_schema_version: IssueType(
        "schema_version {version} is not supported: this release reads major version {major} ({supported})",
        "upgrade tradeschema, or convert the data to this schema version",
    ),
    IssueCode.empty_file: IssueType(
        "the file is empty: {note}", "a Dataset document needs its JSON object, a CSV table its header row"
    ),
    IssueCode.no_input: IssueType(
        "no file the validator reads (.json, .jsonl, .parquet, .csv, compressed or not)",
        "give a .json, .jsonl, .parquet or .csv file, or an export folder",
        unreadable=True,
    ),
    IssueCode.missing_field: IssueType(
        "required field {field!r} is missing", "add the field; see the schema for its meaning"
    ),
    IssueCode.unknown_field: IssueType(
        "field {field!r} is not in the schema",
        "remove the field or fix its spelling; the schema allows no other fields",
    ),
    IssueCode.type_error: IssueType(
        "{note}", "write the value with the JSON type the schema gives (no quoted numbers)"
    ),
    IssueCode.enum_error: IssueType(
        "{note}",
        "use one of the values listed in the schema's enum",
        suggestion="did you mean {suggestion!r}?",
        long_template="{given!r} is not one of the {count} values allowed for {field}",
    ),
    IssueCode.pattern_error: IssueType("{note}", "write the value in the form the message gives"),
    IssueCode.range_error: IssueType("{note}", "keep the value within the schema's minimum and maximum"),
    IssueCode.schema_error: IssueType("{note}", "see the schema for this field"),
    IssueCode.duplicate_id: IssueType(
        "id {record_id!r} is already used by a record in {earlier}", "give each record its own id"
    ),
    IssueCode.dangling_reference: IssueType(
        "{target!r} names no record (expected one in {expected})", "add the referenced record, or fix the id"
    ),
    IssueCode.wrong_reference_kind: IssueType(
        "{target!r} names a record in {kind}, expected one in {expected}",
        "point the reference at a record of the expected table",
    ),
    IssueCode.span_order: IssueType(
        "span end {end} is not greater than start {start}", "a span needs start < end"
    ),
    IssueCode.span_out_of_range: IssueType(
        "span end {end} is beyond the end of source {source_id!r} ({length} characters)",
        "offsets count Unicode code points of the source text",
    ),
    IssueCode.span_text_mismatch: IssueType(
        "span text differs from the source text at [{start}:{end}], which is {actual}",
        "text must equal source.text[start:end] (code points, not bytes)",
    ),
    IssueCode.text_hash_mismatch: IssueType(
        "text_sha256 is not the SHA-256 of the text (which is {actual})",
        "recompute text_sha256 from the UTF-8 text",
    ),
    IssueCode.date_range_order: IssueType(
        "round ends ({end}) before it starts ({start})", "a round cannot end before it starts"
    ),
    IssueCode.derived_value_mismatch: IssueType(
        "{column} is {actual}, but {field} {given} gives {expected}",
        f"derived columns are written by the export; {_REREAD}",
    ),
    IssueCode.link_table_mismatch: IssueType(
        "link table {table} has {rows:,} rows that differ from the {derived:,} rows derived from {parent}",
        f"link tables are derived on export; {_REREAD}",
    ),
    IssueCode.form_mismatch: IssueType(
        "{table}: {count:,} records in {form}, {other_count:,} in {other}, and they differ",
        f"the forms of one export must hold the same records; {_REREAD}",
    ),
    IssueCode.manifest_mismatch: IssueType(
        "the file does not match manifest.json: {note}", f"a file changed after the export; {_REREAD}"
    ),
    IssueCode.open_codelist_value: IssueType(
        "{field} {given!r} is not in the {codelist} codelist (allowed: the codelist is open)",
        "allowed, but check for a typo against the codelist",
        severity=Severity.warning,
    ),
}
"""Every issue code's message template, hint and default severity: the one place each is worded."""


def issue_message(code: IssueCode, **fields: object) -> str:
    """The message of an issue of ``code`` with ``fields`` filled in (see :data:`ISSUE_TYPES`)."""
    return ISSUE_TYPES[code].message(**fields)


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
    """The offending value as JSON text (``"2024-02-30"``, ``5``, ``null``), cut when long; for input that
    is not JSON (a malformed line, bytes that are not UTF-8) an excerpt of it."""
    hint: str | None = None
    """How to fix it."""

    def to_dict(self) -> dict[str, Any]:
        """The issue as a JSON-ready dict, with every key present."""
        return {
            "code": str(self.code),
            "severity": str(self.severity),
            "file": utf8_safe(self.file),
            "line": self.line,
            "row": self.row,
            "path": utf8_safe(self.path),
            "record_id": utf8_safe(self.record_id),
            "value": utf8_safe(self.value),
            "message": utf8_safe(self.message),
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
    """A value as JSON text, as it would appear in the input (``"2024-02-30"``, ``12``, ``null``, ``[1]``),
    cut to ``limit`` characters. Bytes, which have no JSON form, give an :func:`excerpt`; other
    objects (a date from a Parquet column) their string as a JSON string."""
    if isinstance(value, (bytes, bytearray)):
        return excerpt(bytes(value), limit)
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except RecursionError:
        # A deeply nested input value would overflow the stack; say what it is instead.
        text = f"<deeply nested {type(value).__name__}>"
    except ValueError:  # a container that holds itself; no input gives one
        text = f"<{type(value).__name__}>"
    return _cut(text, limit)


def excerpt(text: str | bytes, limit: int = 80) -> str:
    """A piece of raw input (not a JSON value: a malformed line), cut to ``limit`` characters.

    Bytes that are not UTF-8 are shown as ``\\xNN``."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "backslashreplace")
    return _cut(text, limit)


def _cut(text: str, limit: int) -> str:
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


# Characters that would let a value or a file name change how a report reads: line breaks and other
# control characters (a newline in a file name could forge a summary line), and the bidirectional
# overrides that reorder what a terminal shows.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, as os.fsdecode or surrogateescape keep it
        return f"\\x{code - 0xDC00:02x}"
    if char in _SHORT:
        return _SHORT[char]
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def _needs_escape(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp") or char in _BIDI


def printable(text: str) -> str:
    """``text`` safe to print on one line of a terminal report: control characters, line breaks,
    bidirectional overrides and undecodable bytes (surrogate escapes) written as ``\\n``,
    ``\\x1b``, ``\\u202e``, ``\\xff``. Other text is unchanged."""
    if text.isprintable():
        return text
    return "".join(_escape_char(char) if _needs_escape(char) else char for char in text)


def utf8_safe(text: str | None) -> str | None:
    """``text`` encodable as UTF-8: undecodable bytes kept by ``os.fsdecode`` (surrogate escapes) are
    written as ``\\xNN``. JSON output escapes control characters itself."""
    if text is None or text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "".join(_escape_char(char) if 0xD800 <= ord(char) <= 0xDFFF else char for char in text)
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
            "path": utf8_safe(self.first.path),
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

    def count_more(self, issue: Issue, count: int) -> None:
        """Count ``count`` more issues of ``issue``'s code, severity and path without keeping any.

        For issues counted elsewhere (a distributed run counts on its workers and sends back only a
        sample): ``issue`` stands for them, and becomes the first of its group when the group is new.
        """
        self.counts[str(issue.code)] += count
        self.severity_counts[str(issue.severity)] += count
        key = (str(issue.code), str(issue.severity), issue.path or "")
        group = self.groups.get(key)
        if group is None:
            self.groups[key] = IssueGroup(issue, count)
        else:
            group.count += count

    def extend(self, issues: Iterable[Issue]) -> None:
        """Add several issues."""
        for issue in issues:
            self.add(issue)

    def merge(self, later: Report, line_offset: int = 0) -> None:
        """Add the issues and records of ``later``, a report on input read after this one's (such as
        the next part of the same file), as if each had been added here in turn.

        Lines of ``later`` count from its own first line: ``line_offset`` is added to each. Its files
        and notes are not taken (the part's file is this report's already).
        """

        def shifted(issue: Issue) -> Issue:
            if line_offset and issue.line is not None:
                return replace(issue, line=issue.line + line_offset)
            return issue

        kept = {code: min(self.counts[code], self.keep_per_code) for code in later.counts}
        for issue in later.issues:
            code = str(issue.code)
            if kept[code] < self.keep_per_code:
                kept[code] += 1
                self.issues.append(shifted(issue))
        self.counts.update(later.counts)
        self.severity_counts.update(later.severity_counts)
        for key, group in later.groups.items():
            mine = self.groups.get(key)
            if mine is None:
                self.groups[key] = IssueGroup(shifted(group.first), group.count)
            else:
                mine.count += group.count
        self.records += later.records

    def sort_issues(self) -> None:
        """Put the issues kept in file order: by file (in the order checked), line or row, and code.

        The issues of one place keep the order they were found in. Which issues are kept does not
        change; the order no longer depends on when a rule could tell (a duplicate id is told when a
        batch of ids is merged, a dangling reference at the end), nor on how the input was split.
        """
        files: dict[str | None, int] = {None: -1}
        for index, name in enumerate(self.files):
            files.setdefault(name, index)
        ranks = {code: rank for rank, code in enumerate(ISSUE_TYPES)}
        last = len(self.files)
        self.issues.sort(
            key=lambda issue: (
                files.get(issue.file, last),
                issue.line or issue.row or 0,
                ranks[issue.code],
            )
        )

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
            "files": [utf8_safe(name) for name in self.files],
            "notes": [utf8_safe(note) for note in self.notes],
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
