"""The compact id index of the streaming validator: 9 bytes per id, for files of millions of records.

:class:`tradeschema.integrity.PlainIdIndex` keeps every id string (about 100 bytes each), too much
for a streaming validator. :class:`CompactIdIndex` keeps ids as 64-bit hashes in a sorted NumPy
array with a parallel table code. New ids are collected in a batch and merged into the array every
``BATCH`` ids, so a duplicate is found either in the batch or by one vectorised search of the array.
Python's string hash is 64-bit SipHash: the chance that two distinct ids of a million collide is
about 3e-8. The rules themselves are those of :class:`tradeschema.integrity.IntegrityChecker`.

A record's place (:data:`tradeschema.integrity.Where`) is ``(file index, number, kind)`` here, with
kind one of :data:`LINE`, :data:`ROW`, :data:`ITEM`.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..integrity import ITEM, LINE, NO_TABLE, ROW, RecordingIdIndex, Where

__all__ = ["BATCH", "ITEM", "LINE", "ROW", "CompactIdIndex", "Where"]

BATCH = 65536
"""Ids collected before they are merged into the sorted arrays."""


class CompactIdIndex:
    """An :class:`~tradeschema.integrity.IdIndex` of id hashes with the table of each.

    :meth:`add` only appends to lists (the hot path of every record); merging the batch finds
    duplicates within it and against earlier batches with NumPy.
    """

    def __init__(self, batch_size: int = BATCH) -> None:
        import numpy as np

        self._np = np
        self.hashes = np.empty(0, dtype=np.int64)
        self.tables = np.empty(0, dtype=np.int8)
        # The batch not merged yet: ids, tables and places as parallel lists (no tuple per record).
        self.batch = RecordingIdIndex()
        self.count = 0
        self.batch_size = batch_size

    def add(self, record_id: str, table: int, where: Where) -> None:
        """Remember an id (checked when the batch is merged)."""
        self.batch.add(record_id, table, where)

    def add_many(
        self, record_ids: list[str], table: int, file: int, numbers: Sequence[int], kind: int
    ) -> None:
        """Remember the ids of several records of one table and file (the JSON Lines hot path)."""
        self.batch.add_many(record_ids, table, file, numbers, kind)

    def take_duplicates(self, force: bool) -> list[tuple[str, Where, int, int]]:
        """Merge the batch into the arrays once it is full (or when ``force``); returns the ids seen
        before: (id, place, table, earlier table)."""
        if not force and len(self.batch.ids) < self.batch_size:
            return []
        return self._merge()

    def _merge(self) -> list[tuple[str, Where, int, int]]:
        np = self._np
        batch, self.batch = self.batch, RecordingIdIndex()
        if not batch.ids:
            return []
        keys = np.fromiter(map(hash, batch.ids), dtype=np.int64, count=len(batch.ids))
        codes = np.array(batch.tables, dtype=np.int8)
        self.count += len(keys)
        # One stable sort of the batch serves both checks and the merge: equal keys end up next to each
        # other in the order read, and sorted keys make the search of the array cache-friendly.
        order = np.argsort(keys, kind="stable")
        keys, codes = keys[order], codes[order]
        # Within the batch: every occurrence after the first of a key is a duplicate of that first.
        repeat = np.zeros(len(keys), dtype=bool)
        repeat[1:] = keys[1:] == keys[:-1]
        starts = np.flatnonzero(~repeat)
        first_of = np.repeat(starts, np.diff(np.append(starts, len(keys))))
        # Against earlier batches.
        pos = np.searchsorted(self.hashes, keys)
        seen = pos < len(self.hashes)
        seen[seen] = self.hashes[pos[seen]] == keys[seen]
        duplicates = []
        found = seen | repeat
        if found.any():
            # Told in the order read, as the batch was filled.
            sorted_at = np.empty_like(order)
            sorted_at[order] = np.arange(len(order))
            for index in np.sort(order[found]).tolist():
                at = int(sorted_at[index])
                earlier = int(self.tables[pos[at]]) if seen[at] else int(codes[first_of[at]])
                where = (batch.files[index], batch.numbers[index], batch.kinds[index])
                duplicates.append((batch.ids[index], where, int(codes[at]), earlier))
        fresh = ~found
        # Sorted keys and their sorted places in the array: one insert keeps it sorted.
        self.hashes = np.insert(self.hashes, pos[fresh], keys[fresh])
        self.tables = np.insert(self.tables, pos[fresh], codes[fresh])
        return duplicates

    def table_of(self, record_id: str) -> int:
        """Table code of an id, or ``NO_TABLE``; call after ``take_duplicates(force=True)``."""
        key = hash(record_id)
        pos = int(self._np.searchsorted(self.hashes, key))
        if pos < len(self.hashes) and int(self.hashes[pos]) == key:
            return int(self.tables[pos])
        return NO_TABLE

    def nbytes(self) -> int:
        return int(self.hashes.nbytes + self.tables.nbytes)
