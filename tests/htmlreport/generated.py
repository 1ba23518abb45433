"""A large dataset drawn with ``tradeschema.testing``: many small valid datasets, ids made unique, merged.

    python -m tests.htmlreport.generated 10000 big.json

writes a Dataset document of exactly that many records (the report's size check uses it).
"""

from __future__ import annotations

import sys
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings

from tradeschema import SCHEMA_VERSION, Dataset
from tradeschema.testing import datasets

TABLES = ("sources", "parties", "negotiations", "measures", "statements")
_ONE = ("affiliation", "imposed_by", "speaker", "reported_by", "via")
_MANY = ("targets", "about", "parties", "measures")


def _rename(record: dict[str, Any], suffix: str) -> dict[str, Any]:
    """The record with every id it has or points at made unique to its cluster."""
    record = dict(record)
    record["id"] += suffix
    for key in _ONE:
        if record.get(key):
            record[key] += suffix
    for key in _MANY:
        if key in record and isinstance(record[key], list):
            record[key] = [item + suffix for item in record[key]]
    record["evidence"] = [{**span, "source_id": span["source_id"] + suffix} for span in record["evidence"]]
    if "rounds" in record:
        record["rounds"] = [
            {**r, "evidence": [{**s, "source_id": s["source_id"] + suffix} for s in r["evidence"]]}
            for r in record["rounds"]
        ]
    return record


def generated_dataset(records: int = 10_000, clusters: int = 30) -> Dataset:
    """A valid dataset of exactly ``records`` records, the same on every run.

    Drawing is slow (about a quarter of a second per small dataset), so ``clusters`` datasets are
    drawn and repeated under new ids until the size is reached.
    """
    drawn: list[dict[str, Any]] = []

    @settings(
        max_examples=clusters,
        derandomize=True,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        deadline=None,
    )
    @given(datasets(max_records=40))
    def collect(dataset: Dataset) -> None:
        drawn.append(dataset.model_dump(mode="json"))

    collect()
    merged: dict[str, list[dict[str, Any]]] = {table: [] for table in TABLES}
    copy = 0
    while sum(len(items) for items in merged.values()) < records:
        data = drawn[copy % len(drawn)]
        for table in TABLES:
            merged[table].extend(_rename(record, f".c{copy}") for record in data[table])
        copy += 1
    # Statements are referenced by nothing, so dropping the last ones keeps every reference whole.
    excess = sum(len(items) for items in merged.values()) - records
    del merged["statements"][len(merged["statements"]) - max(excess, 0) :]
    return Dataset.model_validate({"schema_version": SCHEMA_VERSION, **merged})


if __name__ == "__main__":
    from tradeschema import dataset_json

    size, path = int(sys.argv[1]), sys.argv[2]
    with open(path, "wb") as out:
        out.write(dataset_json(generated_dataset(size)))
