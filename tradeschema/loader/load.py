"""The loader's public entry points: :func:`load_article` (a file), :func:`load_article_text` (text in
memory) and :func:`load_articles` (files and folders).

Each article runs through the stages in order (parse -> sentences -> mentions -> quotes -> measures ->
negotiation), then :func:`~tradeschema.loader.assemble.assemble` builds one validated dataset. A file
that cannot be read raises :class:`~tradeschema.errors.ArticleError` (file and line in the message);
:func:`load_articles` can collect those errors instead, so one bad file does not stop the batch.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ArticleError
from ..system import usable_cores
from .assemble import Extraction, assemble
from .measures import find_measures
from .mentions import find_mentions
from .negotiation import find_negotiations
from .parse import Article, parse_article, read_article_file, slugify
from .quotes import find_quotes, find_statements
from .sentences import split_paragraphs, split_sentences

if TYPE_CHECKING:
    from ..models import Dataset

__all__ = [
    "MIN_ARTICLES_PER_JOB",
    "ExtractRequest",
    "expand_paths",
    "extract",
    "load_article",
    "load_article_text",
    "load_articles",
    "source_id",
]

ARTICLE_SUFFIX = ".txt"
"""Files taken from a folder given to :func:`load_articles`."""


def source_id(article: Article, taken: set[str]) -> str:
    """The id of an article's source: its date and headline, made unique against the ids ``taken``
    (to which it is added) by a piece of the text's hash. Articles get their ids in input order, so
    every engine that extracts them assigns the same ids."""
    label = slugify(article.title or "", 8) or article.sha256[:12]
    base = f"source:{article.published}-{label}" if article.published else f"source:{label}"
    found = base if base not in taken else f"{base}-{article.sha256[:8]}"
    taken.add(found)
    return found


def extract(article: Article, source_id: str) -> Extraction:
    """Run the extraction stages on one parsed article."""
    text = article.text
    paragraphs = split_paragraphs(text, article.body_start)
    sentences = split_sentences(text, paragraphs)
    mentions = find_mentions(text, article.body_start, source_id, sentences)
    quotes = find_quotes(text, paragraphs)
    statements = find_statements(
        text,
        published=article.published,
        paragraphs=paragraphs,
        sentences=sentences,
        mentions=mentions,
        quotes=quotes,
    )
    measures = find_measures(text, sentences, mentions, article.published)
    negotiations = find_negotiations(text, sentences, mentions, article.published)
    return Extraction(article, source_id, mentions.parties, statements, measures, negotiations)


def _read_file(
    path: str | os.PathLike[str],
    published: str | None,
    title: str | None,
    byline: str | None,
) -> Article:
    if isinstance(path, str) and "\n" in path:
        raise ArticleError(
            "this is article text, not a file name: pass it to load_article_text", file="<text>"
        )
    name, text = read_article_file(path)
    return parse_article(text, name=name, published=published, title=title, byline=byline)


def load_article(
    path: str | os.PathLike[str],
    *,
    published: str | None = None,
    title: str | None = None,
    byline: str | None = None,
) -> Dataset:
    """Read one article file into a validated dataset.

    ``published`` (a partial date such as ``2025-06-26``), ``title`` and ``byline`` override the header
    and make a header-less file loadable. Raises :class:`~tradeschema.errors.ArticleError` naming the
    file and line when the article cannot be read. For text already in memory use
    :func:`load_article_text`.
    """
    article = _read_file(path, published, title, byline)
    return assemble([extract(article, source_id(article, set()))])


def load_article_text(
    text: str,
    *,
    name: str = "<text>",
    published: str | None = None,
    title: str | None = None,
    byline: str | None = None,
) -> Dataset:
    """Read one article from its text into a validated dataset.

    ``name`` labels the text in error messages; ``published``, ``title`` and ``byline`` override the
    header, as for :func:`load_article`.
    """
    article = parse_article(text, name=name, published=published, title=title, byline=byline)
    return assemble([extract(article, source_id(article, set()))])


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> list[str | os.PathLike[str]]:
    """Files to read: each file as given, and the ``*.txt`` files of each folder in name order."""
    found: list[str | os.PathLike[str]] = []
    for path in paths:
        if Path(path).is_dir():
            found.extend(sorted(str(p) for p in Path(path).rglob(f"*{ARTICLE_SUFFIX}") if p.is_file()))
        else:
            found.append(path)
    return found


def load_articles(
    paths: Iterable[str | os.PathLike[str]],
    *,
    published: str | None = None,
    title: str | None = None,
    errors: list[ArticleError] | None = None,
    on_article: Callable[[], None] | None = None,
    jobs: int | None = None,
) -> Dataset:
    """Read several articles (files or folders of ``*.txt``) into one dataset with shared parties.

    ``jobs`` processes (None: the usable cores) share the extraction of many articles, each taking a
    consecutive share of at least :data:`MIN_ARTICLES_PER_JOB`; the dataset is the same for any number.

    With ``errors`` (a list), an article that cannot be read is recorded there and skipped, so the
    others are still loaded; without it the first such article raises
    :class:`~tradeschema.errors.ArticleError`. ``on_article`` is called after each article, read or
    not (a progress counter).
    """
    done = on_article if on_article is not None else _nothing
    articles: list[tuple[Article, str]] = []
    taken: set[str] = set()
    for path in expand_paths(paths):
        article = _read_or_note(path, published, title, errors)
        if article is None:
            done()  # an article that cannot be read is done with
        else:
            articles.append((article, source_id(article, taken)))
    return assemble(_extract_all(articles, usable_cores() if jobs is None else jobs, done))


def _read_or_note(
    path: str | os.PathLike[str], published: str | None, title: str | None, errors: list[ArticleError] | None
) -> Article | None:
    """The article of a file; None, with the error noted in ``errors``, when it cannot be read."""
    try:
        return _read_file(path, published, title, None)
    except ArticleError as exc:
        if errors is None:
            raise
        errors.append(exc)
        return None


def _nothing() -> None:
    return None


MIN_ARTICLES_PER_JOB = 64
"""Fewest articles worth a process of its own (a worker takes about half a second to start, the time
it takes to extract some 100 articles of everyday length)."""


@dataclass(frozen=True, slots=True)
class ExtractRequest:
    """Articles, with their source ids, for a worker process to extract."""

    articles: list[tuple[Article, str]]

    def answer(self, done: Callable[[], None] = _nothing) -> list[Extraction]:
        """The extraction of each article, in order; ``done`` is called after each."""
        found = []
        for article, source_id in self.articles:
            found.append(extract(article, source_id))
            done()
        return found


def _extract_all(
    articles: list[tuple[Article, str]], jobs: int, done: Callable[[], None]
) -> list[Extraction]:
    """Extract each article, in order; with ``jobs`` over 1, in that many processes (this one
    included), each taking a consecutive share. Extraction is deterministic, so the result is the same.
    ``done`` is called once per article extracted (a worker's articles when its share comes back)."""
    from ..workers import WorkerGone, WorkerProcess

    shares = max(1, min(jobs, len(articles) // MIN_ARTICLES_PER_JOB))
    if shares == 1:
        return ExtractRequest(articles).answer(done)
    cuts = [len(articles) * k // shares for k in range(shares + 1)]
    requests = [ExtractRequest(articles[start:stop]) for start, stop in itertools.pairwise(cuts)]
    workers = [WorkerProcess(request) for request in requests[1:]]
    try:
        extractions = requests[0].answer(done)
        for worker, request in zip(workers, requests[1:], strict=True):
            try:
                found = worker.result()
            except WorkerGone:
                found = request.answer()  # what the worker could not do, done here
            assert isinstance(found, list)
            extractions += found
            for _ in request.articles:
                done()
    finally:
        for worker in workers:
            worker.cancel()
    return extractions
