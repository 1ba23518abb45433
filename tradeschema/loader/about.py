"""What a statement is about: the measures and the negotiation it concerns.

Rules, in order, each general:

1. measures whose evidence overlaps the statement ("China's restrictions on exports of ..., Lutnick
   said" is about that measure);
2. when rule 1 finds none, measures imposed by a state the statement names, if it speaks of measures
   in general ("measures the United States put on", "Beijing's curbs"): a measure noun from
   ``measures.json`` (or "measures", "sanctions") and a mention of the imposing state inside it;
3. the negotiation, when negotiation words occur in the statement;
4. a quotation that continues the previous statement of the same speaker in the same paragraph and
   opens with an anaphor ("You should expect those to come off") inherits that statement's measures.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

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
    alternatives = "|".join(sorted((re.escape(noun) for noun in nouns), key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)


_WORD = re.compile(r"[A-Za-z']+")


def _opens_with_anaphor(text: str, start: int, end: int) -> bool:
    """True when one of the first five words of ``text[start:end]`` is an anaphor."""
    words = _WORD.finditer(text, start, min(end, start + 60))
    return any(word.group().lower() in _ANAPHORS for _, word in zip(range(5), words, strict=False))


def _states_named(parties: Iterable[PartyDraft], source_id: str, start: int, end: int) -> set[str]:
    return {
        party.id
        for party in parties
        if party.kind in ("state", "bloc")
        and any(sid == source_id and start <= s and e <= end for sid, s, e in party.spans)
    }


def statement_about(
    statements: list[StatementDraft],
    *,
    text: str,
    source_id: str,
    parties: dict[str, PartyDraft],
    measures: list[MeasureDraft],
    negotiation: NegotiationDraft | None,
) -> list[list[str]]:
    """The ``about`` ids of each statement of one article, in the statements' order."""
    result: list[list[str]] = []
    previous: StatementDraft | None = None
    for draft in statements:
        about = [m.id for m in measures if any(s < draft.end and draft.start < e for s, e in m.spans)]
        if not about and _measure_nouns().search(text, draft.start, draft.end):
            named = _states_named(parties.values(), source_id, draft.start, draft.end)
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
