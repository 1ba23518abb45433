"""Stage 6, negotiation: who negotiates, the rounds (talks, calls, summits), the outcome and what is pending.

- Parties: the two states or blocs named most often in sentences about negotiating (talks, deal,
  framework, ...); another pair gives a negotiation of its own when a sentence reports its talks
  with no other negotiator named. One negotiation per set of parties; its id is built from the
  parties' codes, so articles about the same talks share it. Each negotiation takes the rounds and
  status of the sentences that report it.
- Rounds: a round noun ("two days of talks", "a phone call", "summit") with, in the words after it,
  a city ("in Geneva", from ``negotiation.json``), a venue ("at the ornate Lancaster House") or a date
  ("last month"); mentions of the same kind and city are one round.
- Outcome and status: outcome cues ("agreed in principle", "reached a deal"), pending steps ("... for
  approval") and stall cues decide the status.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise

from ..vocab import NegotiationStatus, PartyKind, RoundKind
from .lexicon import alternation, verbs_forms
from .mentions import Mention, MentionIndex
from .relative_dates import find_date
from .sentences import Sentence, Token, fold_case, phrase_words, tokenize
from .tables import data, state_display

__all__ = ["NegotiationDraft", "RoundDraft", "find_negotiation", "find_negotiations", "negotiation_words"]

_WINDOW = 110


@dataclass(slots=True)
class RoundDraft:
    """A round found in one article."""

    kind: RoundKind
    start: int
    end: int
    venue: str | None = None
    city: str | None = None
    country: str | None = None
    date: str | None = None
    date_text: str | None = None
    duration_days: int | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass(slots=True)
class NegotiationDraft:
    """The negotiation an article reports."""

    id: str
    title: str
    parties: list[str]
    rounds: list[RoundDraft]
    status: NegotiationStatus | None
    outcome: str | None
    pending: list[str]
    topics: list[str]
    spans: list[tuple[int, int]]
    reach: list[tuple[int, int]] = field(default_factory=list)
    """The stretches of text that report this negotiation (runs of its sentences); empty when it is
    the article's only one, which the whole text reports."""


@cache
def _round_re() -> re.Pattern[str]:
    return re.compile(r"\b" + alternation(data("negotiation")["round_nouns"]) + r"\b")


@cache
def _city_re() -> re.Pattern[str]:
    # "in London", "in the capital London"; one lowercase modifier may stand before the city.
    cities = alternation(data("negotiation")["cities"])
    return re.compile(r"\bin (?:the )?(?:[a-z]+ )?(?P<city>" + cities + r")\b")


@cache
def _settlement_re() -> re.Pattern[str]:
    table = data("negotiation")
    return re.compile(
        r"\b(?P<verb>"
        + alternation(table["settlement_verbs"])
        + r")\b(?:\s+[\w“”\"'’.-]+){0,6}?\s+"
        + alternation(table["agreement_nouns"])
        + r"\b"
    )


@cache
def _agreed_text_re() -> re.Pattern[str]:
    """ "agreed a text", "agreed the text of the deal", "finalised the legal text": the negotiators
    settle on the words of their agreement (for text passed through :func:`fold_case`)."""
    table = data("negotiation")
    return re.compile(
        r"\b(?P<verb>"
        + alternation(table["text_verbs"])
        + r")(?: (?:on|upon))? (?:a|an|the|its|their)(?: "
        + alternation(table["text_modifiers"])
        + r")? "
        + alternation(table["text_nouns"])
        + r"\b"
    )


def _agreed_text(folded: str, sentence: Sentence) -> re.Match[str] | None:
    """An agreed text in the sentence (see :func:`_agreed_text_re`)."""
    if sentence.words.isdisjoint(_needed("text_nouns")):
        return None
    return _agreed_text_re().search(folded, sentence.start, sentence.end)


@cache
def _travel_city_re() -> re.Pattern[str]:
    """ "officials traveled to Beijing to continue negotiations": a city reached by a travel verb."""
    table = data("negotiation")
    verbs = alternation(verbs_forms(table["travel_verbs"]))
    return re.compile(r"\b" + verbs + r" to (?P<city>" + alternation(table["cities"]) + r")\b")


@cache
def _entries(key: str) -> tuple[str, ...]:
    """The phrases of table ``key``, with those composed from parts: an approval step is a link and
    an approval noun ("for approval", "subject to ratification"); an outcome is "agreed" and a link
    ("agreed on", "agreed to")."""
    table = data("negotiation")
    entries = list(table[key])
    if key == "pending_cues":
        entries += [f"{link} {noun}" for link in table["approval_links"] for noun in table["approval_nouns"]]
        entries += [
            f"{modal} {step}" for modal in table["pending_modals"] for step in table["pending_participles"]
        ]
    elif key == "outcome_cues":
        entries += [f"agreed {link}" for link in table["agreement_links"]]
    return tuple(entries)


@cache
def _consult_re() -> re.Pattern[str]:
    """ "take the text back to their leaders", "submit it to their parliaments": a deal still to be
    put to those who approve it, a few words of object between the verb and the approvers."""
    table = data("negotiation")
    verbs = alternation(verbs_forms(table["consult_verbs"]))
    approvers = alternation(table["approvers"])
    return re.compile(
        r"\b"
        + verbs
        + r"(?: [\w-]+){0,4}? (?:back )?to (?:their|his|her|its|the|both) (?:respective |own )?"
        + approvers
        + r"\b"
    )


def _consult(folded: str, sentence: Sentence) -> re.Match[str] | None:
    """A consultation step in the sentence (see :func:`_consult_re`)."""
    if sentence.words.isdisjoint(phrase_words(data("negotiation")["approvers"])):
        return None
    return _consult_re().search(folded, sentence.start, sentence.end)


def _phrase_re(phrase: str) -> str:
    """A phrase whose words may carry quotation marks, as written around a quoted fragment
    ("agreed “in principle”")."""
    words = [re.escape(word) for word in phrase.split()]
    return r"[“”\"]?\s+[“”\"]?".join(words)


@cache
def _words_re(key: str) -> re.Pattern[str]:
    return re.compile(r"\b" + alternation(_entries(key)) + r"\b", re.IGNORECASE)


@cache
def _needed(key: str) -> frozenset[str]:
    return phrase_words(list(_entries(key)))


@cache
def _folded_re(key: str) -> re.Pattern[str]:
    """``_words_re(key)`` for text passed through :func:`fold_case`: lowercase, case-sensitive, faster."""
    phrases = alternation((_phrase_re(w.lower()) for w in _entries(key)), escape=False)
    return re.compile(r"\b" + phrases + r"\b")


def _search(key: str, folded: str, sentence: Sentence) -> re.Match[str] | None:
    """The first word of table ``key`` in the sentence (of the case-folded text); skipped when none of
    its words is there."""
    if sentence.words.isdisjoint(_needed(key)):
        return None
    return _folded_re(key).search(folded, sentence.start, sentence.end)


@cache
def _topic_of() -> dict[str, str]:
    """Topic word, lowercased -> topic; the lowercase spelling of a word wins over others ("LNG")."""
    table: dict[str, str] = data("negotiation")["topics"]
    found = {word.lower(): str(topic) for word, topic in table.items() if word.lower() not in table}
    found.update({word: str(topic) for word, topic in table.items() if word == word.lower()})
    return found


def negotiation_words() -> re.Pattern[str]:
    """Words that show a sentence is about negotiating (talks, deal, framework, ...)."""
    return _words_re("negotiation_words")


def _venue(text: str, start: int, end: int) -> tuple[str, int, int] | None:
    """A venue after "held at (the)": capitalised words ending in a venue noun, after at most two
    lowercase modifiers or a capitalised adjective from the table ("the ornate Lancaster House")."""
    table = data("negotiation")
    nouns, adjectives = set(table["venue_nouns"]), set(table["venue_adjectives"])
    match = re.search(r"\bat (?:the )?", text[start:end])
    if match is None:
        return None
    tokens: list[Token] = tokenize(text, start + match.end(), end)
    index = 0
    while index < len(tokens) and index < 2 and tokens[index].text.isalpha() and tokens[index].text.islower():
        index += 1
    while index < len(tokens) and tokens[index].text in adjectives:
        index += 1
    first = index
    while index < len(tokens) and index - first < 5 and tokens[index].text[:1].isupper():
        index += 1
    if index > first and tokens[index - 1].text in nouns:
        return text[tokens[first].start : tokens[index - 1].end], tokens[first].start, tokens[index - 1].end
    return None


def _duration(text: str, noun_start: int, floor: int) -> tuple[int, int] | None:
    before = text[max(floor, noun_start - 24) : noun_start]
    match = re.search(r"\b(\w+)(?: days? of |-day )$", before)
    if match is None:
        return None
    numbers: dict[str, int] = data("negotiation")["number_words"]
    word = match.group(1).lower()
    value = numbers.get(word) or (int(word) if word.isdigit() and 0 < int(word) < 100 else None)
    if value is None:
        return None
    return value, max(floor, noun_start - 24) + match.start()


def _rounds(text: str, sentences: list[Sentence], published: str | None) -> list[RoundDraft]:
    kinds: dict[str, str] = data("negotiation")["round_nouns"]
    found: list[RoundDraft] = []
    for sentence in sentences:
        if sentence.words.isdisjoint(_needed("round_nouns")):
            continue
        matches = list(_round_re().finditer(text, sentence.start, sentence.end))
        for index, match in enumerate(matches):
            window_end = min(sentence.end, match.end() + _WINDOW)
            if index + 1 < len(matches):
                window_end = min(window_end, matches[index + 1].start())
            # Details sit in the noun's own clause, or in an appositive ("talks, held at ... in London,").
            lead = re.match(r", (?:held|hosted|which (?:was|were) held)\b", text[match.end() : window_end])
            comma = text.find(",", match.end() + (lead.end() if lead else 0), window_end)
            window_end = comma if comma >= 0 else window_end
            draft = RoundDraft(RoundKind(kinds[match.group()]), match.start(), match.end())
            duration = _duration(text, match.start(), sentence.start)
            if duration is not None:
                draft.duration_days, draft.start = duration
            city = _city_re().search(text, match.end(), window_end) or _travel_city_re().search(
                text, max(sentence.start, match.start() - _WINDOW), match.start()
            )
            if city is not None:
                draft.city = city.group("city")
                draft.country = data("negotiation")["cities"][draft.city]
                draft.end = max(draft.end, city.end())
            venue = _venue(text, match.end(), window_end)
            if venue is not None:
                draft.venue = venue[0]
                draft.end = max(draft.end, venue[2])
            date = find_date(text, match.end(), window_end, published)
            if date is not None:
                draft.date, draft.date_text = date.value, date.text
                draft.end = max(draft.end, date.end)
            if (
                draft.city
                or draft.venue
                or draft.date_text
                or (draft.kind == RoundKind.call and "leader" in text[match.end() : window_end])
            ):
                draft.end = max(draft.end, match.end())
                draft.spans.append((draft.start, draft.end))
                found.append(draft)
    # A round announced with a verb ("scheduled for Nov. 19") is the round a noun named there, if any.
    named = {(r.city, r.date) for r in found}
    found += [r for r in _scheduled_rounds(text, sentences, published) if (r.city, r.date) not in named]
    rounds = _merge_rounds(found)
    # A signing is a round of its own only where no other round was held in its city.
    cities = {r.city for r in rounds}
    return rounds + _merge_rounds(
        [r for r in _signing_rounds(text, sentences, published) if r.city not in cities]
    )


def _signing_rounds(text: str, sentences: list[Sentence], published: str | None) -> list[RoundDraft]:
    """ "signed a “phase one” trade deal in Washington": the meeting where a deal was settled, kept
    when its clause names a city."""
    folded = fold_case(text)
    found: list[RoundDraft] = []
    for sentence in sentences:
        settled = _settlement_re().search(folded, sentence.start, sentence.end)
        if settled is None:
            continue
        _, right = _clause(text, sentence.start, sentence.end, settled.end())
        city = _city_re().search(text, settled.start(), right)
        if city is None:
            continue
        draft = RoundDraft(RoundKind.meeting, settled.start(), city.end())
        draft.city = city.group("city")
        draft.country = data("negotiation")["cities"][draft.city]
        date = find_date(text, settled.end(), right, published)
        if date is not None:
            draft.date, draft.date_text = date.value, date.text
        draft.spans.append((draft.start, draft.end))
        found.append(draft)
    return found


def _scheduled_rounds(text: str, sentences: list[Sentence], published: str | None) -> list[RoundDraft]:
    """Rounds announced with a verb, not a noun: "are due to meet in Paris next week" (a meeting),
    "will speak by phone next Tuesday" (a call). A round is kept when it has a city or a date."""
    folded = fold_case(text)
    found: list[RoundDraft] = []
    for sentence in sentences:
        cue = _search("scheduled_cues", folded, sentence)
        if cue is None:
            continue
        window_end = min(sentence.end, cue.end() + _WINDOW)
        comma = text.find(",", cue.end(), window_end)
        window_end = comma if comma >= 0 else window_end
        by_phone = re.search(r"\bby (?:tele)?phone\b|\bby video\b", text[cue.end() : window_end])
        draft = RoundDraft(RoundKind.call if by_phone else RoundKind.meeting, cue.start(), cue.end())
        city = _city_re().search(text, cue.end(), window_end)
        if city is not None:
            draft.city = city.group("city")
            draft.country = data("negotiation")["cities"][draft.city]
            draft.end = max(draft.end, city.end())
        date = find_date(text, cue.end(), window_end, published)
        if date is not None:
            draft.date, draft.date_text = date.value, date.text
            draft.end = max(draft.end, date.end)
        if draft.city or draft.date_text:
            draft.spans.append((draft.start, draft.end))
            found.append(draft)
    return found


def _merge_rounds(rounds: list[RoundDraft]) -> list[RoundDraft]:
    """One round per kind and city (or kind and date, without a city); later mentions fill in details."""
    merged: dict[tuple[RoundKind, str | None, str | None], RoundDraft] = {}
    for draft in rounds:
        key: tuple[RoundKind, str | None, str | None] = (
            (draft.kind, draft.city, None) if draft.city else (draft.kind, None, draft.date)
        )
        if draft.city is None and draft.date is None and draft.kind != RoundKind.call:
            # "the latest round of talks, held at ...": the same kind of round already reported.
            key = next((k for k in merged if k[0] == draft.kind), key)
        same = merged.get(key)
        if same is None:
            merged[key] = draft
            continue
        same.venue = same.venue or draft.venue
        same.date = same.date or draft.date
        same.date_text = same.date_text or draft.date_text
        same.duration_days = same.duration_days or draft.duration_days
        same.spans.extend(draft.spans)
    return list(merged.values())


def _clause(text: str, start: int, end: int, pos: int) -> tuple[int, int]:
    """The comma-delimited clause of ``text[start:end]`` around ``pos``."""
    left = text.rfind(",", start, pos)
    right = text.find(",", pos, end)
    left = start if left < 0 else left + 1
    right = end if right < 0 else right
    while left < right and text[left] == " ":
        left += 1
    while right > left and text[right - 1] in " .":
        right -= 1
    return left, right


def _is_place(text: str, floor: int, start: int) -> bool:
    # "a summit in Kananaskis, Canada" (after a lowercase word), not "Separately, Norway" (an opener).
    before = text[max(floor, start - 40) : start]
    return before.endswith(("in ", "at ", "in the ")) or bool(re.search(r"[a-z] [A-Z][a-z]+, $", before))


def _negotiator(mention: Mention, mentions: MentionIndex) -> str | None:
    """The state or bloc a mention negotiates for: itself, or the jurisdiction of a government body
    ("the European Commission reached out to Chinese authorities")."""
    if mention.kind in (PartyKind.state, PartyKind.bloc):
        return mention.party
    if mention.kind == PartyKind.government_body:
        return mentions.parties[mention.party].affiliation
    return None


def _listed_trio(text: str, sentence: Sentence, mentions: MentionIndex) -> tuple[str, ...] | None:
    """Three states listed after "between" or "among" ("between Canada, the U.S. and Mexico")."""
    match = re.search(r"\b(?:between|among)\s", text[sentence.start : sentence.end])
    if match is None:
        return None
    pos = sentence.start + match.end()
    listed = [
        m
        for m in mentions.covering(pos, min(sentence.end, pos + 60))
        if m.kind in (PartyKind.state, PartyKind.bloc)
    ]
    if len(listed) < 3:
        return None
    gaps = [text[a.end : b.start] for a, b in pairwise(listed[:3])]
    if not all(re.fullmatch(r",? (?:and )?(?:the )?", gap) for gap in gaps):
        return None
    return tuple(sorted({m.party for m in listed[:3]}))


@dataclass(slots=True)
class _Parties:
    """The negotiating sets of an article: the main set first, then the other pairs whose talks the
    article reports on their own; where each party was first named; the sentences about talks, and
    the negotiators each of those names."""

    sets: list[list[str]]
    first_seen: dict[str, int]
    topical: list[Sentence]
    named: dict[int, list[str]]


def _negotiating_parties(
    text: str, folded: str, sentences: list[Sentence], mentions: MentionIndex
) -> _Parties | None:
    """The two states or blocs named together most often in sentences about negotiating (ties go to
    the more often named, then the earlier), or three listed as one set; then the other sets."""
    counts: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    trios: Counter[tuple[str, ...]] = Counter()
    first_seen: dict[str, int] = {}
    topical: list[Sentence] = []
    named: dict[int, list[str]] = {}
    for sentence in sentences:
        if not (
            _search("negotiation_words", folded, sentence)
            or _search("scheduled_cues", folded, sentence)
            or _agreed_text(folded, sentence)
        ):
            continue
        topical.append(sentence)
        present: list[str] = []
        for mention in mentions.covering(sentence.start, sentence.end):
            # "a summit in Kananaskis, Canada": a place, not a negotiating party.
            if _is_place(text, sentence.start, mention.start):
                continue
            party = _negotiator(mention, mentions)
            if party is None:
                continue
            counts[party] += 1
            first_seen.setdefault(party, mention.start)
            if party not in present:
                present.append(party)
        named[sentence.start] = present
        for index, one in enumerate(present):
            for other in present[index + 1 : index + 6]:
                pairs[(min(one, other), max(one, other))] += 1
        trio = _listed_trio(text, sentence, mentions)
        if trio is not None:
            trios[trio] += 1
    if trios:
        # "talks between Canada, the U.S. and Mexico": three parties named as one set negotiate.
        trio = max(trios, key=lambda key: (trios[key], -min(first_seen.get(p, 0) for p in key)))
        ranked = list(trio)
    elif pairs:
        best = max(pairs.values())
        tied: list[tuple[str, str]] = [pair for pair, count in pairs.items() if count == best]

        def weight(pair: tuple[str, str]) -> tuple[int, int]:
            return -(counts[pair[0]] + counts[pair[1]]), min(first_seen[pair[0]], first_seen[pair[1]])

        chosen = min(tied, key=weight)
        ranked = [chosen[0], chosen[1]]
    else:
        return None
    found = _Parties([ranked], first_seen, topical, named)
    found.sets += _other_sets(text, folded, found)
    return found


def _other_sets(text: str, folded: str, found: _Parties) -> list[list[str]]:
    """Other pairs in talks of their own ("Japanese and EU negotiators met in Tokyo"): two states or
    blocs that are the only negotiators of a sentence about talks that names a round, an outcome or
    a schedule, and are not a part of the main set. A sentence that merely names two states beside
    a deal ("the deal the EU signed with Mercosur") does not make them negotiate."""
    main = set(found.sets[0])
    others: list[list[str]] = []
    for sentence in found.topical:
        present = found.named[sentence.start]
        if len(present) != 2 or set(present) <= main or sorted(present) in others:
            continue
        if _talks_held(text, folded, sentence):
            others.append(sorted(present))
    return others


def _talks_held(text: str, folded: str, sentence: Sentence) -> bool:
    """The sentence reports talks as held, due or settled: a round noun, or an outcome, settlement,
    scheduling, stall or ongoing cue."""
    if not sentence.words.isdisjoint(_needed("round_nouns")) and _round_re().search(
        text, sentence.start, sentence.end
    ):
        return True
    if _settlement_re().search(folded, sentence.start, sentence.end):
        return True
    keys = ("outcome_cues", "scheduled_cues", "stall_cues", "ongoing_cues")
    return any(_search(key, folded, sentence) for key in keys)


@dataclass(slots=True)
class _Outcome:
    """Where the talks stand, from the cue sentences: status, outcome, pending steps, evidence."""

    status: NegotiationStatus | None = None
    outcome: str | None = None
    pending: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)


def _pending_step(text: str, folded: str, sentence: Sentence) -> tuple[str, tuple[int, int]] | None:
    """A step the deal still awaits in the sentence ("must be approved by both parliaments", "take it
    back to their leaders"): the step's words and the clause around it."""
    pend = _search("pending_cues", folded, sentence) or _consult(folded, sentence)
    if pend is None:
        return None
    left, right = _clause(text, sentence.start, sentence.end, pend.start())
    step = re.search(r"\bwill (?:now |then |first )?", text[left : pend.start()])
    pending_start = left + step.end() if step else left
    # "must be approved by both parliaments": the step names who approves.
    agent = re.match(r" by [^,;.]{1,60}", text[pend.end() : right])
    return text[pending_start : pend.end() + (agent.end() if agent else 0)], (left, right)


def _outcome_sentences(topical: list[Sentence], sentences: list[Sentence]) -> list[tuple[Sentence, bool]]:
    """The sentences about talks, and the one right after each (for a pending step only, flagged
    ``True``): "They agreed a text. They will take it back to their leaders."."""
    about_talks = {sentence.start for sentence in topical}
    chosen = [(sentence, False) for sentence in topical]
    chosen += [
        (after, True)
        for before, after in pairwise(sentences)
        if before.start in about_talks and after.start not in about_talks
    ]
    return sorted(chosen, key=lambda pair: pair[0].start)


def _settlement(folded: str, sentence: Sentence) -> tuple[re.Match[str], NegotiationStatus] | None:
    """A settlement in the sentence and the status it gives: "signed a “phase one” trade deal",
    "concluded the agreement" (a verb of settling and an agreement noun, a few words apart; signing
    concludes, reaching agrees in principle), or an agreed text ("agreed the text of the deal" agrees
    in principle, "finalised the text" concludes)."""
    settled = _settlement_re().search(folded, sentence.start, sentence.end)
    if settled is not None:
        return settled, NegotiationStatus(data("negotiation")["settlement_verbs"][settled.group("verb")])
    text = _agreed_text(folded, sentence)
    if text is not None:
        return text, NegotiationStatus(data("negotiation")["text_verbs"][text.group("verb")])
    return None


def _outcome(text: str, folded: str, topical: list[Sentence], sentences: list[Sentence]) -> _Outcome:
    """Outcome, settlement, pending-step, stall and scheduling cues of the sentences about talks; a
    pending step also in the sentence right after one."""
    spans: list[tuple[int, int]] = []
    outcome: str | None = None
    pending: list[str] = []
    status: NegotiationStatus | None = None
    for sentence, pending_only in _outcome_sentences(topical, sentences):
        found = _pending_step(text, folded, sentence)
        if pending_only:
            if found is not None:
                pending.append(found[0])
                spans.append(found[1])
                status = NegotiationStatus.pending_approval
            continue
        cue = _search("outcome_cues", folded, sentence)
        if cue is not None and outcome is None:
            left, right = _clause(text, sentence.start, sentence.end, cue.start())
            outcome = re.sub(r"[“”\"]", "", text[cue.start() : right]).strip() or None
            spans.append((left, right))
            status = NegotiationStatus.agreed_in_principle
            if re.search(r"\b(?:signed|concluded|finali[sz]ed)\b", text[cue.start() : right]):
                status = NegotiationStatus.concluded
        found_settlement = _settlement(folded, sentence)
        if found_settlement is not None:
            settled, settled_status = found_settlement
            if outcome is None:
                left, right = _clause(text, sentence.start, sentence.end, settled.start())
                outcome = re.sub(r"[“”\"]", "", text[settled.start() : right]).strip() or None
                spans.append((left, right))
            if status is None or (
                status == NegotiationStatus.agreed_in_principle
                and settled_status == NegotiationStatus.concluded
            ):
                status = settled_status
        if found is not None:
            pending.append(found[0])
            spans.append(found[1])
            status = NegotiationStatus.pending_approval
        if _search("stall_cues", folded, sentence) and status is None:
            status = NegotiationStatus.stalled
        if _search("scheduled_cues", folded, sentence) and status is None:
            status = NegotiationStatus.scheduled
        if _search("ongoing_cues", folded, sentence) and status is None:
            status = NegotiationStatus.ongoing  # "technical teams are conducting new rounds of negotiations"
    return _Outcome(status, outcome, pending, spans)


def _segments(sentences: list[Sentence], found: _Parties) -> list[list[Sentence]]:
    """The sentences of each negotiating set, when an article reports several: a sentence belongs to
    the set it names (both of its parties, or a party no other set has); a sentence naming none
    belongs to the set named last, and the sentences before any is named to the main set."""
    if len(found.sets) == 1:
        return [sentences]
    owners = [set(parties) for parties in found.sets]
    shared = {p for one, other in pairwise(owners) for p in one & other}
    segments: list[list[Sentence]] = [[] for _ in owners]
    current = 0
    for sentence in sentences:
        present = set(found.named.get(sentence.start, ()))
        whole = [i for i, owner in enumerate(owners) if len(owner & present) >= 2]
        own = [i for i, owner in enumerate(owners) if (owner - shared) & present]
        if len(whole) == 1:
            current = whole[0]
        elif not whole and len(own) == 1:
            current = own[0]
        segments[current].append(sentence)
    return segments


def _reach(sentences: list[Sentence]) -> list[tuple[int, int]]:
    """Runs of consecutive sentences as (start, end) offsets."""
    runs: list[tuple[int, int]] = []
    previous = -2
    for sentence in sentences:
        if runs and sentence.index == previous + 1:
            runs[-1] = (runs[-1][0], sentence.end)
        else:
            runs.append((sentence.start, sentence.end))
        previous = sentence.index
    return runs


def _draft(
    text: str,
    folded: str,
    parties: list[str],
    found: _Parties,
    *,
    sentences: list[Sentence],
    published: str | None,
) -> NegotiationDraft:
    """The negotiation of one set of parties, from the sentences that report it."""
    codes = [p.split(":")[-1] for p in sorted(parties)]
    shown = state_display()
    names = [shown[p][0] for p in sorted(parties, key=lambda p: found.first_seen[p])]
    own = {sentence.start for sentence in sentences}
    topical = [sentence for sentence in found.topical if sentence.start in own]
    standing = _outcome(text, folded, topical, sentences)
    status = standing.status
    rounds = _rounds(text, sentences, published)
    if status is None and rounds:
        status = NegotiationStatus.ongoing
    topic_of = _topic_of()
    topics = sorted(
        {
            topic_of[m.group()]
            for sentence in sentences
            if not sentence.words.isdisjoint(_needed("topics"))
            for m in _folded_re("topics").finditer(folded, sentence.start, sentence.end)
        }
    )
    return NegotiationDraft(
        id="negotiation:" + "-".join(codes),
        title=f"{names[0]}-{names[1]} trade talks",
        parties=sorted(parties),
        rounds=rounds,
        status=status,
        outcome=standing.outcome,
        pending=standing.pending,
        topics=topics,
        spans=standing.spans,
        reach=_reach(sentences) if len(found.sets) > 1 else [],
    )


def find_negotiations(
    text: str, sentences: list[Sentence], mentions: MentionIndex, published: str | None
) -> list[NegotiationDraft]:
    """The negotiations an article reports, one per set of negotiating parties, the main one first;
    none when it names fewer than two negotiating parties. Each has the rounds, outcome and pending
    steps of the sentences that report it (:func:`_segments`)."""
    folded = fold_case(text)
    found = _negotiating_parties(text, folded, sentences, mentions)
    if found is None:
        return []
    return [
        _draft(text, folded, parties, found, sentences=segment, published=published)
        for parties, segment in zip(found.sets, _segments(sentences, found), strict=True)
    ]


def find_negotiation(
    text: str, sentences: list[Sentence], mentions: MentionIndex, published: str | None
) -> NegotiationDraft | None:
    """The main negotiation an article reports (see :func:`find_negotiations`), or ``None``."""
    found = find_negotiations(text, sentences, mentions, published)
    return found[0] if found else None
