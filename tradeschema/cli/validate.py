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
    parser.add_argument(
        "--max-line-bytes",
        type=int,
        default=None,
        metavar="N",
        help="longest JSON Lines line read, in bytes (default 16 MiB); a longer one is reported and skipped",
    )
    parser.set_defaults(run=run)


# What the command line adds to a library hint: the option that fixes it.
OPTION_HINTS: dict[str, str] = {
    "unknown-record-type": "pass --record TYPE",
}


def _place(issue: Issue) -> str:
    from ..report import printable

    place = printable(issue.file) if issue.file else "<input>"
    if issue.line is not None:
        place += f":{issue.line}"
    if issue.row is not None:  # a CSV row may have its physical line as well
        place += f" row {issue.row}"
    return place


def render_text(report: Report, max_groups: int) -> str:
    """Issues grouped by code and path, counted, with the first place of each group.

    File names, paths, values and messages come from the input: they are escaped, so each stays on
    its line and none can pass for a line of the report.
    """
    from ..report import printable

    lines = []
    groups = report.sorted_groups()
    for group in groups[:max_groups]:
        issue = group.first
        where = f" at {printable(issue.path)}" if issue.path else ""
        lines.append(f"{issue.severity}: {issue.code} ×{group.count:,}{where} — first at {_place(issue)}")
        detail = printable(issue.message) + (f" (value {printable(issue.value)})" if issue.value else "")
        lines.append(f"    {detail}")
        if issue.hint:
            option = OPTION_HINTS.get(str(issue.code))
            lines.append(f"    hint: {issue.hint}" + (f"; {option}" if option else ""))
    if len(groups) > max_groups:
        lines.append(f"… {len(groups) - max_groups} more groups not shown (--max-errors)")
    lines.extend(f"note: {printable(note)}" for note in report.notes)
    verdict = "valid" if report.valid else "INVALID"
    lines.append(
        f"{verdict}: {report.records:,} records in {len(report.files)} file(s), "
        f"{report.errors:,} errors, {report.warnings:,} warnings"
    )
    return "\n".join(lines) + "\n"


def _write(text: str, encoding: str | None) -> None:
    """Write to standard output; characters its encoding lacks come out escaped, never as a traceback."""
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(text)
        return
    stream.flush()
    buffer.write(text.encode(encoding or stream.encoding or "utf-8", "backslashreplace"))
    buffer.flush()


def run(args: argparse.Namespace) -> int:
    import json

    from ..validation import validate
    from ..validation.core import UNREADABLE_CODES

    if args.max_errors < 0:
        print("tradeschema validate: error: --max-errors must be 0 or more", file=sys.stderr)
        return EXIT_USAGE
    if args.max_line_bytes is not None and args.max_line_bytes < 1:
        print("tradeschema validate: error: --max-line-bytes must be 1 or more", file=sys.stderr)
        return EXIT_USAGE
    report = validate(args.paths, record=args.record, max_line_bytes=args.max_line_bytes)
    if args.format == "json":
        text = json.dumps(report.to_dict(max_issues=args.max_errors), ensure_ascii=False, indent=2) + "\n"
        # UTF-8 whatever the locale says: JSON is exchanged as UTF-8 (RFC 8259).
        _write(text, "utf-8")
    else:
        _write(render_text(report, args.max_errors), None)
    if any(report.counts[str(code)] for code in UNREADABLE_CODES):
        return EXIT_USAGE
    return EXIT_OK if report.valid else EXIT_INVALID
