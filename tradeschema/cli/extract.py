"""``tradeschema extract``: read news articles into one validated dataset (JSON).

Exit codes: 0 every article was read; 2 some article (or the curation file) could not be read: each
error is printed on stderr with its file and line, and the dataset of the other articles is still
written. When no article could be read, nothing is written. ``-o FILE`` is written atomically (a
temporary file renamed over the target), so a failure never leaves a half-written or emptied file.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from . import EXIT_OK, EXIT_USAGE, REMEDY_OPTIONS


def register(subparsers: Any) -> None:
    """Add the ``extract`` command to the command group."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "extract",
        help="extract parties, measures, statements and negotiations from news articles",
        description="Read article files (or folders of *.txt) into one validated dataset, written as JSON.",
    )
    parser.add_argument("paths", nargs="+", metavar="ARTICLE", help="article files or folders of them")
    parser.add_argument(
        "-o", "--output", default="-", metavar="FILE", help="output file (default: - for stdout)"
    )
    parser.add_argument("--published", metavar="DATE", help="publication date for articles without a header")
    parser.add_argument("--title", metavar="TEXT", help="headline for articles without a header")
    parser.add_argument("--curation", metavar="FILE", help="apply an analyst's curation file (JSON)")
    parser.set_defaults(run=run)


def write_atomic(path: str, content: str) -> None:
    """Write ``content`` to ``path`` through a temporary file in the same folder and a rename."""
    target = Path(path)
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(content)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def run(args: argparse.Namespace) -> int:
    """Extract the articles, apply the curation, write the dataset."""
    from ..errors import ArticleError, TradeSchemaError
    from ..loader.curation import apply_curation
    from ..loader.load import load_articles

    errors: list[ArticleError] = []
    dataset = load_articles(args.paths, published=args.published, title=args.title, errors=errors)
    for error in errors:
        print(f"tradeschema extract: error: {error}", file=sys.stderr)
    remedies = sorted({error.remedy for error in errors if error.remedy is not None})
    for remedy in remedies:
        print(f"tradeschema extract: hint: {REMEDY_OPTIONS.get(remedy, remedy)}", file=sys.stderr)
    if not dataset.sources:
        print("tradeschema extract: no article could be read; nothing written", file=sys.stderr)
        return EXIT_USAGE
    if args.curation:
        dataset = apply_curation(dataset, args.curation)
    content = dataset.model_dump_json(indent=2) + "\n"
    if args.output == "-":
        sys.stdout.write(content)
    else:
        try:
            write_atomic(args.output, content)
        except OSError as exc:
            raise TradeSchemaError(f"cannot write {args.output}: {exc.strerror or exc}") from exc
    return EXIT_USAGE if errors else EXIT_OK
