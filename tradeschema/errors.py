"""Exceptions for program problems. Data problems are issues in a :class:`~tradeschema.report.Report`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .report import Report

__all__ = [
    "ArticleError",
    "ExportError",
    "InputError",
    "InvalidDataError",
    "MissingDependencyError",
    "TradeSchemaError",
    "UsageError",
]


class TradeSchemaError(Exception):
    """Base of every exception tradeschema raises on purpose.

    ``remedy`` names the parameter that would resolve it, where one would (``force``, ``record``,
    ``published``): the command line turns it into its option, the library never names options.
    """

    remedy: str | None = None

    def with_remedy(self, remedy: str) -> TradeSchemaError:
        """This error, naming the parameter that would resolve it."""
        self.remedy = remedy
        return self


class InputError(TradeSchemaError):
    """An input could not be read or understood; the message names the file and, where known, the line."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None) -> None:
        self.file = file
        self.line = line
        self.reason = message
        place = file or ""
        if file is not None and line is not None:
            place = f"{file}:{line}"
        super().__init__(f"{place}: {message}" if place else message)


class ArticleError(InputError):
    """An article file is empty, binary, not UTF-8, or lacks the header its format needs."""


class ExportError(TradeSchemaError):
    """An export could not be written; nothing already in the output folder was changed."""


class UsageError(TradeSchemaError, ValueError):
    """A call names something tradeschema does not know, such as a record type or a partition key.

    The message lists the choices.
    """


class InvalidDataError(TradeSchemaError):
    """Raised by :meth:`tradeschema.report.Report.raise_for_errors` when the data is invalid.

    ``report`` holds every issue; the message counts them and shows the first few.
    """

    def __init__(self, report: Report, shown: int = 5) -> None:
        self.report = report
        lines = [f"{report.errors:,} errors in {report.records:,} records"]
        for issue in [i for i in report.issues if i.severity == "error"][:shown]:
            place = issue.file or ""
            if issue.line is not None:
                place += f":{issue.line}"
            elif issue.row is not None:
                place += f" row {issue.row}"
            lines.append(f"  {issue.code} at {issue.path or '-'} ({place}): {issue.message}")
        super().__init__("\n".join(lines))


class MissingDependencyError(TradeSchemaError):
    """An optional package a feature needs is not installed; the message names the extra to install."""
