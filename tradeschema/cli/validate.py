"""``tradeschema validate``: check datasets (JSON, JSON Lines, Parquet, CSV, export folders).

Exit codes: 0 valid (warnings allowed), 1 invalid, 2 unreadable input or bad usage. ``-`` reads
standard input: a Dataset JSON document, or JSON Lines of the record type ``--record`` names.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from . import EXIT_INVALID, EXIT_OK, EXIT_USAGE, ISSUE_OPTIONS
from .engine import add_engine_options, add_jobs_option, check_engine, spark_master

if TYPE_CHECKING:
    from ..report import Issue, Report
    from .output import Style, Symbols


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "validate",
        help="check datasets against the schema and the integrity rules",
        description="Check Dataset JSON, JSON Lines, Parquet, CSV files or export folders; '-' reads "
        "standard input (a Dataset JSON document, or JSON Lines with --record). "
        "Exit 0 when valid (warnings allowed), 1 when invalid, 2 when an input cannot be read.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to check, or - for stdin")
    parser.add_argument(
        "--record", metavar="TYPE", help="record type of JSON Lines / CSV / Parquet files (e.g. statement)"
    )
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="report format (default: %(default)s)"
    )
    parser.add_argument(
        "--max-errors",
        type=int,
        default=50,
        metavar="N",
        help="print at most N issue groups (text) or list at most N issues (json); 0 prints all; "
        "every issue is counted whatever N is (default: %(default)s)",
    )
    parser.add_argument(
        "--max-line-bytes",
        type=int,
        default=None,
        metavar="N",
        help="longest JSON Lines line read, in bytes (default 16 MiB); a longer one is reported and skipped",
    )
    add_jobs_option(parser, "processes that share a large JSON Lines file", "the report")
    add_engine_options(parser, "check Parquet on Apache Spark, the same checks and report")
    parser.set_defaults(run=run)


def _place(issue: Issue) -> str:
    from ..report import printable

    place = printable(issue.file) if issue.file else "<input>"
    if issue.line is not None:
        place += f":{issue.line}"
    if issue.row is not None:  # a CSV row may have its physical line as well
        place += f" row {issue.row}"
    return place


def render_text(
    report: Report, max_groups: int, style: Style | None = None, symbols: Symbols | None = None
) -> str:
    """Issues grouped by code and path, counted, with the first place of each group.

    ``max_groups`` 0 shows every group. ``symbols`` are the report's typographic characters (ASCII
    stand-ins for a terminal that lacks them); ``style`` colors the severities and the verdict.
    """
    from ..report import printable
    from ..validation.core import UNREADABLE_CODES
    from .output import Style, symbols_for

    style = style or Style(False)
    sym = symbols or symbols_for(sys.stdout)
    lines = []
    groups = report.sorted_groups()
    shown = groups if max_groups == 0 else groups[:max_groups]
    for group in shown:
        issue = group.first
        where = f" at {printable(issue.path)}" if issue.path else ""
        severity = style.error(issue.severity) if issue.severity == "error" else style.warning(issue.severity)
        lines.append(
            f"{severity}: {issue.code} {sym.times}{group.count:,}{where} {sym.dash} first at {_place(issue)}"
        )
        detail = printable(issue.message) + (f" (value {printable(issue.value)})" if issue.value else "")
        lines.append(f"    {detail}")
        if issue.hint:
            option = ISSUE_OPTIONS.get(str(issue.code))
            lines.append(f"    hint: {issue.hint}" + (f"; {option}" if option else ""))
    if len(groups) > len(shown):
        lines.append(f"{sym.ellipsis} {len(groups) - len(shown)} more groups not shown (--max-errors)")
    lines.extend(f"note: {printable(note)}" for note in report.notes)
    unreadable = sum(report.counts[str(code)] for code in UNREADABLE_CODES)
    counts = f"{report.records:,} records in {len(report.files)} file(s)"
    if unreadable:
        # No verdict on data that could not be read: "INVALID" would say the data is wrong.
        lines.append(
            f"{style.error('unreadable')}: {unreadable:,} input(s) could not be read, so no verdict; "
            f"{counts} read, {report.errors - unreadable:,} other errors, {report.warnings:,} warnings"
        )
    else:
        verdict = style.good("valid") if report.valid else style.error("INVALID")
        lines.append(f"{verdict}: {counts}, {report.errors:,} errors, {report.warnings:,} warnings")
    return "\n".join(lines) + "\n"


def _validate_stdin(args: argparse.Namespace, keep: int) -> Report:
    from ..errors import TradeSchemaError
    from ..validation import validate_inputs
    from ..validation.discover import Input
    from .inputs import STDIN_NAME, spool_stdin

    with spool_stdin(args.record) as spooled:
        if spooled.kind == "article" and spooled.table is None:
            raise TradeSchemaError(
                "standard input is not JSON: give the record type of CSV with --record TYPE "
                "(articles are read by `tradeschema extract -`)"
            )
        if spooled.kind in ("jsonl", "parquet") and spooled.table is None:
            what = "JSON Lines" if spooled.kind == "jsonl" else "Parquet"
            raise TradeSchemaError(f"standard input holds {what}; give their record type with --record TYPE")
        # Text that is not JSON, with its record type given, is CSV of that table.
        fmt = {"dataset": "json", "article": "csv"}.get(spooled.kind, spooled.kind)
        return validate_inputs([Input(str(spooled.path), STDIN_NAME, fmt, spooled.table)], keep_per_code=keep)


def _check_options(args: argparse.Namespace) -> None:
    """Usage errors in the options, before anything is read."""
    from ..errors import TradeSchemaError
    from .inputs import table_of_record
    from .output import STDIO

    if args.max_errors < 0:
        raise TradeSchemaError("--max-errors must be 0 (all) or more")
    table_of_record(args.record)  # an unknown name is a usage error that lists the choices
    if args.max_line_bytes is not None and args.max_line_bytes < 1:
        raise TradeSchemaError("--max-line-bytes must be 1 or more")
    check_engine(args, stdin=STDIO in args.paths)


def run(args: argparse.Namespace) -> int:
    import json

    from ..errors import TradeSchemaError
    from ..validation import validate
    from ..validation.core import UNREADABLE_CODES
    from .output import STDIO, style_for, write_data

    _check_options(args)
    # Keeping N issues of each code is enough to list the first N of all; 0 keeps every issue.
    keep = args.max_errors or sys.maxsize
    if STDIO in args.paths:
        if args.paths != [STDIO]:
            raise TradeSchemaError("'-' (standard input) cannot be combined with other paths")
        report = _validate_stdin(args, keep)
    elif args.engine == "spark":
        from ..spark import validate_spark

        report = validate_spark(
            args.paths,
            record=args.record,
            master=spark_master(args),
            keep_per_code=keep,
            max_line_bytes=args.max_line_bytes,
        )
    else:
        report = validate(
            args.paths,
            record=args.record,
            keep_per_code=keep,
            progress=False if args.quiet else None,
            max_line_bytes=args.max_line_bytes,
            jobs=args.jobs,
        )
    if args.format == "json":
        listed = None if args.max_errors == 0 else args.max_errors
        data = report.to_dict(max_issues=listed)
        write_data(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        if args.quiet:
            report.notes.clear()
        sys.stdout.write(render_text(report, args.max_errors, style_for(args.color, sys.stdout)))
    if any(report.counts[str(code)] for code in UNREADABLE_CODES):
        return EXIT_USAGE
    return EXIT_OK if report.valid else EXIT_INVALID
