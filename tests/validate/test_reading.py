"""The reading layer: duplicate keys, long lines, compressed files, names and values in reports, CSV bytes."""

from __future__ import annotations

import bz2
import gc
import gzip
import json
import os
import subprocess
import sys
import threading
import tracemalloc
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tradeschema
from tradeschema.cli import main
from tradeschema.report import excerpt, printable, shorten
from tradeschema.validation import jsonl, keys
from tradeschema.validation.keycheck import suspect_lines
from tradeschema.validation.keys import duplicate_keys

from .conftest import source, statement, write_jsonl


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code = main(["validate", *args, "--format", "json"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, json.loads(captured.out)


def _places(report: dict[str, Any], code: str) -> list[tuple[Any, ...]]:
    return [(i["file"], i["line"], i["row"], i["path"]) for i in report["issues"] if i["code"] == code]


def _line(record: dict[str, Any]) -> bytes:
    return orjson.dumps(record) + b"\n"


# ------------------------------------------------------------------ duplicate keys


def test_duplicate_keys_exact() -> None:
    assert duplicate_keys('{"a": 1, "b": 2}') == []
    assert duplicate_keys('{"a": 1, "a": 2}') == [("a",)]
    # Keys are compared decoded: an escaped spelling is the same key.
    assert duplicate_keys('{"a": 1, "\\u0061": 2}') == [("a",)]
    assert duplicate_keys(b'{"a": [{"b": 1}, {"b": {"c": 1, "c": 2}, "b": 3}]}') == [("a", 1, "b")]
    assert duplicate_keys('{"a": [{"b": {"c": 1, "c": 2}}]}') == [("a", 0, "b", "c")]
    assert duplicate_keys("not json") == []
    assert duplicate_keys(b"\xff") == []


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=12,
)


def _with_repeat(value: Any, choice: int) -> tuple[str, bool]:
    """JSON text of ``value``, repeating the first key of the ``choice``-th object (when there is one)."""
    seen = [0]
    repeated = [False]

    def render(item: Any) -> str:
        if isinstance(item, dict):
            pairs = [f"{json.dumps(k)}: {render(v)}" for k, v in item.items()]
            if pairs and seen[0] == choice:
                pairs.append(pairs[0])
                repeated[0] = True
            seen[0] += 1
            return "{" + ", ".join(pairs) + "}"
        if isinstance(item, list):
            return "[" + ", ".join(render(v) for v in item) + "]"
        return json.dumps(item)

    text = render(value)
    return text, repeated[0]


@given(st.dictionaries(st.text(max_size=3), JSON_VALUES, min_size=1, max_size=4), st.integers(0, 6))
def test_no_repeated_key_passes_either_check(value: dict[str, Any], choice: int) -> None:
    text, repeated = _with_repeat(value, choice)
    assert bool(duplicate_keys(text)) == repeated
    flagged = suspect_lines(text.encode() + b"\n")
    assert flagged == ([0] if repeated else [])


def test_duplicate_key_in_jsonl_is_located_with_its_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "statements.jsonl"
    good = _line(statement(1))
    nested = _line(statement(2)).replace(b'"start":13', b'"start":13,"start":14')
    top = _line(statement(3)).replace(b'"kind":"indirect"', b'"kind":"indirect","kind":"direct"')
    # A line that breaks the schema too gets both issues.
    both = _line(statement(4, kind="shouted")).replace(b'"text":', b'"date":"2025","text":')
    path.write_bytes(good + nested + top + both)
    code, report = _cli(capsys, str(path))
    assert code == 1
    places = _places(report, "duplicate-key")
    assert sorted(places) == [
        (str(path), 2, None, "$.evidence[0].start"),
        (str(path), 3, None, "$.kind"),
        (str(path), 4, None, "$.date"),
    ]
    issue = next(i for i in report["issues"] if i["line"] == 3 and i["code"] == "duplicate-key")
    assert issue["record_id"] == "statement:3"
    assert issue["value"] == '"kind"'
    assert _places(report, "enum-error") == [(str(path), 4, None, "$.kind")]


def _big_file(path: Path, lines: int, repeats: set[int]) -> None:
    """``lines`` statements (several blocks of the scan) with a repeated key on the given lines."""
    with path.open("wb") as stream:
        for number in range(1, lines + 1):
            line = _line(statement(number))
            if number in repeats:
                line = line.replace(b'"end":34', b'"end":34,"end":35')
            if number == lines:
                line = line.rstrip(b"\n")  # and a last line without its newline
            stream.write(line)


def test_duplicate_keys_in_every_block_of_a_large_file(tmp_path: Path) -> None:
    path = tmp_path / "statements.jsonl"
    lines = 40_000  # about 9 MB: the first block here, the others in the helper process
    repeats = {1, 5_000, 17_001, 30_000, lines}
    _big_file(path, lines, repeats)
    report = tradeschema.validate(path)
    found = {i.line for i in report.issues if i.code == "duplicate-key"}
    assert found == repeats
    assert {i.path for i in report.issues} == {"$.evidence[0].end"}
    assert report.records == lines


def test_duplicate_keys_found_when_no_process_can_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise OSError("no processes here")

    monkeypatch.setattr(keys.subprocess, "Popen", refuse)
    path = tmp_path / "statements.jsonl"
    _big_file(path, 20_000, {3, 19_999})
    report = tradeschema.validate(path)
    assert {i.line for i in report.issues if i.code == "duplicate-key"} == {3, 19_999}


def test_duplicate_keys_found_when_the_process_dies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[subprocess.Popen[bytes]] = []
    popen = subprocess.Popen

    def dying(args: Any, **options: Any) -> subprocess.Popen[bytes]:
        # A helper that reads a little and exits without answering.
        process = popen([sys.executable, "-c", "import sys; sys.stdin.buffer.read(100)"], **options)
        started.append(process)
        return process

    monkeypatch.setattr(keys.subprocess, "Popen", dying)
    # Every line to the scan, as if none could be cleared by its key count: the helper process starts.
    monkeypatch.setattr(jsonl, "key_ends", lambda text, start=0, end=None: -1)
    monkeypatch.setattr(jsonl, "may_repeat_keys", lambda raw, count: True)
    path = tmp_path / "statements.jsonl"
    _big_file(path, 30_000, {2, 12_000, 29_000})
    report = tradeschema.validate(path)
    assert started
    assert {i.line for i in report.issues if i.code == "duplicate-key"} == {2, 12_000, 29_000}
    assert all(process.poll() is not None for process in started)


def test_duplicate_key_in_dataset_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "dataset.json"
    path.write_text(
        '{\n"schema_version": "1.0.0",\n"sources": [\n'
        '{"id": "source:1", "kind": "news_article", "text": "Lutnick said talks were productive."}\n],\n'
        '"statements": [\n{"id": "statement:1", "kind": "indirect", "text": "talks were productive",\n'
        '"evidence": [{"source_id": "source:1", "start": 13, "end": 34, "end": 34,'
        ' "text": "talks were productive"}]}\n],\n'
        '"schema_version": "1.0.0"\n}\n',
        encoding="utf-8",
    )
    code, report = _cli(capsys, str(path))
    assert code == 1
    assert sorted(_places(report, "duplicate-key")) == [
        (str(path), 7, None, "$.statements[0].evidence[0].end"),
        (str(path), 10, None, "$.schema_version"),
    ]


# ------------------------------------------------------------------ long lines


def test_long_line_is_reported_and_reading_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "statements.jsonl"
    long = _line(statement(2, text="x" * 5_000))
    path.write_bytes(_line(statement(1)) + long + _line(statement(3, kind="shouted")))
    code, report = _cli(capsys, str(path), "--max-line-bytes", "1000")
    assert code == 1
    assert _places(report, "line-too-long") == [(str(path), 2, None, None)]
    assert _places(report, "enum-error") == [(str(path), 3, None, "$.kind")]
    assert report["counts"]["records"] == 2
    # A line of exactly the limit (its newline not counted) is read.
    code, report = _cli(capsys, str(path), "--max-line-bytes", str(len(long) - 1))
    assert "line-too-long" not in report["counts"]["by_code"]


def test_line_limit_must_be_positive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_jsonl(tmp_path / "statements.jsonl", [statement()])
    assert main(["validate", str(path), "--max-line-bytes", "0"]) == 2
    assert "--max-line-bytes" in capsys.readouterr().err
    with pytest.raises(ValueError, match="max_line_bytes"):
        tradeschema.validate(path, max_line_bytes=0)


def test_memory_does_not_grow_with_line_length(tmp_path: Path) -> None:
    path = tmp_path / "statements.jsonl"
    with path.open("wb") as stream:
        stream.write(b'{"id": "statement:1", "text": "')
        for _ in range(48):
            stream.write(b"a" * (1 << 20))
        stream.write(b'"}\n')
        stream.write(_line(statement(2)))
    tracemalloc.start()
    try:
        report = tradeschema.validate(path, max_line_bytes=1 << 20)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [(i.code, i.line) for i in report.issues] == [("line-too-long", 1)]
    assert report.records == 1
    assert peak < 8 * (1 << 20)  # a 48 MiB line, read with a 1 MiB limit


def test_failing_lines_leave_no_frame_in_a_reference_cycle(tmp_path: Path) -> None:
    # A frame caught in a cycle (an exception kept beyond its except clause) holds a piece's lines
    # until the garbage collector runs: memory that grows with the failing lines.
    records = [statement(i) for i in range(50)]
    records[3]["kind"] = "x"
    records[7]["evidence"][0]["start"] = 1e20
    records[9]["evidence"][0]["start"] = 13.0
    path = write_jsonl(tmp_path / "statements.jsonl", records)
    tradeschema.validate(path)
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        report = tradeschema.validate(path)
        gc.collect()
        frames = [item for item in gc.garbage if type(item).__name__ == "frame"]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert [(i.code, i.line) for i in report.issues] == [("enum-error", 4), ("range-error", 8)]
    assert frames == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_endless_line_from_a_pipe(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "statements.jsonl"
    os.mkfifo(fifo)

    def write() -> None:
        with fifo.open("wb") as stream:
            for _ in range(40):  # 40 MiB and no newline: a writer that never ends a line
                stream.write(b"a" * (1 << 20))

    # A daemon with a bounded join: should the validator never open the pipe, the test fails, not hangs.
    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    try:
        code, report = _cli(capsys, str(fifo), "--max-line-bytes", "65536")
    finally:
        writer.join(timeout=60)
    assert not writer.is_alive()
    assert code == 1
    assert _places(report, "line-too-long") == [(str(fifo), 1, None, None)]


# ------------------------------------------------------------------ compressed input


def _compress(path: Path, data: bytes) -> Path:
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(data))
    elif path.suffix == ".bz2":
        path.write_bytes(bz2.compress(data))
    else:
        with pa.output_stream(str(path), compression="zstd") as stream:
            stream.write(data)
    return path


@pytest.mark.parametrize("extension", [".gz", ".bz2", ".zst"])
def test_compressed_files_are_read(
    tmp_path: Path, extension: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    _compress(folder / f"sources.jsonl{extension}", _line(source()))
    bad = _compress(
        folder / f"statements.jsonl{extension}", _line(statement(1)) + _line(statement(2, kind="shouted"))
    )
    code, report = _cli(capsys, str(folder))
    assert code == 1
    assert report["counts"]["records"] == 3
    assert _places(report, "enum-error") == [(str(bad), 2, None, "$.kind")]
    # Given directly, the name after the compression extension tells the table.
    code, report = _cli(capsys, str(bad))
    assert _places(report, "enum-error") == [(str(bad), 2, None, "$.kind")]
    assert report["counts"]["records"] == 2


def test_compressed_dataset_and_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from .conftest import write_csv

    document = tmp_path / "dataset.json.gz"
    document.write_bytes(gzip.compress((Path("examples") / "dataset.json").read_bytes()))
    plain = tmp_path / "statements.csv"
    write_csv(plain, "statements", [statement(1), statement(2, kind="shouted")])
    table = _compress(tmp_path / "statements.csv.zst", plain.read_bytes())
    code, report = _cli(capsys, str(document))
    assert (code, report["valid"], report["counts"]["records"]) == (0, True, 7)
    code, report = _cli(capsys, str(table))
    assert code == 1
    # Row 2 of the data starts on line 3: the header is line 1.
    assert _places(report, "enum-error") == [(str(table), 3, 2, "$.kind")]


def test_files_not_read_are_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_jsonl(tmp_path / "sources.jsonl", [source()])
    (tmp_path / "README.txt").write_text("about this data\n", encoding="utf-8")
    (tmp_path / "statements.parquet.gz").write_bytes(gzip.compress(b"PAR1"))
    code, report = _cli(capsys, str(tmp_path))
    assert code == 0
    (note,) = [n for n in report["notes"] if "not read" in n]
    assert "README.txt" in note
    assert "statements.parquet.gz" in note
    assert note.startswith(f"{tmp_path}: 2 file(s) not read")


# ------------------------------------------------------------------ names and values in reports


def test_values_are_json() -> None:
    assert shorten("2024-02-30") == '"2024-02-30"'
    assert shorten(None) == "null"
    assert shorten(12) == "12"
    assert shorten(True) == "true"
    assert shorten(["a", {"b": 1}]) == '["a", {"b": 1}]'
    assert shorten("é" * 100, 10) == '"' + "é" * 8 + "…"
    assert len(shorten("x" * 1000)) == 80
    assert excerpt(b"caf\xe9") == "caf\\xe9"


def test_value_in_report_is_the_json_value(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_jsonl(tmp_path / "statements.jsonl", [statement(date="2024-02-30", confidence="high")])
    code, report = _cli(capsys, str(path))
    assert code == 1
    values = {i["path"]: i["value"] for i in report["issues"]}
    assert values["$.date"] == '"2024-02-30"'
    assert values["$.confidence"] == '"high"'


def test_printable_escapes_what_could_forge_a_line() -> None:
    assert printable("statements.jsonl") == "statements.jsonl"
    assert printable("a\nvalid: 0 records") == "a\\nvalid: 0 records"
    assert printable("a\x1b[2Jb\r") == "a\\x1b[2Jb\\r"
    assert printable("x\u202ey\u2028") == "x\\u202ey\\u2028"
    assert printable(os.fsdecode(b"caf\xe9.jsonl")) == "caf\\xe9.jsonl"
    assert printable("café 東京") == "café 東京"


@pytest.mark.skipif(sys.platform != "linux", reason="file names of arbitrary bytes")
def test_names_are_escaped_in_text_and_json(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    forged = "statements.\nvalid: 1 records in 1 file(s), 0 errors, 0 warnings\n.jsonl"
    write_jsonl(folder / forged, [statement(1, kind="shouted")])
    raw_name = os.fsencode(str(folder)) + b"/statements-\xff.jsonl"
    with open(raw_name, "wb") as stream:
        stream.write(_line(statement(2, date="someday")))  # another group, so both names are shown
    command = [sys.executable, "-m", "tradeschema", "validate", str(folder)]
    text = subprocess.run(command, capture_output=True, check=False)
    assert text.returncode == 1
    assert b"Traceback" not in text.stderr
    lines = text.stdout.decode("utf-8").splitlines()
    assert [line for line in lines if line.startswith("valid")] == []
    assert lines[-1].startswith("INVALID: 2 records")
    assert "statements.\\nvalid: 1 records" in text.stdout.decode("utf-8")
    assert "statements-\\xff.jsonl" in text.stdout.decode("utf-8")
    as_json = subprocess.run([*command, "--format", "json"], capture_output=True, check=False)
    assert as_json.returncode == 1
    report = json.loads(as_json.stdout.decode("utf-8"))  # strict: valid UTF-8
    assert sorted(report["files"]) == sorted([str(folder / forged), f"{folder}/statements-\\xff.jsonl"])


# ------------------------------------------------------------------ CSV


def test_csv_byte_on_a_later_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from .conftest import write_csv

    path = write_csv(
        tmp_path / "statements.csv",
        "statements",
        [statement(1), statement(2, text="talks\nwere fruitful"), statement(3, kind="shouted")],
    )
    path.write_bytes(path.read_bytes().replace(b"fruitful", b"fru\xe9tful"))
    code, report = _cli(capsys, str(path))
    assert code == 1
    # Row 2 starts on line 3 and spans two lines; the bad byte is on its second.
    assert _places(report, "invalid-utf8") == [(str(path), 4, 2, "text")]
    assert _places(report, "enum-error") == [(str(path), 5, 3, "$.kind")]
    assert report["counts"]["records"] == 2


def _objects(item: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """JSON paths of the non-empty objects in ``item``, depth first."""
    found: list[tuple[str | int, ...]] = []
    if isinstance(item, dict):
        if item:
            found.append(path)
        for key, value in item.items():
            found += _objects(value, (*path, key))
    elif isinstance(item, list):
        for index, value in enumerate(item):
            found += _objects(value, (*path, index))
    return found


def _render_repeating(item: Any, target: tuple[str | int, ...], path: tuple[str | int, ...] = ()) -> str:
    """JSON text of ``item`` with the first key of the object at ``target`` written twice."""
    if isinstance(item, dict):
        pairs = [f"{json.dumps(k)}:{_render_repeating(v, target, (*path, k))}" for k, v in item.items()]
        if path == target:
            pairs.append(pairs[0])
        return "{" + ",".join(pairs) + "}"
    if isinstance(item, list):
        return "[" + ",".join(_render_repeating(v, target, (*path, i)) for i, v in enumerate(item)) + "]"
    return json.dumps(item, ensure_ascii=False)


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["sources", "parties", "negotiations", "measures", "statements"]), st.data())
def test_a_repeated_key_in_any_object_of_any_record_is_reported(
    tmp_path: Path, table: str, data: st.DataObject
) -> None:
    from tradeschema.report import format_path
    from tradeschema.testing import records

    record = orjson.loads(data.draw(records(table)).model_dump_json())
    target = data.draw(st.sampled_from(_objects(record)))
    key = next(iter(_walk_to(record, target)))
    path = tmp_path / f"{table}.jsonl"
    path.write_text(_render_repeating(record, target) + "\n", encoding="utf-8")
    report = tradeschema.validate(path)
    assert [(i.line, i.path) for i in report.issues if i.code == "duplicate-key"] == [
        (1, format_path((*target, key)))
    ]


def _walk_to(item: Any, path: tuple[str | int, ...]) -> Any:
    for step in path:
        item = item[step]
    return item
