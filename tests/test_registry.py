"""One registry of record types: every name form is accepted everywhere, an unknown one is a usage error."""

from __future__ import annotations

from pathlib import Path

import pytest

from tradeschema.cli import EXIT_OK, EXIT_USAGE, main
from tradeschema.errors import UsageError
from tradeschema.models import Dataset
from tradeschema.registry import LINK_TABLES, RECORD_TYPES, TABLE_NAMES, record_type

EXAMPLE = Path(__file__).parents[1] / "examples" / "dataset.json"


def test_tables_follow_the_dataset_lists() -> None:
    lists = [name for name in Dataset.model_fields if name != "schema_version"]
    assert list(TABLE_NAMES) == lists
    for name, kind in RECORD_TYPES.items():
        assert kind.model.table == kind.table
        assert kind.model.__name__.lower() == name


@pytest.mark.parametrize("given", ["statement", "statements", "Statement", " STATEMENTS "])
def test_singular_and_plural_names_are_one_type(given: str) -> None:
    assert record_type(given).table == "statements"


def test_unknown_record_type_lists_the_choices() -> None:
    with pytest.raises(UsageError) as caught:
        record_type("bogus")
    message = str(caught.value)
    assert "'bogus'" in message
    for kind in RECORD_TYPES.values():
        assert kind.name in message and kind.table in message


def test_link_tables_are_derived_from_list_references() -> None:
    assert set(LINK_TABLES) == {
        "negotiation_parties",
        "negotiation_measures",
        "measure_targets",
        "statement_about",
        "rounds",
    }
    for link in LINK_TABLES.values():
        assert link.parent in TABLE_NAMES


def _statements_jsonl(tmp_path: Path) -> Path:
    import json

    data = json.loads(EXAMPLE.read_text("utf-8"))
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in data["statements"]), "utf-8")
    return path


@pytest.mark.parametrize("given", ["statement", "statements"])
def test_validate_and_export_take_either_name(
    tmp_path: Path, given: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _statements_jsonl(tmp_path)
    # Statements alone: their references into other tables are not checked, so they are valid.
    assert main(["validate", str(path), "--record", given]) == EXIT_OK
    assert main(["export", str(path), "--record", given, "--to", str(tmp_path / given)]) == EXIT_OK
    assert (tmp_path / given / "parquet" / "statements.parquet").is_file()
    capsys.readouterr()


@pytest.mark.parametrize("command", ["validate", "export"])
def test_unknown_record_type_is_a_usage_error(
    tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _statements_jsonl(tmp_path)
    extra = ["--to", str(tmp_path / "out")] if command == "export" else []
    assert main([command, str(path), "--record", "bogus", *extra]) == EXIT_USAGE
    captured = capsys.readouterr()
    assert "unknown record type 'bogus'" in captured.err
    assert "statement (statements)" in captured.err
    assert "Traceback" not in captured.err + captured.out
    assert not (tmp_path / "out").exists()
