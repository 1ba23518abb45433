"""The export's ``datapackage.json``: a Frictionless Data Package that frictionless itself accepts."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tradeschema.cli import EXIT_OK, main
from tradeschema.export import export_dataset
from tradeschema.export.datapackage import table_schema
from tradeschema.models import Dataset
from tradeschema.registry import TABLE_NAMES
from tradeschema.testing import datasets

SEED = Path(__file__).parents[2] / "seeds" / "000_cc4bd68febfd186d.txt"


def _frictionless(descriptor: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "--json", str(descriptor)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def seed_export(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    assert main(["export", str(SEED), "-o", str(out), "-q"]) == EXIT_OK
    return out


def test_frictionless_validates_the_seed_export(seed_export: Path, tmp_path: Path) -> None:
    result = _frictionless(seed_export / "datapackage.json", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["valid"] is True
    assert sorted(task["name"] for task in report["tasks"]) == sorted(TABLE_NAMES)
    # Every row was read: frictionless counts the same records as the manifest.
    manifest = {
        entry["path"]: entry for entry in json.loads((seed_export / "manifest.json").read_text())["files"]
    }
    for task in report["tasks"]:
        assert task["stats"]["rows"] == manifest[f"csv/{task['name']}.csv"]["records"]


def test_a_dangling_reference_fails_frictionless_through_the_foreign_key(
    seed_export: Path, tmp_path: Path
) -> None:
    path = seed_export / "csv" / "measures.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("imposed_by")
    assert rows[1][column].startswith("party:")
    rows[1][column] = "party:nowhere"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    result = _frictionless(seed_export / "datapackage.json", tmp_path)
    assert result.returncode != 0
    errors = [error for task in json.loads(result.stdout)["tasks"] for error in task["errors"]]
    assert [(e["type"], e["rowNumber"], e["fieldNames"]) for e in errors] == [
        ("foreign-key", 2, ["imposed_by"])
    ]


def test_the_table_schemas_follow_the_csv_headers_and_the_registry(seed_export: Path) -> None:
    package = json.loads((seed_export / "datapackage.json").read_text("utf-8"))
    for resource in package["resources"]:
        with open(seed_export / resource["path"], encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        assert [field["name"] for field in resource["schema"]["fields"]] == header
        assert resource["schema"]["primaryKey"] == ["id"]
    keys = {fk["fields"]: fk["reference"] for fk in table_schema("measures")["foreignKeys"]}
    assert keys == {"imposed_by": {"resource": "parties", "fields": "id"}}
    # A party's affiliation names another party: a reference to its own table.
    assert table_schema("parties")["foreignKeys"] == [
        {"fields": "affiliation", "reference": {"resource": "", "fields": "id"}}
    ]
    # A list of references (targets) or a reference to one of several tables (about) has no foreign key.
    statement_keys = {fk["fields"] for fk in table_schema("statements")["foreignKeys"]}
    assert statement_keys == {"speaker", "reported_by", "via"}
    kinds = {f["name"]: f for f in table_schema("parties")["fields"]}
    assert kinds["kind"]["constraints"]["enum"] and kinds["kind"]["constraints"]["required"] is True
    assert kinds["aliases"]["type"] == "array" and "required" not in kinds["aliases"].get("constraints", {})


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=datasets())
def test_frictionless_accepts_the_csv_of_any_dataset(
    tmp_path_factory: pytest.TempPathFactory, data: Dataset
) -> None:
    import frictionless

    out = tmp_path_factory.mktemp("package") / "out"
    export_dataset(data, out)
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
