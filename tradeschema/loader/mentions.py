"""Stage 3, mentions: states, blocs, media and people named in the body, resolved to party ids.

Rules, in order:

1. States and blocs from ISO names plus ``states.json`` (abbreviations, demonyms, capitals); a
   capital counts as its government only when it is not a place ("in London", "central London").
2. Media from ``media.json``, and unknown outlets introduced by a descriptor ("state broadcaster X");
   a demonym before the descriptor gives the outlet's country ("Chinese state broadcaster").
3. People after an official title from ``people.json`` ("US Commerce Secretary Howard Lutnick"), the
   state before the title giving their affiliation; roster names ("President Trump" -> Donald Trump).
4. Later mentions by surname ("Lutnick"), or by family name first for East Asian names ("Li").
5. A capitalised name right before a cue verb ("Greer said") is a person even without a title.

Ids are derived from names, so the same person or state gets the same id in every article.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from ..vocab import PartyKind
from .gazetteer import Trie, entry_tokens
from .parse import slugify
from .sentences import Sentence, Token
from .tables import NameForm, data, speech_cues, state_display, state_names

__all__ = ["Mention", "MentionHow", "MentionIndex", "PartyDraft", "find_mentions", "person_id"]

MentionHow = NameForm | Literal["title", "surname", "cue", "media"]
"""How a mention names its party: a state's name, abbreviation, demonym or capital; a person by
title, by surname, or before a cue verb; an outlet by its name or descriptor."""

# Family name first: a later "Li" refers to "Li Chenggang".
_FAMILY_NAME_FIRST = frozenset({"CN", "TW", "HK", "MO", "KR", "KP", "VN", "SG"})
_PLACE_WORDS = frozenset(
    {"in", "at", "near", "outside", "central", "downtown", "to", "from", "visit", "visited"}
)
_MAX_NAME_WORDS = 3


@dataclass(slots=True)
class PartyDraft:
    """A party as found in one or more articles, before it becomes a :class:`~tradeschema.models.Party`."""

    id: str
    kind: PartyKind
    name: str
    country: str | None = None
    role: str | None = None
    affiliation: str | None = None
    aliases: set[str] = field(default_factory=set)
    spans: list[tuple[str, int, int]] = field(default_factory=list)
    """Evidence as ``(source_id, start, end)``."""


@dataclass(frozen=True, slots=True)
class Mention:
    """A name in the text that refers to a party."""

    start: int
    end: int
    party: str
    kind: PartyKind
    how: MentionHow = "name"
    """How it was named."""


_BUCKET_BITS = 12
"""Mentions are kept in buckets of 4,096 characters, each sorted by start: adding one costs the size
of its bucket, not of the article, so indexing stays linear at any length."""


@dataclass(slots=True)
class MentionIndex:
    """The mentions of one article, ordered by position, and the parties they refer to."""

    source_id: str
    parties: dict[str, PartyDraft] = field(default_factory=dict)
    _buckets: dict[int, tuple[list[int], list[Mention]]] = field(default_factory=dict)
    _ordered: list[Mention] | None = None

    def add(self, mention: Mention, text: str) -> None:
        """Record a mention (keeping positional order) and its evidence on the party."""
        starts, mentions = self._buckets.setdefault(mention.start >> _BUCKET_BITS, ([], []))
        index = bisect.bisect_left(starts, mention.start)
        starts.insert(index, mention.start)
        mentions.insert(index, mention)
        self._ordered = None
        party = self.parties[mention.party]
        party.spans.append((self.source_id, mention.start, mention.end))
        written = text[mention.start : mention.end]
        if written != party.name:
            party.aliases.add(written)

    @property
    def mentions(self) -> list[Mention]:
        """All mentions in positional order."""
        if self._ordered is None:
            self._ordered = [m for key in sorted(self._buckets) for m in self._buckets[key][1]]
        return self._ordered

    def _between(self, start: int, stop: int) -> Iterator[Mention]:
        """The mentions starting in ``[start, stop)``, in order, bucket by bucket."""
        for key in range(max(start, 0) >> _BUCKET_BITS, ((max(stop, 1) - 1) >> _BUCKET_BITS) + 1):
            bucket = self._buckets.get(key)
            if bucket is None:
                continue
            starts, mentions = bucket
            for index in range(bisect.bisect_left(starts, start), len(starts)):
                if starts[index] >= stop:
                    return
                yield mentions[index]

    def covering(self, start: int, end: int) -> list[Mention]:
        """Mentions that lie inside ``[start, end)``."""
        return [mention for mention in self._between(start, end) if mention.end <= end]

    def ending_at(self, end: int, slack: int = 0) -> Mention | None:
        """The mention whose end lies in ``[end - slack, end]``, preferring the longest."""
        best: Mention | None = None
        for mention in self._between(end - slack - 120, end):
            if end - slack <= mention.end <= end and (best is None or mention.start < best.start):
                best = mention
        return best

    def starting_at(self, start: int, slack: int = 0) -> Mention | None:
        """The longest mention starting in ``[start, start + slack]``."""
        best: Mention | None = None
        for mention in self._between(start, start + slack + 1):
            if best is None or mention.end > best.end:
                best = mention
        return best


def person_id(name: str) -> str:
    """The id of a person party: ``party:person:<slug of the full name>``."""
    return f"party:person:{slugify(name)}"


@cache
def _state_trie() -> Trie[tuple[str, str | None, NameForm]]:
    trie: Trie[tuple[str, str | None, NameForm]] = Trie()
    for written, party, code, how in state_names():
        trie.add(written, (party, code, how))
    return trie


@cache
def _media_trie() -> Trie[tuple[str, str, str | None]]:
    trie: Trie[tuple[str, str, str | None]] = Trie()
    for outlet in data("media")["outlets"]:
        party = f"party:media:{slugify(outlet['name'])}"
        for written in [outlet["name"], *outlet["aliases"]]:
            trie.add(written, (party, outlet["name"], outlet["country"]))
    return trie


@cache
def _descriptor_trie() -> Trie[str]:
    trie: Trie[str] = Trie(str.lower)
    trie.add_all((d, d) for d in data("media")["descriptors"])
    return trie


@cache
def _title_trie() -> Trie[str]:
    trie: Trie[str] = Trie(str.lower)
    trie.add_all((t, t) for t in data("people")["titles"])
    return trie


@cache
def _roster() -> tuple[dict[str, dict[str, object]], dict[str, dict[str, object]], Trie[dict[str, object]]]:
    """Roster people by surname (distinctive ones only), by any name token, and a trie of full names."""
    by_surname: dict[str, dict[str, object]] = {}
    by_token: dict[str, dict[str, object]] = {}
    trie: Trie[dict[str, object]] = Trie()
    for person in data("people")["roster"]:
        names = [person["name"], *person.get("aliases", [])]
        for written in names:
            trie.add(written, person)
        tokens = entry_tokens(person["name"])
        surname = tokens[0] if person["country"] in _FAMILY_NAME_FIRST else tokens[-1]
        if person["surname_alone"]:
            by_surname[surname] = person
        for token in entry_tokens(person["name"]):
            by_token.setdefault(token, person)
    return by_surname, by_token, trie


@cache
def _first_words(*tries: Trie[object]) -> frozenset[str]:
    return frozenset().union(*(trie.first_words for trie in tries))


@cache
def _body_tables() -> tuple[Trie[tuple[PartyKind, str | None]], frozenset[str], frozenset[str]]:
    """Known bodies as a trie, the head nouns of body names ("Ministry") and the connectors ("of")."""
    table = data("bodies")
    known: Trie[tuple[PartyKind, str | None]] = Trie()
    known.add_all((name, (PartyKind.government_body, code)) for name, code in table["known"].items())
    known.add_all((name, (PartyKind.organization, code)) for name, code in table["organizations"].items())
    return known, frozenset(table["heads"]), frozenset(table["connectors"])


_ARTICLES = frozenset({"the", "a", "an"})

_GOVERNMENT_NOUNS = frozenset({"administration", "government", "cabinet"})
"""Nouns after a leader's surname that name the government they lead ("the Biden administration")."""


@cache
def _company_belongings() -> frozenset[str]:
    """What only a company owns ("affiliates", "subsidiaries"), lowercase."""
    return frozenset(data("organizations")["belongings"])


def _plural(phrase: str) -> str:
    """The plural of a descriptor's last word ("chipmaker" -> "chipmakers", "company" -> "companies")."""
    if phrase.endswith("y") and not phrase.endswith(("ay", "ey", "oy")):
        return phrase[:-1] + "ies"
    return phrase + "s"


@cache
def _bare_org_tables() -> tuple[Trie[str], Trie[str]]:
    """Where a bare name is a company: lead-ins before it ("sales by", "chipmakers such as") and
    verbs after it ("makes", "was added to"), lowercase."""
    table = data("organizations")
    before: Trie[str] = Trie(str.lower)
    before.add_all((lead, lead) for lead in table["bare_lead_ins"])
    before.add_all((f"{_plural(d)} {link}", d) for d in table["descriptors"] for link in table["list_links"])
    after: Trie[str] = Trie(str.lower)
    after.add_all((verb, verb) for verb in table["bare_subject_verbs"])
    return before, after


@cache
def _bare_org_triggers() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """First words of the bare-name lead-ins and of the verbs, and every lowercase word at which a
    bare company name may be found (those, "added" and the cue verbs)."""
    before, after = _bare_org_tables()
    triggers = before.first_words | after.first_words | {"added"} | {cue.lower() for cue in _cue_words()}
    return before.first_words, after.first_words, triggers


@cache
def _city_names() -> frozenset[str]:
    return frozenset(data("negotiation")["cities"])


@cache
def _roster_words() -> frozenset[str]:
    """Every word of a roster person's name."""
    return frozenset(_roster()[1])


@cache
def _org_tables() -> tuple[Trie[str], Trie[str]]:
    """Organisation name suffixes ("Group", "Chamber of Commerce") and lowercase descriptors ("chipmaker")."""
    table = data("organizations")
    suffixes: Trie[str] = Trie()
    suffixes.add_all((s, s) for s in table["suffixes"])
    descriptors: Trie[str] = Trie(str.lower)
    descriptors.add_all((d, d) for d in table["descriptors"])
    return suffixes, descriptors


def _is_org_word(token: Token) -> bool:
    """A word of an organisation's name: capitalised or all capitals ("Inspur", "ASML", "SK", "3M")."""
    word = token.text
    return word[:1].isupper() and word.isalnum() and word not in _not_names() and word not in _cue_words()


@cache
def _cue_words() -> frozenset[str]:
    return frozenset(cue.split()[0] for cue in speech_cues())


@cache
def _title_words() -> frozenset[str]:
    """Last words of official titles, lowercase ("president", "minister")."""
    return frozenset(title.lower().split()[-1] for title in data("people")["titles"])


@cache
def _not_names() -> frozenset[str]:
    return frozenset(data("speech")["not_names"])


@cache
def _honorifics() -> frozenset[str]:
    """Words of address before a surname ("Mr", "Ms"): never part of a name."""
    return frozenset(data("people")["honorifics"])


def _is_name_word(token: Token, *, allow_stop: bool = False) -> bool:
    word = token.text
    if not (word[:1].isupper() and word.isalpha() and not word.isupper()) or word in _honorifics():
        return False
    return allow_stop or word not in _not_names()


class _BareNames:
    """Which capitalised words may be a company named bare: not taken by a state, outlet or body, not
    a city, not a roster person, not the last word of a longer name (a person's surname), and, first
    in a sentence, not a word the article also writes in lowercase ("Exports", "Rules")."""

    def __init__(self, finder: _Finder) -> None:
        self.finder = finder
        self._lowercase: set[str] | None = None
        self._tails: set[str] | None = None
        self.cities = _city_names()
        self.people = _roster_words()

    @property
    def lowercase(self) -> set[str]:
        """The words the article writes in lowercase (built on first use: most articles need none)."""
        if self._lowercase is None:
            self._lowercase = {word for word in self.finder.words if word.islower()}
        return self._lowercase

    @property
    def tails(self) -> set[str]:
        """Last words of names of two or more words (built on first use)."""
        if self._tails is None:
            tokens = self.finder.tokens
            self._tails = {
                tokens[i].text
                for i in range(1, len(tokens))
                if _is_name_word(tokens[i]) and _is_name_word(tokens[i - 1])
            }
        return self._tails

    def fits(self, position: int, *, alone: bool) -> bool:
        finder = self.finder
        if position < 0 or position >= len(finder.tokens) or finder.taken[position]:
            return False
        token = finder.tokens[position]
        if not _is_org_word(token) or token.text in self.cities or token.text in self.people:
            return False
        if alone and token.text in self.tails:
            return False
        return not (token.start in finder.sentence_starts and token.text.lower() in self.lowercase)

    def name_from(self, start: int) -> int:
        """The end of a bare name of one to three words at ``start`` (``start`` when there is none)."""
        end = start
        while end - start < 3 and self.fits(end, alone=end == start):
            end += 1
        if end - start == 1 and not self.fits(start, alone=True):
            return start
        return end

    def name_before(self, end: int) -> int:
        """The start of a bare name of one to three words ending before ``end``."""
        start = end
        while end - start < 3 and self.fits(start - 1, alone=True):
            start -= 1
        return start

    def single(self, position: int) -> bool:
        return self.fits(position, alone=True)


class _Finder:
    def __init__(self, text: str, source_id: str, tokens: list[Token], sentences: list[Sentence]) -> None:
        self.text = text
        self.tokens = tokens
        # Token texts as written and lowercased, computed once for the trie scans over every position.
        self.words = [token.text for token in tokens]
        self.lower = [word.lower() for word in self.words]
        self.index = MentionIndex(source_id)
        self.taken = [False] * len(tokens)
        self.sentence_starts = {s.start for s in sentences}

    def party(self, party_id: str, kind: PartyKind, name: str, country: str | None = None) -> PartyDraft:
        draft = self.index.parties.get(party_id)
        if draft is None:
            draft = PartyDraft(party_id, PartyKind(kind), name, country)
            self.index.parties[party_id] = draft
        elif draft.country is None and country is not None:
            draft.country = country
        return draft

    def mention(self, first: int, last: int, party: str, kind: PartyKind, how: MentionHow) -> Mention:
        mention = Mention(self.tokens[first].start, self.tokens[last - 1].end, party, kind, how)
        self.index.add(mention, self.text)
        for position in range(first, last):
            self.taken[position] = True
        return mention

    def prev_word(self, index: int) -> str:
        return self.tokens[index - 1].text.lower() if index > 0 else ""

    def states_and_media(self) -> None:
        states, media = _state_trie(), _media_trie()
        shown = state_display()
        _, _, roster_trie = _roster()
        firsts = _first_words(media, states, roster_trie)
        words = self.words
        position = 0
        while position < len(self.tokens):
            if words[position] not in firsts:
                position += 1
                continue
            media_hit = media.match_words(self.words, position)
            state_hit = states.match_words(self.words, position)
            roster_hit = roster_trie.match_words(self.words, position)
            best = max(
                (hit[0] for hit in (media_hit, state_hit, roster_hit) if hit is not None), default=position
            )
            if media_hit is not None and media_hit[0] == best:
                party, name, country = media_hit[1]
                self.party(party, PartyKind.media, name, country)
                self.mention(position, best, party, PartyKind.media, "media")
            elif roster_hit is not None and roster_hit[0] == best:
                person = roster_hit[1]
                draft = self.party(person_id(str(person["name"])), PartyKind.person, str(person["name"]))
                draft.country = draft.country or str(person["country"])
                self.mention(position, best, draft.id, PartyKind.person, "name")
            elif state_hit is not None and state_hit[0] == best:
                party, _code, how = state_hit[1]
                if how == "capital" and self.prev_word(position) in _PLACE_WORDS:
                    position = best
                    continue
                name, kind, country = shown[party]
                self.party(party, kind, name, country)
                self.mention(position, best, party, kind, how)
            else:
                position += 1
                continue
            position = best

    def state_before(self, index: int) -> tuple[str, int] | None:
        """A state mentioned right before token ``index``, allowing a possessive ``'s``: (party, token)."""
        position = index
        if position >= 2 and self.tokens[position - 1].text == "s" and self.tokens[position - 2].text in "'’":
            position -= 2
        if position == 0:
            return None
        mention = self.index.ending_at(self.tokens[position - 1].end)
        if mention is None:
            return None
        if mention.kind in (PartyKind.government_body, PartyKind.organization):
            # "Foreign Ministry spokesperson Zhao Min": the person acts for the body's state.
            body = self.index.parties[mention.party]
            return (body.affiliation, position) if body.affiliation else None
        if mention.kind not in (PartyKind.state, PartyKind.bloc):
            return None
        return mention.party, position

    def media_descriptors(self) -> None:
        trie = _descriptor_trie()
        modifiers = set(data("media")["descriptor_modifiers"])
        firsts = trie.first_words
        for position, word in enumerate(self.lower):
            if word not in firsts:
                continue
            hit = trie.match_words(self.lower, position)
            if hit is None:
                continue
            after, _ = hit
            if after >= len(self.tokens):
                continue
            existing = self.index.starting_at(self.tokens[after].start)
            if existing is not None and existing.kind == PartyKind.media:
                party = existing.party
            else:
                last = after
                while last < len(self.tokens) and last - after < 4 and self.tokens[last].text[:1].isupper():
                    last += 1
                if last == after or self.taken[after]:
                    continue
                name = self.text[self.tokens[after].start : self.tokens[last - 1].end]
                party = f"party:media:{slugify(name)}"
                self.party(party, PartyKind.media, name)
                self.mention(after, last, party, PartyKind.media, "media")
            # "Chinese state broadcaster X": the demonym may stand before the descriptor's modifiers.
            before = position
            while before > 0 and self.lower[before - 1] in modifiers:
                before -= 1
            state = self.state_before(before)
            if state is not None:
                country = state_display()[state[0]][2]
                draft = self.index.parties[party]
                draft.country = draft.country or country

    def joined_hyphen(self, index: int) -> bool:
        """Whether token ``index`` is a hyphen touching the tokens on both sides ("Harley-Davidson")."""
        return (
            0 < index < len(self.tokens) - 1
            and self.tokens[index].text == "-"
            and self.tokens[index - 1].end == self.tokens[index].start
            and self.tokens[index].end == self.tokens[index + 1].start
        )

    def name_after(self, index: int, *, after_title: bool = False) -> int:
        """Index past a capitalised name of up to three words (hyphenated parts joined) at ``index``.

        After a title, a first word that is also an English word ("Vice Premier He Yadong") starts
        the name when a name word follows it, one space apart."""
        position = index
        words = 0
        while position < len(self.tokens) and words < _MAX_NAME_WORDS:
            token = self.tokens[position]
            # "Liu He", "Theresa May": a surname that is also an English word continues a name when a
            # single space joins it to the name word before it.
            continues = words > 0 and token.start == self.tokens[position - 1].end + 1
            if words == 0 and after_title and position + 1 < len(self.tokens):
                following = self.tokens[position + 1]
                continues = following.start == token.end + 1 and _is_name_word(following)
            if self.taken[position] or not _is_name_word(
                token, allow_stop=continues and len(token.text) <= 4
            ):
                break
            position += 1
            words += 1
            # "Jae-myung": a hyphen joined to the next word without spaces continues the word.
            if (
                position + 1 < len(self.tokens)
                and self.tokens[position].text == "-"
                and self.tokens[position].start == token.end
                and self.tokens[position + 1].start == self.tokens[position].end
            ):
                position += 2
        return position

    def add_person(self, first: int, last: int, role: str | None, affiliation: str | None) -> None:
        name = self.text[self.tokens[first].start : self.tokens[last - 1].end]
        by_surname, _, _ = _roster()
        roster = by_surname.get(name) if last - first == 1 else None
        known = self._known_person(name) if last - first == 1 else None
        how: MentionHow
        if known is not None:
            draft = self.index.parties[known]
            how = "surname"
        elif roster is not None:
            draft = self.party(person_id(str(roster["name"])), PartyKind.person, str(roster["name"]))
            draft.country = draft.country or str(roster["country"])
            how = "surname"
        else:
            draft = self.party(person_id(name), PartyKind.person, name)
            how = "title" if role else "cue"
        if role and draft.role is None:
            draft.role = role
        if affiliation is not None:
            draft.affiliation = draft.affiliation or affiliation
            draft.country = draft.country or state_display()[affiliation][2]
        self.mention(first, last, draft.id, PartyKind.person, how)

    def _known_person(self, word: str) -> str | None:
        found = [
            party.id
            for party in self.index.parties.values()
            if party.kind == PartyKind.person and word in _reference_words(party)
        ]
        return found[0] if len(found) == 1 else None

    def bodies(self) -> None:
        """Government bodies ("China's Ministry of Commerce", "White House") and international bodies."""
        known, heads, connectors = _body_tables()
        known_firsts = known.first_words
        position = 0
        while position < len(self.tokens):
            if self.taken[position]:
                position += 1
                continue
            hit = known.match_words(self.words, position) if self.words[position] in known_firsts else None
            if hit is not None:
                end, (kind, code) = hit
                name = self.text[self.tokens[position].start : self.tokens[end - 1].end]
                self.add_body(position, end, name, kind, code)
                position = end
                continue
            if self.tokens[position].text not in heads or not self.tokens[position].text[:1].isupper():
                position += 1
                continue
            first = position
            while (
                first > 0 and first > position - 3 and _is_name_word(self.tokens[first - 1], allow_stop=True)
            ):
                # "The Ministry of Commerce": a sentence's capitalised article is not part of the name.
                if self.taken[first - 1] or self.lower[first - 1] in _ARTICLES:
                    break
                first -= 1
            end = position + 1
            # "Ministry of Economy, Trade and Industry": connectors followed by capitalised words;
            # "the" may follow "of" or "for" ("Secretary of the Treasury"), while "and the" starts
            # another body ("the Ministry of Commerce and the General Administration of Customs").
            while end + 1 < len(self.tokens) and end - position < 9 and self.tokens[end].text in connectors:
                nxt = end + 1
                while nxt < len(self.tokens) and self.tokens[nxt].text == "the" and self.lower[end] != "and":
                    nxt += 1
                if nxt >= len(self.tokens) or not self.tokens[nxt].text[:1].isupper() or self.taken[nxt]:
                    break
                end = nxt + 1
            if first == position and end == position + 1:
                position += 1
                continue
            state = self.state_before(first)
            code = state_display()[state[0]][2] if state else None
            name = self.text[self.tokens[first].start : self.tokens[end - 1].end]
            self.add_body(first, end, name, PartyKind.government_body, code)
            position = end

    def add_body(self, first: int, end: int, name: str, kind: PartyKind, code: str | None) -> None:
        prefix = "party:body" if kind == PartyKind.government_body else "party:org"
        party_id = (
            f"{prefix}:{(code or 'xx').lower()}-{slugify(name)}"
            if kind == PartyKind.government_body
            else f"{prefix}:{slugify(name)}"
        )
        draft = self.party(party_id, kind, name, code)
        if code and draft.affiliation is None and f"party:{code.lower()}" in state_display():
            draft.affiliation = f"party:{code.lower()}"
        self.mention(first, end, party_id, kind, "name")

    def state_token_before(self, index: int) -> int | None:
        """The first token of a state or bloc mention ending right before token ``index``, if any."""
        if index == 0 or not self.taken[index - 1]:
            return None
        mention = self.index.ending_at(self.tokens[index - 1].end)
        if mention is None or mention.kind not in (PartyKind.state, PartyKind.bloc):
            return None
        first = index - 1
        while first > 0 and self.tokens[first - 1].start >= mention.start:
            first -= 1
        return first

    def org_end(self, position: int, suffixes: Trie[str]) -> int:
        """Index past any run of name suffixes at ``position`` ("Steel Group", "Heavy Industries Co")."""
        firsts = suffixes.first_words
        while position < len(self.tokens) and self.words[position] in firsts and not self.taken[position]:
            hit = suffixes.match_words(self.words, position)
            if hit is None:
                break
            position = hit[0]
        return position

    def add_org(self, first: int, end: int, country_from: int) -> None:
        """An organisation named by tokens ``[first, end)``; a state mention before ``country_from``
        (within three lowercase or hyphenated words: "Chinese-owned smelter operator") gives its country."""
        name = self.text[self.tokens[first].start : self.tokens[end - 1].end]
        code: str | None = None
        look = country_from
        while look > 0 and country_from - look < 4:
            mention = self.index.ending_at(self.tokens[look - 1].end)
            if mention is not None and mention.kind in (PartyKind.state, PartyKind.bloc):
                code = state_display()[mention.party][2]
                break
            previous = self.tokens[look - 1].text
            if not (previous.islower() or previous == "-"):
                break
            look -= 1
        party_id = f"party:org:{slugify(name)}"
        draft = self.party(party_id, PartyKind.organization, name, code)
        for position in range(first, end):
            self.taken[position] = True
        mention = Mention(
            self.tokens[first].start, self.tokens[end - 1].end, party_id, PartyKind.organization, "name"
        )
        self.index.add(mention, self.text)
        if draft.country is None and code is not None:
            draft.country = code

    def organizations(self) -> None:
        """Companies and other organisations: "chipmaker X", "X Group", "Canadian Chamber of Commerce",
        an acronym before a cue verb ("ASML said"), and later repeats of a name found so."""
        self.described_orgs()
        self.suffixed_orgs()
        self.acronym_orgs()
        self.owning_orgs()
        self.org_repeats()
        # Bare names after the repeats ("Qualcomm" of "Qualcomm Inc." is taken), then their own repeats.
        known = len(self.index.parties)
        self.bare_orgs()
        if len(self.index.parties) > known:
            self.org_repeats()

    def described_orgs(self) -> None:
        """ "Korean steelmaker POSCO", "smelter operator Tsingshan Holding Group"."""
        suffixes, descriptors = _org_tables()
        descriptor_firsts = descriptors.first_words
        for position, word in enumerate(self.lower):
            if word not in descriptor_firsts:
                continue
            if not (
                self.words[position][:1].islower() or self.tokens[position].start in self.sentence_starts
            ):
                continue
            hit = descriptors.match_words(self.lower, position)
            if hit is None:
                continue
            after = hit[0]
            end = after
            while (
                end < len(self.tokens)
                and end - after < 4
                and not self.taken[end]
                and _is_org_word(self.tokens[end])
            ):
                end += 1
                if self.joined_hyphen(end) and _is_org_word(self.tokens[end + 1]):
                    end += 2  # "Andes-Minera": a hyphenated name word
            end = self.org_end(end, suffixes)
            if end > after:
                self.add_org(after, end, position)

    def suffixed_orgs(self) -> None:
        """ "Inspur Group", "Algoma Steel Group", "Canadian Chamber of Commerce"."""
        suffixes, _ = _org_tables()
        firsts = suffixes.first_words
        position = 1
        while position < len(self.tokens):
            if self.words[position] not in firsts or self.taken[position]:
                position += 1
                continue
            first = position
            while (
                first > 0
                and position - first < 4
                and not self.taken[first - 1]
                and _is_org_word(self.tokens[first - 1])
            ):
                first -= 1
                # "Harley-Davidson Inc.": a hyphen joined to both neighbours continues the name word.
                if first > 1 and self.joined_hyphen(first - 1) and _is_org_word(self.tokens[first - 2]):
                    first -= 2
            state_first = self.state_token_before(first)
            if state_first is not None:
                first = state_first
            end = self.org_end(position, suffixes)
            if position in (first, end):
                position += 1
                continue
            self.add_org(first, end, first)
            position = end

    def owning_orgs(self) -> None:
        """ "Nordvik Semiconductors and its affiliates", "Nordvik's subsidiaries": a name that owns what
        only a company owns is a company, with no descriptor or suffix."""
        owned = _company_belongings()
        for position in range(1, len(self.tokens) - 1):
            if self.lower[position + 1] not in owned or self.taken[position - 1]:
                continue
            if self.lower[position] == "its" and self.lower[position - 1] == "and":
                end = position - 1  # "X and its affiliates"
            elif self.lower[position] == "s" and self.words[position - 1] in ("'", "’"):
                end = position - 1  # "X's subsidiaries"
            else:
                continue
            first = end
            while (
                first > 0
                and end - first < 4
                and not self.taken[first - 1]
                and _is_org_word(self.tokens[first - 1])
            ):
                first -= 1
            if first < end:
                # Only a demonym right before the name gives its country ("Peru added X" does not).
                before = self.index.ending_at(self.tokens[first - 1].end) if first > 0 else None
                self.add_org(first, end, first if before is not None else 0)

    def acronym_orgs(self) -> None:
        """ "ASML said": a name in capitals right before a cue verb, that is not a known state or outlet."""
        cues = _cue_words()
        for position in range(len(self.tokens) - 1):
            word = self.words[position]
            if (
                len(word) >= 3
                and word.isalpha()
                and word.isupper()
                and not self.taken[position]
                and self.words[position + 1] in cues
            ):
                self.add_org(position, position + 1, position)

    def bare_orgs(self) -> None:
        """Companies named bare, known by where they stand: after "sales by" or "chipmakers such as",
        before "makes" or "was added to", between "added" and "to" a list, or a one-word speaker that
        says "it" of itself ("Nordwind said it would comply"); a list of names there is a list of
        companies ("Nordwind and Varnel were added to")."""
        before, after = _bare_org_tables()
        before_firsts, after_firsts, triggers = _bare_org_triggers()
        guard = _BareNames(self)
        listing = frozenset(data("organizations")["listing_nouns"])
        cues = _cue_words()
        for position in [i for i, word in enumerate(self.lower) if word in triggers]:
            word = self.lower[position]
            if word in before_firsts and (hit := before.match_words(self.lower, position)):
                self.bare_list(hit[0], guard)
            elif word in after_firsts and after.match_words(self.lower, position):
                self.bare_list_before(position, guard)
            elif word == "added" and position + 1 < len(self.tokens):
                end = self.bare_list(position + 1, guard, check_only=True)
                window = self.lower[end : end + 6]
                if end > position + 1 and window[:1] == ["to"] and not listing.isdisjoint(window):
                    self.bare_list(position + 1, guard)
            elif self.words[position] in cues and 0 < position < len(self.tokens) - 2:
                said = self.lower[position + 1 : position + 3]
                if said[0] in ("it", "its") or said == ["that", "it"]:
                    start = position - 1
                    if guard.single(start) and not (start > 0 and _is_org_word(self.tokens[start - 1])):
                        self.add_org(start, position, start)

    def bare_list(self, start: int, guard: _BareNames, *, check_only: bool = False) -> int:
        """Bare company names from token ``start`` on ("Nordwind, Varnel and Osk"); the end of the list."""
        position = start
        while True:
            end = guard.name_from(position)
            if end == position:
                return position
            if not check_only:
                self.add_org(position, end, position)
            if end + 1 < len(self.tokens) and self.words[end] in (",", "and"):
                gap = end + (2 if self.words[end] == "," and self.lower[end + 1] == "and" else 1)
                if gap < len(self.tokens) and guard.name_from(gap) > gap:
                    position = gap
                    continue
            return end

    def bare_list_before(self, verb: int, guard: _BareNames) -> None:
        """The bare names right before ``verb``, with one more joined by "and" ("X and Y were added")."""
        start = guard.name_before(verb)
        if start == verb:
            return
        if start >= 2 and self.lower[start - 1] == "and":
            first = guard.name_before(start - 1)
            if first < start - 1:
                self.add_org(first, start - 1, first)
        self.add_org(start, verb, start)

    def org_repeats(self) -> None:
        """Later mentions of an organisation by its full name or by its first word ("Algoma")."""
        short: dict[str, str | None] = {}
        trie: Trie[str] = Trie()
        minimum = int(data("organizations")["repeat_min_letters"])
        for party in self.index.parties.values():
            if party.kind != PartyKind.organization or not party.id.startswith("party:org:"):
                continue
            trie.add(party.name, party.id)
            words = entry_tokens(party.name)
            if len(words) > 1 and len(words[0]) >= minimum and words[0].isalpha():
                short[words[0]] = None if words[0] in short else party.id
        firsts = trie.first_words | frozenset(short)
        for position, word in enumerate(self.words):
            if self.taken[position] or word not in firsts:
                continue
            hit = trie.match_words(self.words, position)
            if hit is not None and not any(self.taken[hit[0] - 1 : hit[0]]):
                end, party_id = hit
            elif short.get(word) is not None and not (
                position + 1 < len(self.tokens) and _is_org_word(self.tokens[position + 1])
            ):
                end, party_id = position + 1, str(short[word])
            else:
                continue
            self.mention(position, end, party_id, PartyKind.organization, "name")

    def titled_people(self) -> None:
        trie = _title_trie()
        premodifiers = set(data("people")["premodifiers"])
        dating = set(data("people")["dating_premodifiers"])
        firsts = trie.first_words
        position = 0
        while position < len(self.tokens):
            hit = trie.match_words(self.lower, position) if self.lower[position] in firsts else None
            if hit is None:
                position += 1
                continue
            after, _ = hit
            role = self.text[self.tokens[position].start : self.tokens[after - 1].end]
            existing = self.index.starting_at(self.tokens[after].start) if after < len(self.tokens) else None
            before = position
            while before > 0 and self.tokens[before - 1].text.lower() in premodifiers:
                before -= 1
            # Modifiers that say which office it is stay in the role ("trade negotiator", "chief
            # economist"); those that only date it ("new", "then") do not.
            first = next(
                (i for i in range(before, position) if self.tokens[i].text.lower() not in dating),
                position,
            )
            if first < position:
                role = self.text[self.tokens[first].start : self.tokens[after - 1].end]
            state = self.state_before(before)
            affiliation = state[0] if state else None
            if existing is not None and existing.kind == PartyKind.person:
                draft = self.index.parties[existing.party]
                draft.role = draft.role or role
                if affiliation and draft.affiliation is None:
                    draft.affiliation = affiliation
                position = after
                continue
            end = self.name_after(after, after_title=True)
            if end > after:
                self.add_person(after, end, role, affiliation)
                position = end
                continue
            # "its chief executive, Fiona Marsh, said": a full name set off by commas after the title.
            if after + 1 < len(self.tokens) and self.words[after] == ",":
                end = self.name_after(after + 1)
                if end - (after + 1) >= 2 and end < len(self.tokens) and self.words[end] in (",", "."):
                    self.add_person(after + 1, end, role, affiliation)
                    position = end
                    continue
            position = after

    def name_before(self, end: int) -> int:
        """Index of the first word of a capitalised name of up to three words ending before ``end``
        (hyphenated parts joined: "Jean-Claude Juncker"); ``end`` when there is none."""
        start, words = end, 0
        while start > 0 and words < _MAX_NAME_WORDS:
            previous = self.tokens[start - 1]
            if self.taken[start - 1] or not _is_name_word(previous):
                break
            start -= 1
            words += 1
            # "Jean-Claude": a hyphen joined to both neighbours without spaces continues the word.
            if (
                start > 1
                and self.tokens[start - 1].text == "-"
                and self.tokens[start - 1].end == self.tokens[start].start
                and self.tokens[start - 2].end == self.tokens[start - 1].start
                and _is_name_word(self.tokens[start - 2])
                and not self.taken[start - 2]
            ):
                start -= 2
        return start

    def appositive_people(self) -> None:
        """ "Larry Kudlow, White House economic adviser, said": a name of two or more words set off by
        commas before a speech cue is a person, whatever titles the description holds; the
        description gives the role (up to "at", "in", "for") and a state or body in it the country."""
        cues = _cue_words()
        for position in range(2, len(self.tokens)):
            if self.tokens[position].text not in cues or self.words[position - 1] != ",":
                continue
            comma = None
            for index in range(position - 2, max(0, position - 26), -1):
                word = self.words[index]
                if word == ",":
                    comma = index
                    break
                if word in (".", ";", "”", '"', "“", ":") or word in cues:
                    break
            if comma is None or comma == position - 2:
                continue
            start = self.name_before(comma)
            if comma - start < 2 or (start > 0 and self.tokens[start - 1].text[:1].isupper()):
                continue
            described = self.text[self.tokens[comma + 1].start : self.tokens[position - 2].end]
            if self.words[comma + 1] in ("which", "whose"):
                # "Rémy Cointreau, which earns a fifth of its sales in China, said": a company speaks.
                name = self.text[self.tokens[start].start : self.tokens[comma - 1].end]
                party = f"party:org:{slugify(name)}"
                self.party(party, PartyKind.organization, name)
                self.mention(start, comma, party, PartyKind.organization, "name")
                continue
            role = re.split(r"\s(?:at|in|for|and|who|with)\s", described, maxsplit=1)[0]
            role = re.sub(r"^(?:a|an|the)\s", "", role).strip() or None
            affiliation = self.jurisdiction_in(comma + 1, position - 1) or self.body_referred_to(
                described, self.tokens[start].start
            )
            self.add_person(start, comma, role, affiliation)

    def jurisdiction_in(self, first: int, last: int) -> str | None:
        """The first state or bloc named in tokens ``[first, last)``, or the jurisdiction of a body."""
        for index in range(first, last):
            mention = self.index.starting_at(self.tokens[index].start)
            if mention is None:
                continue
            if mention.kind in (PartyKind.state, PartyKind.bloc):
                return mention.party
            affiliation = self.index.parties[mention.party].affiliation
            if affiliation:
                return affiliation
        return None

    def body_referred_to(self, described: str, before: int) -> str | None:
        """ "a senior official at the bureau": the jurisdiction of the latest body named before, when
        a description refers back to it."""
        lowered = f" {described.lower()} "
        if not any(f" {phrase} " in lowered for phrase in data("bodies")["back_references"]):
            return None
        for mention in reversed(self.index.covering(max(0, before - 3000), before)):
            body = self.index.parties[mention.party]
            if mention.kind == PartyKind.government_body and body.affiliation:
                return body.affiliation
        return None

    def only_a_name_fits(self, position: int) -> bool:
        """ "May said", "Mrs May": a capitalised word right before a cue verb or after an honorific,
        where a surname that is also an English word can only be the surname."""
        if not _is_name_word(self.tokens[position], allow_stop=True):
            return False
        after = self.tokens[position + 1].text if position + 1 < len(self.tokens) else ""
        return after in _cue_words() or (position > 0 and self.tokens[position - 1].text in _honorifics())

    def reference_tables(self) -> tuple[dict[str, str | None], dict[str, str | None]]:
        """The people named so far by surname (and other reference words) and by first name; a word
        two people share maps to ``None``."""
        references: dict[str, str | None] = {}
        for party in self.index.parties.values():
            if party.kind != PartyKind.person:
                continue
            for word in _reference_words(party):
                # Two people sharing a surname: a bare surname is ambiguous, so it resolves to nobody.
                references[word] = None if word in references and references[word] != party.id else party.id
        first_names: dict[str, str | None] = {}
        for party in self.index.parties.values():
            words = [w for w in entry_tokens(party.name) if w.isalpha()]
            if party.kind == PartyKind.person and len(words) > 1:
                first = words[0]
                first_names[first] = (
                    None if first in first_names and first_names[first] != party.id else party.id
                )
        return references, first_names

    def back_references(self) -> None:
        by_surname, _, _ = _roster()
        references, first_names = self.reference_tables()
        for position, token in enumerate(self.tokens):
            if self.taken[position]:
                continue
            if not _is_name_word(token) and not (
                token.text in references and self.only_a_name_fits(position)
            ):
                continue
            if position + 1 < len(self.tokens) and _is_name_word(self.tokens[position + 1]):
                continue  # part of a longer name, such as a different person with the same surname
            if position > 0 and _is_name_word(self.tokens[position - 1]) and not self.taken[position - 1]:
                continue
            party_id = references.get(token.text)
            if party_id is None and token.text not in references:
                # Some names are shortened to the first word ("Bahlil" for Bahlil Lahadalia).
                party_id = first_names.get(token.text)
            if party_id is not None:
                self.mention(position, position + 1, party_id, PartyKind.person, "surname")
            elif token.text not in references and token.text in by_surname:
                person = by_surname[token.text]
                if position + 1 < len(self.tokens) and self.lower[position + 1] in _GOVERNMENT_NOUNS:
                    # "the Biden administration" is the leader's government: the state, not the person.
                    code = str(person["country"])
                    state = f"party:{code.lower()}"
                    if state in state_display():
                        self.party(state, state_display()[state][1], state_display()[state][0], code)
                        self.mention(position, position + 2, state, state_display()[state][1], "name")
                    continue
                draft = self.party(person_id(str(person["name"])), PartyKind.person, str(person["name"]))
                draft.country = draft.country or str(person["country"])
                draft.role = draft.role or str(person["role"])
                self.mention(position, position + 1, draft.id, PartyKind.person, "surname")

    def cue_names(self) -> None:
        cues = _cue_words()
        for position in range(1, len(self.tokens)):
            if self.tokens[position].text not in cues:
                continue
            end = position
            start = self.name_before(end)
            # "the Peruvian President said": a title is a description, not a name.
            if self.words[end - 1].lower() in _title_words():
                continue
            if start < end and (
                start == 0
                or not self.tokens[start - 1].text[:1].isupper()
                or self.tokens[start - 1].text in _honorifics()
            ):
                self.add_person(start, end, None, None)
        # "..., said Greer." — the name follows the cue.
        for position in range(len(self.tokens) - 1):
            if self.tokens[position].text != "said" or self.prev_word(position) not in (",", "”", '"'):
                continue
            end = self.name_after(position + 1)
            if end > position + 1 and (end >= len(self.tokens) or self.tokens[end].text in ".,;"):
                self.add_person(position + 1, end, None, None)


def _reference_words(party: PartyDraft) -> set[str]:
    words = [w for w in entry_tokens(party.name) if w.isalpha()]
    if len(words) < 2:
        return set(words)
    found = {words[-1]}
    # "Kim Do-hyun": a hyphenated given name after the family name is an East Asian name order too.
    if party.country in _FAMILY_NAME_FIRST or "-" in party.name.split()[-1]:
        found.add(words[0])
    return found


def find_mentions(text: str, body_start: int, source_id: str, sentences: list[Sentence]) -> MentionIndex:
    """All party mentions in the body of an article (``text[body_start:]``)."""
    from .sentences import tokenize

    tokens = tokenize(text, body_start)
    finder = _Finder(text, source_id, tokens, sentences)
    finder.states_and_media()
    finder.media_descriptors()
    finder.bodies()
    finder.organizations()
    finder.titled_people()
    finder.appositive_people()
    finder.back_references()
    finder.cue_names()
    return finder.index
