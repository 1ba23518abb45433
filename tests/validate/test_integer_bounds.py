"""Integers beyond a field's plausible maximum are located range errors, in validate and export alike.

Every integer field carries a maximum in the models, so in the JSON Schema too, never above what the
Parquet column (int64) holds: a value such as 1e20 or a 400-digit integer cannot pass validation and
then fail to be written.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tradeschema.cli import EXIT_INVALID, main
from tradeschema.models import MAX_DURATION_DAYS, MAX_OFFSET
from tradeschema.schema import schema_for

EXAMPLE = Path(__file__).parents[2] / "examples" / "dataset.json"
BIG = "1" + "0" * 400


def test_every_integer_field_of_the_schema_has_a_maximum_within_int64() -> None:
    found = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "integer":
                found.append(node)
                assert "maximum" in node, node
                assert node["maximum"] <= 2**63 - 1
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema_for("dataset"))
    assert {node["maximum"] for node in found} == {MAX_OFFSET, MAX_DURATION_DAYS}


@pytest.mark.parametrize(
    ("where", "raw", "path"),
    [
        ("duration", "1e20", "$.negotiations[0].rounds[0].duration_days"),
        ("duration", BIG, "$.negotiations[0].rounds[0].duration_days"),
        ("duration", "3661", "$.negotiations[0].rounds[0].duration_days"),
        ("offset", BIG, "$.statements[0].evidence[0].end"),
        ("offset", "9223372036854775808", "$.statements[0].evidence[0].end"),
    ],
)
@pytest.mark.parametrize("command", ["validate", "export"])
def test_out_of_range_integer_is_located_in_validate_and_export(  # noqa: PLR0917  # pytest passes each parameter
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str, raw: str, path: str, command: str
) -> None:
    data = json.loads(EXAMPLE.read_text("utf-8"))
    marker = "__BIG__"
    if where == "duration":
        data["negotiations"][0]["rounds"][0]["duration_days"] = marker
    else:
        data["statements"][0]["evidence"][0]["end"] = marker
    target = tmp_path / "data.json"
    target.write_text(json.dumps(data, indent=1).replace(f'"{marker}"', raw), "utf-8")
    extra = (
        ["--to", str(tmp_path / "out"), "--format", "json"] if command == "export" else ["--format", "json"]
    )
    assert main([command, str(target), *extra]) == EXIT_INVALID
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    report = json.loads(captured.out)
    [issue] = [i for i in report["issues"] if i["path"] == path]
    assert issue["code"] == "range-error"
    assert issue["file"] == str(target)
    assert not (tmp_path / "out").exists()
