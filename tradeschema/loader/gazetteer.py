"""A token trie for matching names from the data tables in one left-to-right pass.

Each position tries the trie to a bounded depth (the longest table entry), so a scan is linear in
the number of tokens; the longest match wins.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Generic, TypeVar

from .sentences import Token

__all__ = ["Trie", "entry_tokens"]

T = TypeVar("T")
_TOKEN_RE = re.compile(r"\w+|[^\w\s]")


def entry_tokens(entry: str) -> tuple[str, ...]:
    """Split a table entry the way :func:`~tradeschema.loader.sentences.tokenize` splits text."""
    return tuple(_TOKEN_RE.findall(entry))


class Trie(Generic[T]):
    """Maps token sequences to values; ``fold`` normalises tokens (e.g. ``str.lower``) on both sides."""

    def __init__(self, fold: Callable[[str], str] | None = None) -> None:
        self._root: dict[str, object] = {}
        self._fold = fold
        self.depth = 0

    def _key(self, token: str) -> str:
        return self._fold(token) if self._fold else token

    @property
    def first_words(self) -> frozenset[str]:
        """The (folded) first tokens of all entries: a scan skips other positions without a call."""
        return frozenset(self._root)

    def add(self, entry: str, value: T) -> None:
        """Add an entry; a later value for the same entry is ignored (the first table row wins)."""
        node = self._root
        tokens = entry_tokens(entry)
        if not tokens:
            return
        for token in tokens:
            child = node.setdefault(self._key(token), {})
            assert isinstance(child, dict)
            node = child
        node.setdefault("\x00", value)
        self.depth = max(self.depth, len(tokens))

    def add_all(self, entries: Iterable[tuple[str, T]]) -> None:
        """Add many ``(entry, value)`` pairs."""
        for entry, value in entries:
            self.add(entry, value)

    def match_at(self, tokens: Sequence[Token], index: int) -> tuple[int, T] | None:
        """The longest entry starting at ``tokens[index]``: ``(index past its last token, value)``."""
        hit = self.match_words([self._key(token.text) for token in tokens[index : index + self.depth]], 0)
        return None if hit is None else (index + hit[0], hit[1])

    def match_words(self, words: Sequence[str], index: int) -> tuple[int, T] | None:
        """Like :meth:`match_at`, on token texts already folded (lowercased for a lowercase trie).

        Callers scanning every position fold the words once, so the common miss costs one dict lookup.
        """
        node = self._root.get(words[index]) if index < len(words) else None
        if not isinstance(node, dict):
            return None
        best: tuple[int, T] | None = None
        position = index + 1
        limit = min(len(words), index + self.depth)
        while True:
            if "\x00" in node:
                value: T = node["\x00"]  # only values are stored under "\x00"
                best = (position, value)
            if position >= limit:
                break
            child = node.get(words[position])
            if not isinstance(child, dict):
                break
            node = child
            position += 1
        return best
