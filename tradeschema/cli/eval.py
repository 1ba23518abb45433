"""``tradeschema eval``: score the article loader against gold annotations.

Prints, per record type, the gold, predicted and matched counts with precision, recall and F1
(micro-averaged over articles), the attribute checks, and a line per article. It is a report: the exit
code is 0 whatever the scores, and 2 when a gold file is missing, unreadable or invalid.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from . import EXIT_OK

if TYPE_CHECKING:
    from ..loader.evaluate import EvaluationResult


def register(subparsers: Any) -> None:
    """Add the ``eval`` command to the command group."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "eval",
        help="score the article loader against gold annotations (*.gold.json)",
        description="Run the article loader on the article of each gold file and report precision, "
        "recall and F1 per record type. Folders are searched for *.gold.json files.",
    )
    parser.add_argument("paths", nargs="+", metavar="GOLD_OR_FOLDER", help="gold files or folders of them")
    parser.add_argument(
        "--texts",
        metavar="DIR",
        help="folder holding the articles, when they are not beside their gold files",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text tables (default) or JSON with the per-article details",
    )
    parser.set_defaults(run=run)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _strict_note() -> str:
    from ..loader.evaluate import STRICT_ATTRIBUTES

    return (
        ", ".join(f"{name} {' and '.join(attributes)}" for name, attributes in STRICT_ATTRIBUTES.items())
        + " right"
    )


def format_text(result: EvaluationResult) -> str:
    """The report as plain-text tables."""
    from ..loader.evaluate import EVALUATED_TYPES

    totals = result.totals
    lines = [f"{len(result.articles)} articles", ""]
    lines.append(
        f"{'record':<12}{'gold':>6}{'predicted':>11}{'matched':>9}{'precision':>11}{'recall':>8}{'F1':>7}"
    )
    for name in EVALUATED_TYPES:
        score = totals[name]
        lines.append(
            f"{name:<12}{score.gold:>6}{score.predicted:>11}{score.matched:>9}"
            f"{_fmt(score.precision):>11}{_fmt(score.recall):>8}{_fmt(score.f1):>7}"
        )
    lines += ["", "attribute-strict: a match also needs " + _strict_note()]
    lines.append(f"{'record':<12}{'strict':>6}{'precision':>11}{'recall':>8}{'F1':>7}")
    for name in EVALUATED_TYPES:
        score = totals[name]
        lines.append(
            f"{name:<12}{score.strict:>6}{_fmt(score.strict_precision):>11}"
            f"{_fmt(score.strict_recall):>8}{_fmt(score.strict_f1):>7}"
        )
    lines += ["", "attributes of matched records (correct / checked)"]
    for name in EVALUATED_TYPES:
        for attribute, check in sorted(totals[name].attributes.items()):
            label = f"{name}.{attribute}"
            lines.append(f"  {label:<24}{check.correct:>5} / {check.checked:<5}{_fmt(check.accuracy):>7}")
    width = max((len(article.gold_file) for article in result.articles), default=10)
    lines += ["", "per article: matched / gold / predicted"]
    lines.append(f"  {'gold file':<{width}}" + "".join(f"{name:>14}" for name in EVALUATED_TYPES))
    for article in result.articles:
        cells = "".join(
            f"{f'{s.matched} / {s.gold} / {s.predicted}':>14}"
            for s in (article.scores[name] for name in EVALUATED_TYPES)
        )
        lines.append(f"  {article.gold_file:<{width}}{cells}")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    """Evaluate the gold files and print the report."""
    from ..loader.evaluate import evaluate
    from .output import write_data

    result = evaluate(args.paths, texts=args.texts)
    if args.format == "json":
        write_data(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(format_text(result))
    return EXIT_OK
