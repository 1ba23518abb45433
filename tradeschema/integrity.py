"""Integrity rules: what a JSON Schema cannot say about a dataset.

- ids are unique across the dataset;
- every reference resolves to a record of the right type (``imposed_by`` names a party, ``about`` a
  measure or negotiation, a span's ``source_id`` a source, ...);
- evidence spans have ``start < end``, lie inside their source's text, and their ``text`` equals
  ``source.text[start:end]`` when the source text is present;
- a source's ``text_sha256`` is the hash of its ``text`` when both are present;
- a round's ``start`` is not after its ``end``.

Each rule is a small function that returns its :class:`Violation` (or none). :class:`IntegrityChecker`
composes them over records fed one at a time, so it serves an in-memory :class:`Dataset` and a
streaming validator alike. What differs between the two is how ids are remembered, behind the
:class:`IdIndex` interface: :class:`PlainIdIndex` keeps the strings; the validator's compact index
(:class:`tradeschema.validation.integrity.CompactIdIndex`) keeps 64-bit hashes in NumPy arrays.
References waiting to be resolved are kept as flat arrays with their targets interned, a few bytes
each, whichever index is used.

A record's place is a :data:`Where`: three integers the caller gives meaning to (the validator: file,
line or row, and kind; :func:`check_dataset`: the record's index in its list).
"""

from __future__ import annotations

import hashlib
import itertools
import zlib
from array import array
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from .dates import parse_partial_date
from .registry import RECORD_TYPES, TABLE_NAMES
from .report import IssueCode, format_path, issue_message, shorten

if TYPE_CHECKING:
    from .models import Dataset, EvidenceSpan, Record, Round

__all__ = [
    "ITEM",
    "LINE",
    "NO_TABLE",
    "PACK_EVERY",
    "REFERENCE_FIELDS",
    "ROW",
    "IdIndex",
    "IntegrityChecker",
    "IntegrityPart",
    "PendingSpan",
    "PlainIdIndex",
    "RecordingIdIndex",
    "Violation",
    "Where",
    "check_dataset",
    "check_round_dates",
    "check_span_order",
    "check_span_text",
    "check_text_hash",
    "duplicate_id",
    "raise_for_violations",
    "record_references",
    "record_spans",
    "unresolved_reference",
    "violation_path",
]

Loc = tuple[str | int, ...]
Where = tuple[int, int, int]
"""Where a record is, as three integers whose meaning the caller chooses."""

REFERENCE_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    kind.table: dict(kind.references) for kind in RECORD_TYPES.values()
}
"""For each table, its reference fields and the tables a reference may point to.

Every evidence span's ``source_id`` must also name a record in ``sources``.
"""

NO_TABLE = -1
"""What :meth:`IdIndex.table_of` returns for an id no record has."""
_TABLE_CODES = {table: code for code, table in enumerate(TABLE_NAMES)}
PACK_EVERY = 1 << 16
"""Ids a part's :class:`RecordingIdIndex` packs into one string, and that the checker of the whole
input unpacks and takes in at a time: one packed string each."""
LINE = 0
"""Place kind: ``number`` is a 1-based line of a text file (a part's lines count from its own first)."""
ROW = 1
"""Place kind: ``number`` is a 1-based row of a table (Parquet, CSV)."""
ITEM = 2
"""Place kind: ``number`` is the 0-based ordinal of a record in a Dataset document."""


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken integrity rule."""

    code: IssueCode
    """Which rule."""
    where: Where
    """The caller's place of the record."""
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
class PendingSpan:
    """An evidence span whose source has not been read yet."""

    where: Where
    table: str
    loc: Loc
    record_id: str
    source_id: str
    start: int
    end: int
    text: str


# ---------------------------------------------------------------------- the rules


def duplicate_id(record_id: str, table: str, earlier: str, where: Where) -> Violation:
    """A second record with an id (the first, in ``earlier``, keeps it)."""
    message = issue_message(IssueCode.duplicate_id, record_id=record_id, earlier=earlier)
    return Violation(IssueCode.duplicate_id, where, table, ("id",), record_id, record_id, message)


def check_text_hash(record_id: str, text: str | None, digest: str | None, where: Where) -> Violation | None:
    """A source's ``text_sha256`` is the SHA-256 of its text, when both are given."""
    if text is None or digest is None:
        return None
    actual = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if actual == digest:
        return None
    message = issue_message(IssueCode.text_hash_mismatch, actual=actual)
    return Violation(
        IssueCode.text_hash_mismatch, where, "sources", ("text_sha256",), record_id, digest, message
    )


def check_span_order(  # noqa: PLR0917  # the fields of one span
    table: str, loc: Loc, record_id: str, start: int, end: int, where: Where
) -> Violation | None:
    """A span's ``start`` is before its ``end``."""
    if start < end:
        return None
    message = issue_message(IssueCode.span_order, start=start, end=end)
    return Violation(IssueCode.span_order, where, table, (*loc, "end"), record_id, end, message)


def check_span_text(span: PendingSpan, text: str | None) -> Violation | None:
    """A span lies inside its source's text and equals it there (nothing to check without a text)."""
    if text is None:
        return None
    if span.end > len(text):
        message = issue_message(
            IssueCode.span_out_of_range, end=span.end, source_id=span.source_id, length=len(text)
        )
        return Violation(
            IssueCode.span_out_of_range,
            span.where,
            span.table,
            (*span.loc, "end"),
            span.record_id,
            span.end,
            message,
        )
    if text[span.start : span.end] != span.text:
        message = issue_message(
            IssueCode.span_text_mismatch,
            start=span.start,
            end=span.end,
            actual=shorten(text[span.start : span.end], 60),
        )
        return Violation(
            IssueCode.span_text_mismatch,
            span.where,
            span.table,
            (*span.loc, "text"),
            span.record_id,
            span.text,
            message,
        )
    return None


def unresolved_reference(  # noqa: PLR0917  # a reference and the record that holds it
    target: str,
    allowed: tuple[str, ...],
    kind: str | None,
    table: str,
    loc: Loc,
    record_id: str | None,
    where: Where,
) -> Violation | None:
    """A reference names a record of an allowed table (``kind`` is the table of ``target``, if any)."""
    if kind in allowed:
        return None
    expected = " or ".join(allowed)
    code = IssueCode.dangling_reference if kind is None else IssueCode.wrong_reference_kind
    message = issue_message(code, target=target, kind=kind, expected=expected)
    return Violation(code, where, table, loc, record_id, target, message)


def _rounds(record: Record) -> Sequence[Round]:
    # Only negotiations have rounds; asking other records for the attribute goes through pydantic's
    # slow missing-attribute path, which was a tenth of a streamed export's time.
    if record.table != "negotiations":
        return ()
    rounds: Sequence[Round] = getattr(record, "rounds")  # noqa: B009 - the Record base declares no rounds
    return rounds


def check_round_dates(record: Record, where: Where) -> Iterator[Violation]:
    """Each round of a negotiation ends no earlier than it starts."""
    for index, round_ in enumerate(_rounds(record)):
        if round_.start is None or round_.end is None:
            continue
        if parse_partial_date(round_.start).first > parse_partial_date(round_.end).last:
            message = issue_message(IssueCode.date_range_order, start=round_.start, end=round_.end)
            yield Violation(
                IssueCode.date_range_order,
                where,
                record.table,
                ("rounds", index, "end"),
                record.id,
                round_.end,
                message,
            )


def record_references(record: Record) -> Iterator[tuple[Loc, str, tuple[str, ...]]]:
    """Each reference a record holds: its location, the id it names and the tables allowed."""
    for name, allowed in REFERENCE_FIELDS[record.table].items():
        value = getattr(record, name)
        if value is None:
            continue
        if isinstance(value, list):
            for index, item in enumerate(value):
                yield (name, index), item, allowed
        else:
            yield (name,), value, allowed


def record_spans(record: Record) -> Iterator[tuple[Loc, EvidenceSpan]]:
    """Each evidence span of a record, its rounds' included, with its location."""
    for index, span in enumerate(record.evidence):
        yield ("evidence", index), span
    for round_index, round_ in enumerate(_rounds(record)):
        for index, span in enumerate(round_.evidence):
            yield ("rounds", round_index, "evidence", index), span


# ---------------------------------------------------------------------- remembering ids


class IdIndex(Protocol):
    """Where the checker remembers ids: which table each belongs to, and which came twice."""

    def add(self, record_id: str, table: int, where: Where) -> None:
        """Remember an id of the table with code ``table`` (its index in ``TABLE_NAMES``)."""

    def add_many(
        self, record_ids: list[str], table: int, file: int, numbers: Sequence[int], kind: int
    ) -> None:
        """Remember the ids of several records of one table found at ``(file, number, kind)``."""

    def take_duplicates(self, force: bool) -> list[tuple[str, Where, int, int]]:
        """Ids added again since the last call: the id, its place, its table and the first one's table.

        An index may hold new ids back in a batch; ``force`` makes it look at every one of them.
        """

    def table_of(self, record_id: str) -> int:
        """Table code of an id, or :data:`NO_TABLE`; call ``take_duplicates(force=True)`` first."""

    def nbytes(self) -> int:
        """Memory the index takes, roughly."""


class PlainIdIndex:
    """An :class:`IdIndex` that keeps each id string in a dict: simple, about 100 bytes per id."""

    def __init__(self) -> None:
        self._tables: dict[str, int] = {}
        self._duplicates: list[tuple[str, Where, int, int]] = []

    def add(self, record_id: str, table: int, where: Where) -> None:
        earlier = self._tables.get(record_id)
        if earlier is None:
            self._tables[record_id] = table
        else:
            self._duplicates.append((record_id, where, table, earlier))

    def add_many(
        self, record_ids: list[str], table: int, file: int, numbers: Sequence[int], kind: int
    ) -> None:
        for record_id, number in zip(record_ids, numbers, strict=True):
            self.add(record_id, table, (file, number, kind))

    def take_duplicates(self, force: bool) -> list[tuple[str, Where, int, int]]:
        found, self._duplicates = self._duplicates, []
        return found

    def table_of(self, record_id: str) -> int:
        return self._tables.get(record_id, NO_TABLE)

    def nbytes(self) -> int:
        return sum(len(record_id) + 100 for record_id in self._tables)


class RecordingIdIndex:
    """An :class:`IdIndex` that only writes ids down, in order, for a checker elsewhere to judge.

    It finds no duplicate and knows no id: the checker of one part of an input keeps one, and hands
    what it wrote down to the checker of the whole input (:meth:`IntegrityChecker.part`). Places are
    kept in typed arrays (a few bytes per id); with ``pack_every``, ids are packed every so many into
    one string (joined at line breaks, or end to end with their lengths when an id holds a line
    break) and compressed with zlib: ids share prefixes, so a packed id takes a few bytes instead
    of the 60 or more of a separate string. So they are held, and pickled to hand a part from a
    worker process to its caller.
    """

    def __init__(self, pack_every: int | None = None) -> None:
        self.ids: list[str] = []
        """The ids written down since the last packing (all of them without ``pack_every``)."""
        self.tables = array("b")
        self.files = array("i")
        self.numbers = array("q")
        self.kinds = array("b")
        self._pack_every = pack_every
        # Ids joined: at line breaks, or (when an id holds one) end to end with the length of each;
        # and how many.
        self._packed: list[tuple[bytes, array[int] | None, int]] = []
        self._packed_count = 0
        self._released = 0  # ids of packed strings let go (see ids_between)

    def __len__(self) -> int:
        return self._packed_count + len(self.ids)

    def add(self, record_id: str, table: int, where: Where) -> None:
        self.ids.append(record_id)
        self.tables.append(table)
        self.files.append(where[0])
        self.numbers.append(where[1])
        self.kinds.append(where[2])
        if self._pack_every is not None and len(self.ids) >= self._pack_every:
            self._pack(self._pack_every)

    def add_many(
        self, record_ids: list[str], table: int, file: int, numbers: Sequence[int], kind: int
    ) -> None:
        count = len(record_ids)
        self.ids.extend(record_ids)
        # Arrays repeated and appended in C: no list of Python ints is built per call.
        self.tables.extend(array("b", (table,)) * count)
        self.files.extend(array("i", (file,)) * count)
        self.numbers.extend(numbers if isinstance(numbers, array) else array("q", numbers))
        self.kinds.extend(array("b", (kind,)) * count)
        if self._pack_every is not None and len(self.ids) >= self._pack_every:
            self._pack(self._pack_every)

    def ids_between(self, start: int, stop: int, *, release: bool = False) -> list[str]:
        """The ids written down from the ``start``-th to before the ``stop``-th, packed or not.

        With ``release``, the packed strings wholly before ``stop`` are let go once read: for a
        reader that takes the ids in once, in order; ids before them can no longer be asked for.
        """
        if start < self._released:
            raise ValueError(f"ids before the {self._released}th were released")
        found: list[str] = []
        offset = self._released
        for packed, lengths, count in self._packed:
            if offset >= stop:
                break
            if offset + count > start:
                first, last = max(start - offset, 0), stop - offset
                text = zlib.decompress(packed).decode("utf-8", "surrogatepass")
                if lengths is None:
                    found.extend(text.split("\n")[first:last])
                else:
                    position = sum(lengths[:first])
                    for length in lengths[first:last]:
                        found.append(text[position : position + length])
                        position += length
            offset += count
        found.extend(self.ids[max(start - offset, 0) : max(stop - offset, 0)])
        while release and self._packed and self._released + self._packed[0][2] <= stop:
            self._released += self._packed.pop(0)[2]
        return found

    def _pack(self, every: int | None = None) -> None:
        """Pack the ids written down ``every`` at a time (all of them by default), so that a reader
        taking them in batches of the same size unpacks one string per batch."""
        size = every or len(self.ids)
        taken = 0
        while size and len(self.ids) - taken >= size:
            self._pack_ids(self.ids[taken : taken + size])
            taken += size
        del self.ids[:taken]

    def _pack_ids(self, ids: list[str]) -> None:
        joined = "\n".join(ids)
        # Ids hold no line break (the usual case, told by one count): split back at them, else cut
        # by the lengths kept. Level 1: about 6 ms for 65,536 ids, nine tenths of the best ratio.
        lengths = None if joined.count("\n") == len(ids) - 1 else array("I", map(len, ids))
        text = joined if lengths is None else "".join(ids)
        packed = zlib.compress(text.encode("utf-8", "surrogatepass"), 1)
        self._packed.append((packed, lengths, len(ids)))
        self._packed_count += len(ids)

    def __getstate__(self) -> dict[str, object]:
        if self._pack_every is not None:
            self._pack()
        return dict(self.__dict__)

    def take_duplicates(self, force: bool) -> list[tuple[str, Where, int, int]]:
        return []

    def table_of(self, record_id: str) -> int:
        return NO_TABLE

    def nbytes(self) -> int:
        packed = sum(len(text) + 4 * len(lengths or ()) for text, lengths, _ in self._packed)
        arrays = sum(a.itemsize * len(a) for a in (self.tables, self.files, self.numbers, self.kinds))
        return packed + arrays + sum(len(record_id) + 60 for record_id in self.ids)


@dataclass(slots=True)
class IntegrityPart:
    """What the records of one part of an input add to the integrity state, in the order read: their
    ids, the references and evidence spans still to resolve, and the source texts read.

    Made by the checker of that part (:meth:`IntegrityChecker.part`), taken in by the checker of the
    whole input (:meth:`IntegrityChecker.absorb`); the rules a record can break alone were checked in
    the part already.
    """

    ids: RecordingIdIndex
    targets: list[str]
    locs: list[tuple[Loc, str, tuple[str, ...]]]
    ref_target: array[int]
    ref_loc: array[int]
    ref_number: array[int]
    ref_kind: array[int]
    sources: list[tuple[str, str | None]]
    spans: list[PendingSpan]


# ---------------------------------------------------------------------- the checker


class IntegrityChecker:
    """Checks the integrity rules over records fed one at a time; call :meth:`finish` for the rest.

    Violations go to ``emit`` as soon as they are known (by default they are collected, and
    :meth:`finish` returns them). Duplicate ids, span order, date ranges and hashes are told as
    records arrive (a batching index may tell duplicates a little later); references, and spans
    whose source has not been read, are kept until :meth:`finish`.

    ``known_tables`` names the tables the input has (a partial dataset, such as one JSON Lines file of
    statements): references that can only point into other tables are not kept, and spans are not
    checked without sources.
    """

    def __init__(
        self,
        known_tables: Collection[str] | None = None,
        *,
        emit: Callable[[Violation], None] | None = None,
        index: IdIndex | None = None,
        defer: bool = False,
    ) -> None:
        self.defer = defer
        """True for the checker of one part of an input: it checks what a record can break alone, and
        keeps the rest for :meth:`part` (give it a :class:`RecordingIdIndex`)."""
        self.known: tuple[str, ...] = tuple(
            TABLE_NAMES if known_tables is None else [t for t in TABLE_NAMES if t in set(known_tables)]
        )
        """The tables the input has, in dataset order."""
        self.partial = len(self.known) < len(TABLE_NAMES)
        self._found: list[Violation] = []
        self._emit = emit if emit is not None else self._found.append
        self._index: IdIndex = index if index is not None else PlainIdIndex()
        known = set(self.known)
        # Only references that can be resolved are kept: one into a table not given is neither
        # dangling nor checkable.
        self._ref_fields = {
            table: [(name, allowed) for name, allowed in fields.items() if set(allowed) & known]
            for table, fields in REFERENCE_FIELDS.items()
        }
        self._check_spans = "sources" in known
        self._source_texts: dict[str, str | None] = {}
        self._spans: list[PendingSpan] = []
        # References kept for finish(), as flat arrays: target (interned), location (interned), place.
        self._targets: dict[str, int] = {}
        self._target_list: list[str] = []
        self._locs: dict[tuple[Loc, str, tuple[str, ...]], int] = {}
        self._loc_list: list[tuple[Loc, str, tuple[str, ...]]] = []
        self._ref_target = array("I")
        self._ref_loc = array("I")
        self._ref_file = array("I")
        self._ref_number = array("Q")
        self._ref_kind = array("b")

    # ------------------------------------------------------------------ what the input needs

    def refs_wanted(self, table: str) -> list[tuple[str, tuple[str, ...]]]:
        """The reference fields of a table worth keeping, with their allowed target tables."""
        return self._ref_fields[table]

    @property
    def spans_wanted(self) -> bool:
        """True when evidence spans can be checked (the sources table is among the inputs)."""
        return self._check_spans

    def id_only(self, table: str) -> bool:
        """True when a record of ``table`` adds nothing but its id (no references or spans to keep)."""
        return (
            table not in ("sources", "negotiations") and not self._ref_fields[table] and not self._check_spans
        )

    # ------------------------------------------------------------------ feeding records

    def add(self, record: Record, where: Where) -> None:
        """Check one whole record."""
        table = record.table
        self.add_id(record.id, table, where)
        if table == "sources":
            text: str | None = getattr(record, "text", None)
            self._source_texts.setdefault(record.id, text)
            found = check_text_hash(record.id, text, getattr(record, "text_sha256", None), where)
            if found is not None:
                self._emit(found)
        for name, allowed in self._ref_fields[table]:
            value = getattr(record, name)
            if value is None:
                continue
            if isinstance(value, list):
                for index, item in enumerate(value):
                    self.add_ref(item, allowed, table, (name, index), where)
            else:
                self.add_ref(value, allowed, table, (name,), where)
        if record.evidence or table == "negotiations":
            for loc, span in record_spans(record):
                self.add_span(table, loc, record.id, span.source_id, span.start, span.end, span.text, where)
        if table == "negotiations":
            for violation in check_round_dates(record, where):
                self._emit(violation)

    def add_id(self, record_id: str, table: str, where: Where) -> None:
        """Remember a record's id; a duplicate is reported."""
        self._index.add(record_id, _TABLE_CODES[table], where)
        self._report_duplicates(force=False)

    def add_ids(
        self, record_ids: list[str], table: str, file: int, numbers: Sequence[int], kind: int
    ) -> None:
        """Remember the ids of several records of ``table`` read from one file (a hot path)."""
        self._index.add_many(record_ids, _TABLE_CODES[table], file, numbers, kind)
        self._report_duplicates(force=False)

    def _report_duplicates(self, force: bool) -> None:
        for record_id, where, table, earlier in self._index.take_duplicates(force):
            self._emit(duplicate_id(record_id, TABLE_NAMES[table], TABLE_NAMES[earlier], where))

    def add_ref(self, target: str, allowed: tuple[str, ...], table: str, loc: Loc, where: Where) -> None:
        """Keep a reference to resolve at :meth:`finish`."""
        target_index = self._targets.get(target)
        if target_index is None:
            target_index = self._intern_target(target)
        key = (loc, table, allowed)
        loc_index = self._locs.get(key)
        if loc_index is None:
            loc_index = self._intern_loc(key)
        self._ref_target.append(target_index)
        self._ref_loc.append(loc_index)
        self._ref_file.append(where[0])
        self._ref_number.append(where[1])
        self._ref_kind.append(where[2])

    def _intern_target(self, target: str) -> int:
        index = self._targets.get(target)
        if index is None:
            index = self._targets[target] = len(self._target_list)
            self._target_list.append(target)
        return index

    def _intern_loc(self, key: tuple[Loc, str, tuple[str, ...]]) -> int:
        index = self._locs.get(key)
        if index is None:
            index = self._locs[key] = len(self._loc_list)
            self._loc_list.append(key)
        return index

    def add_span(  # noqa: PLR0917  # the fields of one span, called in a hot loop
        self,
        table: str,
        loc: Loc,
        record_id: str,
        source_id: str,
        start: int,
        end: int,
        text: str,
        where: Where,
    ) -> None:
        """Check one evidence span now, or keep it until its source has been read."""
        found = check_span_order(table, loc, record_id, start, end, where)
        if found is not None:
            self._emit(found)
            return
        if not self._check_spans:
            return
        self._take_span(PendingSpan(where, table, loc, record_id, source_id, start, end, text))

    def _take_span(self, span: PendingSpan) -> None:
        if not self.defer and span.source_id in self._source_texts:
            self._check_span(span)
        else:
            # Kept until finish even once every source has been read: a source_id that names no
            # source is resolved against every id, as a reference is (it may name a record of a
            # table read later, which is the wrong kind, not dangling).
            self._spans.append(span)

    def _check_span(self, span: PendingSpan) -> None:
        if span.source_id in self._source_texts:
            found = check_span_text(span, self._source_texts[span.source_id])
        else:
            self._report_duplicates(force=True)
            code = self._index.table_of(span.source_id)
            found = unresolved_reference(
                span.source_id,
                ("sources",),
                None if code == NO_TABLE else TABLE_NAMES[code],
                span.table,
                (*span.loc, "source_id"),
                span.record_id,
                span.where,
            )
        if found is not None:
            self._emit(found)

    # ------------------------------------------------------------------ parts of one input

    def part(self) -> IntegrityPart:
        """What this checker of one part (``defer``) kept for the checker of the whole input."""
        if not isinstance(self._index, RecordingIdIndex):
            raise TypeError("only a checker with a RecordingIdIndex hands over a part")
        return IntegrityPart(
            ids=self._index,
            targets=self._target_list,
            locs=self._loc_list,
            ref_target=self._ref_target,
            ref_loc=self._ref_loc,
            ref_number=self._ref_number,
            ref_kind=self._ref_kind,
            sources=list(self._source_texts.items()),
            spans=self._spans,
        )

    def absorb(self, part: IntegrityPart, file: int, line_offset: int) -> None:
        """Take in a part read after everything this checker holds, as if its records came here one
        by one: its places are in file ``file``, its line numbers ``line_offset`` lines on."""
        import numpy as np

        ids = part.ids
        if len(ids):
            # One call per run of ids of one table and kind (a part of one file is one run), a batch
            # of ids at a time: the part's ids are never all unpacked at once.
            tables = np.frombuffer(ids.tables, dtype=np.int8)
            kinds = np.frombuffer(ids.kinds, dtype=np.int8)
            numbers = np.frombuffer(ids.numbers, dtype=np.int64)
            changes = np.flatnonzero((tables[1:] != tables[:-1]) | (kinds[1:] != kinds[:-1])) + 1
            bounds = [0, *changes.tolist(), len(ids)]
            for start, stop in itertools.pairwise(bounds):
                table, kind = int(tables[start]), int(kinds[start])
                shift = line_offset if kind == LINE else 0
                for first in range(start, stop, PACK_EVERY):
                    last = min(first + PACK_EVERY, stop)
                    places = array("q")
                    places.frombytes((numbers[first:last] + shift).tobytes())
                    batch = ids.ids_between(first, last, release=True)
                    self._index.add_many(batch, table, file, places, kind)
                    self._report_duplicates(force=False)
        for record_id, text in part.sources:
            self._source_texts.setdefault(record_id, text)
        if part.ref_target:
            targets = np.array([self._intern_target(t) for t in part.targets], dtype=np.uint32)
            locs = np.array([self._intern_loc(loc) for loc in part.locs], dtype=np.uint32)
            kinds = np.frombuffer(part.ref_kind, dtype=np.int8)
            numbers = np.frombuffer(part.ref_number, dtype=np.uint64) + np.where(
                kinds == LINE, np.uint64(line_offset), np.uint64(0)
            )
            self._ref_target.frombytes(targets[np.frombuffer(part.ref_target, dtype=np.uint32)].tobytes())
            self._ref_loc.frombytes(locs[np.frombuffer(part.ref_loc, dtype=np.uint32)].tobytes())
            self._ref_file.frombytes(np.full(len(kinds), file, dtype=np.uint32).tobytes())
            self._ref_number.frombytes(numbers.tobytes())
            self._ref_kind.frombytes(kinds.tobytes())
        for span in part.spans:
            number = span.where[1] + (line_offset if span.where[2] == LINE else 0)
            span.where = (file, number, span.where[2])
            self._take_span(span)

    # ------------------------------------------------------------------ what is kept for the end

    def kept_references(self) -> Iterator[tuple[str, tuple[str, ...], str, Loc, Where]]:
        """References kept for :meth:`finish`: target, allowed tables, table, location and place.

        For a run that resolves references elsewhere (a distributed run joins them with every id).
        """
        for i in range(len(self._ref_target)):
            loc, table, allowed = self._loc_list[self._ref_loc[i]]
            where = (self._ref_file[i], self._ref_number[i], self._ref_kind[i])
            yield self._target_list[self._ref_target[i]], allowed, table, loc, where

    def kept_spans(self) -> list[PendingSpan]:
        """Evidence spans kept for :meth:`finish` (their source not read yet, or not a source)."""
        return list(self._spans)

    def source_texts(self) -> Mapping[str, str | None]:
        """The text of each source read so far (the first source with an id), by id."""
        return self._source_texts

    # ------------------------------------------------------------------ the end

    def finish(self) -> list[Violation]:
        """Resolve kept references and spans; returns the violations collected (empty with ``emit``)."""
        self._report_duplicates(force=True)
        for span in self._spans:
            self._check_span(span)
        self._spans.clear()
        resolved = [self._index.table_of(target) for target in self._target_list]
        for i in range(len(self._ref_target)):
            code = resolved[self._ref_target[i]]
            loc, table, allowed = self._loc_list[self._ref_loc[i]]
            where = (self._ref_file[i], self._ref_number[i], self._ref_kind[i])
            found = unresolved_reference(
                self._target_list[self._ref_target[i]],
                allowed,
                None if code == NO_TABLE else TABLE_NAMES[code],
                table,
                loc,
                None,
                where,
            )
            if found is not None:
                self._emit(found)
        found_all, self._found[:] = list(self._found), []
        return found_all

    def notes(self) -> list[str]:
        """What the check covered, and the memory its state took where that is large."""
        found = []
        if self.partial:
            missing = [t for t in TABLE_NAMES if t not in self.known]
            found.append(
                f"only some tables were given ({', '.join(self.known) or 'none'}): references into "
                f"{', '.join(missing)} were not checked"
                + ("" if self._check_spans else ", nor evidence spans (no sources)")
            )
        refs = len(self._ref_target)
        state = (
            self._index.nbytes()
            + refs * 21
            + sum(len(t) + 50 for t in self._target_list)
            + sum(len(t or "") + 50 for t in self._source_texts.values())
        )
        if state >= 10_000_000:
            # Worth knowing only where it is large; a note on every small file would be noise.
            found.append(f"integrity state: {refs:,} references kept, about {state / 1e6:.0f} MB")
        return found


def check_dataset(dataset: Dataset) -> list[Violation]:
    """All integrity violations in a dataset; a violation's ``where[1]`` is the record's index in its list."""
    from .models import SCHEMA_VERSION

    found: list[Violation] = []
    if dataset.schema_version.split(".")[0] != SCHEMA_VERSION.split(".")[0]:
        found.append(
            Violation(
                IssueCode.unsupported_schema_version,
                (0, -1, 0),
                "dataset",
                ("schema_version",),
                None,
                dataset.schema_version,
                issue_message(
                    IssueCode.unsupported_schema_version,
                    version=dataset.schema_version,
                    major=SCHEMA_VERSION.split(".")[0],
                    supported=SCHEMA_VERSION,
                ),
            )
        )
    checker = IntegrityChecker(emit=found.append)
    for table in TABLE_NAMES:
        for index, record in enumerate(getattr(dataset, table)):
            checker.add(record, (0, index, 0))
    checker.finish()
    return found


def _dataset_loc(violation: Violation) -> Loc:
    if violation.where[1] < 0:
        return violation.loc
    return (violation.table, violation.where[1], *violation.loc)


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
