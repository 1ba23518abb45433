"""A span with start >= end is an integrity error even in a file with no sources to check it against."""

from __future__ import annotations

import json
from pathlib import Path

from tradeschema import validate


def test_span_order_is_checked_in_a_statements_only_file(tmp_path: Path) -> None:
    good = {
        "id": "statement:1",
        "kind": "direct",
        "text": "x",
        "evidence": [{"source_id": "source:a", "start": 3, "end": 9, "text": "x"}],
    }
    bad = {
        **good,
        "id": "statement:2",
        "evidence": [{"source_id": "source:a", "start": 9, "end": 3, "text": "x"}],
    }
    path = tmp_path / "statements.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
    report = validate(path)
    assert [(i.code, i.line, i.path) for i in report.issues] == [("span-order", 2, "$.evidence[0].end")]


def test_a_failing_record_is_still_known_to_references(tmp_path: Path) -> None:
    measure = {"id": "measure:m1", "type": "export_ban", "announced": "2024-02-30"}
    statement = {"id": "statement:1", "kind": "direct", "text": "x", "about": ["measure:m1"]}
    (tmp_path / "measures.jsonl").write_text(json.dumps(measure) + "\n", encoding="utf-8")
    (tmp_path / "statements.jsonl").write_text(json.dumps(statement) + "\n", encoding="utf-8")
    report = validate(tmp_path)
    assert [(i.code, i.path) for i in report.issues] == [("pattern-error", "$.announced")]
    assert "not a date that exists" in report.issues[0].message
