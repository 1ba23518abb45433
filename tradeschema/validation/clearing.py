"""Clearing blocks of JSON Lines that Arrow has parsed: the validator's "nothing to report", sooner.

A streamed export parses every block of input lines with ``pyarrow.json`` for its writers. Most
blocks hold nothing the validator could report, and its per-line loop would only confirm that, at the
cost of a second parse. :class:`Clearing` confirms it from the parsed block instead, with the
validator's own parts: the vectorised checks of the table formats (:func:`.tabular.suspect_rows`),
the model on a line's own text (as the per-line loop checks it) and the run's integrity state, fed as
the Parquet reader feeds it (:func:`.tabular.add_integrity`).

It never reports anything. It gives up at the first block it cannot clear, and the run it fills
counts only when, at the end, it holds no issue at all; otherwise the validator reads the inputs
itself (the export then starts it over all of them) and its report is the one given. A verdict of
"valid" with no issue does not depend on the order records arrive in, so clearing may take a block's
rows in two groups; an issue's wording and place would, so every issue comes from the validator.

A block is cleared when all of these hold, each checked, not assumed:

- ``pyarrow.json`` read it against the model's fields, strictly: it refuses a repeated key, an
  unknown field, a value of the wrong JSON type, a number beyond 64 bits, ``5.0`` for an integer,
  control characters in a string, a lone surrogate, and text that is not JSON or not UTF-8;
- it holds one object per line: as many rows as lines, each line beginning with ``{`` (the reader
  skips blank lines and takes two objects on one line as two rows);
- no line is longer than the validator's line limit, and the file does not begin with a byte-order
  mark (the validator reports both);
- every row the vectorised checks cannot clear passes the model on the text of its line. Those are
  the rows they flag, rows with a null where the model takes no null (the reader makes an absent
  field and a null alike, and only for a field whose default is ``None`` are they the same), and
  every row of a table whose rules are read from its model (:data:`.tabular.PER_ROW_TABLES`). When
  more than one row in 16 of a record table needs the model (input that leaves out its empty
  lists, say), the block is left to the validator: its own loop, in a process of its own, costs
  less than the model line by line in the converting thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import ValidationError

from ..registry import model_for_table
from ..tables import FieldKind, FieldSpec, field_specs
from .core import Run, adapter
from .integrity import LINE
from .jsonl import MAX_LINE_BYTES
from .tabular import PER_ROW_TABLES, add_integrity, record_columns, suspect_rows

if TYPE_CHECKING:
    from ..models import Record
    from ..report import Report
    from .discover import Input

__all__ = ["Clearing"]

_BOM = b"\xef\xbb\xbf"
_NEWLINE = ord("\n")
_BRACE = ord("{")
# A block of a record table is left to the validator when more of its rows than these need the
# model: more than a few, and more than one in 16.
_FEW_EXACT_ROWS = 64
_EXACT_SHARE = 16


class Clearing:
    """Clears the blocks of JSON Lines inputs one after another, into a run of its own.

    Call :meth:`start` for each input file, then :meth:`clear` with each block of its lines in order;
    :meth:`report` gives the validator's report when every block was cleared and the run holds no
    issue, else ``None``. :attr:`cleared` turns false at the first block that cannot be cleared, and
    from then on nothing more is checked.
    """

    def __init__(self, inputs: Sequence[Input], keep_per_code: int = 1000) -> None:
        from . import known_tables

        self.run = Run(known_tables(inputs), keep_per_code)
        """The run the cleared records go into, built as the validator builds its own."""
        self.cleared = True
        """False once a block could not be cleared."""
        self._file_index = -1
        self._table: str | None = None
        self._lines = 0  # lines of the current file cleared so far

    def start(self, item: Input) -> None:
        """Begin the file ``item`` (JSON Lines): it is registered as the validator registers it."""
        self._file_index = self.run.file_index(item.name)
        self._table = item.table
        self._lines = 0
        if item.table is None or item.format != "jsonl":
            self.cleared = False
            return
        try:
            with open(item.path, "rb") as handle:
                head = handle.read(len(_BOM))
        except OSError:
            head = _BOM  # the validator says why it cannot be read
        if head == _BOM:
            self.cleared = False

    def clear(self, lines: bytes, parsed: pa.Table | None, batch: pa.RecordBatch | None) -> bool:
        """Clear the next block of the file: ``lines`` (each ending in a newline, as
        :func:`tradeschema.export.stream.line_blocks` gives them), the table ``pyarrow.json`` read
        from them (``None`` when it refused) and that table in the layout of the record table.
        Returns :attr:`cleared`."""
        if not self.cleared:
            return False
        table = self._table
        count = _object_lines(lines)
        if table is None or count is None or parsed is None or batch is None or parsed.num_rows != count:
            self.cleared = False
            return False
        first = self._lines + 1
        self._lines += count
        if table in PER_ROW_TABLES:
            exact = np.ones(count, dtype=bool)
        else:
            columns = {name: batch.column(name) for name in record_columns(table)}
            exact = np.asarray(suspect_rows(columns, table, count), dtype=bool)
            exact |= _unexpected_nulls(parsed, model_for_table(table))
            if int(exact.sum()) > max(_FEW_EXACT_ROWS, count // _EXACT_SHARE):
                # Lines the model must judge one by one cost this thread more than the validator's
                # own loop, beside it in another process, costs in all.
                self.cleared = False
                return False
        if exact.any() and not self._exact(lines, np.flatnonzero(exact), first, table):
            self.cleared = False
            return False
        good = ~exact
        taken = int(good.sum())
        if taken:
            self.run.report.records += taken
            # Most blocks have every row good: then the batch is taken as it is, not copied.
            positions = pa.array(np.flatnonzero(good)) if taken < count else pa.array(np.arange(count))
            add_integrity(
                self.run,
                batch if taken == count else batch.take(positions),
                positions,
                table,
                file_index=self._file_index,
                first_row=first,
                kind=LINE,
            )
        return True

    def _exact(self, lines: bytes, rows: npt.NDArray[np.intp], first: int, table: str) -> bool:
        """The model on the text of each of ``rows``' lines, as the per-line loop checks a record
        that feeds integrity; True when every one passes (each then goes into the run)."""
        validate = adapter(model_for_table(table)).validator.validate_json
        texts = lines.split(b"\n")
        for position in rows.tolist():
            try:
                record = validate(texts[position])
            except ValidationError:
                return False
            except RecursionError:
                return False
            self.run.record(record, (self._file_index, first + position, LINE))
        return True

    def report(self) -> Report | None:
        """The report, when every block was cleared and the finished run holds no issue; else ``None``
        (the validator's own report is then the one to give)."""
        if not self.cleared:
            return None
        report = self.run.finish()
        return report if not report.counts else None


# ---------------------------------------------------------------------- lines and nulls


def _object_lines(lines: bytes) -> int | None:
    """The number of lines, when each begins with ``{`` (so none is blank) and none is longer than the
    validator's limit; else ``None``. (A line that begins with white space before its object is valid,
    and rare: such a block is left to the validator.)"""
    data = np.frombuffer(lines, dtype=np.uint8)
    ends = np.flatnonzero(data == _NEWLINE)
    if not len(ends) or data[0] != _BRACE or not (data[ends[:-1] + 1] == _BRACE).all():
        return None
    if len(lines) > MAX_LINE_BYTES and int(np.diff(ends, prepend=-1).max()) - 1 > MAX_LINE_BYTES:
        return None
    return len(ends)


def _unexpected_nulls(parsed: pa.Table, model: type[Record]) -> npt.NDArray[np.bool_]:
    """True for each row with a null, at any depth, where ``model`` takes no null."""
    bad = np.zeros(parsed.num_rows, dtype=bool)
    for spec in field_specs(model):
        column = parsed.column(spec.name)
        masks = [_null_mask(chunk, spec) for chunk in column.chunks]
        if masks:
            bad |= np.concatenate(masks)
    return bad


def _null_mask(array: pa.Array, spec: FieldSpec) -> npt.NDArray[np.bool_]:
    """True for each value of ``array`` that is a null where an absent field is not one to the model
    (:attr:`~tradeschema.tables.FieldSpec.absent_is_null`), or holds one inside."""
    bad = np.zeros(len(array), dtype=bool)
    if not array.null_count and spec.kind not in (FieldKind.model, FieldKind.list):
        return bad
    valid = np.asarray(array.is_valid(), dtype=bool)
    if not spec.absent_is_null:
        bad |= ~valid
    if spec.kind is FieldKind.model and spec.model is not None:
        assert isinstance(array, pa.StructArray)
        for index, child_spec in enumerate(field_specs(spec.model)):
            child = array.field(index)
            inner = _null_mask(child, child_spec)
            bad |= inner & valid
    elif spec.kind is FieldKind.list and spec.item is not None:
        assert isinstance(array, pa.ListArray)
        items = array.flatten()
        if len(items):
            inner = _null_mask(items, spec.item)
            if inner.any():
                parents = np.asarray(pc.list_parent_indices(array), dtype=np.int64)
                bad[parents[inner]] = True
    return bad
