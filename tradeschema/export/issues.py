"""Turning validation failures into report issues with their place (file, line, JSON path).

The exporter validates before it writes; what it finds goes into a :class:`~tradeschema.report.Report`
like the validator's, so a failed export reads the same as ``tradeschema validate``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import ValidationError

from ..integrity import Violation
from ..report import Issue, IssueCode, Severity, format_path, shorten
from ..validation.core import code_for_error, error_message

__all__ = ["Place", "issue_from_violation", "issues_from_validation_error"]

_LINE_IN_MESSAGE = re.compile(r"at line (\d+) column")


@dataclass(frozen=True, slots=True)
class Place:
    """Where a record was read: file, 1-based line (JSON Lines) and its JSON path in the file."""

    file: str
    line: int | None = None
    loc: tuple[str | int, ...] = ()


def issues_from_validation_error(exc: ValidationError, place: Place) -> Iterator[Issue]:
    """One issue per error in a pydantic ``ValidationError`` raised for the record at ``place``."""
    for error in exc.errors(include_url=False):
        loc = (*place.loc, *error["loc"])
        code = code_for_error(error["type"], error["msg"])
        value = None if code in (IssueCode.missing_field, IssueCode.invalid_json) else shorten(error["input"])
        line = place.line
        if code is IssueCode.invalid_json and line is None:
            # A JSON document's syntax error names its line in the message ("... at line 3 column 5").
            found = _LINE_IN_MESSAGE.search(error["msg"])
            line = int(found.group(1)) if found else None
        yield Issue(
            code,
            Severity.error,
            error_message(code, error),
            file=place.file,
            line=line,
            path=format_path(loc),
            value=value,
        )


def issue_from_violation(violation: Violation, place: Place) -> Issue:
    """The issue for an integrity violation of the record read at ``place``."""
    return Issue(
        violation.code,
        Severity.error,
        violation.message,
        file=place.file,
        line=place.line,
        path=format_path((*place.loc, *violation.loc)),
        record_id=violation.record_id,
        value=shorten(violation.value),
    )
