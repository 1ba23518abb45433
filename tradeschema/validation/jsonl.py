"""JSON Lines of one record type, read line by line in binary, plain or compressed.

The happy path hands each raw line to pydantic-core (``validate_json``): no Python dict is built, and
memory does not grow with the file. A line is read with a length limit, so memory does not grow with
line length either. Lines that pass go in blocks to the duplicate-key scan (:mod:`.keys`), which
pydantic cannot do: it keeps the last of two equal keys. Only a failing line is looked at more
closely, to tell a malformed line from a non-object from a record that breaks the schema.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..report import IssueCode, format_path, shorten
from .core import Run, adapter, dict_adapter
from .integrity import LINE
from .keycheck import suspect_lines
from .keys import DuplicateKeyScan, duplicate_keys, key_counter, may_repeat_keys
from .progress import Progress
from .streams import open_binary

if TYPE_CHECKING:
    from ..models import Record

__all__ = ["MAX_LINE_BYTES", "validate_jsonl"]

MAX_LINE_BYTES = 16 * 1024 * 1024
"""Default limit of one JSON Lines line, in bytes (its newline not counted); a record is far smaller."""

_BOM = b"\xef\xbb\xbf"
_CHUNK = 4096
# Lines that passed the schema are tested for repeated keys in blocks of this many lines.
_BLOCK_LINES = 512
# A line over the limit is skipped in pieces of this many bytes, never held whole.
_SKIP_PIECE = 1024 * 1024


def validate_jsonl(  # noqa: PLR0912, PLR0915  # one read loop with its hot path inlined, for speed
    run: Run,
    path: str,
    name: str,
    model: type[Record],
    progress: Progress,
    *,
    max_line_bytes: int = MAX_LINE_BYTES,
) -> None:
    """Validate a JSON Lines file of ``model`` records into ``run``.

    Lines are read with at most ``max_line_bytes`` bytes in memory: a longer line is reported as
    ``line-too-long`` and skipped in bounded pieces, so memory does not grow with line length.
    """
    from pydantic import ValidationError

    file_index = run.file_index(name)
    # The core validator itself: TypeAdapter.validate_json adds a Python frame per line.
    record = run.record
    integrity = run.integrity
    id_only = run.on_record is None and integrity.id_only(model.table)
    # A record that only contributes its id is validated into a plain dict (same checks, cheaper to
    # build and drop); one that feeds references or spans to the integrity state needs the model.
    validate = (dict_adapter(model) if id_only else adapter(model)).validator.validate_json
    # Keys of a validated record, to tell the lines that cannot repeat a key (most) from the rest.
    count_keys = key_counter(model, id_only)
    # Ids of records that contribute nothing else, handed to the integrity state in chunks:
    # one call per chunk instead of one per line keeps the per-record cost near pydantic's own.
    chunk_ids: list[str] = []
    chunk_lines: list[int] = []
    # Lines that passed the schema, handed in blocks to the duplicate-key scan (pydantic keeps the
    # last of two equal keys without a word, so it cannot tell).
    # A block is a run of consecutive valid lines: its first line number and its keys in total say all.
    block: list[bytes] = []
    block_start = 1
    block_keys = 0

    def recount(raw: bytes) -> int:
        return count_keys(validate(raw))

    table = model.table
    show = progress.enabled
    valid = 0
    line_no = 0  # also the place of a read error after the loop
    limit = max(1, max_line_bytes)
    try:
        stream = open_binary(path)
    except OSError as exc:
        run.issue(IssueCode.unreadable_file, file=name, what="the file", note=exc.strerror or exc)
        return
    scan = DuplicateKeyScan()
    readline = stream.readline
    try:
        try:
            while True:
                # At most one byte more than the limit: a line that long without its newline is too long.
                raw = readline(limit + 1)
                if not raw:
                    break
                line_no += 1
                if show:
                    progress.advance(len(raw))
                if len(raw) > limit and raw[-1] != 10:  # 10: b"\n"
                    if block:
                        _scan_block(run, scan, block, block_start, block_keys, name, recount)
                        block, block_keys = [], 0
                    length = len(raw) + _skip_line(readline, progress if show else None)
                    run.issue(
                        IssueCode.line_too_long,
                        length=length,
                        limit=limit,
                        file=name,
                        line=line_no,
                    )
                    continue
                if line_no == 1 and raw.startswith(_BOM):
                    run.issue(
                        IssueCode.byte_order_mark,
                        file=name,
                        line=1,
                    )
                    raw = raw[len(_BOM) :]
                try:
                    parsed = validate(raw)
                except ValidationError as exc:
                    if block:
                        _scan_block(run, scan, block, block_start, block_keys, name, recount)
                        block, block_keys = [], 0
                    if not raw.strip():
                        run.issue(IssueCode.blank_line, file=name, line=line_no)
                        continue
                    _explain(run, exc, raw, name, line_no, table=table, file_index=file_index)
                    continue
                if not block:
                    block_start = line_no
                block.append(raw)
                block_keys += count_keys(parsed)
                if len(block) >= _BLOCK_LINES:
                    _scan_block(run, scan, block, block_start, block_keys, name, recount)
                    block, block_keys = [], 0
                # Hot path: a record that only contributes its id (and whose spans are in order, the
                # one integrity rule it can break alone) skips the generic record hook.
                if id_only:
                    for span in parsed.get("evidence", ()):
                        if span["start"] >= span["end"]:
                            record(model.model_validate(parsed), (file_index, line_no, LINE))
                            break
                    else:
                        valid += 1
                        chunk_ids.append(parsed["id"])
                        chunk_lines.append(line_no)
                        if len(chunk_ids) >= _CHUNK:
                            integrity.add_ids(chunk_ids, table, file_index, chunk_lines, LINE)
                            chunk_ids, chunk_lines = [], []
                else:
                    record(parsed, (file_index, line_no, LINE))
        except OSError as exc:
            run.issue(
                IssueCode.unreadable_file,
                file=name,
                line=line_no + 1,
                what="the line",
                note=exc.strerror or exc,
            )
        # Lines read before a read error are still checked: no duplicate key passes unreported.
        _scan_block(run, scan, block, block_start, block_keys, name, recount)
        _report_duplicates(run, scan.finish(), name)
    finally:
        scan.close()
        stream.close()
        if chunk_ids:
            integrity.add_ids(chunk_ids, table, file_index, chunk_lines, LINE)
        run.report.records += valid


def _skip_line(readline: Callable[[int], bytes], progress: Progress | None) -> int:
    """Read past the rest of a line in bounded pieces; returns its bytes skipped, the newline not counted."""
    skipped = 0
    while True:
        piece = readline(_SKIP_PIECE)
        if progress is not None:
            progress.advance(len(piece))
        if not piece:
            return skipped
        if piece[-1] == 10:  # 10: b"\n"
            return skipped + len(piece) - 1
        skipped += len(piece)


def _one_line(line_no: int, raw: bytes) -> list[tuple[int, bytes]]:
    """A failing line, for the exact duplicate-key check if jiter finds a reason to look (it is faster)."""
    return [(line_no, raw)] if suspect_lines(raw) else []


def _scan_block(  # noqa: PLR0917  # a block of lines and what is known of it
    run: Run,
    scan: DuplicateKeyScan,
    block: list[bytes],
    start: int,
    keys: int,
    name: str,
    recount: Callable[[bytes], int],
) -> None:
    """Send the lines of a block (consecutive valid lines from line ``start``, holding ``keys`` keys in
    all) that may repeat a key to the duplicate-key scan.

    The key-count test runs over the whole block (two scans of its bytes, instead of two per line);
    only a block that fails it is tested line by line, its lines' keys counted again.
    """
    if not block or not may_repeat_keys(b"".join(block), keys):
        return
    suspects = [i for i, raw in enumerate(block) if may_repeat_keys(raw, recount(raw))]
    if suspects:
        _report_duplicates(
            run, scan.submit([block[i] for i in suspects], [start + i for i in suspects]), name
        )


def _report_duplicates(run: Run, suspects: list[tuple[int, bytes]], name: str) -> None:
    """Check the lines the scan could not clear, exactly, and report each repeated key."""
    for line_no, raw in suspects:
        for where in duplicate_keys(raw):
            run.issue(
                IssueCode.duplicate_key,
                key=where[-1],
                file=name,
                line=line_no,
                path=format_path(where),
                record_id=_record_id(raw),
                value=shorten(where[-1]),
            )


def _explain(  # the place of a line: file, index, number, table
    run: Run, exc: Exception, raw: bytes, name: str, line_no: int, *, table: str, file_index: int
) -> None:
    """Report why a line failed: not UTF-8, not JSON, not an object, or the schema's errors."""
    from pydantic import ValidationError

    assert isinstance(exc, ValidationError)
    errors = exc.errors(include_url=False)
    if len(errors) == 1 and errors[0]["type"] == "json_invalid":
        message = errors[0]["msg"]
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as bad:
            run.issue(
                IssueCode.invalid_utf8,
                note=f"at column {bad.start + 1}",
                file=name,
                line=line_no,
                value=shorten(raw[bad.start : bad.start + 8]),
            )
            return
        code = IssueCode.too_deeply_nested if "recursion limit" in message else IssueCode.invalid_json
        run.issue(
            code,
            file=name,
            line=line_no,
            value=shorten(raw, 60),
            note=message.replace(" at line 1 ", " at "),
            what="the line",
        )
        return
    if len(errors) == 1 and errors[0]["type"] in ("model_type", "dict_type") and errors[0]["loc"] == ():
        _report_duplicates(run, _one_line(line_no, raw), name)
        run.issue(
            IssueCode.not_an_object,
            what="the line",
            file=name,
            line=line_no,
            value=shorten(errors[0]["input"]),
        )
        return
    _report_duplicates(run, _one_line(line_no, raw), name)
    record_id = _record_id(raw)
    run.validation_error(
        exc, file=name, line=line_no, record_id=record_id, register=(table, (file_index, line_no, LINE))
    )


# The first `"id": "..."` key of a line. In JSON a key is the only string followed by a colon, and no
# record of the schema nests another `id` key, so this finds the record's id without parsing the line
# again (a json.loads of the failing line cost two thirds of the time spent on it).
_ID_KEY = re.compile(rb'"id"\s*:\s*"((?:[^"\\\n]|\\.)*)"')


def _record_id(raw: bytes) -> str | None:
    """The ``id`` of a failing line, when it has a string one."""
    found = _ID_KEY.search(raw)
    if found is None:
        return None
    value = found.group(1)
    try:
        text = json.loads(b'"' + value + b'"') if b"\\" in value else value.decode("utf-8")
    except ValueError:
        return None
    return text if isinstance(text, str) else None
