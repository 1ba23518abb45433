"""``tradeschema export``: validate inputs and write an export folder (JSON, JSON Lines, Parquet).

Inputs are files, folders of articles (their ``*.txt``, as ``extract`` reads them), or ``-`` for
standard input (an article, a Dataset JSON document, or JSON Lines with ``--record``). With
``--engine spark`` JSON Lines files are validated and converted to Parquet on Apache Spark
(:func:`tradeschema.spark.export_spark`); an invalid input prints the report of the local engine.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import EXIT_INVALID, EXIT_OK, EXIT_USAGE
from .engine import add_engine_options, add_jobs_option, check_engine, spark_master

if TYPE_CHECKING:
    from ..report import Report


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "export",
        help="validate inputs and export them as canonical JSON, JSON Lines, Parquet and CSV",
        description="Validate articles (.txt, or folders of them), Dataset documents (.json) or JSON "
        "Lines of records (.jsonl, record type from the file name) and write DIR/dataset.json, "
        "DIR/jsonl/, DIR/parquet/, DIR/csv/ (with DIR/datapackage.json, a Frictionless Data Package), "
        "DIR/schemas/ and DIR/manifest.json. '-' reads standard input. "
        "Invalid input writes nothing and exits 1. DIR is replaced atomically.",
    )
    parser.add_argument(
        "inputs", nargs="+", metavar="INPUT", help="input files, folders of articles, or - for stdin"
    )
    parser.add_argument(
        "-o", "--output", "--to", dest="output", required=True, metavar="DIR", help="output folder"
    )
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
        "--format",
        choices=("text", "json"),
        default="text",
        help="report format on invalid input (default: %(default)s)",
    )
    parser.add_argument(
        "--max-errors",
        type=int,
        default=50,
        metavar="N",
        help="on invalid input, print or list at most N issues; 0 prints all (default: %(default)s)",
    )
    add_jobs_option(
        parser,
        "processes of a streamed export: one converting and the others (at least one) validating when needed",
        "the folder written",
    )
    add_engine_options(
        parser,
        "validate and convert JSON Lines on Apache Spark, the same report; writes DIR/parquet/ (each "
        "table a folder of parts), DIR/schemas/ and DIR/manifest.json",
    )
    parser.set_defaults(run=run)


def _inputs(given: list[str], stdin_path: str | None) -> list[str]:
    """Files to export: ``-`` replaced by the copy of standard input, folders by their articles."""
    from pathlib import Path

    from ..errors import InputError
    from ..loader.load import expand_paths
    from .output import STDIO

    files: list[str] = []
    for item in given:
        if item == STDIO and stdin_path is not None:
            files.append(stdin_path)
        elif Path(item).is_dir():
            articles = [str(path) for path in expand_paths([item])]
            if not articles:
                raise InputError("folder holds no article (*.txt)", file=item)
            files.extend(articles)
        else:
            files.append(item)
    return files


def _check(args: argparse.Namespace) -> None:
    from ..errors import TradeSchemaError
    from .inputs import table_of_record
    from .output import STDIO

    table_of_record(args.record)  # an unknown name is a usage error that lists the choices
    if args.output == STDIO:
        raise TradeSchemaError("export writes a folder, not standard output; `extract` prints JSON")
    if args.max_errors < 0:
        raise TradeSchemaError("--max-errors must be 0 (all) or more")
    if args.inputs.count(STDIO) > 1:
        raise TradeSchemaError("'-' (standard input) can be given once")
    check_engine(args, stdin=STDIO in args.inputs)
    if args.engine == "spark" and args.partition_by is not None:
        raise TradeSchemaError("--partition-by needs --engine local: on Spark a table is a folder of parts")
    if args.engine == "spark" and args.stream is False:
        raise TradeSchemaError("--in-memory needs --engine local: on Spark the inputs are streamed")


def _print_failure(report: Report, args: argparse.Namespace, shown: Callable[[str | None], str]) -> None:
    """The same report as ``tradeschema validate`` gives for the same inputs."""
    from .output import style_for, write_data
    from .validate import render_text

    listed = len(report.issues) if args.max_errors == 0 else args.max_errors
    if args.format == "json":
        data = report.to_dict(max_issues=listed)
        for issue in data["issues"]:
            issue["file"] = shown(issue["file"]) or None
        write_data(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stderr.write(render_text(report, args.max_errors, style_for(args.color, sys.stderr)))
    print(f"tradeschema export: invalid input; nothing written to {args.output}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    from contextlib import ExitStack

    from ..errors import TradeSchemaError
    from ..export import export_files
    from ..validation.core import UNREADABLE_CODES
    from .inputs import STDIN_NAME, spool_stdin, table_of_record
    from .output import STDIO, symbols_for

    _check(args)
    talk = args.verbose or (sys.stderr.isatty() and not args.quiet)
    with ExitStack() as stack:
        stdin_path = None
        if STDIO in args.inputs:
            spooled = stack.enter_context(spool_stdin(args.record))
            if spooled.kind == "jsonl" and spooled.table is None:
                raise TradeSchemaError(
                    "standard input holds JSON Lines; give their record type with --record"
                )
            stdin_path = str(spooled.path)
        inputs = _inputs(args.inputs, stdin_path)
        if talk:
            print(
                f"exporting {len(inputs)} input(s){symbols_for(sys.stderr).ellipsis}",
                file=sys.stderr,
                flush=True,
            )
        # What is listed is capped when printed; 0 lists all, so keep all.
        keep = args.max_errors or sys.maxsize
        if args.engine == "spark":
            from ..spark import export_spark

            result = export_spark(
                inputs,
                args.output,
                record=args.record,
                master=spark_master(args),
                force=args.force,
                keep_per_code=keep,
            )
        else:
            result = export_files(
                inputs,
                args.output,
                force=args.force,
                partition_by=args.partition_by,
                table=table_of_record(args.record),
                stream=args.stream,
                keep_per_code=keep,
                progress=False if args.quiet else None,
                jobs=args.jobs,
            )

    def shown(name: str | None) -> str:
        return STDIN_NAME if stdin_path is not None and name == stdin_path else (name or "")

    report = result.report
    if not result.ok:
        _print_failure(report, args, shown)
        if any(report.counts[str(code)] for code in UNREADABLE_CODES):
            return EXIT_USAGE
        return EXIT_INVALID
    assert result.manifest is not None
    files = result.manifest["files"]
    if talk:
        print(f"exported {report.records} records: {len(files)} files in {args.output}", file=sys.stderr)
    return EXIT_OK
