"""Stage 2, sentences: paragraphs, sentences and word tokens of the body, each with its offsets.

Everything here is a single left-to-right pass (linear in the text length). Paragraphs are non-empty
lines, which covers both blank-line and single-newline layouts. A sentence ends at ``. ! ?`` (with
any closing quotes after it) followed by a space and a capital letter or an opening quote, unless the
word before the stop is a known abbreviation or a single capital (``U.S.``, ``J. Smith``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .tables import data

__all__ = ["Paragraph", "Sentence", "Token", "split_paragraphs", "split_sentences", "tokenize"]

# No nested quantifiers: a word is one run of word characters, anything else is one character.
_TOKEN_RE = re.compile(r"\w+|[^\w\s]")
_CLOSERS = "\"'”’)]"
_OPENERS = "\"“‘'("


@dataclass(frozen=True, slots=True)
class Token:
    """A word or punctuation character and its offsets in the source text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A non-empty line of the body."""

    index: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence: offsets into the source text and the paragraph it belongs to."""

    index: int
    paragraph: int
    start: int
    end: int


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Word and punctuation tokens of ``text[start:end]``, with offsets into ``text``."""
    stop = len(text) if end is None else end
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text, start, stop)]


def split_paragraphs(text: str, start: int) -> list[Paragraph]:
    """The non-empty lines of ``text`` from ``start``, trimmed of surrounding spaces."""
    paragraphs: list[Paragraph] = []
    pos = start
    while pos < len(text):
        line_end = text.find("\n", pos)
        if line_end < 0:
            line_end = len(text)
        left, right = pos, line_end
        while left < right and text[left].isspace():
            left += 1
        while right > left and text[right - 1].isspace():
            right -= 1
        if right > left:
            paragraphs.append(Paragraph(len(paragraphs), left, right))
        pos = line_end + 1
    return paragraphs


@cache
def _abbreviations() -> frozenset[str]:
    return frozenset(data("speech")["abbreviations"])


def _word_before(text: str, stop: int, floor: int) -> str:
    start = stop
    while start > floor and (text[start - 1].isalnum()):
        start -= 1
    return text[start:stop]


def split_sentences(text: str, paragraphs: list[Paragraph]) -> list[Sentence]:
    """Sentences of each paragraph, in order."""
    sentences: list[Sentence] = []
    abbreviations = _abbreviations()
    for para in paragraphs:
        begin = para.start
        pos = para.start
        while pos < para.end:
            char = text[pos]
            if char in ".!?":
                stop = pos + 1
                while stop < para.end and text[stop] in _CLOSERS:
                    stop += 1
                nxt = stop
                while nxt < para.end and text[nxt] == " ":
                    nxt += 1
                word = _word_before(text, pos, begin)
                is_abbrev = char == "." and (word in abbreviations or (len(word) == 1 and word.isupper()))
                if (
                    nxt > stop
                    and nxt < para.end
                    and (text[nxt].isupper() or text[nxt] in _OPENERS or text[nxt].isdigit())
                    and not is_abbrev
                ):
                    sentences.append(Sentence(len(sentences), para.index, begin, stop))
                    begin = nxt
                    pos = nxt
                    continue
                pos = stop
                continue
            pos += 1
        if para.end > begin:
            sentences.append(Sentence(len(sentences), para.index, begin, para.end))
    return sentences
