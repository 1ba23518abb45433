"""Integrity state that stays small for files of millions of records.

:class:`tradeschema.integrity.IntegrityChecker` keeps every id string and every pending reference as
Python objects: about 250 bytes per record, too much for a streaming validator. This class checks the
same rules (it reuses the checker's helpers) but keeps:

- ids as 64-bit hashes in a sorted NumPy array with a parallel table code (9 bytes per record). New
  ids are collected in a batch (a dict) and merged into the array every ``_BATCH`` ids, so a
  duplicate is found either in the batch or by one vectorised search of the array. Python's string
  hash is 64-bit SipHash: the chance that two distinct ids of a million collide is about 3e-8;
- pending references as four flat arrays (target index, location index, file index, line or row),
  with the distinct target strings interned once (ids repeat: many statements name one speaker);
- source texts by source id (needed to check spans; sources are read first, so spans are checked as
  they arrive and hardly ever wait).

References into tables that are not being validated are not stored at all (``known_tables``).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Collection, Hashable
from typing import TYPE_CHECKING, Any

from ..integrity import REFERENCE_FIELDS, IntegrityChecker, Violation, _PendingSpan, _round_dates, _spans
from ..registry import TABLE_NAMES
from ..report import IssueCode

if TYPE_CHECKING:
    from ..models import Record  # used in annotations only

__all__ = ["ITEM", "LINE", "ROW", "CompactIntegrity", "Where"]

Where = tuple[int, int, int]
"""Where a record is: (file index, number, kind), kind one of :data:`LINE`, :data:`ROW`, :data:`ITEM`."""

LINE = 0
"""``number`` is a 1-based line of a JSON Lines file."""
ROW = 1
"""``number`` is a 1-based row of a table (Parquet, CSV)."""
ITEM = 2
"""``number`` is the 0-based ordinal of a record in a Dataset document (see ``Run.place``)."""


_BATCH = 16384
_NO_TABLE = -1


def _span_order(
    table: str, loc: tuple[str | int, ...], record_id: str, start: int, end: int, *, where: Where
) -> Violation:
    return Violation(
        IssueCode.span_order,
        where,
        table,
        (*loc, "end"),
        record_id,
        end,
        f"span end {end} is not greater than start {start}",
    )


class _IdIndex:
    """Set of id hashes with the table of each, for duplicate detection and reference resolution.

    :meth:`add` only appends to three lists (the hot path of every record); :meth:`flush` finds
    duplicates within the batch and against earlier batches with NumPy, then merges the batch in.
    """

    def __init__(self) -> None:
        import numpy as np

        self._np = np
        self.hashes = np.empty(0, dtype=np.int64)
        self.tables = np.empty(0, dtype=np.int8)
        self.keys: list[int] = []
        self.codes: list[int] = []
        self.ids: list[str] = []
        # Where each id was found, as three parallel lists (no tuple per record on the hot path).
        self.files: list[int] = []
        self.numbers: list[int] = []
        self.kinds: list[int] = []
        self.count = 0

    def add(self, record_id: str, table: int, where: Where) -> None:
        """Remember an id (checked at the next :meth:`flush`)."""
        self.keys.append(hash(record_id))
        self.codes.append(table)
        self.ids.append(record_id)
        self.files.append(where[0])
        self.numbers.append(where[1])
        self.kinds.append(where[2])

    def add_many(
        self, record_ids: list[str], table: int, file_index: int, numbers: list[int], kind: int
    ) -> None:
        """Remember the ids of several records of one table and file (the JSON Lines hot path)."""
        self.keys.extend(map(hash, record_ids))
        self.codes.extend([table] * len(record_ids))
        self.ids.extend(record_ids)
        self.files.extend([file_index] * len(record_ids))
        self.numbers.extend(numbers)
        self.kinds.extend([kind] * len(record_ids))

    def flush(self) -> list[tuple[str, Where, int]]:
        """Merge the batch into the arrays; returns (id, where, earlier table) of ids seen before."""
        np = self._np
        if not self.keys:
            return []
        keys = np.array(self.keys, dtype=np.int64)
        codes = np.array(self.codes, dtype=np.int8)
        self.count += len(keys)
        # Within the batch: every occurrence after the first of a key is a duplicate.
        order = np.argsort(keys, kind="stable")
        repeat = np.zeros(len(keys), dtype=bool)
        repeat[order[1:]] = keys[order[1:]] == keys[order[:-1]]
        first_of = np.empty(len(keys), dtype=np.int64)
        starts = np.flatnonzero(~repeat[order])
        first_of[order] = order[np.repeat(starts, np.diff(np.append(starts, len(keys))))]
        # Against earlier batches.
        pos = np.searchsorted(self.hashes, keys)
        seen = pos < len(self.hashes)
        seen[seen] = self.hashes[pos[seen]] == keys[seen]
        duplicates = []
        for index in np.flatnonzero(seen | repeat).tolist():
            earlier = int(self.tables[pos[index]]) if seen[index] else int(codes[first_of[index]])
            where = (self.files[index], self.numbers[index], self.kinds[index])
            duplicates.append((self.ids[index], where, earlier))
        fresh = ~(seen | repeat)
        keys, codes = keys[fresh], codes[fresh]
        order = np.argsort(keys, kind="stable")
        keys, codes = keys[order], codes[order]
        at = np.searchsorted(self.hashes, keys)
        self.hashes = np.insert(self.hashes, at, keys)
        self.tables = np.insert(self.tables, at, codes)
        self.keys, self.codes, self.ids = [], [], []
        self.files, self.numbers, self.kinds = [], [], []
        return duplicates

    def lookup(self, record_id: str) -> int:
        """Table code of an id, or ``_NO_TABLE``; call after :meth:`flush`."""
        key = hash(record_id)
        pos = int(self._np.searchsorted(self.hashes, key))
        if pos < len(self.hashes) and int(self.hashes[pos]) == key:
            return int(self.tables[pos])
        return _NO_TABLE

    def nbytes(self) -> int:
        return int(self.hashes.nbytes + self.tables.nbytes)


class CompactIntegrity(IntegrityChecker):
    """The integrity rules of :class:`IntegrityChecker`, with state compact enough for huge inputs.

    Violations go to ``emit`` as soon as they are known, with ``where`` a :data:`Where` tuple.
    """

    def __init__(self, known_tables: Collection[str] | None, emit: Callable[[Violation], None]) -> None:
        super().__init__()
        self.known: tuple[str, ...] = tuple(TABLE_NAMES if known_tables is None else known_tables)
        self.partial = known_tables is not None and set(TABLE_NAMES) - set(known_tables) != set()
        self._emit = emit
        self._ids = _IdIndex()
        self._codes = {table: code for code, table in enumerate(TABLE_NAMES)}
        known = set(self.known)
        # Only references that can be resolved are kept: a reference into a table not given is
        # neither dangling nor checkable.
        self._ref_fields = {
            table: [(name, allowed) for name, allowed in fields.items() if set(allowed) & known]
            for table, fields in REFERENCE_FIELDS.items()
        }
        self._check_spans = "sources" in known
        self.sources_done = False
        """Set by the caller once every sources file has been read: spans are then checked at once."""
        self._targets: dict[str, int] = {}
        self._target_list: list[str] = []
        self._locs: dict[tuple[tuple[str | int, ...], str, tuple[str, ...]], int] = {}
        self._loc_list: list[tuple[tuple[str | int, ...], str, tuple[str, ...]]] = []
        self._ref_target = array("I")
        self._ref_loc = array("I")
        self._ref_file = array("I")
        self._ref_number = array("Q")
        self._ref_kind = array("b")

    # The parent's `add` keeps Python objects per record; this one keeps the compact state.
    def add(self, record: Record, where: Hashable) -> list[Violation]:
        """Check one record; violations known now go to ``emit`` (the list returned is always empty)."""
        table = record.table
        self.add_id(record.id, table, where)  # type: ignore[arg-type]  # callers pass Where tuples
        if table == "sources":
            for violation in self._add_source(record, where):
                self._emit(violation)
        for name, allowed in self._ref_fields[table]:
            value = getattr(record, name)
            if value is None:
                continue
            if isinstance(value, list):
                for index, item in enumerate(value):
                    self.add_ref(item, allowed, table, (name, index), where)  # type: ignore[arg-type]
            else:
                self.add_ref(value, allowed, table, (name,), where)  # type: ignore[arg-type]
        if record.evidence or table == "negotiations":
            self._add_spans(record, where)  # type: ignore[arg-type]
        if table == "negotiations":
            for violation in _round_dates(record, where):
                self._emit(violation)
        return []

    def _add_spans(self, record: Record, where: Where) -> None:
        for loc, span in _spans(record):
            if self._check_spans:
                self.add_span(
                    record.table, loc, record.id, span.source_id, span.start, span.end, span.text, where
                )
            elif span.start >= span.end:
                # No source to check against, but a span must still have start < end.
                self._emit(_span_order(record.table, loc, record.id, span.start, span.end, where=where))

    def add_id(self, record_id: str, table: str, where: Where) -> None:
        """Remember a record's id; reports a duplicate."""
        ids = self._ids
        ids.add(record_id, self._codes[table], where)
        if len(ids.keys) >= _BATCH:
            self._flush()

    def add_ids(
        self, record_ids: list[str], table: str, file_index: int, numbers: list[int], kind: int
    ) -> None:
        """Remember the ids of several records of ``table`` read from one file at ``numbers``."""
        ids = self._ids
        ids.add_many(record_ids, self._codes[table], file_index, numbers, kind)
        if len(ids.keys) >= _BATCH:
            self._flush()

    def _flush(self) -> None:
        for record_id, where, earlier in self._ids.flush():
            self._duplicate(record_id, TABLE_NAMES[earlier], where, earlier)

    def id_only(self, table: str) -> bool:
        """True when a record of ``table`` adds nothing but its id (no references or spans to keep)."""
        return (
            table not in ("sources", "negotiations")
            and not self._ref_fields[table]
            and not (self._check_spans)
        )

    def _duplicate(self, record_id: str, table: str, where: Where, earlier: int) -> None:
        self._emit(
            Violation(
                IssueCode.duplicate_id,
                where,
                table,
                ("id",),
                record_id,
                record_id,
                f"id {record_id!r} is already used by a record in {TABLE_NAMES[earlier]}",
            )
        )

    def add_ref(
        self, target: str, allowed: tuple[str, ...], table: str, loc: tuple[str | int, ...], where: Where
    ) -> None:
        """Keep a reference to resolve at :meth:`finish` (dropped when its tables are not known)."""
        target_index = self._targets.get(target)
        if target_index is None:
            target_index = self._targets[target] = len(self._target_list)
            self._target_list.append(target)
        key = (loc, table, allowed)
        loc_index = self._locs.get(key)
        if loc_index is None:
            loc_index = self._locs[key] = len(self._loc_list)
            self._loc_list.append(key)
        self._ref_target.append(target_index)
        self._ref_loc.append(loc_index)
        self._ref_file.append(where[0])
        self._ref_number.append(where[1])
        self._ref_kind.append(where[2])

    def refs_wanted(self, table: str) -> list[tuple[str, tuple[str, ...]]]:
        """The reference fields of a table worth keeping, with their allowed target tables."""
        return self._ref_fields[table]

    @property
    def spans_wanted(self) -> bool:
        """True when evidence spans can be checked (the sources table is among the inputs)."""
        return self._check_spans

    def add_span(  # noqa: PLR0917  # the fields of one span, called in a hot loop
        self,
        table: str,
        loc: tuple[str | int, ...],
        record_id: str,
        source_id: str,
        start: int,
        end: int,
        text: str,
        where: Where,
    ) -> None:
        """Check one evidence span now, or keep it until its source has been read."""
        if start >= end:
            self._emit(_span_order(table, loc, record_id, start, end, where=where))
            return
        pending = _PendingSpan(where, table, loc, record_id, source_id, start, end, text)
        if self.sources_done or source_id in self._source_texts:
            for violation in self._check_span(pending):
                self._emit(violation)
        else:
            self._spans.append(pending)

    def _check_span(self, span: _PendingSpan) -> Any:
        if span.source_id not in self._source_texts and span.source_id not in self._tables:
            # The parent looks up the kind of a wrong reference in `_tables`; ours is the hash index.
            self._flush()
            code = self._ids.lookup(span.source_id)
            if code != _NO_TABLE:
                self._tables[span.source_id] = TABLE_NAMES[code]
        return super()._check_span(span)

    def finish(self, known_tables: Any = None) -> list[Violation]:
        """Resolve kept references and spans; violations go to ``emit`` (the list returned is empty)."""
        self._flush()
        for span in self._spans:
            for violation in self._check_span(span):
                self._emit(violation)
        self._spans.clear()
        resolved: list[int] = [self._ids.lookup(target) for target in self._target_list]
        for i in range(len(self._ref_target)):
            target = self._target_list[self._ref_target[i]]
            loc, table, allowed = self._loc_list[self._ref_loc[i]]
            code = resolved[self._ref_target[i]]
            kind = None if code == _NO_TABLE else TABLE_NAMES[code]
            if kind in allowed:
                continue
            expected = " or ".join(allowed)
            where: Where = (self._ref_file[i], self._ref_number[i], self._ref_kind[i])
            if kind is None:
                issue_code, message = (
                    IssueCode.dangling_reference,
                    f"{target!r} names no record (expected one in {expected})",
                )
            else:
                issue_code, message = (
                    IssueCode.wrong_reference_kind,
                    f"{target!r} names a record in {kind}, expected one in {expected}",
                )
            self._emit(Violation(issue_code, where, table, loc, None, target, message))
        return []

    def notes(self) -> list[str]:
        """What the integrity check covered, and the memory its state took."""
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
            self._ids.nbytes()
            + refs * 21
            + sum(len(t) + 50 for t in self._target_list)
            + sum(len(t or "") + 50 for t in self._source_texts.values())
        )
        if state >= 10_000_000:
            # Worth knowing only where it is large; a note on every small file would be noise.
            found.append(
                f"integrity state: {self._ids.count:,} ids, {refs:,} references kept, "
                f"about {state / 1e6:.0f} MB"
            )
        return found
