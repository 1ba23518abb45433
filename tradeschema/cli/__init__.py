"""The ``tradeschema`` command line: a thin shell over the library, one module per command.

Exit codes: 0 success (or valid data), 1 invalid data, 2 usage error or unreadable input.
Command modules import the library inside their run functions, so ``tradeschema --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from .._version import __version__

__all__ = ["COMMANDS", "EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "REMEDY_OPTIONS", "build_parser", "main"]

EXIT_OK = 0
"""Success, or the data is valid."""
EXIT_INVALID = 1
"""The data is invalid."""
EXIT_USAGE = 2
"""Bad usage or unreadable input."""

REMEDY_OPTIONS: dict[str, str] = {
    "force": "pass --force to replace it",
    "record": "pass --record TYPE",
    "published": "pass --published YYYY-MM-DD (and --title TEXT)",
}
"""The option that applies a library error's remedy (see ``TradeSchemaError.remedy``)."""

COMMANDS: tuple[str, ...] = ("extract", "validate", "schema", "eval", "export", "report")
"""Command modules in :mod:`tradeschema.cli`, each with ``register(subparsers)``."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command registered."""
    parser = argparse.ArgumentParser(
        prog="tradeschema",
        description="Structured, validated data about trade negotiations and export controls.",
    )
    parser.add_argument("--version", action="version", version=f"tradeschema {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f".{name}", __name__).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    from ..errors import TradeSchemaError

    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        code: int = args.run(args)
    except TradeSchemaError as exc:
        print(f"tradeschema {args.command}: error: {exc}", file=sys.stderr)
        if exc.remedy is not None:
            print(
                f"tradeschema {args.command}: hint: {REMEDY_OPTIONS.get(exc.remedy, exc.remedy)}",
                file=sys.stderr,
            )
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"tradeschema {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); not an error of ours.
        sys.stderr.close()
        return EXIT_OK
    return code


def run() -> None:
    """Entry point of the ``tradeschema`` console script."""
    sys.exit(main())
