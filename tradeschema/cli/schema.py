"""``tradeschema schema``: write or print the JSON Schemas generated from the models."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from . import EXIT_OK


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "schema",
        help="write the JSON Schemas (Draft 2020-12) generated from the models",
        description="Write every JSON Schema into a folder, or print one to standard output.",
    )
    parser.add_argument(
        "name",
        nargs="?",
        default="dataset",
        help="schema to print when --out is not given: dataset, source, party, negotiation, measure "
        "or statement (default: dataset)",
    )
    parser.add_argument("--out", metavar="DIR", help="write all schemas into DIR as NAME.schema.json")
    parser.add_argument(
        "--markdown", action="store_true", help="print the field reference (docs/schema.md) instead"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..errors import TradeSchemaError
    from ..schema import SCHEMA_NAMES, schema_json, write_schemas

    if args.markdown:
        from ..schema_doc import schema_markdown

        sys.stdout.write(schema_markdown())
        return EXIT_OK
    if args.out is not None:
        try:
            for path in write_schemas(args.out):
                print(path)
        except OSError as exc:
            raise TradeSchemaError(f"cannot write schemas to {args.out}: {exc.strerror}") from exc
        return EXIT_OK
    if args.name not in SCHEMA_NAMES:
        raise TradeSchemaError(f"no schema named {args.name!r}; choose from {', '.join(SCHEMA_NAMES)}")
    sys.stdout.write(schema_json(args.name))
    return EXIT_OK
