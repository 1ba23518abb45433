"""JSON Lines of one record type, read in binary, plain or compressed.

The file is read in pieces of a megabyte and split at newlines, so the loop costs per piece, not per
line. The happy path hands each raw line to pydantic-core (``validate_json``): no Python dict is built,
and memory does not grow with the file. At most a limit of one line is held, so memory does not grow
with line length either. Duplicate keys, which pydantic cannot see (it keeps the last of two equal
keys), are ruled out for a whole piece at once by counting key ends against the keys of its validated
records (:mod:`.keys`); only a piece where the counts differ is looked at line by line. Only a
failing line is looked at more closely, to tell a malformed line from a non-object from a record that
breaks the schema.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import ValidationError

from ..report import IssueCode, format_path, shorten
from .core import Run, adapter, dict_validator
from .integrity import LINE
from .keycheck import suspect_lines
from .keys import DuplicateKeyScan, duplicate_keys, key_counter, key_ends, may_repeat_keys
from .progress import Progress
from .streams import open_binary, split_compression

if TYPE_CHECKING:
    from ..models import Record

__all__ = ["MAX_LINE_BYTES", "Part", "validate_jsonl"]

MAX_LINE_BYTES = 16 * 1024 * 1024
"""Default limit of one JSON Lines line, in bytes (its newline not counted); a record is far smaller."""

_BOM = b"\xef\xbb\xbf"
# Bytes read at a time: lines are split out of each piece, so the loop costs per piece, not per line.
_READ = 1 << 20
# From a compressed stream, which fails a whole read at a corrupt block: a read error then names a
# line within 64 KiB of the damage.
_READ_COMPRESSED = 1 << 16


class _Lines:
    """The per-line work on the lines of one file, a piece of the file at a time."""

    def __init__(self, run: Run, file_index: int, model: type[Record], limit: int) -> None:
        self.run = run
        self.name = run.report.files[file_index]
        self.model = model
        self.limit = limit
        self.file_index = file_index
        # A record that only contributes its id is validated into a plain dict (same checks, cheaper to
        # build and drop); one that feeds references or spans to the integrity state needs the model.
        self.id_only = run.on_record is None and run.integrity.id_only(model.table)
        # The core validator itself: TypeAdapter.validate_json adds a Python frame per line.
        self.exact = adapter(model).validator.validate_json
        # The plain-dict twin is stricter than the model (it takes no whole float for an integer):
        # the model judges again what it rejects.
        self.validate = dict_validator(model).validate_json if self.id_only else self.exact
        # Keys of a validated record, to tell the lines that cannot repeat a key (most) from the rest.
        self.count_keys = key_counter(model, self.id_only)
        self.count_model_keys = key_counter(model, False)
        self.scan = DuplicateKeyScan()

    def check(self, lines: list[bytes], first: int, size: int, ends: int) -> None:
        """Check ``lines`` (numbered from ``first``), whose text joined by newlines is ``size`` bytes
        long and holds ``ends`` key ends (:func:`~.keys.key_ends`).

        Ids reach the integrity state in line order, so the later of two equal ids is the one reported:
        the ids of consecutive lines on the hot path wait in a list, which goes in whole before any
        line that takes another way.
        """
        run, name, limit = self.run, self.name, self.limit
        validate, count_keys, id_only = self.validate, self.count_keys, self.id_only
        file_index = self.file_index
        may_be_long = size > limit
        keys = 0
        ids: list[str] = []  # ids of consecutive lines on the hot path, from line ``start`` on
        start = 0
        # Lines that did not pass (and lines too long to read): no keys counted.
        failed: list[int] = []
        objects: list[int] = []  # failed lines that are JSON, for the duplicate-key scan
        for index, raw in enumerate(lines):
            if may_be_long and len(raw) > limit:
                ids = self._take_ids(ids, first + start)
                failed.append(index)
                run.issue(
                    IssueCode.line_too_long, length=len(raw), limit=limit, file=name, line=first + index
                )
                continue
            try:
                parsed = validate(raw)
            except ValidationError as exc:
                ids = self._take_ids(ids, first + start)
                outcome = self._rejected(raw, exc, first + index)
                if isinstance(outcome, bool):
                    failed.append(index)
                    if outcome:
                        objects.append(index)
                else:
                    keys += self.count_model_keys(outcome)
                    run.record(outcome, (file_index, first + index, LINE))
                continue
            keys += count_keys(parsed)
            if not id_only:
                run.record(parsed, (file_index, first + index, LINE))
                continue
            # Hot path: a record that only contributes its id (and whose spans are in order, the one
            # integrity rule it can break alone) skips the generic record hook.
            for span in parsed.get("evidence", ()):
                if span["start"] >= span["end"]:
                    ids = self._take_ids(ids, first + start)
                    run.record(self.model.model_validate(parsed), (file_index, first + index, LINE))
                    break
            else:
                if not ids:
                    start = index
                ids.append(parsed["id"])
        self._take_ids(ids, first + start)
        self._check_keys(lines, first, ends, keys, failed, objects)

    def _rejected(self, raw: bytes, exc: ValidationError, line_no: int) -> Record | bool:
        """Judge a line the validator rejected: the record, when the model accepts it (the plain-dict
        validator is stricter); else report why the line fails and return whether it is JSON (its
        duplicate keys are then worth a look)."""
        # Only an integer field given a float tells the two validators apart (the plain-dict one
        # reports it as `int_type`); any other line fails both alike, with the same errors.
        if self.id_only and any(error["type"] == "int_type" for error in exc.errors()):
            # The model's own errors are the ones reported. Its exception is used inside the except
            # clause only: kept in a name beyond it, its traceback would hold this frame and the
            # piece's lines in a cycle until the garbage collector ran.
            try:
                record: Record = self.exact(raw)
            except ValidationError as exact:
                return self._explain(raw, exact, line_no)
            return record
        return self._explain(raw, exc, line_no)

    def _explain(self, raw: bytes, exc: Exception, line_no: int) -> bool:
        if not raw.strip():
            self.run.issue(IssueCode.blank_line, file=self.name, line=line_no)
            return False
        return _explain(
            self.run, exc, raw, self.name, line_no, table=self.model.table, file_index=self.file_index
        )

    def _take_ids(self, ids: list[str], first: int) -> list[str]:
        """Hand the waiting ids (of consecutive lines from line ``first``) to the integrity state;
        returns the empty list that waits next."""
        if ids:
            self.run.integrity.add_ids(
                ids, self.model.table, self.file_index, range(first, first + len(ids)), LINE
            )
            self.run.report.records += len(ids)
            return []
        return ids

    def _check_keys(  # noqa: PLR0917  # the lines and what is known of them
        self,
        lines: list[bytes],
        first: int,
        ends: int,
        keys: int,
        failed: list[int],
        objects: list[int],
    ) -> None:
        """Send the lines that may repeat a key to the duplicate-key scan: those that passed and may,
        and those that failed but are JSON objects (``objects``).

        One count over the whole text clears most pieces; only a piece that fails it is counted line by
        line (each line validated again for its keys).
        """
        # Failing lines that are JSON have no keys counted: jiter tells here which of them may repeat a
        # key (few do; sending every one would start the scan's process for nothing). Going with the
        # others, their duplicate keys are told in line order, wherever a piece ends.
        suspects = [i for i in objects if suspect_lines(lines[i])]
        # What the failed lines add to the count of the whole text: their own key ends, and the quote
        # a line may end in (truncated JSON) before the newline that follows it.
        last = len(lines) - 1
        ends -= sum(key_ends(lines[i]) + (i < last and lines[i].endswith(b'"')) for i in failed)
        if ends != keys:
            skip = set(failed)
            suspects += [
                i for i, raw in enumerate(lines) if i not in skip and may_repeat_keys(raw, self._keys_of(raw))
            ]
            suspects.sort()
        if suspects:
            found = self.scan.submit([lines[i] for i in suspects], [first + i for i in suspects])
            _report_duplicates(self.run, found, self.name)

    def _keys_of(self, raw: bytes) -> int:
        """The keys of a line that passed: through the fast validator, or the model where it did."""
        try:
            return self.count_keys(self.validate(raw))
        except ValidationError:
            return self.count_model_keys(self.exact(raw))

    def finish(self) -> None:
        """Report the duplicate keys of lines still in the scan."""
        _report_duplicates(self.run, self.scan.finish(), self.name)

    def close(self) -> None:
        self.scan.close()


def validate_jsonl(  # noqa: PLR0912, PLR0915  # one read loop: pieces, the line they end in, long lines
    run: Run,
    path: str,
    name: str,
    model: type[Record],
    progress: Progress,
    *,
    max_line_bytes: int = MAX_LINE_BYTES,
    part: Part | None = None,
) -> int:
    """Validate a JSON Lines file of ``model`` records into ``run``; returns the lines read.

    The file is read in pieces of a megabyte, split at newlines; the part of a line a piece ends in
    waits for the next piece. At most ``max_line_bytes`` bytes of one line are held: a longer line is
    reported as ``line-too-long`` and skipped up to its end, so memory does not grow with line length.
    With ``part``, only those bytes of an uncompressed file are read, the file already registered.
    """
    limit = max(1, max_line_bytes)
    file_index = run.file_index(name) if part is None else part.file_index
    try:
        stream = open_binary(path)
        if part is not None:
            stream.seek(part.start)
    except OSError as exc:
        run.issue(IssueCode.unreadable_file, file=name, what="the file", note=exc.strerror or exc)
        return 0
    lines_of = _Lines(run, file_index, model, limit)
    size = _READ if split_compression(path)[1] is None else _READ_COMPRESSED
    left = -1 if part is None else part.stop - part.start  # bytes of the part still to read
    show = progress.enabled
    line_no = 0 if part is None else part.first_line - 1  # lines done; also the place of a read error
    rest = b""  # the start of a line that the last piece ended in
    skipped = -1  # while skipping a line too long to hold: its bytes so far
    first = part is None or part.start == 0
    try:
        try:
            while True:
                piece = stream.read1(size if left < 0 else min(size, left))
                if left > 0:
                    left -= len(piece)
                if show:
                    progress.advance(len(piece))
                if not piece:
                    break
                if skipped >= 0:
                    cut = piece.find(b"\n")
                    if cut < 0:
                        skipped += len(piece)
                        continue
                    line_no += 1
                    run.issue(
                        IssueCode.line_too_long, length=skipped + cut, limit=limit, file=name, line=line_no
                    )
                    skipped = -1
                    piece = piece[cut + 1 :]
                if first:
                    first = False
                    if piece.startswith(_BOM):
                        run.issue(IssueCode.byte_order_mark, file=name, line=1)
                        piece = piece[len(_BOM) :]
                # The piece is split as it is, not joined to the line the last one ended in first (a
                # copy of every piece): only that line is.
                lines = piece.split(b"\n")
                head, rest = rest, lines.pop()
                if lines:
                    end = len(piece) - len(rest) - 1  # the piece's whole lines, the last newline left out
                    ends = key_ends(piece, 0, end)
                    if head:
                        lines[0] = head + lines[0]
                        # Also a quote that ends the carried part and a byte that begins the piece.
                        ends += key_ends(head) + (key_ends(head[-1:] + piece[:1]) if end > 0 else 0)
                    lines_of.check(lines, line_no + 1, len(head) + end, ends)
                    line_no += len(lines)
                elif head:
                    rest = head + rest
                if len(rest) > limit:
                    skipped, rest = len(rest), b""
            if skipped >= 0:
                line_no += 1
                run.issue(IssueCode.line_too_long, length=skipped, limit=limit, file=name, line=line_no)
            elif rest:
                lines_of.check([rest], line_no + 1, len(rest), key_ends(rest))
                line_no += 1
        except OSError as exc:
            run.issue(
                IssueCode.unreadable_file,
                file=name,
                line=line_no + 1,
                what="the line",
                note=exc.strerror or exc,
            )
        # Lines read before a read error are still checked: no duplicate key passes unreported.
        lines_of.finish()
    finally:
        lines_of.close()
        stream.close()
    return line_no if part is None else line_no - part.first_line + 1


@dataclass(frozen=True, slots=True)
class Part:
    """A part of an uncompressed JSON Lines file: bytes ``start`` to ``stop``, which begin a line and
    end one, the first of them line ``first_line``, the file registered in the run as ``file_index``."""

    start: int
    stop: int
    first_line: int
    file_index: int


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
) -> bool:
    """Report why a line failed: not UTF-8, not JSON, not an object, or the schema's errors; returns
    whether the line is JSON (its duplicate keys are then worth a look)."""
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
            return False
        code = IssueCode.too_deeply_nested if "recursion limit" in message else IssueCode.invalid_json
        run.issue(
            code,
            file=name,
            line=line_no,
            value=shorten(raw, 60),
            note=message.replace(" at line 1 ", " at "),
            what="the line",
        )
        return False
    if len(errors) == 1 and errors[0]["type"] in ("model_type", "dict_type") and errors[0]["loc"] == ():
        run.issue(
            IssueCode.not_an_object,
            what="the line",
            file=name,
            line=line_no,
            value=shorten(errors[0]["input"]),
        )
        return True
    record_id = _record_id(raw)
    run.validation_error(
        exc, file=name, line=line_no, record_id=record_id, register=(table, (file_index, line_no, LINE))
    )
    return True


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
