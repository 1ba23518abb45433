"""``tradeschema extract``: read news articles into one validated dataset (JSON).

Exit codes: 0 every article was read; 2 some article (or the curation file) could not be read: each
error is printed on stderr with its file and line, and the dataset of the other articles is still
written. When no article could be read, nothing is written. ``-o FILE`` is written atomically (a
temporary file renamed over the target), so a failure never leaves a half-written or emptied file.
``-`` as an article reads standard input. With ``--engine spark`` each article is extracted on
Spark's workers (:func:`tradeschema.spark.load_articles_spark`) into the same dataset.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from . import EXIT_OK, EXIT_USAGE, remedy_hint
from .engine import add_engine_options, add_jobs_option, check_engine, spark_master

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..errors import ArticleError
    from ..models import Dataset


def register(subparsers: Any) -> None:
    """Add the ``extract`` command to the command group."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "extract",
        help="extract parties, measures, statements and negotiations from news articles",
        description="Read article files (or folders of *.txt, or - for standard input) into one "
        "validated dataset, written as JSON.",
    )
    parser.add_argument(
        "paths", nargs="+", metavar="ARTICLE", help="article files or folders of them; - reads stdin"
    )
    parser.add_argument(
        "-o", "--output", default="-", metavar="FILE", help="output file (default: - for stdout)"
    )
    parser.add_argument(
        "--published",
        metavar="DATE",
        help="publication date for articles without a header: YYYY-MM-DD (or YYYY-MM, YYYY, YYYY-Www)",
    )
    parser.add_argument("--title", metavar="TEXT", help="headline for articles without a header")
    add_jobs_option(parser, "processes that share many articles", "the dataset")
    parser.add_argument("--curation", metavar="FILE", help="apply an analyst's curation file (JSON)")
    add_engine_options(parser, "extract each article on Apache Spark's workers, the same dataset")
    parser.set_defaults(run=run)


def check_published(value: str | None) -> None:
    """Refuse a ``--published`` value that is not a partial date, naming the option and its format."""
    from ..dates import parse_partial_date
    from ..errors import TradeSchemaError

    if value is None:
        return
    try:
        parse_partial_date(value)
    except ValueError:
        raise TradeSchemaError(
            f"--published {value!r} is not a date: write it as YYYY-MM-DD (such as 2025-06-26), "
            "or YYYY-MM, YYYY or YYYY-Www"
        ) from None


def _message(error: ArticleError, stdin_path: str | None) -> str:
    if stdin_path is not None and error.file == stdin_path:
        from .inputs import STDIN_NAME

        place = STDIN_NAME if error.line is None else f"{STDIN_NAME}:{error.line}"
        return f"{place}: {error.reason}"
    return str(error)


def _load(
    args: argparse.Namespace, files: list[str], errors: list[ArticleError], done: Callable[[], None]
) -> Dataset:
    """The dataset of the article files, on the engine chosen."""
    if args.engine == "spark" and files:
        from ..spark import load_articles_spark

        return load_articles_spark(
            files, published=args.published, title=args.title, errors=errors, master=spark_master(args)
        )
    from ..loader.load import load_articles

    return load_articles(
        files, published=args.published, title=args.title, errors=errors, on_article=done, jobs=args.jobs
    )


def run(args: argparse.Namespace) -> int:
    """Extract the articles, apply the curation, write the dataset."""
    from contextlib import ExitStack

    from ..errors import TradeSchemaError
    from ..loader.curation import apply_curation
    from ..loader.load import expand_paths
    from ..validation.progress import Progress
    from .inputs import spool_stdin
    from .output import STDIO, symbols_for, write_atomic, write_data

    check_published(args.published)
    if args.paths.count(STDIO) > 1:
        raise TradeSchemaError("'-' (standard input) can be given once")
    check_engine(args, stdin=STDIO in args.paths)
    errors: list[ArticleError] = []
    with ExitStack() as stack:
        paths = list(args.paths)
        stdin_path = None
        if STDIO in paths:
            stdin_path = str(stack.enter_context(spool_stdin(kind="article")).path)
            paths[paths.index(STDIO)] = stdin_path
        files = expand_paths(paths)
        if len(files) > 1 and (args.verbose or (sys.stderr.isatty() and not args.quiet)):
            print(
                f"extracting {len(files)} articles{symbols_for(sys.stderr).ellipsis}",
                file=sys.stderr,
                flush=True,
            )
        meter = Progress(
            len(files),
            enabled=False if args.quiet else None,
            label="extracting",
            unit="articles",
            every=1,
        )
        try:
            dataset = _load(args, [str(file) for file in files], errors, lambda: meter.advance(1))
        finally:
            meter.close()
        for error in errors:
            print(f"tradeschema extract: error: {_message(error, stdin_path)}", file=sys.stderr)
        for hint in sorted({hint for hint in map(remedy_hint, errors) if hint is not None}):
            print(f"tradeschema extract: hint: {hint}", file=sys.stderr)
    if not dataset.sources:
        print("tradeschema extract: no article could be read; nothing written", file=sys.stderr)
        return EXIT_USAGE
    if args.curation:
        dataset = apply_curation(dataset, args.curation)
    content = dataset.model_dump_json(indent=2) + "\n"
    if args.output == STDIO:
        write_data(content)
    else:
        try:
            write_atomic(args.output, content)
        except OSError as exc:
            raise TradeSchemaError(f"cannot write {args.output}: {exc.strerror or exc}") from exc
    return EXIT_USAGE if errors else EXIT_OK
