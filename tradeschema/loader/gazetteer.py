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
        node: dict[str, object] = self._root
        best: tuple[int, T] | None = None
        limit = min(len(tokens), index + self.depth)
        position = index
        while position < limit:
            child = node.get(self._key(tokens[position].text))
            if not isinstance(child, dict):
                break
            node = child
            position += 1
            if "\x00" in node:
                value: T = node["\x00"]  # type: ignore[assignment]  # only values are stored under "\x00"
                best = (position, value)
        return best
