"""``tradeschema schema``: write or print the JSON Schemas generated from the models, or their reference.

``schema`` prints the Dataset schema; ``schema NAME`` prints one; ``-o DIR`` without a name writes
every schema into DIR; ``NAME -o FILE`` writes one; ``--markdown [NAME]`` prints (or with ``-o FILE``
writes) the field reference. ``-`` as the output is standard output.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from . import EXIT_OK


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "schema",
        help="write the JSON Schemas (Draft 2020-12) generated from the models",
        description="Print one JSON Schema, write every schema into a folder, or print the field "
        "reference (Markdown).",
    )
    parser.add_argument(
        "name",
        nargs="?",
        default=None,
        help="dataset, source, party, negotiation, measure or statement (default: dataset; "
        "with -o and no name, every schema is written)",
    )
    parser.add_argument(
        "-o",
        "--output",
        "--out",
        dest="output",
        metavar="PATH",
        help="without NAME: folder to write every schema into as NAME.schema.json; with NAME or "
        "--markdown: the file to write (- for stdout)",
    )
    parser.add_argument(
        "--markdown", action="store_true", help="the field reference (docs/schema.md) instead of JSON"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..errors import TradeSchemaError
    from ..schema import SCHEMA_NAMES, schema_json, write_schemas
    from .output import STDIO, write_atomic, write_data

    if args.name is not None and args.name not in SCHEMA_NAMES:
        raise TradeSchemaError(f"no schema named {args.name!r}; choose from {', '.join(SCHEMA_NAMES)}")
    name = args.name or "dataset"
    if args.markdown:
        from ..schema_doc import schema_markdown

        content = schema_markdown(name)
    elif args.output is not None and args.output != STDIO and args.name is None:
        try:
            for path in write_schemas(args.output):
                print(path)
        except OSError as exc:
            raise TradeSchemaError(f"cannot write schemas to {args.output}: {exc.strerror}") from exc
        return EXIT_OK
    else:
        content = schema_json(name)
    if args.output is None or args.output == STDIO:
        write_data(content)
        return EXIT_OK
    try:
        write_atomic(args.output, content)
    except OSError as exc:
        raise TradeSchemaError(f"cannot write {args.output}: {exc.strerror or exc}") from exc
    if args.verbose or (sys.stderr.isatty() and not args.quiet):
        print(f"wrote {args.output}", file=sys.stderr)
    return EXIT_OK
