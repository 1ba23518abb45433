"""CSV as DuckDB writes it from our own Parquet: nested literals, NULL, quoted and bare text.

DuckDB's ``COPY (SELECT * FROM 'x.parquet') TO 'x.csv'`` writes lists and structs as its own literals
(``['party:cn', 'party:us']``, ``{'start': 1, 'end': 5}``), not JSON, and copies the derived
``f_date`` / ``f_precision`` columns along. The validator reads them with the grammar of
:mod:`tradeschema.csv_layout`; these tests feed it real DuckDB output of our own exports.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings

from tradeschema.csv_layout import decode_cell, parse_nested_literal, quoted_empty_cells
from tradeschema.export import export_dataset, read_csv
from tradeschema.models import Dataset, Party
from tradeschema.registry import TABLE_NAMES
from tradeschema.tables import field_specs
from tradeschema.testing import datasets
from tradeschema.validation import validate

SEED = Path(__file__).parents[2] / "seeds" / "000_cc4bd68febfd186d.txt"


def _duckdb_copy(parquet: Path, target: Path) -> None:
    connection = duckdb.connect()
    try:
        connection.execute(
            f"COPY (SELECT * FROM read_parquet('{parquet}')) TO '{target}' (HEADER, DELIMITER ',')"
        )
    finally:
        connection.close()


def _copy_tables(out: Path, folder: Path) -> None:
    folder.mkdir()
    for table in TABLE_NAMES:
        _duckdb_copy(out / "parquet" / f"{table}.parquet", folder / f"{table}.csv")


def test_duckdb_csv_of_the_seed_export_validates(tmp_path: Path) -> None:
    from tradeschema.cli import EXIT_OK, main

    out = tmp_path / "out"
    assert main(["export", str(SEED), "-o", str(out), "-q"]) == EXIT_OK
    folder = tmp_path / "duckdb"
    _copy_tables(out, folder)
    rounds = (folder / "negotiations.csv").read_text("utf-8")
    assert "[{'kind': talks" in rounds and "'start': NULL" in rounds  # DuckDB's literals, not JSON
    report = validate(str(folder))
    assert report.valid, report.to_dict()["issues"]
    assert report.records == 23
    assert report.to_dict()["files"] == sorted(
        {str(folder / f"{t}.csv") for t in TABLE_NAMES}, key=lambda f: TABLE_NAMES.index(Path(f).stem)
    )


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=datasets())
def test_duckdb_csv_of_any_export_reads_back_to_the_same_records(
    tmp_path_factory: pytest.TempPathFactory, data: Dataset
) -> None:
    base = tmp_path_factory.mktemp("duck")
    export_dataset(data, base / "out")
    _copy_tables(base / "out", base / "duckdb")
    report = validate(str(base / "duckdb"))
    assert report.valid, report.to_dict()["issues"]
    for table in TABLE_NAMES:
        back = sorted(read_csv(base / "duckdb" / f"{table}.csv"), key=lambda r: r.id)
        assert back == sorted(getattr(data, table), key=lambda r: r.id)


@pytest.mark.parametrize(
    ("literal", "value"),
    [
        ("['party:us', 'party:cn']", ["party:us", "party:cn"]),
        ("[talks, call]", ["talks", "call"]),
        ("[]", []),
        ("[NULL, 'NULL', '']", [None, "NULL", ""]),
        ("{'start': 1, 'end': 5}", {"start": "1", "end": "5"}),
        ("{}", {}),
        (r"['it\'s', 'back\\slash']", ["it's", "back\\slash"]),
        ("[line\nbreak, a b]", ["line\nbreak", "a b"]),
        ("[{'a': [x, 'y, z']}, {'a': []}]", [{"a": ["x", "y, z"]}, {"a": []}]),
    ],
)
def test_nested_literal_grammar(literal: str, value: object) -> None:
    assert parse_nested_literal(literal) == value


@pytest.mark.parametrize(
    "literal", ["[a, b", "['open]", "{'a' 1}", "{'a': 1, 'a': 2}", "[a] b", "[,]", "{'a': }"]
)
def test_malformed_nested_literals_are_errors(literal: str) -> None:
    with pytest.raises(ValueError, match="nested value"):
        parse_nested_literal(literal)


def test_scalars_of_a_literal_are_typed_by_their_field() -> None:
    spec = {s.name: s for s in field_specs(Party)}["evidence"]
    cell = "[{'source_id': 'source:a', 'start': 0, 'end': 5, 'text': 12345}]"
    # `start` is an integer field, `text` a text field: DuckDB writes both bare.
    assert decode_cell(cell, spec) == [{"source_id": "source:a", "start": 0, "end": 5, "text": "12345"}]


def test_a_cell_without_double_quotes_is_typed_by_its_field() -> None:
    specs = {s.name: s for s in field_specs(Party)}
    # DuckDB writes the text "0" bare: in a list of texts it stays a text.
    assert decode_cell("[0, 12]", specs["aliases"]) == ["0", "12"]
    assert decode_cell('["0"]', specs["aliases"]) == ["0"]
    assert decode_cell("[]", specs["aliases"]) == []


def test_a_quoted_empty_cell_is_empty_text_and_a_bare_one_is_null() -> None:
    assert quoted_empty_cells('a,"",,"x"""\n') == {1}
    assert quoted_empty_cells('"",\n') == {0}
    assert quoted_empty_cells(',""') == {1}
    assert quoted_empty_cells('"a,""b",""\r\n') == {1}
