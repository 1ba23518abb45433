"""Records -> Parquet -> records and records -> JSON Lines -> records lose nothing.

The readers check what they read with the validator, integrity included, so the records come from
whole valid datasets (unique ids, resolvable references).
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from tradeschema.export import read_jsonl, read_parquet, write_jsonl, write_parquet
from tradeschema.export.arrow import json_read_schema
from tradeschema.models import SCHEMA_VERSION, Record
from tradeschema.registry import RECORD_TYPES, TABLE_NAMES, model_for_table
from tradeschema.tables import FieldKind, arrow_schema, field_specs
from tradeschema.testing import datasets

SCHEMAS = Path(__file__).parents[2] / "schemas"
_SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _record_name(table: str) -> str:
    return next(name for name, kind in RECORD_TYPES.items() if kind.table == table)


@pytest.mark.parametrize("table", TABLE_NAMES)
def test_every_model_field_has_a_column(table: str) -> None:
    model = model_for_table(table)
    schema = arrow_schema(table)
    for spec in field_specs(model):
        assert spec.name in schema.names, f"{table}.{spec.name} has no column"
        if spec.kind is FieldKind.partial_date:
            assert f"{spec.name}_date" in schema.names
    assert json_read_schema(table).names == list(model.model_fields)


@pytest.mark.parametrize("table", TABLE_NAMES)
@_SETTINGS
@given(data=st.data())
def test_parquet_round_trip(
    table: str, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    records: list[Record] = getattr(data.draw(datasets()), table)
    folder = tmp_path_factory.mktemp("rt")
    first, second = folder / "a.parquet", folder / "b.parquet"
    write_parquet(records, first, table=table, batch_size=2)
    back = list(read_parquet(first))
    assert back == records
    write_parquet(back, second, table=table, batch_size=2)
    # The writer is deterministic, so lossless means byte-identical files.
    assert second.read_bytes() == first.read_bytes()
    metadata = pq.read_schema(first).metadata
    assert metadata[b"tradeschema.schema_version"] == SCHEMA_VERSION.encode()
    assert json.loads(metadata[b"tradeschema.json_schema"])["$id"].endswith(_record_name(table))


@pytest.mark.parametrize("table", TABLE_NAMES)
@_SETTINGS
@given(data=st.data())
def test_jsonl_round_trip_and_schema(
    table: str, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    records: list[Record] = getattr(data.draw(datasets()), table)
    path = tmp_path_factory.mktemp("rt") / f"{table}.jsonl"
    assert write_jsonl(records, path) == len(records)
    assert list(read_jsonl(path)) == records
    schema = json.loads((SCHEMAS / f"{_record_name(table)}.schema.json").read_text("utf-8"))
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    for line in path.read_bytes().splitlines():
        errors = [e.message for e in validator.iter_errors(json.loads(line))]
        assert not errors, errors


def test_parquet_of_dataset_round_trips(export_dir: Path, dataset) -> None:  # type: ignore[no-untyped-def]
    for table in TABLE_NAMES:
        back = sorted(read_parquet(export_dir / "parquet" / f"{table}.parquet"), key=lambda r: r.id)
        assert back == sorted(getattr(dataset, table), key=lambda r: r.id)


def test_derived_date_columns(export_dir: Path) -> None:
    rounds = pq.read_table(export_dir / "parquet" / "negotiations.parquet").column("rounds").to_pylist()[0]
    by_city = {r["city"]: r for r in rounds}
    assert str(by_city["Geneva"]["start_date"]) == "2025-05-01"
    assert by_city["Geneva"]["start_precision"] == "month"
    assert str(by_call(rounds)["start_date"]) == "2025-06-02"  # ISO week 23 of 2025 starts on Monday 2 June


def by_call(rounds: list[dict[str, object]]) -> dict[str, object]:
    return next(r for r in rounds if r["kind"] == "call")
