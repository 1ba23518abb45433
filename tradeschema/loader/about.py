"""What a statement is about: the measures and the negotiation it concerns.

Rules, in order, each general:

1. measures whose evidence overlaps the statement ("China's restrictions on exports of ..., Lutnick
   said" is about that measure);
2. when rule 1 finds none, measures imposed by a state the statement names, if it speaks of measures
   in general ("measures the United States put on", "Beijing's curbs"): a measure noun from
   ``measures.json`` (or "measures", "sanctions") and a mention of the imposing state inside it;
3. the negotiation, when negotiation words occur in the statement: of an article reporting several,
   the one whose sentences hold the statement;
4. a quotation that continues the previous statement of the same speaker in the same paragraph and
   opens with an anaphor ("You should expect those to come off") inherits that statement's measures.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from functools import cache

from ..vocab import PartyKind
from .lexicon import alternation
from .measures import MeasureDraft
from .mentions import PartyDraft
from .negotiation import NegotiationDraft, negotiation_words
from .quotes import StatementDraft
from .tables import data

__all__ = ["statement_about"]

_ANAPHORS = ("those", "these", "they", "them", "it", "this", "that")
_GENERIC = ("measures", "sanctions", "steps", "actions")


@cache
def _measure_nouns() -> re.Pattern[str]:
    table = data("measures")
    nouns = {noun for pattern in table["noun_patterns"] for noun in pattern["nouns"]}
    nouns.update(_GENERIC)
    return re.compile(r"\b" + alternation(nouns) + r"\b", re.IGNORECASE)


_WORD = re.compile(r"[A-Za-z']+")


def _opens_with_anaphor(text: str, start: int, end: int) -> bool:
    """True when one of the first five words of ``text[start:end]`` is an anaphor."""
    words = _WORD.finditer(text, start, min(end, start + 60))
    return any(word.group().lower() in _ANAPHORS for _, word in zip(range(5), words, strict=False))


class _StateMentions:
    """Where the states and blocs of one article are named, sorted, to find those inside a span."""

    def __init__(self, parties: Iterable[PartyDraft], source_id: str) -> None:
        self.items = sorted(
            (s, e, party.id)
            for party in parties
            if party.kind in (PartyKind.state, PartyKind.bloc)
            for sid, s, e in party.spans
            if sid == source_id
        )
        self.starts = [item[0] for item in self.items]

    def inside(self, start: int, end: int) -> set[str]:
        """Ids of the states named entirely within ``[start, end)``."""
        low = bisect.bisect_left(self.starts, start)
        high = bisect.bisect_left(self.starts, end)
        return {party for s, e, party in self.items[low:high] if e <= end}


class _SpanIndex:
    """The evidence spans of an article's measures, sorted, to find those a statement overlaps.

    A bisection over span starts keeps this linear in practice: checking every span of every measure
    for every statement grew with the square of the article's length.
    """

    def __init__(self, measures: list[MeasureDraft]) -> None:
        self.order = {m.id: index for index, m in enumerate(measures)}
        self.items = sorted((s, e, m.id) for m in measures for s, e in m.spans)
        self.starts = [item[0] for item in self.items]
        self.longest = max((e - s for s, e, _ in self.items), default=0)

    def overlapping(self, start: int, end: int) -> list[str]:
        """Ids of the measures with a span overlapping ``[start, end)``, in the measures' order."""
        low = bisect.bisect_left(self.starts, start - self.longest)
        high = bisect.bisect_left(self.starts, end)
        found = {m for s, e, m in self.items[low:high] if s < end and start < e}
        return sorted(found, key=self.order.__getitem__)


class _Reports:
    """Which negotiation the text at an offset reports: the only one, or the one whose sentences hold
    it (found by bisection, so an article is read once)."""

    def __init__(self, negotiations: list[NegotiationDraft]) -> None:
        self.only = negotiations[0] if len(negotiations) == 1 else None
        runs = (
            sorted((start, end, n) for n in negotiations for start, end in n.reach) if not self.only else []
        )
        self.starts = [start for start, _, _ in runs]
        self.runs = runs

    def at(self, pos: int) -> NegotiationDraft | None:
        if self.only is not None or not self.runs:
            return self.only
        index = bisect.bisect_right(self.starts, pos) - 1
        if index < 0:
            return None
        start, end, negotiation = self.runs[index]
        return negotiation if start <= pos < end else None


def statement_about(
    statements: list[StatementDraft],
    *,
    text: str,
    source_id: str,
    parties: dict[str, PartyDraft],
    measures: list[MeasureDraft],
    negotiations: list[NegotiationDraft],
) -> list[list[str]]:
    """The ``about`` ids of each statement of one article, in the statements' order."""
    reports = _Reports(negotiations)
    result: list[list[str]] = []
    previous: StatementDraft | None = None
    spans = _SpanIndex(measures)
    states = _StateMentions(parties.values(), source_id)
    for draft in statements:
        negotiation = reports.at(draft.start)
        about = spans.overlapping(draft.start, draft.end)
        if not about and _measure_nouns().search(text, draft.start, draft.end):
            named = states.inside(draft.start, draft.end)
            about += [m.id for m in measures if m.imposed_by in named]
        if (
            not about
            and previous is not None
            and result
            and previous.speaker == draft.speaker
            and "\n\n" not in text[previous.end : draft.start]
            and _opens_with_anaphor(text, draft.start, draft.end)
        ):
            about += [item for item in result[-1] if negotiation is None or item != negotiation.id]
        if negotiation is not None and negotiation_words().search(text, draft.start, draft.end):
            about.append(negotiation.id)
        result.append(list(dict.fromkeys(about)))
        previous = draft
    return result
