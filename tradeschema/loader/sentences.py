"""Stage 2, sentences: paragraphs, sentences and word tokens of the body, each with its offsets.

Everything here is a single left-to-right pass (linear in the text length); the sentence splitter
jumps from one ``. ! ?`` to the next with a regex search instead of looking at every character.
Paragraphs are non-empty lines, which covers both blank-line and single-newline layouts. A
sentence ends at ``. ! ?`` (with any closing quotes after it) followed by a space and a capital
letter or an opening quote, unless the word before the stop is a known abbreviation or a single
capital (``U.S.``, ``J. Smith``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from .tables import data

__all__ = [
    "Paragraph",
    "Sentence",
    "Token",
    "fold_case",
    "phrase_words",
    "split_paragraphs",
    "split_sentences",
    "tokenize",
]

# No nested quantifiers: a word is one run of word characters, anything else is one character.
_TOKEN_RE = re.compile(r"\w+|[^\w\s]")
_WORD_RE = re.compile(r"\w+")
_STOP_RE = re.compile(r"[.!?]")
_CLOSERS = "\"'”’)]"
_OPENERS = "\"“‘'("


# Not frozen: a frozen dataclass sets each field through object.__setattr__, which made building the
# tokens of an article three times slower. Tokens are never modified after tokenize() builds them.
@dataclass(slots=True)
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
    words: frozenset[str] = frozenset()
    """The lowercase words (runs of word characters) of the sentence. Stages test them before running
    a pattern, since a pattern that needs a word the sentence lacks cannot match."""


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


def _sentence(text: str, index: int, paragraph: int, start: int, end: int) -> Sentence:
    words = frozenset(_WORD_RE.findall(text[start:end].lower()))
    return Sentence(index, paragraph, start, end, words)


def fold_case(text: str) -> str:
    """``text`` lowercased character by character, so every offset still points at the same character.

    Case-insensitive patterns run as lowercase patterns on this text: Python's ``re`` scans an
    IGNORECASE alternation several times slower. ``str.lower`` keeps the length except for a few
    characters (``İ`` becomes two); those are left as they are.
    """
    lower = text.lower()
    if len(lower) == len(text):
        return lower
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def phrase_words(phrases: Iterable[str]) -> frozenset[str]:
    """The last word of each phrase, lowercased: a sentence matching a phrase contains one of them."""
    return frozenset(_WORD_RE.findall(p.lower())[-1] for p in phrases if _WORD_RE.search(p))


def split_sentences(text: str, paragraphs: list[Paragraph]) -> list[Sentence]:
    """Sentences of each paragraph, in order."""
    sentences: list[Sentence] = []
    abbreviations = _abbreviations()
    for para in paragraphs:
        begin = para.start
        pos = para.start
        while pos < para.end:
            found = _STOP_RE.search(text, pos, para.end)
            if found is None:
                break
            pos = found.start()
            char = text[pos]
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
                sentences.append(_sentence(text, len(sentences), para.index, begin, stop))
                begin = nxt
                pos = nxt
                continue
            pos = stop
        if para.end > begin:
            sentences.append(_sentence(text, len(sentences), para.index, begin, para.end))
    return sentences
