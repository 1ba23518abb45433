"""A Dataset JSON document: ``{"schema_version": ..., "sources": [...], ...}``.

The top two levels (the object and its lists) are walked by hand so each record's line is known;
each record's text is then validated by pydantic-core exactly like a JSON Lines line. Records are
checked one at a time, so one bad record never hides the others.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ..report import IssueCode, excerpt, format_path, shorten
from .core import Run, adapter
from .keys import DuplicateKeyDecoder, JsonPath
from .streams import open_binary

__all__ = ["check_schema_version", "validate_document", "validate_document_data"]

_WS = " \t\n\r"
# The C string scanner of the json module (typeshed does not declare it).
_scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]


class _Malformed(Exception):
    """The document is not JSON at ``pos``."""

    def __init__(self, message: str, pos: int) -> None:
        super().__init__(message)
        self.pos = pos


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def check_schema_version(run: Run, version: object, *, file: str, line: int | None = None) -> None:
    """Check a declared ``schema_version``: its form, and that this release reads its major version."""
    from ..models import SCHEMA_VERSION, Dataset

    path = "$.schema_version"
    if not isinstance(version, str):
        run.issue(
            IssueCode.type_error,
            note="schema_version must be a string",
            file=file,
            line=line,
            path=path,
            value=shorten(version),
        )
        return
    field = Dataset.model_fields["schema_version"]
    pattern = next(m.pattern for m in field.metadata if getattr(m, "pattern", None))
    import re

    if not re.search(pattern, version):
        run.issue(
            IssueCode.pattern_error,
            note="schema_version is not a SemVer version such as 1.0.0",
            file=file,
            line=line,
            path=path,
            value=shorten(version),
        )
        return
    major = SCHEMA_VERSION.split(".")[0]
    if version.split(".")[0] != major:
        run.issue(
            IssueCode.unsupported_schema_version,
            version=version,
            major=major,
            supported=f"{SCHEMA_VERSION}; records were checked against it anyway",
            file=file,
            line=line,
            path=path,
            value=shorten(version),
        )


def validate_document(run: Run, path: str, name: str) -> None:
    """Validate a Dataset JSON file into ``run``."""
    try:
        with open_binary(path) as stream:
            data = stream.read()
    except OSError as exc:
        run.issue(IssueCode.unreadable_file, file=name, what="the file", note=exc.strerror or exc)
        return
    run.file_index(name)
    file_index = len(run.report.files) - 1
    if data.startswith(b"\xef\xbb\xbf"):
        run.issue(IssueCode.byte_order_mark, file=name, line=1)
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as bad:
        line = data.count(b"\n", 0, bad.start) + 1
        run.issue(
            IssueCode.invalid_utf8,
            note=f"at byte {bad.start + 1}",
            file=name,
            line=line,
            value=excerpt(data[bad.start : bad.start + 8]),
        )
        return
    if not text.strip(_WS):
        run.issue(IssueCode.empty_file, file=name, note="a Dataset document is a JSON object")
        return
    _Walker(run, text, name, file_index).walk()


def validate_document_data(run: Run, data: object, name: str = "<data>") -> None:
    """Validate an in-memory Dataset (a dict as ``json.loads`` gives it) into ``run``."""
    try:
        # allow_nan=False: NaN and Infinity are not JSON; the schema could not accept them.
        text = json.dumps(data, allow_nan=False, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        run.issue(IssueCode.type_error, file=name, note=f"the data is not JSON-serialisable: {exc}")
        return
    run.file_index(name)
    _Walker(run, text, name, len(run.report.files) - 1).walk()


class _Walker:
    """Walks the top-level object and its record lists, validating each record as it is found."""

    def __init__(self, run: Run, text: str, name: str, file_index: int) -> None:
        from ..registry import RECORD_TYPES

        self.run = run
        self.text = text
        self.name = name
        self.file_index = file_index
        self.decoder = DuplicateKeyDecoder(parse_constant=_reject_constant)
        self.models = {kind.table: kind.model for kind in RECORD_TYPES.values()}
        self._line = 1
        self._line_pos = 0

    def line_at(self, pos: int) -> int:
        """1-based line of a character offset (offsets only grow, so counting is incremental)."""
        if pos < self._line_pos:
            return self.text.count("\n", 0, pos) + 1
        self._line += self.text.count("\n", self._line_pos, pos)
        self._line_pos = pos
        return self._line

    def skip(self, pos: int) -> int:
        text = self.text
        while pos < len(text) and text[pos] in _WS:
            pos += 1
        return pos

    def expect(self, pos: int, chars: str) -> str:
        if pos >= len(self.text):
            raise _Malformed("unexpected end of the document", pos)
        char = self.text[pos]
        if char not in chars:
            raise _Malformed(f"expected {' or '.join(repr(c) for c in chars)}, found {char!r}", pos)
        return char

    def value(self, pos: int, root: JsonPath = ()) -> tuple[Any, int]:
        """The JSON value at ``pos`` and its end; a repeated key inside it is reported under ``root``."""
        try:
            value, end, repeated = self.decoder.raw_decode_keys(self.text, pos)
        except json.JSONDecodeError as exc:
            raise _Malformed(exc.msg, exc.pos) from None
        except ValueError as exc:  # NaN / Infinity, refused by `_reject_constant`
            raise _Malformed(str(exc), pos) from None
        except RecursionError:
            raise _Malformed("too deeply nested", pos) from None
        if repeated:
            line = self.line_at(pos)
            record_id = value.get("id") if isinstance(value, dict) and len(root) == 2 else None
            for where in repeated:
                self.duplicate(str(where[-1]), (*root, *where), line, record_id)
        return value, end

    def duplicate(self, key: str, where: JsonPath, line: int, record_id: object = None) -> None:
        """Report a key repeated in one object (``where`` ends with the key)."""
        self.run.issue(
            IssueCode.duplicate_key,
            key=key,
            file=self.name,
            line=line,
            path=format_path(where),
            record_id=record_id if isinstance(record_id, str) else None,
            value=shorten(key),
        )

    def walk(self) -> None:  # noqa: PLR0912, PLR0915  # the grammar of one object, read top-down
        run, name = self.run, self.name
        pos = self.skip(0)
        try:
            if self.text[pos] != "{":
                value, end = self.value(pos)
                if self.skip(end) != len(self.text):
                    raise _Malformed("extra data after the JSON value", self.skip(end))
                run.issue(
                    IssueCode.not_an_object,
                    what="a Dataset document",
                    file=name,
                    line=1,
                    path="$",
                    value=shorten(value),
                )
                return
            version: object = None
            has_version = False
            keys: set[str] = set()
            pos = self.skip(pos + 1)
            if self.text[pos : pos + 1] == "}":
                pos += 1
            else:
                while True:
                    self.expect(pos, '"')
                    try:
                        key, pos = _scanstring(self.text, pos + 1)
                    except json.JSONDecodeError as exc:
                        raise _Malformed(exc.msg, exc.pos) from None
                    pos = self.skip(pos)
                    self.expect(pos, ":")
                    pos = self.skip(pos + 1)
                    key_line = self.line_at(pos)
                    if key in keys:
                        self.duplicate(key, (key,), key_line)
                    keys.add(key)
                    if key in self.models and self.text[pos : pos + 1] == "[":
                        pos = self.records(key, pos)
                    else:
                        value, pos = self.value(pos, (key,))
                        if key == "schema_version":
                            version, has_version = value, True
                            version_line = key_line
                        elif key in self.models:
                            run.issue(
                                IssueCode.type_error,
                                note=f"{key} must be an array of records",
                                file=name,
                                line=key_line,
                                path=format_path((key,)),
                                value=shorten(value),
                            )
                        else:
                            run.issue(
                                IssueCode.unknown_field,
                                field=key,
                                file=name,
                                line=key_line,
                                path=format_path((key,)),
                                value=shorten(value),
                            )
                    pos = self.skip(pos)
                    if self.expect(pos, ",}") == "}":
                        pos += 1
                        break
                    pos = self.skip(pos + 1)
            pos = self.skip(pos)
            if pos != len(self.text):
                raise _Malformed("extra data after the JSON object", pos)
        except _Malformed as bad:
            line = self.text.count("\n", 0, bad.pos) + 1
            code = IssueCode.too_deeply_nested if "deeply" in str(bad) else IssueCode.invalid_json
            run.issue(
                code,
                note=bad,
                what="the JSON",
                file=name,
                line=line,
                value=excerpt(self.text[bad.pos : bad.pos + 40]),
            )
            return
        if has_version:
            check_schema_version(run, version, file=name, line=version_line)
        else:
            run.issue(
                IssueCode.missing_field,
                field="schema_version",
                file=name,
                line=1,
                path="$.schema_version",
            )

    def records(self, table: str, pos: int) -> int:
        """Validate the records of one list starting at ``pos`` (a ``[``); returns the end offset."""
        from pydantic import ValidationError

        run = self.run
        validate: Callable[[str], Any] = adapter(self.models[table]).validate_json
        pos = self.skip(pos + 1)
        if self.text[pos : pos + 1] == "]":
            return pos + 1
        index = 0
        while True:
            line = self.line_at(pos)
            value, end = self.value(pos, (table, index))
            where = run.item(self.file_index, table, index, line)
            try:
                record = validate(self.text[pos:end])
            except ValidationError as exc:
                record_id = value.get("id") if isinstance(value, dict) else None
                if not isinstance(value, dict):
                    run.issue(
                        IssueCode.not_an_object,
                        what="a record",
                        file=self.name,
                        line=line,
                        path=format_path((table, index)),
                        value=shorten(value),
                    )
                else:
                    run.validation_error(
                        exc,
                        file=self.name,
                        line=line,
                        root=(table, index),
                        record_id=record_id if isinstance(record_id, str) else None,
                        register=(table, where),
                    )
            else:
                run.record(record, where)
            index += 1
            pos = self.skip(end)
            if self.expect(pos, ",]") == "]":
                return pos + 1
            pos = self.skip(pos + 1)
