"""A streamed export clears its input blocks from the parse its writers share, and only blocks in which
the validator would find nothing: whatever the lines, the export's verdict and report are those of
``tradeschema validate``, and the validator itself runs exactly when a block is not cleared.

The mutations are the ways ``pyarrow.json`` and the models' JSON parser read the same text apart
(a repeated key, a blank line, two objects on one line, a null where the model takes none, ``5.0``
for an integer, control characters, a byte-order mark) and the rules the vectorised checks leave to
the model (spans that run backwards, round dates, the rules of whole tables).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradeschema.export import export_files
from tradeschema.export import pipeline as pipeline_module
from tradeschema.export.arrow import Rows
from tradeschema.export.stream import line_blocks
from tradeschema.models import Dataset
from tradeschema.registry import TABLE_NAMES
from tradeschema.report import Report
from tradeschema.testing import datasets
from tradeschema.validation import validate
from tradeschema.validation.clearing import Clearing
from tradeschema.validation.discover import Input
from tradeschema.validation.jsonl import MAX_LINE_BYTES

from .test_one_path import _same

Mutation = Callable[[dict[str, Any], str], str]


def _key_first(record: dict[str, Any], line: str, key: str, value: Any) -> str:
    return '{"' + key + '": ' + json.dumps(value) + ", " + line[1:]


def _loose(record: dict[str, Any], line: str) -> str:
    """Defaults left out, keys in another order (valid; the lists then come back as nulls)."""
    return json.dumps({k: v for k, v in reversed(record.items()) if v not in (None, [])}, ensure_ascii=False)


def _repeated_key(record: dict[str, Any], line: str) -> str:
    return _key_first(record, line, "id", "repeated:" + record["id"])


def _nested_repeated_key(record: dict[str, Any], line: str) -> str:
    if not record.get("evidence"):
        return _repeated_key(record, line)
    return line.replace('"source_id": ', '"start": 0, "source_id": ', 1)


def _null_list(record: dict[str, Any], line: str) -> str:
    lists = [k for k, v in record.items() if isinstance(v, list)]
    return json.dumps({**record, lists[0]: None}) if lists else _repeated_key(record, line)


def _null_item(record: dict[str, Any], line: str) -> str:
    lists = [k for k, v in record.items() if isinstance(v, list)]
    return json.dumps({**record, lists[0]: [None]}) if lists else _repeated_key(record, line)


def _null_required(record: dict[str, Any], line: str) -> str:
    return json.dumps({**record, "id": None})


def _two_on_a_line(record: dict[str, Any], line: str) -> str:
    """Two records on one line, with ids of their own (so no duplicate id gives them away)."""
    return line + " " + json.dumps({**record, "id": record["id"] + "-2"})


def _blank_after(record: dict[str, Any], line: str) -> str:
    return line + "\n"


def _white_line_after(record: dict[str, Any], line: str) -> str:
    return line + "\n \t"


def _leading_space(record: dict[str, Any], line: str) -> str:
    return " " + line


def _backward_span(record: dict[str, Any], line: str) -> str:
    if not record.get("evidence"):
        return _null_required(record, line)
    spans = [{**record["evidence"][0], "start": record["evidence"][0]["end"]}, *record["evidence"][1:]]
    return json.dumps({**record, "evidence": spans})


def _whole_float(record: dict[str, Any], line: str) -> str:
    if not record.get("evidence"):
        return _null_required(record, line)
    spans = [
        {**record["evidence"][0], "start": float(record["evidence"][0]["start"])},
        *record["evidence"][1:],
    ]
    return json.dumps({**record, "evidence": spans})


def _huge_integer(record: dict[str, Any], line: str) -> str:
    if not record.get("evidence"):
        return _null_required(record, line)
    return line.replace('"start": ', '"start": 1' + "0" * 30, 1)


def _raw_tab(record: dict[str, Any], line: str) -> str:
    return json.dumps({**record, "id": record["id"] + "\t"}).replace("\\t", "\t")


def _escaped(record: dict[str, Any], line: str) -> str:
    """Every non-ASCII character escaped, and the first key too (valid: the same record)."""
    text = json.dumps(record, ensure_ascii=True)
    return text.replace('"id"', '"\\u0069d"', 1)


def _crlf(record: dict[str, Any], line: str) -> str:
    return line + "\r"


def _unknown_field(record: dict[str, Any], line: str) -> str:
    return _key_first(record, line, "mood", "calm")


MUTATIONS: dict[str, Mutation] = {
    "as-is": lambda record, line: line,
    "loose": _loose,
    "repeated-key": _repeated_key,
    "nested-repeated-key": _nested_repeated_key,
    "null-list": _null_list,
    "null-item": _null_item,
    "null-required": _null_required,
    "two-on-a-line": _two_on_a_line,
    "blank-after": _blank_after,
    "white-line-after": _white_line_after,
    "leading-space": _leading_space,
    "backward-span": _backward_span,
    "whole-float": _whole_float,
    "huge-integer": _huge_integer,
    "raw-tab": _raw_tab,
    "escaped": _escaped,
    "crlf": _crlf,
    "unknown-field": _unknown_field,
}


def _write_tables(dataset: Dataset, folder: Path, how: Callable[[str], str], bom: bool) -> list[Path]:
    """Each table as JSON Lines, each line mutated as ``how(table)`` names; with ``bom``, the
    statements begin with a byte-order mark."""
    folder.mkdir()
    paths = []
    for table in TABLE_NAMES:
        lines = []
        for record in getattr(dataset, table):
            data = record.model_dump(mode="json")
            lines.append(MUTATIONS[how(table)](data, json.dumps(data, ensure_ascii=False)))
        path = folder / f"{table}.jsonl"
        text = "".join(line + "\n" for line in lines)
        path.write_bytes((b"\xef\xbb\xbf" if bom and table == "statements" else b"") + text.encode())
        paths.append(path)
    return paths


def _starts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the starts of the validator's own process in streamed exports."""
    started: list[int] = []
    real = pipeline_module.ValidationProcess

    def counted(*args: Any, **kwargs: Any) -> Any:
        started.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline_module, "ValidationProcess", counted)
    return started


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(dataset=datasets(), data=st.data(), bom=st.booleans())
def test_a_streamed_export_judges_any_lines_as_validate_does(
    dataset: Dataset, data: st.DataObject, bom: bool, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("clearing")
    names = st.sampled_from(sorted(MUTATIONS))
    paths = _write_tables(dataset, folder / "in", lambda table: data.draw(names), bom)
    expected = validate([str(p) for p in paths], progress=False)
    result = export_files(paths, folder / "out", stream=True)
    assert result.ok == expected.valid
    _same(expected, result.report)
    assert result.report.notes == expected.notes


def _cleared(paths: list[Path]) -> Report | None:
    inputs = [Input(str(p), str(p), "jsonl", p.stem) for p in paths]
    clearing = Clearing(inputs)
    for item in inputs:
        clearing.start(item)
        for lines in line_blocks(Path(item.path)):
            rows = Rows(item.table or "", lines, canonical=False)
            parsed = rows.parsed
            clearing.clear(lines, parsed, None if parsed is None else rows.batch)
    return clearing.report()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(dataset=datasets(), how=st.sampled_from(["as-is", "loose", "escaped", "crlf"]))
def test_valid_lines_are_cleared_with_the_report_validate_gives(
    dataset: Dataset, how: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    paths = _write_tables(dataset, tmp_path_factory.mktemp("clearing") / "in", lambda table: how, bom=False)
    expected = validate([str(p) for p in paths], progress=False, jobs=1)
    got = _cleared(paths)
    if expected.counts:  # an open-codelist topic is a warning: only the validator words it
        assert got is None
        return
    assert got is not None
    _same(expected, got)
    assert got.notes == expected.notes


def _exported(paths: list[Path], out: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Report, int]:
    """Export ``paths`` streamed and check that its verdict and report are validate's; returns that
    report and how many times the validator's own process started."""
    starts = _starts(monkeypatch)
    expected = validate([str(p) for p in paths], progress=False)
    result = export_files(paths, out, stream=True)
    assert result.ok == expected.valid
    _same(expected, result.report)
    return expected, len(starts)


@pytest.mark.parametrize("how", sorted(set(MUTATIONS) - {"as-is", "loose", "escaped", "crlf"}))
def test_a_block_the_validator_may_judge_otherwise_is_not_cleared(
    dataset: Dataset, how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each mutation on the first statement: the block is left to the validator, whose report is
    given."""
    mutated = iter([how])
    paths = _write_tables(
        dataset,
        tmp_path / "in",
        lambda table: next(mutated, "as-is") if table == "statements" else "as-is",
        bom=False,
    )
    assert _cleared(paths) is None
    assert _exported(paths, tmp_path / "out", monkeypatch)[1] == 1


def test_valid_lines_need_no_second_reading(
    dataset: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _write_tables(dataset, tmp_path / "in", lambda table: "loose", bom=False)
    expected, starts = _exported(paths, tmp_path / "out", monkeypatch)
    assert expected.valid and not expected.counts
    assert starts == 0


def test_a_byte_order_mark_is_left_to_the_validator(
    dataset: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _write_tables(dataset, tmp_path / "in", lambda table: "as-is", bom=True)
    expected, starts = _exported(paths, tmp_path / "out", monkeypatch)
    assert expected.counts["byte-order-mark"] == 1
    assert starts == 1


def test_a_backward_span_is_left_to_the_validator_without_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no sources given, integrity keeps no spans, yet a span that runs backwards is an error."""
    path = tmp_path / "statements.jsonl"
    span = {"source_id": "source:a", "start": 9, "end": 3, "text": "x"}
    path.write_text(
        json.dumps({"id": "statement:a", "kind": "direct", "text": "x", "evidence": [span]}) + "\n"
    )
    assert _cleared([path]) is None
    expected, starts = _exported([path], tmp_path / "out", monkeypatch)
    assert [str(i.code) for i in expected.issues] == ["span-order"]
    assert starts == 1


def test_a_line_over_the_limit_is_left_to_the_validator(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "statements.jsonl"
    long_text = "x" * (MAX_LINE_BYTES + 1)
    lines = [
        {"id": "statement:a", "kind": "direct", "text": "x"},
        {"id": "statement:b", "kind": "direct", "text": long_text},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    assert _cleared([path]) is None
    expected, starts = _exported([path], tmp_path / "out", monkeypatch)
    assert [(str(i.code), i.line) for i in expected.issues] == [("line-too-long", 2)]
    assert starts == 1


def test_a_block_with_many_lines_for_the_model_is_left_to_the_validator(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lines that leave out their lists are valid, but each needs the model: past a few in a block,
    the validator's own loop reads the input, and its report is the one given."""
    path = tmp_path / "statements.jsonl"
    few = 3
    lines = [
        {"id": f"statement:{i}", "kind": "direct", "text": "x", "about": [], "evidence": []}
        for i in range(200)
    ]
    for line in lines[:few]:
        del line["about"]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    assert _cleared([path]) is not None
    for line in lines:
        line.pop("about", None)
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    assert _cleared([path]) is None
    expected, starts = _exported([path], tmp_path / "out", monkeypatch)
    assert expected.valid and expected.records == 200
    assert starts == 1
