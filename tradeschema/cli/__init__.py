"""The ``tradeschema`` command line: a thin shell over the library, one module per command.

Exit codes: 0 success (or valid data), 1 invalid data, 2 usage error or unreadable input, 3 an internal
error (a bug of ours, never a verdict on the data), 130 interrupted. Command modules import the library
inside their run functions, so ``tradeschema --help`` stays fast.

Conventions shared by every command: ``-`` reads standard input where an input is expected and writes
standard output where an output is expected; ``-o/--output``; ``-q/--quiet``, ``-v/--verbose`` and
``--color auto|always|never`` (``NO_COLOR`` honoured), accepted before or after the command name.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from .._version import __version__

__all__ = [
    "BUG_REPORT",
    "COMMANDS",
    "EXIT_BUG",
    "EXIT_INTERRUPTED",
    "EXIT_INVALID",
    "EXIT_OK",
    "EXIT_USAGE",
    "ISSUE_OPTIONS",
    "REMEDY_OPTIONS",
    "add_common_options",
    "build_parser",
    "main",
    "remedy_hint",
]

EXIT_OK = 0
"""Success, or the data is valid."""
EXIT_INVALID = 1
"""The data is invalid."""
EXIT_USAGE = 2
"""Bad usage or unreadable input."""
EXIT_BUG = 3
"""An internal error: a bug in tradeschema, not a problem with the data or the command."""
EXIT_INTERRUPTED = 130
"""Interrupted (Ctrl-C), as shells report a SIGINT."""

BUG_REPORT = "the tradeschema issue tracker"
"""Where users report internal errors."""

REMEDY_OPTIONS: dict[str, str] = {
    "force": "pass --force to replace it",
    "record": "pass --record TYPE",
    "published": "pass --published YYYY-MM-DD (and --title TEXT)",
}
"""The option that applies a library error's remedy (``TradeSchemaError.remedy``): the library never
names an option, the command line does."""

ISSUE_OPTIONS: dict[str, str] = {
    "unknown-record-type": "pass --record TYPE",
    "line-too-long": "or raise the limit with --max-line-bytes N",
}
"""The option that fixes an issue of a code, added to its hint in the text report."""

COMMANDS: tuple[str, ...] = ("extract", "validate", "schema", "eval", "export", "report")
"""Command modules in :mod:`tradeschema.cli`, each with ``register(subparsers)``."""


def add_common_options(parser: argparse.ArgumentParser, *, top_level: bool) -> None:
    """``-q``, ``-v`` and ``--color``, on the command group and on each command.

    A command's copies default to "not given" (``SUPPRESS``), so an option given before the command
    name is not reset by the command's parser.
    """

    def default(value: object) -> object:
        return value if top_level else argparse.SUPPRESS

    group = parser.add_argument_group("output options")
    group.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=default(False),
        help="print results and errors only: no progress, notes or summaries",
    )
    group.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=default(False),
        help="print more: summaries even when not on a terminal, and the traceback of an internal error",
    )
    group.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default=default("auto"),
        help="color the text output: auto (the default) colors when standard output is a terminal "
        "and NO_COLOR is not set",
    )


def remedy_hint(exc: Exception) -> str | None:
    """The command-line option that resolves a library error, if one does."""
    remedy = getattr(exc, "remedy", None)
    return None if remedy is None else REMEDY_OPTIONS.get(remedy, remedy)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command registered."""
    parser = argparse.ArgumentParser(
        prog="tradeschema",
        description="Structured, validated data about trade negotiations and export controls.",
        epilog="Exit codes: 0 success or valid data, 1 invalid data, 2 usage error or unreadable input, "
        "3 internal error (a bug: please report it). '-' reads standard input or writes standard output.",
    )
    parser.add_argument("-V", "--version", action="version", version=f"tradeschema {__version__}")
    add_common_options(parser, top_level=True)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f".{name}", __name__).register(subparsers)
    for command in subparsers.choices.values():
        add_common_options(command, top_level=False)
    return parser


def _bug(command: str, exc: BaseException, verbose: bool) -> int:
    """Report an unexpected exception as what it is: a bug of ours, with its own exit code."""
    import traceback

    if verbose:
        traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
    summary = f"{type(exc).__name__}: {exc}".splitlines()[0] if str(exc) else type(exc).__name__
    hint = "" if verbose else "; -v shows the traceback"
    print(
        f"tradeschema {command}: internal error ({summary}). This is a bug in tradeschema {__version__}, "
        f"not a problem with the data: please report it to {BUG_REPORT} with the command{hint}.",
        file=sys.stderr,
    )
    return EXIT_BUG


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    from .output import tolerate_encoding

    tolerate_encoding()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    return _run_command(args)


def _run_command(args: argparse.Namespace) -> int:
    """Run the chosen command; program problems become messages and exit codes."""
    from ..errors import TradeSchemaError

    try:
        code: int = args.run(args)
    except TradeSchemaError as exc:
        print(f"tradeschema {args.command}: error: {exc}", file=sys.stderr)
        hint = remedy_hint(exc)
        if hint is not None:
            print(f"tradeschema {args.command}: hint: {hint}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"tradeschema {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); not an error of ours.
        sys.stderr.close()
        return EXIT_OK
    except OSError as exc:
        # The machine refused (disk full, permissions, a folder given as a file): not a bug of ours.
        print(f"tradeschema {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:
        # Anything else is a bug: say so, with its own exit code, never 1 (invalid data).
        return _bug(args.command, exc, args.verbose)
    return code


def run() -> None:
    """Entry point of the ``tradeschema`` console script."""
    sys.exit(main())
