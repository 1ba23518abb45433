"""``tradeschema export``: validate inputs and write an export folder (JSON, JSON Lines, Parquet)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from . import EXIT_INVALID, EXIT_OK, EXIT_USAGE

# How many issue groups a failed export lists on stderr; all are counted, and --format json lists them all.
_SHOWN_GROUPS = 50


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "export",
        help="validate inputs and export them as canonical JSON, JSON Lines and Parquet",
        description="Validate articles (.txt), Dataset documents (.json) or JSON Lines of records "
        "(.jsonl, record type from the file name) and write DIR/dataset.json, DIR/jsonl/, "
        "DIR/parquet/, DIR/schemas/ and DIR/manifest.json. Invalid input writes nothing and exits 1 "
        "(2 when an input cannot be read). DIR is replaced atomically; a symbolic link is refused.",
    )
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="input files")
    parser.add_argument("--to", required=True, metavar="DIR", help="output folder")
    parser.add_argument(
        "--partition-by",
        metavar="FIELD",
        help="write hive-style partitioned Parquet folders by this column (such as imposed_by), or by "
        "the year of a date field (such as announced_year or published_year)",
    )
    parser.add_argument(
        "--record",
        metavar="TABLE",
        help="record table of the JSON Lines inputs (sources, parties, negotiations, measures, statements) "
        "when their file names do not tell it",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--stream",
        dest="stream",
        action="store_true",
        default=None,
        help="stream JSON Lines inputs in batches (the default when every input is JSON Lines); "
        "writes no dataset.json",
    )
    mode.add_argument(
        "--in-memory",
        dest="stream",
        action="store_false",
        help="read all inputs into one Dataset, so dataset.json is written and records are ordered by id",
    )
    parser.add_argument(
        "--force", action="store_true", help="replace DIR even if it is not a tradeschema export"
    )
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="report format on invalid input"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..export import export_files
    from ..validation.core import UNREADABLE_CODES
    from .validate import render_text

    result = export_files(
        args.inputs,
        args.to,
        force=args.force,
        partition_by=args.partition_by,
        table=args.record,
        stream=args.stream,
    )
    report = result.report
    if not result.ok:
        # The same report as `tradeschema validate` prints for the same inputs.
        if args.format == "json":
            sys.stdout.write(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n")
        else:
            sys.stderr.write(render_text(report, _SHOWN_GROUPS))
        print(f"tradeschema export: invalid input; nothing written to {args.to}", file=sys.stderr)
        if any(report.counts[str(code)] for code in UNREADABLE_CODES):
            return EXIT_USAGE
        return EXIT_INVALID
    assert result.manifest is not None
    files = result.manifest["files"]
    if sys.stderr.isatty():
        print(f"exported {report.records} records: {len(files)} files in {args.to}", file=sys.stderr)
    return EXIT_OK
