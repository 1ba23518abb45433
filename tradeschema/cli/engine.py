"""``--jobs``, ``--engine`` and ``--master``: where ``validate``, ``export`` and ``extract`` run, and
their usage errors.

Each command says what its processes share and what it does on Spark in its help; the options, their
defaults and the errors for a ``--jobs`` below 1, a ``--master`` without Spark or standard input on
Spark (workers read files, and a pipe is no file they can open) are the same for all three, so they
live here.
"""

from __future__ import annotations

import argparse

__all__ = ["ENGINES", "add_engine_options", "add_jobs_option", "check_engine", "spark_master"]

ENGINES: tuple[str, ...] = ("local", "spark")
"""``local``: this process (and its worker processes); ``spark``: Apache Spark."""


def add_jobs_option(parser: argparse.ArgumentParser, processes: str, same: str) -> None:
    """Add ``-j/--jobs`` to a command: ``processes`` says what they share, ``same`` what does not
    depend on their number."""
    from ..system import usable_cores

    parser.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help=f"{processes} (default: the usable cores, here {usable_cores()}); {same} is the same for any N",
    )


def add_engine_options(parser: argparse.ArgumentParser, on_spark: str) -> None:
    """Add ``--engine`` and ``--master`` to a command; ``on_spark`` says what the command does on Spark."""
    group = parser.add_argument_group("engine")
    group.add_argument(
        "--engine",
        choices=ENGINES,
        default="local",
        help=f"local: run in this process (the default); spark: {on_spark} (needs the spark extra and Java)",
    )
    group.add_argument(
        "--master",
        default=None,
        metavar="URL",
        help="Spark master with --engine spark: local[*] (the default: every core of this machine), "
        "local[N], spark://HOST:PORT, yarn, ...",
    )


def check_engine(args: argparse.Namespace, *, stdin: bool) -> None:
    """The usage errors of the jobs and engine options, before anything is read; ``stdin``: ``-`` was
    given."""
    from ..errors import TradeSchemaError

    if args.jobs is not None and args.jobs < 1:
        raise TradeSchemaError("--jobs must be 1 or more")
    if args.master is not None and args.engine != "spark":
        raise TradeSchemaError("--master needs --engine spark")
    if stdin and args.engine == "spark":
        raise TradeSchemaError("--engine spark reads files and folders, not standard input")


def spark_master(args: argparse.Namespace) -> str:
    """The master ``--master`` names, or Spark in this process on every core."""
    from ..spark import DEFAULT_MASTER

    return str(args.master) if args.master is not None else DEFAULT_MASTER
