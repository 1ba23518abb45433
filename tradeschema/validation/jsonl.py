"""JSON Lines of one record type, read line by line in binary.

The happy path hands each raw line to pydantic-core (``validate_json``): no Python dict is built, and
memory does not grow with the file. Only a failing line is looked at more closely, to tell a
malformed line from a non-object from a record that breaks the schema.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from ..report import IssueCode, shorten
from .core import Run, adapter, dict_adapter
from .integrity import LINE
from .progress import Progress

if TYPE_CHECKING:
    from ..models import Record

__all__ = ["validate_jsonl"]

_BOM = b"\xef\xbb\xbf"
_CHUNK = 4096


def validate_jsonl(  # noqa: PLR0912, PLR0915  # one read loop with its hot path inlined, for speed
    run: Run, path: str, name: str, model: type[Record], progress: Progress
) -> None:
    """Validate a JSON Lines file of ``model`` records into ``run``."""
    from pydantic import ValidationError

    file_index = run.file_index(name)
    # The core validator itself: TypeAdapter.validate_json adds a Python frame per line.
    record = run.record
    integrity = run.integrity
    id_only = integrity.id_only(model.table)
    # A record that only contributes its id is validated into a plain dict (same checks, cheaper to
    # build and drop); one that feeds references or spans to the integrity state needs the model.
    validate = (dict_adapter(model) if id_only else adapter(model)).validator.validate_json
    # Ids of records that contribute nothing else, handed to the integrity state in chunks:
    # one call per chunk instead of one per line keeps the per-record cost near pydantic's own.
    chunk_ids: list[str] = []
    chunk_lines: list[int] = []
    table = model.table
    show = progress.enabled
    valid = 0
    line_no = 0  # also the place of a read error after the loop
    try:
        stream = open(path, "rb")  # noqa: SIM115  # closed in the finally below, after a long loop
    except OSError as exc:
        run.issue(IssueCode.unreadable_file, f"cannot open: {exc.strerror}", file=name)
        return
    try:
        for line_no, line in enumerate(stream, 1):  # line_no is read after the loop too
            raw = line
            if show:
                progress.advance(len(raw))
            if line_no == 1 and raw.startswith(_BOM):
                run.issue(
                    IssueCode.byte_order_mark,
                    "the file starts with a UTF-8 byte-order mark",
                    file=name,
                    line=1,
                )
                raw = raw[len(_BOM) :]
            try:
                parsed = validate(raw)
            except ValidationError as exc:
                if not raw.strip():
                    run.issue(IssueCode.blank_line, "empty line", file=name, line=line_no)
                    continue
                _explain(run, exc, raw, name, line_no, table=table, file_index=file_index)
                continue
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
        run.issue(IssueCode.unreadable_file, f"read failed: {exc.strerror}", file=name, line=line_no)
    finally:
        stream.close()
        if chunk_ids:
            integrity.add_ids(chunk_ids, table, file_index, chunk_lines, LINE)
        run.report.records += valid


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
                f"bytes at column {bad.start + 1} are not UTF-8",
                file=name,
                line=line_no,
                value=shorten(raw[bad.start : bad.start + 8]),
            )
            return
        code = IssueCode.too_deeply_nested if "recursion limit" in message else IssueCode.invalid_json
        run.issue(
            code, message.replace(" at line 1 ", " at "), file=name, line=line_no, value=shorten(raw, 60)
        )
        return
    if len(errors) == 1 and errors[0]["type"] in ("model_type", "dict_type") and errors[0]["loc"] == ():
        run.issue(
            IssueCode.not_an_object,
            "the line is JSON but not an object",
            file=name,
            line=line_no,
            value=shorten(errors[0]["input"]),
        )
        return
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
