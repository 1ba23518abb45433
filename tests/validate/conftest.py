"""Helpers for the validator tests: small valid records and writers for each input format."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from tests.derived import with_derived_dates
from tradeschema.registry import model_for_table
from tradeschema.tables import FieldKind, arrow_schema, field_specs

SOURCE_TEXT = "Lutnick said talks were productive."


def source(i: int = 1) -> dict[str, Any]:
    return {"id": f"source:{i}", "kind": "news_article", "text": SOURCE_TEXT}


def statement(i: int = 1, **extra: Any) -> dict[str, Any]:
    record = {
        "id": f"statement:{i}",
        "kind": "indirect",
        "text": "talks were productive",
        "date": "2025-06",
        "evidence": [{"source_id": "source:1", "start": 13, "end": 34, "text": "talks were productive"}],
    }
    record.update(extra)
    return record


def write_jsonl(path: Path, records: list[Any]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


def write_parquet(path: Path, table: str, rows: list[dict[str, Any]]) -> Path:
    """Rows in the layout of `tables.arrow_schema` (written with pyarrow directly)."""
    schema = arrow_schema(table)
    # Nullable everywhere, so that tests can write the rows a careless producer would.
    loose = pa.schema([f.with_nullable(True) for f in schema])
    pq.write_table(pa.Table.from_pylist([with_derived_dates(table, r) for r in rows], schema=loose), path)
    return path


def write_csv(path: Path, table: str, rows: list[dict[str, Any]]) -> Path:
    specs = field_specs(model_for_table(table))
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow([s.name for s in specs])
        for row in rows:
            cells = []
            for spec in specs:
                value = row.get(spec.name)
                if value is None:
                    cells.append("")
                elif spec.kind in (FieldKind.list, FieldKind.model):
                    cells.append(json.dumps(value, ensure_ascii=False))
                else:
                    cells.append(str(value))
            writer.writerow(cells)
    return path
