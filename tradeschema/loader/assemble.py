"""Stage 7, assemble: turn the drafts of one or more articles into one validated :class:`Dataset`.

- Parties with the same id are one party across articles (ids come from names); a person known by a
  surname alone ("Lutnick") is merged into the one person of the batch whose full name ends with it.
- Every party a record refers to exists: a state named only as an affiliation is added.
- Statements get ``about`` from :mod:`.about`: the measures they concern, and the negotiation when they
  speak of talks, deals or frameworks.
- Measures and negotiations with the same id merge; the later article's status wins.
- Output order is deterministic: sources in input order, other records sorted by id or position.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..models import (
    SCHEMA_VERSION,
    Dataset,
    EvidenceSpan,
    Measure,
    Negotiation,
    Party,
    Product,
    Round,
    Source,
    Statement,
)
from ..vocab import PartyKind, SourceKind
from .about import statement_about
from .measures import MeasureDraft
from .mentions import PartyDraft
from .negotiation import NegotiationDraft
from .parse import Article
from .quotes import StatementDraft
from .tables import state_display

__all__ = ["Extraction", "assemble"]


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything the stages found in one article."""

    article: Article
    source_id: str
    parties: dict[str, PartyDraft]
    statements: list[StatementDraft]
    measures: list[MeasureDraft]
    negotiations: list[NegotiationDraft]


def _span(source_id: str, text: str, start: int, end: int) -> EvidenceSpan:
    return EvidenceSpan(source_id=source_id, start=start, end=end, text=text[start:end])


def _spans(texts: dict[str, str], spans: list[tuple[str, int, int]]) -> list[EvidenceSpan]:
    unique = sorted(set(spans))
    return [_span(source, texts[source], start, end) for source, start, end in unique if end > start]


def _merge_parties(extractions: list[Extraction]) -> tuple[dict[str, PartyDraft], dict[str, str]]:
    merged: dict[str, PartyDraft] = {}
    for extraction in extractions:
        for draft in extraction.parties.values():
            into = merged.get(draft.id)
            if into is None:
                merged[draft.id] = PartyDraft(
                    draft.id,
                    draft.kind,
                    draft.name,
                    draft.country,
                    draft.role,
                    draft.affiliation,
                    set(draft.aliases),
                    list(draft.spans),
                )
                continue
            into.country = into.country or draft.country
            into.role = into.role or draft.role
            into.affiliation = into.affiliation or draft.affiliation
            into.aliases |= draft.aliases
            into.spans.extend(draft.spans)
    renames: dict[str, str] = {}
    people = [p for p in merged.values() if p.kind == PartyKind.person]
    for single in people:
        if " " in single.name:
            continue
        fuller = [
            p for p in people if p is not single and " " in p.name and p.name.split()[-1] == single.name
        ]
        if len(fuller) == 1:
            target = fuller[0]
            renames[single.id] = target.id
            target.aliases |= single.aliases | {single.name}
            target.spans.extend(single.spans)
            target.role = target.role or single.role
            target.country = target.country or single.country
            target.affiliation = target.affiliation or single.affiliation
            del merged[single.id]
    for party in merged.values():
        if party.kind == PartyKind.person and party.affiliation is None and party.country:
            state = f"party:{party.country.lower()}"
            if state in state_display():
                party.affiliation = state
    return merged, renames


def _ensure(parties: dict[str, PartyDraft], party_id: str | None) -> None:
    if party_id is None or party_id in parties:
        return
    name, kind, country = state_display()[party_id]
    parties[party_id] = PartyDraft(party_id, PartyKind(kind), name, country)


def _party(draft: PartyDraft, texts: dict[str, str]) -> Party:
    aliases = sorted(a for a in draft.aliases if a != draft.name)
    return Party(
        id=draft.id,
        kind=draft.kind,
        name=draft.name,
        aliases=aliases,
        country=draft.country,
        role=draft.role,
        affiliation=draft.affiliation,
        evidence=_spans(texts, draft.spans),
    )


class _References:
    """Party ids as the merged dataset knows them: renamed where two drafts were merged, and added
    (states, blocs) where a record refers to a party no article named."""

    def __init__(self, parties: dict[str, PartyDraft], renames: dict[str, str]) -> None:
        self.parties = parties
        self.renames = renames

    def __call__(self, party_id: str | None) -> str | None:
        resolved = self.renames.get(party_id, party_id) if party_id else None
        _ensure(self.parties, resolved)
        return resolved


def _sources(extractions: list[Extraction]) -> list[Source]:
    """One news-article source per extraction, holding the article's whole text."""
    return [
        Source(
            id=e.source_id,
            kind=SourceKind.news_article,
            title=e.article.title,
            published=e.article.published,
            byline=e.article.byline,
            language="en",
            text_sha256=e.article.sha256,
            text=e.article.text,
        )
        for e in extractions
    ]


def _measure(draft: MeasureDraft, old: Measure | None, sid: str, text: str, ref: _References) -> Measure:
    """A measure from its draft; a measure already found in an earlier article keeps its dates and
    evidence where this article gives none."""
    return Measure(
        id=draft.id,
        type=draft.type,
        imposed_by=ref(draft.imposed_by),
        targets=[t for t in (ref(t) for t in draft.targets) if t],
        products=[Product(text=p) for p in draft.products],
        status=draft.status,
        description=draft.description,
        announced=draft.announced or (old.announced if old else None),
        effective=draft.effective or (old.effective if old else None),
        removed=draft.removed or (old.removed if old else None),
        evidence=(list(old.evidence) if old else []) + [_span(sid, text, s, e) for s, e in draft.spans],
    )


def _statements(extraction: Extraction, ref: _References) -> list[Statement]:
    """The statements of one article, numbered in text order, each with what it is about."""
    sid, text = extraction.source_id, extraction.article.text
    abouts = statement_about(
        extraction.statements,
        text=text,
        source_id=sid,
        parties=extraction.parties,
        measures=extraction.measures,
        negotiations=extraction.negotiations,
    )
    key = sid.removeprefix("source:")
    found: list[Statement] = []
    for index, (said, about) in enumerate(zip(extraction.statements, abouts, strict=True)):
        spans = said.spans()
        if said.cue_span:
            spans.append(said.cue_span)
        spans.extend(said.extra_spans)
        found.append(
            Statement(
                id=f"statement:{key}:{index + 1:03d}",
                speaker=ref(said.speaker),
                speaker_text=said.speaker_text,
                kind=said.kind,
                text=said.words(text),
                cue=said.cue,
                reported_by=ref(said.reported_by),
                via=ref(said.via),
                setting=said.setting,
                date=said.date,
                date_text=said.date_text,
                about=about,
                confidence=said.confidence,
                evidence=[_span(sid, text, s, e) for s, e in spans if e > s],
            )
        )
    return found


def assemble(extractions: list[Extraction]) -> Dataset:
    """One validated dataset from the extractions of several articles (in the order given): merge the
    parties, then build measures, negotiations and statements article by article (oldest first, so a
    later article's record replaces an earlier one's), then add the parties records refer to."""
    texts = {e.source_id: e.article.text for e in extractions}
    parties, renames = _merge_parties(extractions)
    ref = _References(parties, renames)
    statements: list[Statement] = []
    measures: dict[str, Measure] = {}
    negotiations: dict[str, Negotiation] = {}
    for extraction in sorted(extractions, key=lambda e: (e.article.published or "", e.source_id)):
        sid, text = extraction.source_id, extraction.article.text
        for draft in extraction.measures:
            measures[draft.id] = _measure(draft, measures.get(draft.id), sid, text, ref)
        for negotiation in extraction.negotiations:
            negotiations[negotiation.id] = _negotiation(
                negotiation,
                old=negotiations.get(negotiation.id),
                sid=sid,
                text=text,
                measures=extraction.measures,
                ref=ref,
            )
        statements += _statements(extraction, ref)
    for party in list(parties.values()):
        _ensure(parties, renames.get(party.affiliation, party.affiliation) if party.affiliation else None)
    order = {e.source_id: i for i, e in enumerate(extractions)}
    statements.sort(key=lambda s: (order[s.evidence[0].source_id], s.evidence[0].start, s.id))
    return Dataset(
        schema_version=SCHEMA_VERSION,
        sources=_sources(extractions),
        parties=[_party(parties[k], texts) for k in sorted(parties)],
        negotiations=[negotiations[k] for k in sorted(negotiations)],
        measures=[measures[k] for k in sorted(measures)],
        statements=statements,
    )


def _negotiation(
    draft: NegotiationDraft,
    *,
    old: Negotiation | None,
    sid: str,
    text: str,
    measures: list[MeasureDraft],
    ref: Callable[[str | None], str | None],
) -> Negotiation:
    rounds = list(old.rounds) if old else []
    known = {(r.kind, r.city, r.start) for r in rounds}
    for item in draft.rounds:
        if (item.kind, item.city, item.date) in known:
            continue
        rounds.append(
            Round(
                kind=item.kind,
                venue=item.venue,
                city=item.city,
                country=item.country,
                start=item.date,
                duration_days=item.duration_days,
                date_text=item.date_text,
                evidence=[_span(sid, text, s, e) for s, e in item.spans],
            )
        )
    at_stake = [
        m.id for m in measures if m.imposed_by in draft.parties or set(m.targets) & set(draft.parties)
    ]
    return Negotiation(
        id=draft.id,
        title=old.title if old else draft.title,
        parties=[p for p in (ref(p) for p in draft.parties) if p],
        topics=sorted(set(old.topics if old else []) | set(draft.topics)),
        rounds=rounds,
        status=draft.status or (old.status if old else None),
        outcome=draft.outcome or (old.outcome if old else None),
        pending=list(dict.fromkeys([*(old.pending if old else []), *draft.pending])),
        measures=sorted(set(old.measures if old else []) | set(at_stake)),
        evidence=(list(old.evidence) if old else []) + [_span(sid, text, s, e) for s, e in draft.spans],
    )
