"""Exceptions for program problems. Data problems are issues in a :class:`~tradeschema.report.Report`."""

from __future__ import annotations

__all__ = [
    "ArticleError",
    "ExportError",
    "InputError",
    "MissingDependencyError",
    "TradeSchemaError",
]


class TradeSchemaError(Exception):
    """Base of every exception tradeschema raises on purpose."""


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


class MissingDependencyError(TradeSchemaError):
    """An optional package a feature needs is not installed; the message names the extra to install."""
