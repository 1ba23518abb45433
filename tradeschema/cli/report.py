"""``tradeschema report``: one self-contained HTML page of a dataset, its validation result first.

Exit codes: 0 report written for valid data, 1 report written for invalid data, 2 unreadable input,
bad usage, or the ``report`` extra missing.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from . import EXIT_INVALID, EXIT_OK, EXIT_USAGE


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "report",
        help="write an HTML page of a dataset: validation, timelines, measures, statements, evidence",
        description="Validate the inputs (anything `tradeschema validate` reads; - for standard input) and "
        "write one self-contained HTML file that needs no network to view. Exit 0 when the data is "
        "valid, 1 when invalid (the page is written either way), 2 when an input cannot be read.",
    )
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="files or folders, or - for stdin")
    parser.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="HTML file to write (- for standard output)"
    )
    parser.add_argument(
        "--record", metavar="TYPE", help="record type of JSON Lines / Parquet inputs (e.g. statement)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..errors import MissingDependencyError, TradeSchemaError
    from ..validation.core import UNREADABLE_CODES
    from .output import STDIO, write_atomic, write_data

    try:
        from ..htmlreport import render_report

        html, page = render_report(args.inputs, record=args.record, stdin=sys.stdin.buffer)
    except MissingDependencyError as exc:
        print(f"tradeschema report: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.output == STDIO:
        write_data(html)
    else:
        try:
            write_atomic(args.output, html)
        except OSError as exc:
            raise TradeSchemaError(f"cannot write {args.output}: {exc.strerror or exc}") from exc
    if not args.quiet:
        verdict = "valid" if page.valid else "INVALID"
        # The validator counts each form of an export folder; the page shows each record once.
        checked = f" ({page.records_checked:,} checked)" if page.records_checked != page.total_records else ""
        where = "standard output" if args.output == STDIO else args.output
        print(
            f"{verdict}: {page.total_records:,} records{checked}, {page.errors:,} errors, "
            f"{page.warnings:,} warnings; report written to {where}",
            file=sys.stderr if args.output == STDIO else sys.stdout,
        )
    if any(page.report.counts[str(code)] for code in UNREADABLE_CODES):
        return EXIT_USAGE
    return EXIT_OK if page.valid else EXIT_INVALID
