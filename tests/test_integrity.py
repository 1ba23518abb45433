"""Integrity is composed of rule functions and an id index; both indexes give the same verdicts."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tradeschema
from tradeschema.integrity import (
    IdIndex,
    IntegrityChecker,
    PlainIdIndex,
    RecordingIdIndex,
    Violation,
    check_span_order,
    duplicate_id,
)
from tradeschema.models import Dataset, Party
from tradeschema.registry import TABLE_NAMES
from tradeschema.report import IssueCode
from tradeschema.testing import datasets
from tradeschema.validation.integrity import CompactIdIndex


def _violations(dataset: Dataset, index: IdIndex) -> list[tuple[str, str, int, tuple[str | int, ...]]]:
    found: list[Violation] = []
    checker = IntegrityChecker(emit=found.append, index=index)
    for table in TABLE_NAMES:
        for number, record in enumerate(getattr(dataset, table)):
            checker.add(record, (0, number, 0))
    checker.finish()
    return sorted((str(v.code), v.table, v.where[1], v.loc) for v in found)


@settings(max_examples=40, deadline=None)
@given(data=datasets(), repeat=st.integers(0, 3))
def test_plain_and_compact_indexes_agree(data: Dataset, repeat: int) -> None:
    # Repeat some parties so duplicate ids occur, and drop one so references dangle.
    parties = list(data.parties)
    broken = data.model_copy(update={"parties": parties[1:] + parties[:repeat]})
    assert _violations(broken, PlainIdIndex()) == _violations(broken, CompactIdIndex())


@settings(max_examples=60, deadline=None)
@given(
    ids=st.lists(st.integers(0, 40), max_size=120),
    tables=st.lists(st.integers(0, 4), min_size=1, max_size=5),
    batch_size=st.integers(1, 17),
)
def test_compact_index_finds_the_duplicates_of_the_plain_one_across_batches(
    ids: list[int], tables: list[int], batch_size: int
) -> None:
    # Small batches make duplicates fall within a batch, across batches, and both at once.
    plain, compact = PlainIdIndex(), CompactIdIndex(batch_size=batch_size)
    told: tuple[list[object], list[object]] = ([], [])
    for number, value in enumerate(ids):
        table = tables[number % len(tables)]
        for index, found in zip((plain, compact), told, strict=True):
            index.add(f"id:{value}", table, (0, number, 0))
            found.extend(index.take_duplicates(force=False))
    for index, found in zip((plain, compact), told, strict=True):
        found.extend(index.take_duplicates(force=True))
    assert told[1] == told[0]
    assert len(told[1]) == len(ids) - len(set(ids))
    for value in set(ids):
        assert compact.table_of(f"id:{value}") == plain.table_of(f"id:{value}")


def test_duplicates_name_both_tables() -> None:
    found: list[Violation] = []
    checker = IntegrityChecker(emit=found.append)
    checker.add(Party(id="party:us", kind="state", name="United States"), (0, 0, 0))
    checker.add(Party(id="party:us", kind="state", name="USA"), (0, 1, 0))
    checker.finish()
    assert [(str(v.code), v.where, v.loc) for v in found] == [("duplicate-id", (0, 1, 0), ("id",))]


def test_rules_are_plain_functions() -> None:
    assert check_span_order("statements", ("evidence", 0), "s:1", 3, 9, (0, 0, 0)) is None
    bad = check_span_order("statements", ("evidence", 0), "s:1", 9, 3, (0, 0, 0))
    assert bad is not None and bad.loc == ("evidence", 0, "end") and bad.value == 3
    assert (
        "already used by a record in parties" in duplicate_id("p:1", "measures", "parties", (0, 0, 0)).message
    )


def test_span_naming_a_record_read_later_is_the_wrong_kind_not_dangling(tmp_path: Path) -> None:
    # Parties are read before measures: a party's span whose source_id names a measure must be
    # resolved against every id, not against the ids read so far.
    data = json.loads(Path("examples/dataset.json").read_text("utf-8"))
    data["parties"][0]["evidence"][0]["source_id"] = data["measures"][0]["id"]
    for table in ("sources", "parties", "measures"):
        (tmp_path / f"{table}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in data[table]))
    report = tradeschema.validate(tmp_path)
    assert [(i.code, i.file, i.line, i.path) for i in report.issues] == [
        (IssueCode.wrong_reference_kind, str(tmp_path / "parties.jsonl"), 1, "$.evidence[0].source_id")
    ]


@settings(max_examples=60, deadline=None)
@given(
    runs=st.lists(st.lists(st.text(max_size=4), max_size=7), max_size=5),
    pack_every=st.none() | st.integers(1, 6),
    data=st.data(),
)
def test_recording_index_gives_back_what_it_wrote_down_packed_or_not(
    runs: list[list[str]], pack_every: int | None, data: st.DataObject
) -> None:
    index = RecordingIdIndex(pack_every=pack_every)
    written: list[str] = []
    for number, run in enumerate(runs):
        if number % 2:
            for offset, record_id in enumerate(run):
                index.add(record_id, 2, (1, offset, 0))
        else:
            index.add_many(run, 3, 0, range(len(run)), 1)
        written += run
    copy = pickle.loads(pickle.dumps(index))  # how a worker hands it over: packed
    for kept in (index, copy):
        assert len(kept) == len(written)
        start = data.draw(st.integers(0, len(written)))
        stop = data.draw(st.integers(start, len(written) + 2))
        assert kept.ids_between(start, stop) == written[start:stop]
        assert kept.ids_between(0, len(kept)) == written
        assert len(kept.numbers) == len(kept.tables) == len(kept.files) == len(kept.kinds) == len(written)
    # Taken in once, in order, in batches of any size (as a part is absorbed): the same ids, and
    # the packed strings read are let go.
    size = data.draw(st.integers(1, 8))
    taken: list[str] = []
    for first in range(0, len(written), size):
        taken += copy.ids_between(first, first + size, release=True)
    assert taken == written
    if pack_every is not None:  # every id was packed for pickling: none is held any more
        arrays = (copy.tables, copy.files, copy.numbers, copy.kinds)
        assert copy.nbytes() == sum(a.itemsize * len(a) for a in arrays)
        if len(written) > pack_every:
            with pytest.raises(ValueError, match="released"):
                copy.ids_between(0, 1)
