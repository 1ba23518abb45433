"""A Parquet folder with every kind of defect the Parquet validator finds, built from our own records.

The records are those of the seed-like dataset; each defect is one corruption, written where the
validator looks (several files of one table, a hive-partitioned folder, files of several row groups,
files whose metadata or columns are wrong), so the single-machine and Spark validators can be
compared issue by issue.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from tests.derived import with_derived_dates
from tests.export.seedlike import SOURCE_ID, TEXT, seedlike_dataset
from tradeschema.tables import arrow_schema

BAD = Path(__file__).resolve().parent.parent / "data" / "bad"

EVERY_CODE = {
    "invalid-parquet",
    "unsupported-schema-version",
    "unknown-column",
    "column-type",
    "missing-column",
    "schema-error",
    "unknown-record-type",
    "missing-field",
    "enum-error",
    "pattern-error",
    "range-error",
    "derived-value-mismatch",
    "duplicate-id",
    "dangling-reference",
    "wrong-reference-kind",
    "span-order",
    "span-out-of-range",
    "span-text-mismatch",
    "text-hash-mismatch",
    "date-range-order",
    "open-codelist-value",
}
"""The codes the corpus gives (the test checks that it gives every one of them)."""


def _records(table: str) -> list[dict[str, Any]]:
    return [record.model_dump(mode="json") for record in getattr(seedlike_dataset(), table)]


def _span(needle: str, source_id: str = SOURCE_ID) -> dict[str, Any]:
    start = TEXT.index(needle)
    return {"source_id": source_id, "start": start, "end": start + len(needle), "text": needle}


def write_rows(
    path: Path, table: str, rows: list[dict[str, Any]], *, row_group_size: int | None = None, **metadata: str
) -> Path:
    """Rows in the table's layout (nullable everywhere, as a careless producer writes them)."""
    loose = pa.schema([field.with_nullable(True) for field in arrow_schema(table)])
    data = pa.Table.from_pylist([with_derived_dates(table, row) for row in rows], schema=loose)
    if metadata:
        data = data.replace_schema_metadata({**(data.schema.metadata or {}), **metadata})
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(data, path, row_group_size=row_group_size)
    return path


def build(root: Path) -> Path:
    """Write the corpus under ``root`` and return it."""
    sources = _records("sources")
    second = copy.deepcopy(sources[0])
    second["id"] = "source:second"
    second["text_sha256"] = "0" * 64  # text-hash-mismatch
    repeated = copy.deepcopy(sources[0])  # duplicate-id, within the file
    write_rows(root / "sources.parquet", "sources", [*sources, second, repeated])

    # Parties in a hive-partitioned folder, one file per kind.
    parties = _records("parties")
    parties[0]["evidence"] = [_span("United States"), _span("China", "measure:us-student-visa-restriction")]
    parties[1]["evidence"] = [{**_span("China"), "end": len(TEXT) + 5}]  # span-out-of-range
    parties[3]["affiliation"] = "party:nobody"  # dangling-reference
    bad_kind = {**parties[1], "id": "party:bad-kind", "kind": "planet"}  # enum-error
    for kind in ("state", "person"):
        rows = [{k: v for k, v in party.items() if k != "kind"} for party in parties if party["kind"] == kind]
        write_rows(root / "parties" / f"kind={kind}" / "part-0.parquet", "parties", rows)
    write_rows(root / "parties" / "kind=planet" / "part-0.parquet", "parties", [bad_kind])

    negotiations = _records("negotiations")
    negotiations[0]["topics"].append("fisheries-and-ferrets")  # open-codelist-value
    negotiations[0]["rounds"][0]["start"] = "2025-07-01"  # date-range-order
    negotiations[0]["rounds"][1]["evidence"] = [{**_span("London"), "end": 0}]  # span-order
    negotiations[0]["measures"].append("party:us")  # wrong-reference-kind
    write_rows(root / "negotiations.parquet", "negotiations", negotiations)

    # Measures over several row groups, so a file is read in parts.
    measures = _records("measures")
    extra = []
    for i in range(6):
        record = copy.deepcopy(measures[i % len(measures)])
        record["id"] = f"measure:extra-{i}"
        extra.append(record)
    extra[1]["announced"] = "2025-02-30"  # pattern-error
    extra[2]["type"] = None  # missing-field
    extra[3]["evidence"] = [
        {**_span("rare earth minerals"), "text": "rare earth metals"}
    ]  # span-text-mismatch
    # The same id in a valid row and, next in its row group, a row that fails the schema: the failing
    # row is checked (and its id remembered) first, so the valid row is the duplicate.
    extra[4]["id"] = extra[3]["id"]
    extra[4]["status"] = "rumoured"
    extra[5]["id"] = "measure:cn-rare-earth-export-restriction"  # duplicate-id, across row groups
    extra[5]["targets"] = ["party:us", "negotiation:cn-us"]  # wrong-reference-kind
    write_rows(root / "measures.parquet", "measures", [*measures, *extra], row_group_size=2)
    derived = write_rows(
        root / "measures-derived.parquet", "measures", [{**measures[0], "id": "measure:derived"}]
    )
    table = pq.read_table(derived)
    dates = pa.array([None], pa.date32())
    pq.write_table(
        table.set_column(table.schema.get_field_index("announced_date"), "announced_date", dates), derived
    )

    # Statements in two files: ids repeated across files and tables.
    statements = _records("statements")
    statements[0]["confidence"] = 1.5  # range-error
    statements[1]["about"] = ["measure:gone"]  # dangling-reference
    statements[2]["evidence"] = [_span("Li Chenggang", "source:nowhere")]  # dangling span source
    write_rows(root / "statements" / "statements-1.parquet", "statements", statements, row_group_size=1)
    later = copy.deepcopy(statements[0])
    later["confidence"] = 0.5
    party_id = {**copy.deepcopy(statements[2]), "id": "party:us", "evidence": []}  # duplicate-id, other table
    write_rows(root / "statements" / "statements-2.parquet", "statements", [later, party_id])

    # Files whose metadata or columns are wrong.
    write_rows(
        root / "statements" / "statements-future.parquet",
        "statements",
        [{**statements[2], "id": "statement:future", "evidence": []}],
        **{"tradeschema.schema_version": "9.0.0"},
    )
    for name in (
        "statements-extra-column",
        "statements-missing-column",
        "statements-mistyped-column",
        "statements-truncated",
        "statements-not-parquet",
    ):
        shutil.copy(BAD / f"{name}.parquet", root / "statements" / f"{name}.parquet")
    write_rows(root / "odds" / "misc.parquet", "statements", [statements[2]])  # unknown-record-type
    return root


def jsonl_inputs(folder: Path) -> list[str]:
    """The JSON Lines files of a folder (such as the ``records`` fixture's), in name order."""
    return sorted(str(path) for path in folder.glob("*.jsonl"))
