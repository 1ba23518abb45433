"""`tradeschema.validate()` on what Python users hold: tables, DataFrames, dicts, JSON text.

Each form gives the same verdict, and the same located issue, as the file it stands for.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

import tradeschema
from tradeschema.errors import InvalidDataError, UsageError
from tradeschema.models import Dataset

EXAMPLE = Path(__file__).parents[2] / "examples" / "dataset.json"


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("api") / "out"
    tradeschema.export_dataset(Dataset.model_validate_json(EXAMPLE.read_bytes()), out)
    return out


@pytest.fixture(scope="module")
def statements(export: Path) -> pa.Table:
    return pq.read_table(export / "parquet" / "statements.parquet")


def _broken(table: pa.Table) -> pa.Table:
    """The statements with the first row's kind outside its vocabulary."""
    kinds = table.column("kind").to_pylist()
    kinds[0] = "rumour"
    index = table.schema.get_field_index("kind")
    return table.set_column(index, "kind", pa.array(kinds, pa.string()))


def _located(report: tradeschema.Report) -> list[tuple[str, int | None, str | None]]:
    return [(str(i.code), i.row, i.path) for i in report.issues]


def test_tables_in_every_form_are_valid(export: Path, statements: pa.Table) -> None:
    forms = [
        statements,
        statements.to_batches()[0],
        ds.dataset(export / "parquet" / "statements.parquet"),
        statements.to_pandas(types_mapper=pd.ArrowDtype),
        pl.from_arrow(statements),
    ]
    for form in forms:
        report = tradeschema.validate(form, record="statement")
        assert report.valid, (type(form), _located(report))
        assert report.records == statements.num_rows
    # A table written by the export names its record type in its metadata.
    assert tradeschema.validate(statements).valid


def test_a_bad_cell_is_located_alike_in_every_table_form(statements: pa.Table) -> None:
    broken = _broken(statements)
    expected = [("enum-error", 1, "$.kind")]
    assert _located(tradeschema.validate(broken, record="statements")) == expected
    assert _located(tradeschema.validate(broken.to_pandas(), record="statement")) == expected
    assert _located(tradeschema.validate(pl.from_arrow(broken), record="statement")) == expected


def test_dicts_and_json_text_give_the_file_verdict(tmp_path: Path) -> None:
    data = json.loads(EXAMPLE.read_text("utf-8"))
    assert tradeschema.validate(data).valid
    assert tradeschema.validate(EXAMPLE.read_text("utf-8")).valid
    assert tradeschema.validate(EXAMPLE.read_bytes()).valid
    records = data["statements"]
    assert tradeschema.validate(records, record="statement").valid
    records[0] = {**records[0], "kind": "rumour"}
    assert _located(tradeschema.validate(records, record="statement")) == [("enum-error", 1, "$.kind")]
    lines = "".join(json.dumps(r) + "\n" for r in records)
    report = tradeschema.validate(lines.encode(), record="statement")
    assert [(str(i.code), i.line, i.path, i.file) for i in report.issues] == [
        ("enum-error", 1, "$.kind", "<jsonl>")
    ]


def test_what_cannot_be_told_is_a_usage_error(statements: pa.Table) -> None:
    with pytest.raises(UsageError, match="record type"):
        tradeschema.validate([{"id": "statement:x"}])
    with pytest.raises(UsageError, match="record type"):
        tradeschema.validate(statements.replace_schema_metadata(None))
    with pytest.raises(UsageError, match="cannot validate a int"):
        tradeschema.validate(5)  # type: ignore[call-overload]  # the wrong type is the point


def test_raise_for_errors_and_failure_cases(statements: pa.Table) -> None:
    good = tradeschema.validate(statements)
    good.raise_for_errors()
    assert good.failure_cases().num_rows == 0
    report = tradeschema.validate(_broken(statements))
    with pytest.raises(InvalidDataError, match=r"enum-error at \$\.kind") as caught:
        report.raise_for_errors()
    assert caught.value.report is report
    cases = report.failure_cases()
    assert cases.column_names[:5] == ["code", "severity", "file", "line", "row"]
    frame = cases.to_pandas()
    assert frame.loc[0, "code"] == "enum-error" and frame.loc[0, "row"] == 1
