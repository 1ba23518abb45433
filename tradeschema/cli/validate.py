"""``tradeschema validate``: check datasets (JSON, JSON Lines, Parquet, CSV, export folders).

Exit codes: 0 valid (warnings allowed), 1 invalid, 2 unreadable input or bad usage.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from . import EXIT_INVALID, EXIT_OK, EXIT_USAGE

if TYPE_CHECKING:
    from ..report import Issue, Report


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "validate",
        help="check datasets against the schema and the integrity rules",
        description="Check Dataset JSON, JSON Lines, Parquet, CSV files or export folders. "
        "Exit 0 when valid (warnings allowed), 1 when invalid, 2 when an input cannot be read.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to check")
    parser.add_argument(
        "--record", metavar="TYPE", help="record type of JSON Lines / CSV / Parquet files (e.g. statement)"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="report format")
    parser.add_argument(
        "--max-errors",
        type=int,
        default=50,
        metavar="N",
        help="print at most N issue groups (text) or issues (json); all are counted",
    )
    parser.set_defaults(run=run)


# What the command line adds to a library hint: the option that fixes it.
OPTION_HINTS: dict[str, str] = {
    "unknown-record-type": "pass --record TYPE",
}


def _place(issue: Issue) -> str:
    place = issue.file or "<input>"
    if issue.line is not None:
        place += f":{issue.line}"
    elif issue.row is not None:
        place += f" row {issue.row}"
    return place


def render_text(report: Report, max_groups: int) -> str:
    """Issues grouped by code and path, counted, with the first place of each group."""
    lines = []
    groups = report.sorted_groups()
    for group in groups[:max_groups]:
        issue = group.first
        where = f" at {issue.path}" if issue.path else ""
        lines.append(f"{issue.severity}: {issue.code} ×{group.count:,}{where} — first at {_place(issue)}")
        detail = issue.message + (f" (value {issue.value})" if issue.value else "")
        lines.append(f"    {detail}")
        if issue.hint:
            option = OPTION_HINTS.get(str(issue.code))
            lines.append(f"    hint: {issue.hint}" + (f"; {option}" if option else ""))
    if len(groups) > max_groups:
        lines.append(f"… {len(groups) - max_groups} more groups not shown (--max-errors)")
    lines.extend(f"note: {note}" for note in report.notes)
    verdict = "valid" if report.valid else "INVALID"
    lines.append(
        f"{verdict}: {report.records:,} records in {len(report.files)} file(s), "
        f"{report.errors:,} errors, {report.warnings:,} warnings"
    )
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    import json

    from ..validation import validate
    from ..validation.core import UNREADABLE_CODES

    if args.max_errors < 0:
        print("tradeschema validate: error: --max-errors must be 0 or more", file=sys.stderr)
        return EXIT_USAGE
    report = validate(args.paths, record=args.record)
    if args.format == "json":
        sys.stdout.write(
            json.dumps(report.to_dict(max_issues=args.max_errors), ensure_ascii=False, indent=2) + "\n"
        )
    else:
        sys.stdout.write(render_text(report, args.max_errors))
    if any(report.counts[str(code)] for code in UNREADABLE_CODES):
        return EXIT_USAGE
    return EXIT_OK if report.valid else EXIT_INVALID
