"""Stage 1, parse: read an article file and split it into header and body.

The article format is the seed's plain text: optional leading blank lines or spaces, a header line
``date YYYY-MM-DD <headline>``, a blank line, an optional ``By <byline>`` line, then paragraphs. Text
without a header is accepted when the caller supplies the publication date (``published=``).

The source text is the *whole file* as decoded from UTF-8 (a leading byte-order mark removed, line
endings kept as they are), so evidence offsets index into exactly what is on disk and
``text_sha256`` is the hash of that text. The body, where extraction looks, starts after the byline.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..dates import parse_partial_date
from ..errors import ArticleError

__all__ = ["Article", "parse_article", "read_article_file", "slugify"]

# A bounded, anchored pattern: `[ \t]*` and `\S.*` cannot backtrack into each other.
_HEADER_RE = re.compile(r"date[ \t]+(\S+)[ \t]*(.*)")
_BYLINE_RE = re.compile(r"By[ \t]+(\S.*)")
_MAX_PATH_CHARS = 4096


@dataclass(frozen=True, slots=True)
class Article:
    """An article read and split: the whole text, where the body starts, and the header fields."""

    name: str
    """File name (or ``<text>``) used in error messages."""
    text: str
    """The whole text as decoded; evidence offsets index into it."""
    body_start: int
    """Offset of the first character after the header and byline."""
    title: str | None
    """Headline from the header, or as given by the caller."""
    published: str | None
    """Publication date (a partial date) from the header, or as given by the caller."""
    byline: str | None
    """Byline without ``By``, such as ``Staff, Agencies``."""

    @property
    def sha256(self) -> str:
        """SHA-256 of the UTF-8 text, lowercase hex."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def slugify(value: str, max_words: int = 12) -> str:
    """Lowercase ASCII words joined by ``-``, for ids: ``Howard Lutnick`` -> ``howard-lutnick``."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words[:max_words])


def read_article_file(path: str | os.PathLike[str]) -> tuple[str, str]:
    """Read a file as UTF-8 text; returns ``(name, text)`` or raises :class:`ArticleError` naming the file.

    Empty files, binary files (NUL bytes), invalid UTF-8 and unreadable paths are errors; the message
    gives the line of the first bad byte.
    """
    name = os.fspath(path)
    try:
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise ArticleError("is a folder, expected an article file", file=name) from None
    except FileNotFoundError:
        raise ArticleError("no such file", file=name) from None
    except OSError as exc:
        raise ArticleError(f"cannot read file: {exc.strerror or exc}", file=name) from None
    if not data.strip():
        raise ArticleError("empty file, expected a 'date YYYY-MM-DD <headline>' line", file=name, line=1)
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise ArticleError(
            f"binary file (NUL byte at offset {nul}), expected UTF-8 text", file=name, line=line
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start : exc.start + 1].hex()
        raise ArticleError(
            f"not UTF-8: invalid byte 0x{bad} at offset {exc.start}; save the file as UTF-8",
            file=name,
            line=line,
        ) from None
    return name, text.removeprefix("\ufeff")


def _check_date(value: str, name: str, line: int) -> str:
    try:
        parse_partial_date(value)
    except ValueError:
        raise ArticleError(
            f"bad date {value!r} in header, expected 'date YYYY-MM-DD <headline>'", file=name, line=line
        ) from None
    return value


def parse_article(
    text: str,
    *,
    name: str = "<text>",
    published: str | None = None,
    title: str | None = None,
    byline: str | None = None,
) -> Article:
    """Split an article into header fields and body.

    ``published``, ``title`` and ``byline`` given by the caller override the header. Without a header,
    ``published`` is required (relative dates such as "last month" need it); otherwise
    :class:`ArticleError` names the file and the line where the header was expected.
    """
    if published is not None:
        _check_date(published, name, 1)
    if not text.strip():
        raise ArticleError("empty article, expected a 'date YYYY-MM-DD <headline>' line", file=name, line=1)
    # Skip leading blank lines and spaces, remembering the line number for messages.
    pos = len(text) - len(text.lstrip())
    line_no = text.count("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    if line_end < 0:
        line_end = len(text)
    first = text[pos:line_end].rstrip("\r")
    header = _HEADER_RE.fullmatch(first) if first.startswith("date") else None
    head_title: str | None = None
    head_date: str | None = None
    if header is not None:
        head_date = _check_date(header.group(1), name, line_no)
        head_title = header.group(2).strip() or None
        if head_title is None and title is None:
            raise ArticleError(
                "header has no headline, expected 'date YYYY-MM-DD <headline>'", file=name, line=line_no
            )
        body_start = min(line_end + 1, len(text))
    elif first.startswith("date") and published is None:
        raise ArticleError(
            f"malformed header {first[:60]!r}, expected 'date YYYY-MM-DD <headline>'", file=name, line=line_no
        )
    elif published is None:
        raise ArticleError(
            "missing header: expected a first line 'date YYYY-MM-DD <headline>', "
            "or give the publication date",
            file=name,
            line=line_no,
        ).with_remedy("published")
    else:
        body_start = pos
    head_byline, body_start = _byline(text, body_start)
    return Article(
        name=name,
        text=text,
        body_start=body_start,
        title=title if title is not None else head_title,
        published=published if published is not None else head_date,
        byline=byline if byline is not None else head_byline,
    )


def _byline(text: str, start: int) -> tuple[str | None, int]:
    """The byline (``By ...``) that may open the body, and where the body starts after it."""
    pos = start
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    line_end = text.find("\n", pos)
    if line_end < 0:
        line_end = len(text)
    match = _BYLINE_RE.fullmatch(text[pos:line_end].rstrip("\r"))
    # A byline is short; a long "By ..." line is a sentence of the body ("By imposing tariffs, ...").
    if match is None or len(match.group(1)) > 80 or match.group(1).rstrip().endswith("."):
        return None, start
    return match.group(1).strip(), min(line_end + 1, len(text))
