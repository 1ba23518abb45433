"""Each bad input in tests/data/bad becomes an issue with its place, and the right exit code."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tradeschema.cli import main

BAD = Path(__file__).parent.parent / "data" / "bad"

CASES = [
    # file, code, line, row, path, exit code
    ("statements-malformed-line.jsonl", "invalid-json", 2, None, None, 1),
    ("statements-non-object.jsonl", "not-an-object", 2, None, None, 1),
    ("statements-blank-line.jsonl", "blank-line", 2, None, None, 1),
    ("statements-bom.jsonl", "byte-order-mark", 1, None, None, 1),
    ("statements-invalid-utf8.jsonl", "invalid-utf8", 2, None, None, 1),
    ("statements-deep.jsonl", "too-deeply-nested", 2, None, None, 1),
    # Python 3.13's JSON parser no longer stops at the interpreter's recursion limit: the nested lists
    # parse, and the first statement is reported as what it is, a list where an object must be.
    ("dataset-deep.json", "too-deeply-nested", 1, None, None, 1)
    if sys.version_info < (3, 13)
    else ("dataset-deep.json", "not-an-object", 1, None, "$.statements[0]", 1),
    ("statements-nan.jsonl", "type-error", 1, None, "$.confidence", 1),
    ("statements-truncated.parquet", "invalid-parquet", None, None, None, 2),
    ("statements-not-parquet.parquet", "invalid-parquet", None, None, None, 2),
    ("statements-missing-column.parquet", "missing-column", None, None, "text", 1),
    ("statements-extra-column.parquet", "unknown-column", None, None, "mood", 1),
    ("statements-mistyped-column.parquet", "column-type", None, None, "text", 1),
    ("statements-wrong-header.csv", "unknown-column", None, None, "txt", 1),
    ("dataset-old-version.json", "unsupported-schema-version", 1, None, "$.schema_version", 1),
    ("nothing", "no-input", None, None, None, 2),
    ("does-not-exist.jsonl", "unreadable-file", None, None, None, 2),
    ("statements-duplicate-key.jsonl", "duplicate-key", 2, None, "$.evidence[0].start", 1),
    ("dataset-duplicate-key.json", "duplicate-key", 4, None, "$.sources[0].kind", 1),
    # The Latin-1 byte is on the row's second physical line; the row after it is still checked.
    ("statements-latin1.csv", "invalid-utf8", 3, 2, "text", 1),
    # Row 3 starts on line 5: row 2 spans lines 3 and 4.
    ("statements-latin1.csv", "enum-error", 5, 3, "$.kind", 1),
    # Records before the cut are read; the read error is placed at the line it stopped in.
    ("statements-truncated.jsonl.gz", "unreadable-file", 864, None, None, 2),
]


@pytest.mark.parametrize(("name", "code", "line", "row", "path", "exit_code"), CASES)
def test_bad_input(  # noqa: PLR0917  # pytest passes each column of CASES as a parameter
    name: str,
    code: str,
    line: int | None,
    row: int | None,
    path: str | None,
    exit_code: int,
    capsys: pytest.CaptureFixture[str],
) -> None:
    target = BAD / name
    assert main(["validate", str(target), "--format", "json"]) == exit_code
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    report = json.loads(captured.out)
    assert report["valid"] is False
    found = [i for i in report["issues"] if i["code"] == code]
    assert found, report["issues"]
    issue = found[0]
    assert issue["file"] == str(target)
    assert (issue["line"], issue["row"], issue["path"]) == (line, row, path)


def test_run_goes_on_after_a_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from .conftest import source, statement, write_jsonl

    good = write_jsonl(tmp_path / "sources.jsonl", [source()])
    other = write_jsonl(tmp_path / "statements.jsonl", [statement(), statement(2, kind="shouted")])
    code = main(
        ["validate", str(BAD / "statements-truncated.parquet"), str(good), str(other), "--format", "json"]
    )
    report = json.loads(capsys.readouterr().out)
    assert code == 2
    assert report["counts"]["records"] == 3
    assert {i["code"] for i in report["issues"]} == {"invalid-parquet", "enum-error"}
