"""Integrity rules: what a JSON Schema cannot say about a dataset.

- ids are unique across the dataset;
- every reference resolves to a record of the right type (``imposed_by`` names a party, ``about`` a
  measure or negotiation, a span's ``source_id`` a source, ...);
- evidence spans have ``start < end``, lie inside their source's text, and their ``text`` equals
  ``source.text[start:end]`` when the source text is present;
- a source's ``text_sha256`` is the hash of its ``text`` when both are present;
- a round's ``start`` is not after its ``end``.

:class:`IntegrityChecker` takes records one at a time, so it serves an in-memory :class:`Dataset` and a
streaming validator alike. Each violation carries an opaque ``where`` (whatever the caller passed in,
such as a list index or a file and line) and the location of the value inside the record.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .dates import parse_partial_date
from .registry import RECORD_TYPES, TABLE_NAMES
from .report import IssueCode, format_path, shorten

if TYPE_CHECKING:
    from .models import Dataset, EvidenceSpan, Record, Round

__all__ = [
    "REFERENCE_FIELDS",
    "IntegrityChecker",
    "Violation",
    "check_dataset",
    "raise_for_violations",
    "violation_path",
]

Loc = tuple[str | int, ...]

REFERENCE_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    kind.table: dict(kind.references) for kind in RECORD_TYPES.values()
}
"""For each table, its reference fields and the tables a reference may point to.

Every evidence span's ``source_id`` must also name a record in ``sources``.
"""


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken integrity rule."""

    code: IssueCode
    """Which rule."""
    where: Hashable
    """The caller's location of the record (a list index, or a file and line)."""
    table: str
    """The table of the record."""
    loc: Loc
    """Location of the value inside the record."""
    record_id: str | None
    """Id of the record."""
    value: object
    """The offending value."""
    message: str
    """What is wrong."""


@dataclass(slots=True)
class _PendingSpan:
    where: Hashable
    table: str
    loc: Loc
    record_id: str
    source_id: str
    start: int
    end: int
    text: str


@dataclass(slots=True)
class _PendingRef:
    where: Hashable
    table: str
    loc: Loc
    record_id: str
    target: str
    allowed: tuple[str, ...]


class IntegrityChecker:
    """Checks integrity rules over records fed one at a time; call :meth:`finish` for the rest.

    Duplicate ids, span order, date ranges and hashes are reported as records arrive; references and
    spans whose source has not been seen yet are kept until :meth:`finish`.

    ``known_tables``, when given up front, names the tables the input has (a partial dataset, such as
    one JSON Lines file of statements): references that can only point into other tables are then
    not kept at all, instead of being kept and skipped by :meth:`finish`. It is also the default of
    :meth:`finish`'s argument.
    """

    def __init__(self, known_tables: Sequence[str] | None = None) -> None:
        self._known = None if known_tables is None else frozenset(known_tables)
        self._tables: dict[str, str] = {}
        self._source_texts: dict[str, str | None] = {}
        self._refs: list[_PendingRef] = []
        self._spans: list[_PendingSpan] = []

    def add(self, record: Record, where: Hashable) -> list[Violation]:
        """Check one record; returns the violations that can be told now."""
        table = record.table
        found: list[Violation] = []
        if record.id in self._tables:
            found.append(
                Violation(
                    IssueCode.duplicate_id,
                    where,
                    table,
                    ("id",),
                    record.id,
                    record.id,
                    f"id {record.id!r} is already used by a record in {self._tables[record.id]}",
                )
            )
        else:
            self._tables[record.id] = table
        if table == "sources":
            found.extend(self._add_source(record, where))
        for loc, target, allowed in _references(record):
            # A reference to a record already seen in an allowed table is settled for good (the first
            # record with an id keeps it), so only the rest are kept: with inputs in dataset order
            # that is few, which keeps a streamed check of millions of records small in memory.
            if self._tables.get(target) not in allowed and self._checkable(allowed):
                self._refs.append(_PendingRef(where, table, loc, record.id, target, allowed))
        for loc, span in _spans(record):
            found.extend(self._add_span(record, where, loc, span))
        found.extend(_round_dates(record, where))
        return found

    def _checkable(self, allowed: tuple[str, ...]) -> bool:
        return self._known is None or not self._known.isdisjoint(allowed)

    def _add_source(self, record: Record, where: Hashable) -> list[Violation]:
        text: str | None = getattr(record, "text", None)
        digest: str | None = getattr(record, "text_sha256", None)
        self._source_texts.setdefault(record.id, text)
        if text is not None and digest is not None:
            actual = hashlib.sha256(text.encode("utf-8")).hexdigest()
            if actual != digest:
                return [
                    Violation(
                        IssueCode.text_hash_mismatch,
                        where,
                        "sources",
                        ("text_sha256",),
                        record.id,
                        digest,
                        f"text_sha256 is not the SHA-256 of the text (which is {actual})",
                    )
                ]
        return []

    def _add_span(self, record: Record, where: Hashable, loc: Loc, span: EvidenceSpan) -> list[Violation]:
        if span.start >= span.end:
            return [
                Violation(
                    IssueCode.span_order,
                    where,
                    record.table,
                    (*loc, "end"),
                    record.id,
                    span.end,
                    f"span end {span.end} is not greater than start {span.start}",
                )
            ]
        pending = _PendingSpan(
            where, record.table, loc, record.id, span.source_id, span.start, span.end, span.text
        )
        if span.source_id in self._source_texts:
            return list(self._check_span(pending))
        if self._checkable(("sources",)):
            self._spans.append(pending)
        return []

    def _check_span(self, span: _PendingSpan) -> Iterator[Violation]:
        if span.source_id not in self._source_texts:
            kind = self._tables.get(span.source_id)
            code = IssueCode.dangling_reference if kind is None else IssueCode.wrong_reference_kind
            found = "no record" if kind is None else f"a record in {kind}"
            yield Violation(
                code,
                span.where,
                span.table,
                (*span.loc, "source_id"),
                span.record_id,
                span.source_id,
                f"source_id {span.source_id!r} names {found}, not a source",
            )
            return
        text = self._source_texts[span.source_id]
        if text is None:
            return
        if span.end > len(text):
            yield Violation(
                IssueCode.span_out_of_range,
                span.where,
                span.table,
                (*span.loc, "end"),
                span.record_id,
                span.end,
                f"span end {span.end} is beyond the end of source {span.source_id!r} "
                f"({len(text)} characters)",
            )
        elif text[span.start : span.end] != span.text:
            yield Violation(
                IssueCode.span_text_mismatch,
                span.where,
                span.table,
                (*span.loc, "text"),
                span.record_id,
                span.text,
                f"span text differs from the source text at [{span.start}:{span.end}], "
                f"which is {shorten(text[span.start : span.end], 60)}",
            )

    def finish(self, known_tables: Sequence[str] | None = None) -> list[Violation]:
        """Resolve references and spans kept back; returns their violations.

        ``known_tables`` limits reference checks to targets in those tables, for a partial dataset
        (such as a single JSON Lines file of statements); ``None`` checks every reference, or the
        references into the tables given to the constructor.
        """
        if known_tables is None and self._known is not None:
            known_tables = sorted(self._known)
        found: list[Violation] = []
        for ref in self._refs:
            if known_tables is not None and not set(ref.allowed) & set(known_tables):
                continue
            kind = self._tables.get(ref.target)
            if kind in ref.allowed:
                continue
            expected = " or ".join(ref.allowed)
            if kind is None:
                code, message = (
                    IssueCode.dangling_reference,
                    f"{ref.target!r} names no record (expected one in {expected})",
                )
            else:
                code, message = (
                    IssueCode.wrong_reference_kind,
                    f"{ref.target!r} names a record in {kind}, expected one in {expected}",
                )
            found.append(Violation(code, ref.where, ref.table, ref.loc, ref.record_id, ref.target, message))
        if known_tables is None or "sources" in known_tables:
            for span in self._spans:
                found.extend(self._check_span(span))
        self._refs.clear()
        self._spans.clear()
        return found


def _references(record: Record) -> Iterator[tuple[Loc, str, tuple[str, ...]]]:
    for name, allowed in REFERENCE_FIELDS[record.table].items():
        value = getattr(record, name)
        if value is None:
            continue
        if isinstance(value, list):
            for index, item in enumerate(value):
                yield (name, index), item, allowed
        else:
            yield (name,), value, allowed


def _rounds(record: Record) -> Sequence[Round]:
    # Only negotiations have rounds; asking other records for the attribute goes through pydantic's
    # slow missing-attribute path, which was a tenth of a streamed export's time.
    if record.table != "negotiations":
        return ()
    rounds: Sequence[Round] = getattr(record, "rounds")  # noqa: B009 - the Record base declares no rounds
    return rounds


def _spans(record: Record) -> Iterator[tuple[Loc, EvidenceSpan]]:
    for index, span in enumerate(record.evidence):
        yield ("evidence", index), span
    for round_index, round_ in enumerate(_rounds(record)):
        for index, span in enumerate(round_.evidence):
            yield ("rounds", round_index, "evidence", index), span


def _round_dates(record: Record, where: Hashable) -> Iterator[Violation]:
    for index, round_ in enumerate(_rounds(record)):
        if round_.start is None or round_.end is None:
            continue
        if parse_partial_date(round_.start).first > parse_partial_date(round_.end).last:
            yield Violation(
                IssueCode.date_range_order,
                where,
                record.table,
                ("rounds", index, "end"),
                record.id,
                round_.end,
                f"round ends ({round_.end}) before it starts ({round_.start})",
            )


def check_dataset(dataset: Dataset) -> list[Violation]:
    """All integrity violations in a dataset; ``where`` is the record's index in its list."""
    from .models import SCHEMA_VERSION

    checker = IntegrityChecker()
    found: list[Violation] = []
    if dataset.schema_version.split(".")[0] != SCHEMA_VERSION.split(".")[0]:
        found.append(
            Violation(
                IssueCode.unsupported_schema_version,
                None,
                "dataset",
                ("schema_version",),
                None,
                dataset.schema_version,
                f"schema_version {dataset.schema_version} is not supported: this release reads "
                f"major version {SCHEMA_VERSION.split('.')[0]} ({SCHEMA_VERSION})",
            )
        )
    for table in TABLE_NAMES:
        for index, record in enumerate(getattr(dataset, table)):
            found.extend(checker.add(record, index))
    found.extend(checker.finish())
    return found


def _dataset_loc(violation: Violation) -> Loc:
    if isinstance(violation.where, int):
        return (violation.table, violation.where, *violation.loc)
    return violation.loc


def violation_path(violation: Violation) -> str:
    """The JSON path of a violation found by :func:`check_dataset`, such as ``$.measures[2].imposed_by``."""
    return format_path(_dataset_loc(violation))


def raise_for_violations(dataset: Dataset) -> None:
    """Raise a pydantic ``ValidationError`` listing every integrity violation, each at its path."""
    violations = check_dataset(dataset)
    if not violations:
        return
    from pydantic import ValidationError
    from pydantic_core import InitErrorDetails, PydanticCustomError

    errors = [
        InitErrorDetails(
            type=PydanticCustomError(str(v.code), "{message}", {"message": v.message}),
            loc=_dataset_loc(v),
            input=v.value,
        )
        for v in violations
    ]
    raise ValidationError.from_exception_data("Dataset", errors)
