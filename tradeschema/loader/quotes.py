"""Stage 4, quotes and attribution: who said what, as direct, partial or reported speech.

- Quotation marks are paired per paragraph in one pass (curly and straight; single quotes only
  inside double quotes, where a closing ``’`` followed by a letter is an apostrophe). A quotation left
  open at a paragraph's end runs on when the next paragraph opens with a quotation mark (the wire
  convention); one or two words in quotation marks used as a term ("so-called ‘reciprocal’ tariffs",
  "the “phase one” deal") are never a statement of their own.
- A quotation is *direct* when it opens a sentence or follows ``:`` or ``,``; otherwise it is a
  fragment inside reported speech (*partial*).
- A direct quotation's speaker comes from the words after it (``,” he said``), before it
  (``Lutnick said: “``), or from the previous quotation of the paragraph (a continuation).
- Reported speech is a cue verb outside quotation marks with a speaker phrase next to it: the clause
  before (``<clause>, Lutnick said``) or after (``Lutnick indicated that <clause>``). The words after
  a direct quotation's attribution (``..., Lutnick said, standing beside X``) are not a statement; a
  sentence handed to a medium with no other speaker ("..., according to Xinhua") is the medium's.
- ``he``/``she`` resolve to the first person of the sentence that last named one (the subject of the
  previous attribution, not the nearest name); ``it`` to the subject of the sentence before when it
  opens a sentence, else to the body or company named last; collective speakers
  ("officials on both sides") become group parties; "according to Reuters" and "Reuters reported" set
  the reporting medium; "told reporters in London" is the setting; "said Wednesday" the date.
- A quotation inside a quotation is said by the person named before it inside the outer quotation,
  relayed (``via``) by the outer speaker.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from functools import cache

from ..vocab import PartyKind, StatementKind
from .lexicon import alternation, verb_forms
from .mentions import Mention, MentionIndex, PartyDraft
from .parse import slugify
from .relative_dates import find_date
from .sentences import Paragraph, Sentence
from .tables import data, speech_cues, state_display

__all__ = ["QuoteSpan", "StatementDraft", "find_quotes", "find_statements"]

_MAX_SPEAKER_CHARS = 90
_MAX_TAIL_CHARS = 120
_WORD_RE = re.compile(r"[\w’'-]+")
_BODY_WORDS = ("ministry", "department", "commission", "office", "administration", "agency", "council")
_FUNCTION_WORDS = frozenset({"as", "of", "by", "like", "and", "but", "then", "what", "so"})
_SETTING_PREPS = ("in ", "at ", "during ", "on the sidelines", "after ", "before ", "from ", "via ", "on ")


_MAX_SCARE_WORDS = 2
"""A quotation of at most this many words may be a term in quotation marks rather than speech."""


@cache
def _placing_forms() -> frozenset[str]:
    """Forms of the cue verbs that also place things ("added X to the list"), lowercase."""
    return frozenset(form for lemma in data("speech")["placing_verbs"] for form in verb_forms(lemma))


_PLACED_RE = re.compile(r"(?!that\b)[^,;:.“”\"]{1,80}?\b(?:to|onto|into)\b")
"""An object and "to" after a placing verb, before any clause break: "added X to", not "added that"."""


@cache
def _naming_re() -> re.Pattern[str]:
    """Words that name a term right before it: "so-called", "dubbed", "known as"."""
    return re.compile(alternation(data("speech")["naming_words"]) + r" (?:the |a |an |its |their )?$")


@cache
def _after_quote_words() -> frozenset[str]:
    """Lowercase words that may follow a quotation without it being a modifier of a noun: conjunctions,
    prepositions and cue verbs ("“unfair” and", "“unfair” to", "“unfair” said")."""
    return frozenset(data("speech")["after_quote_words"]) | {
        word for cue in speech_cues() for word in cue.split()[:1]
    }


_NAMED_SPEAKERS = frozenset(
    {PartyKind.person, PartyKind.organization, PartyKind.government_body, PartyKind.media}
)


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """A pair of quotation marks: ``open`` and ``close`` are the offsets of the marks themselves."""

    open: int
    close: int
    paragraph: int
    inner: tuple[tuple[int, int], ...] = ()
    """Quotations inside this one, as ``(open, close)`` offsets of their marks."""
    gaps: tuple[tuple[int, int], ...] = ()
    """Where a quotation over several paragraphs leaves the text: from a paragraph's end to just past
    the mark that opens the next one."""
    end_paragraph: int = -1
    """The paragraph of the closing mark (``paragraph`` when the quotation stays in one)."""
    scare: bool = False
    """A term set off by quotation marks (see :func:`is_scare_quote`): never a statement of its own,
    though a reported clause holding it is still partial, as a clause with any quoted words is."""

    @property
    def last_paragraph(self) -> int:
        """The paragraph of the closing mark."""
        return self.end_paragraph if self.end_paragraph >= 0 else self.paragraph

    def pieces(self, start: int, end: int) -> list[tuple[int, int]]:
        """``[start, end)`` without the gaps between paragraphs: the spans of the quoted words."""
        spans = []
        for gap_start, gap_end in self.gaps:
            if start < gap_start < end:
                spans.append((start, gap_start))
                start = max(start, gap_end)
        spans.append((start, end))
        return [(s, e) for s, e in spans if e > s]


@dataclass(slots=True)
class StatementDraft:
    """A statement found in one article, before ids and ``about`` are assigned."""

    kind: StatementKind
    start: int
    end: int
    speaker: str | None
    speaker_text: str | None
    cue: str | None = None
    cue_span: tuple[int, int] | None = None
    reported_by: str | None = None
    via: str | None = None
    setting: str | None = None
    date: str | None = None
    date_text: str | None = None
    confidence: float = 0.8
    extra_spans: list[tuple[int, int]] = field(default_factory=list)
    pieces: list[tuple[int, int]] = field(default_factory=list)
    """The spans of the words said when they are not one run of text (a quotation over several
    paragraphs); empty when they are ``[start, end)``."""

    def spans(self) -> list[tuple[int, int]]:
        """The spans of the words said, in order."""
        return list(self.pieces) or [(self.start, self.end)]

    def words(self, text: str) -> str:
        """The words said: the spans joined by a space."""
        return " ".join(text[start:end].strip() for start, end in self.spans())


_ACCORDING_SOURCE_RE = re.compile(r"\baccording to (?:the |a |an )?", re.IGNORECASE)
"""Where a source named after "according to" starts."""

_QUOTE_REACH = 5000
"""How far before a sentence a quotation that overlaps it may start (one running over paragraphs)."""

_MIN_CLAUSE_CHARS = 12
"""A reported clause shorter than this is a fragment, not a statement."""

_SUBJECT_KINDS = frozenset(
    {PartyKind.person, PartyKind.organization, PartyKind.government_body, PartyKind.state, PartyKind.bloc}
)


@cache
def _participle_re() -> re.Pattern[str]:
    """ ", saying (that)": a reporting participle after a comma opens what the subject said."""
    verbs = [
        form
        for lemma in data("speech")["participle_verbs"]
        for form in verb_forms(lemma)
        if form.endswith("ing")
    ]
    return re.compile(r", (?P<cue>" + alternation(verbs) + r")(?: that)? ")


@cache
def _document_re() -> re.Pattern[str]:
    """ "according to the ministry's announcement", "according to a statement by X"."""
    nouns = alternation(data("speech")["document_nouns"])
    return re.compile(
        r"\baccording to (?:(?:the|a|an) )?(?P<issuer>[\w .’'-]{2,60}?)(?:’s|'s) (?:\w+ )?" + nouns + r"\b"
    )


@cache
def _according_re() -> re.Pattern[str]:
    """ "according to (up to four words)", "as cited by": the words that hand a sentence to a medium."""
    return re.compile(
        r"\b" + alternation(data("speech")["according_to"]) + r"(?: [\w’'-]+){0,4} $", re.IGNORECASE
    )


@cache
def _company_nouns() -> tuple[str, ...]:
    """Nouns that describe a company ("maker", "carmaker", "firm"): the organisation descriptors."""
    return tuple(data("organizations")["descriptors"])


@cache
def _title_heads() -> frozenset[str]:
    """Last words of official titles ("president", "secretary", "minister"), lowercase."""
    return frozenset(title.lower().split()[-1] for title in data("people")["titles"])


@cache
def _cues() -> tuple[tuple[str, ...], ...]:
    cues = [tuple(c.split()) for c in speech_cues()]
    return tuple(sorted(cues, key=len, reverse=True))


@cache
def _cue_alternation() -> str:
    return alternation(speech_cues())


_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been|being|is|are)\s$")
"""An auxiliary right before a cue's participle makes it a passive ("was added to")."""


@cache
def _cue_re() -> re.Pattern[str]:
    return re.compile(r"\b" + _cue_alternation() + r"\b")


@cache
def _and_cue_re() -> re.Pattern[str]:
    return re.compile(r"\band " + _cue_alternation() + r"\b")


@cache
def _group_re() -> re.Pattern[str]:
    return re.compile(r"\b" + alternation(data("speech")["group_heads"]) + r"\b", re.IGNORECASE)


def find_quotes(text: str, paragraphs: list[Paragraph]) -> list[QuoteSpan]:
    """Pairs of double quotation marks, per paragraph, with the single-quoted spans inside them.

    A quotation left open at a paragraph's end runs on when the next paragraph opens with a quotation
    mark (the wire convention for a quotation over several paragraphs): the mark that opens the next
    paragraph continues it, and the quotation closes in a later paragraph.
    """
    found: list[QuoteSpan] = []
    opened: int | None = None
    first_para = 0
    gaps: list[tuple[int, int]] = []
    for number, para in enumerate(paragraphs):
        scan_from = para.start
        nxt = paragraphs[number - 1] if number else None
        if opened is not None and nxt is not None and text[para.start : para.start + 1] in '“"':
            # The previous paragraph's quotation runs on: skip its line break and this opening mark.
            gaps.append((nxt.end, para.start + 1))
            scan_from = para.start + 1
        else:
            opened, gaps = None, []
        inner_open: int | None = None
        inner: list[tuple[int, int]] = []
        for pos in range(scan_from, para.end):
            char = text[pos]
            if char == "“" or (char == '"' and opened is None):
                # A second opening mark before a close: the first was never closed; start over.
                opened, first_para, inner_open, inner, gaps = pos, para.index, None, [], []
            elif char in '”"' and opened is not None:
                found.append(QuoteSpan(opened, pos, first_para, tuple(inner), tuple(gaps), para.index))
                opened, inner_open, inner, gaps = None, None, [], []
            elif opened is not None and char in "‘'" and inner_open is None:
                prev = text[pos - 1] if pos > para.start else " "
                if char == "‘" or (not prev.isalnum()):
                    inner_open = pos
            elif opened is not None and inner_open is not None and char in "’'":
                following = text[pos + 1] if pos + 1 < para.end else " "
                if not following.isalpha():
                    inner.append((inner_open, pos))
                    inner_open = None
    return [replace(quote, scare=True) if is_scare_quote(text, quote) else quote for quote in found]


def is_scare_quote(text: str, quote: QuoteSpan) -> bool:
    """Whether a quotation is a term set off by quotation marks rather than words someone said: one
    or two words named as a term ("so-called ‘reciprocal’ tariffs", "what it dubbed “unfair”") or
    modifying the noun after it ("the “phase one” deal")."""
    inside = text[quote.open + 1 : quote.close].strip(" ,.")
    words = inside.split()
    if not words or len(words) > _MAX_SCARE_WORDS or quote.gaps:
        return False
    if re.search(r"[.!?]", inside):
        return False  # "“No.”": a sentence, however short
    before = text[max(0, quote.open - 30) : quote.open].lower()
    if _naming_re().search(before):
        return True
    after = re.match(r" ([a-z][\w-]*)", text[quote.close + 1 : quote.close + 40])
    return after is not None and after.group(1) not in _after_quote_words()


class _Attributor:
    def __init__(
        self,
        text: str,
        published: str | None,
        mentions: MentionIndex,
        sentences: list[Sentence],
        quotes: list[QuoteSpan],
    ) -> None:
        self.text = text
        self.published = published
        self.mentions = mentions
        self.sentences = sentences
        self.quotes = quotes
        self.quote_opens = [q.open for q in quotes]
        self.mention_starts = [m.start for m in mentions.mentions]
        self.sentence_starts = [s.start for s in sentences]
        self.statements: list[StatementDraft] = []
        # The direct quotations, by start, once attributed (see :meth:`index_quoted`): sentences look
        # up those near them by bisection, so the passes stay linear in the article's length.
        self.quoted: list[StatementDraft] = []
        self.quoted_starts: list[int] = []

    # -- helpers ---------------------------------------------------------------------------------

    def in_quote(self, pos: int) -> QuoteSpan | None:
        index = bisect.bisect_right(self.quote_opens, pos) - 1
        if index >= 0 and self.quotes[index].open <= pos <= self.quotes[index].close:
            return self.quotes[index]
        return None

    def last_person_before(self, pos: int) -> Mention | None:
        return self.last_mention_before(pos, (PartyKind.person,))

    def pronoun_antecedent(self, pos: int) -> Mention | None:
        """ "He said": the subject of the sentence that last named a person (its first person),
        not the nearest name; "A met B in Lima. He said" is A speaking."""
        nearest = self.last_person_before(pos)
        if nearest is None:
            return None
        index = bisect.bisect_right(self.sentence_starts, nearest.start) - 1
        if index < 0 or self.sentences[index].end > pos:
            return nearest  # a pronoun in the same sentence refers to the nearest name
        sentence = self.sentences[index]
        people = [
            m
            for m in self.mentions.covering(sentence.start, sentence.end)
            if m.kind == PartyKind.person and self.in_quote(m.start) is None
        ]
        return people[0] if people else nearest

    def last_mention_before(self, pos: int, kinds: tuple[PartyKind, ...]) -> Mention | None:
        index = bisect.bisect_left(self.mention_starts, pos) - 1
        steps = 0
        # Bounded look-back keeps pathological inputs linear; antecedents are close in news prose.
        while index >= 0 and steps < 400:
            mention = self.mentions.mentions[index]
            if mention.kind in kinds and mention.end <= pos and self.in_quote(mention.start) is None:
                return mention
            index -= 1
            steps += 1
        return None

    def group_party(self, phrase: str, start: int, end: int) -> PartyDraft:
        words = phrase.strip()
        for article in ("the ", "The "):
            words = words.removeprefix(article)
        states = [
            m for m in self.mentions.covering(start, end) if m.kind in (PartyKind.state, PartyKind.bloc)
        ]
        country = None
        affiliation = None
        if len({m.party for m in states}) == 1:
            affiliation = states[0].party
            country = state_display()[affiliation][2]
        party_id = f"party:group:{slugify(words)}"
        draft = self.mentions.parties.get(party_id)
        if draft is None:
            draft = PartyDraft(party_id, PartyKind.group, words, country, None, affiliation)
            self.mentions.parties[party_id] = draft
        draft.spans.append((self.mentions.source_id, start, end))
        return draft

    def body_named_last(self, start: int, head: str) -> str | None:
        """ "the ministry said": the body named last whose name has that head word ("Ministry of
        Commerce"), or failing one the body named last."""
        index = bisect.bisect_left(self.mention_starts, start) - 1
        fallback: str | None = None
        for steps in range(400):  # bounded look-back, as for pronouns
            if index - steps < 0:
                break
            mention = self.mentions.mentions[index - steps]
            if mention.kind != PartyKind.government_body or self.in_quote(mention.start) is not None:
                continue
            if head in self.text[mention.start : mention.end].lower():
                return mention.party
            fallback = fallback or mention.party
        return fallback

    def described_party(self, lowered: str, start: int, covered: list[Mention]) -> str | None:
        """The party a description stands for: "the US President" -> the person the article names with
        that title (and country); "the bike maker" -> the company named last before it."""
        words = lowered.removeprefix("the ").split()
        if not lowered.startswith("the ") or not words:
            return None
        company_part = any(lowered.endswith(" " + part) for part in data("organizations")["parts"]) and any(
            f"{noun}’s " in lowered or f"{noun}'s " in lowered for noun in _company_nouns()
        )
        if company_part or any(lowered.endswith(" " + noun) for noun in _company_nouns()):
            # "the bike maker", "the company's European arm": the company named last.
            recent = self.last_mention_before(start, (PartyKind.organization,))
            return recent.party if recent else None
        states = {m.party for m in covered if m.kind in (PartyKind.state, PartyKind.bloc)}
        title = words[-1]
        if title not in _title_heads():
            return None
        found = [
            party.id
            for party in self.mentions.parties.values()
            if party.kind == PartyKind.person
            and party.role
            and party.role.lower().split()[-1] == title
            and (not states or party.affiliation in states)
        ]
        return found[0] if len(set(found)) == 1 else None

    def body_party(self, phrase: str, start: int, end: int) -> PartyDraft | None:
        lowered = phrase.lower()
        if not any(word in lowered for word in _BODY_WORDS):
            return None
        states = [
            m for m in self.mentions.covering(start, end) if m.kind in (PartyKind.state, PartyKind.bloc)
        ]
        name_start = states[-1].end if states else start
        name = self.text[name_start:end].lstrip("’'s ").strip()
        if not name:
            return None
        country = state_display()[states[-1].party][2] if states else None
        code = (country or "xx").lower()
        party_id = f"party:body:{code}-{slugify(name)}"
        draft = self.mentions.parties.get(party_id)
        if draft is None:
            display = name[:1].upper() + name[1:]
            if country:
                display = f"{display} ({state_display()[states[-1].party][0]})"
            draft = PartyDraft(
                party_id,
                PartyKind.government_body,
                display,
                country,
                None,
                states[-1].party if states else None,
            )
            self.mentions.parties[party_id] = draft
        draft.spans.append((self.mentions.source_id, start, end))
        return draft

    def pronoun_speaker(self, lowered: str, phrase: str, start: int) -> tuple[str | None, str | None, float]:
        """ "he said" -> the subject of the last attribution; "it said" -> the body or company named
        last; "they said" stays unresolved."""
        kind = data("speech")["pronouns"][lowered]
        if kind == "body":
            # "China responded ... It stated that": a sentence opened by "it" continues the subject of
            # the sentence before; elsewhere the body or company named last ("Such a move, it said").
            index = bisect.bisect_right(self.sentence_starts, start) - 1
            opens = index > 0 and self.sentences[index].start == start
            previous = self.sentences[index - 1] if opens else None
            subject = self.sentence_subject(previous, previous.end) if previous else None
            if subject is None or subject.kind == PartyKind.person:
                subject = self.last_mention_before(start, (PartyKind.government_body, PartyKind.organization))
            return (subject.party if subject else None), phrase, 0.6
        if kind != PartyKind.person:
            return None, phrase, 0.0
        antecedent = self.pronoun_antecedent(start)
        return (antecedent.party if antecedent else None), phrase, 0.7

    def resolve_speaker(self, start: int, end: int) -> tuple[str | None, str | None, float]:  # noqa: PLR0911  # a ladder of speaker kinds, most specific first
        """The party a speaker phrase ``text[start:end]`` names: (party id, phrase, confidence)."""
        phrase = self.text[start:end].strip(" ,")
        if not phrase or len(phrase) > _MAX_SPEAKER_CHARS or "," in phrase:
            return None, None, 0.0
        lowered = phrase.lower()
        if lowered in data("speech")["pronouns"]:
            return self.pronoun_speaker(lowered, phrase, start)
        covered = self.mentions.covering(start, end)
        if covered and covered[-1].end >= end - 1 and covered[-1].kind in _SUBJECT_KINDS:
            # "Shares of X fell after Peru said": the name right before the cue speaks; of "X and
            # the Y said", the first named.
            first = len(covered) - 1
            while first > 0 and re.fullmatch(
                r" and (?:the )?(?:[A-Z][\w-]* )?", self.text[covered[first - 1].end : covered[first].start]
            ):
                first -= 1
            return covered[first].party, phrase, 0.9
        for kind in (PartyKind.person, PartyKind.media, PartyKind.government_body, PartyKind.organization):
            found = [m for m in covered if m.kind == kind]
            if found:
                return found[-1].party, phrase, 0.9
        if lowered in data("bodies")["back_references"]:
            return self.body_named_last(start, lowered.split()[-1]), phrase, 0.7
        described = self.described_party(lowered, start, covered)
        if described is not None:
            return described, phrase, 0.75
        if (_group_re().search(phrase) and not phrase[:1].isupper()) or lowered.startswith(
            ("officials", "negotiators", "both", "sources", "the two")
        ):
            return self.group_party(phrase, start, end).id, phrase, 0.75
        body = self.body_party(phrase, start, end)
        if body is not None:
            return body.id, phrase, 0.8
        states = [m for m in covered if m.kind in (PartyKind.state, PartyKind.bloc)]
        if states and states[-1].end >= end - 1:
            return states[-1].party, phrase, 0.8
        if _group_re().search(phrase):
            return self.group_party(phrase, start, end).id, phrase, 0.7
        return None, None, 0.0

    def named_before_description(self, start: int, party: str | None) -> Mention | None:
        """ "Larry Kudlow, White House economic adviser, said": the person (or company, body or outlet)
        named right before a description set off by commas speaks, not what the description names."""
        named = self.mentions.ending_at(start - 1 - (self.text[start - 1] == " "), slack=1)
        if named is None or named.kind not in _NAMED_SPEAKERS or party == named.party:
            return None
        described = self.mentions.parties.get(party) if party else None
        return named if described is None or described.kind != PartyKind.person else None

    def speaker_before(self, cue_start: int, floor: int) -> tuple[int, str | None, str | None, float]:
        """A speaker phrase ending right before a cue (adverbs allowed), starting after ``floor``."""
        adverbs = set(data("speech")["adverbs"])
        end = cue_start
        # Skip adverbs such as "also" between the speaker and the verb ("he also said").
        while True:
            segment = self.text[max(floor, end - 20) : end].rstrip()
            words = segment.split()
            if words and words[-1] in adverbs:
                end = max(floor, end - 20) + len(segment) - len(words[-1])
                continue
            break
        if end > floor:
            # Back over trailing spaces without copying the text before them (linear at any length).
            while end > 0 and self.text[end - 1].isspace():
                end -= 1
        start = max(floor, end - _MAX_SPEAKER_CHARS)
        # The phrase starts after the last clause break before it.
        window = self.text[start:end]
        cut = max(window.rfind(","), window.rfind(";"), window.rfind("”"), window.rfind("—"))
        appositive = cut >= 0 and cut == len(window) - 1 and window[cut] == ","
        if appositive:
            # An appositive speaker: "A Commission spokesperson, Anna Lindqvist, said".
            end = start + cut
            window = self.text[start:end]
            cut = max(window.rfind(","), window.rfind(";"), window.rfind("”"), window.rfind("—"))
        if cut >= 0:
            start += cut + 1
        elif start > floor:
            return end, None, None, 0.0
        while start < end and self.text[start] in " \t":
            start += 1
        party, phrase, confidence = self.resolve_speaker(start, end)
        named = (
            self.named_before_description(start, party) if appositive and window[cut:][:1] == "," else None
        )
        if named is not None:
            start = named.start
            party, phrase, confidence = named.party, self.text[named.start : named.end], 0.85
        if phrase is not None:
            # "sort of as President Trump": the speaker starts after the last function word.
            words = phrase.split(" ")
            for index in range(len(words) - 1, -1, -1):
                if words[index] in _FUNCTION_WORDS:
                    phrase = " ".join(words[index + 1 :]) or phrase
                    break
        return start, party, phrase, confidence

    def match_cue(self, pos: int, limit: int) -> tuple[int, str] | None:
        """A cue at ``pos`` (longest first): (end, cue text)."""
        match = _cue_re().match(self.text, pos, limit)
        if match is None:
            return None
        return match.end(), match.group()

    def reporting(self, start: int, end: int) -> tuple[str | None, list[tuple[int, int]]]:
        """The medium that reports the sentence ("according to X", "X reported", "told X"), and its spans."""
        spans: list[tuple[int, int]] = []
        medium: str | None = None
        for mention in self.mentions.covering(start, end):
            if mention.kind != PartyKind.media:
                continue
            before = self.text[max(start, mention.start - 60) : mention.start]
            after = self.text[mention.end : min(end, mention.end + 16)]
            if (
                _according_re().search(before)
                or re.match(r" (?:reported|reports|said|wrote)\b", after)
                or re.search(r"\b(?:told|interview with)(?: the)? $", before)
            ):
                medium = mention.party
                spans.append((mention.start, mention.end))
        return medium, spans

    def tail(self, pos: int, end: int) -> tuple[str | None, str | None, str | None, int]:
        """Setting, date value and date text after a cue, up to a comma or the sentence end."""
        stop = end
        comma = self.text.find(",", pos, end)
        if comma >= 0:
            stop = comma
        stop = min(stop, pos + _MAX_TAIL_CHARS)
        segment = self.text[pos:stop]
        date = find_date(self.text, pos, stop, self.published)
        setting_text = segment.strip().rstrip(".")
        if date is not None:
            setting_text = (self.text[pos : date.start] + self.text[date.end : stop]).strip().rstrip(".")
            setting_text = setting_text.removesuffix(" on").strip()
        setting = setting_text if setting_text.startswith(_SETTING_PREPS) else None
        return setting, (date.value if date else None), (date.text if date else None), stop

    # -- reported speech ---------------------------------------------------------------------------

    def reported_speech(self, sentence: Sentence) -> None:
        """The first reported statement of a sentence (and those coordinated with it): for each cue,
        the speaker before it, then the reported clause before the speaker or after the cue."""
        start, end = sentence.start, sentence.end
        medium, medium_spans = self.reporting(start, end)
        for match in _cue_re().finditer(self.text, start, end):
            if self.in_quote(match.start()) is not None:
                continue
            if self.text.startswith(" by ", match.end()):
                continue  # "as cited by Bloomberg": a passive names the medium, not a speaker
            if _PASSIVE_BEFORE.search(self.text, max(start, match.start() - 7), match.start()):
                continue  # "Nordwind was added to the list": a passive, nobody speaks
            phrase_start, party, phrase, confidence = self.speaker_before(match.start(), start)
            if party is None and phrase is None:
                continue
            if not self.cue_reports(match, phrase_start, party, sentence, medium_spans):
                continue
            setting, date, date_text, tail_end = self.tail(match.end(), end)
            clause = self.reported_clause(match, phrase_start, sentence, tail_end, medium_spans)
            if clause is None:
                continue
            clause_start, clause_end = clause
            first = bisect.bisect_left(self.quote_opens, clause_start)
            last = bisect.bisect_left(self.quote_opens, clause_end)
            quoted = [q for q in self.quotes[first:last] if q.close < clause_end]
            kind = StatementKind.partial if quoted else StatementKind.indirect
            if len(quoted) == 1 and quoted[0].open == clause_start:
                if any(said.start == clause_start + 1 for said in self.quoted_near(clause_start, clause_end)):
                    continue  # the clause is itself a direct quotation, already attributed
                # 'Juncker said that "none of this is reasonable."': a whole quoted clause is direct.
                kind = StatementKind.direct
                clause_start, clause_end = clause_start + 1, quoted[0].close
                while clause_end > clause_start and self.text[clause_end - 1] in " ,":
                    clause_end -= 1
            self.statements.append(
                StatementDraft(
                    kind=kind,
                    start=clause_start,
                    end=clause_end,
                    speaker=party,
                    speaker_text=phrase,
                    cue=match.group(),
                    cue_span=(phrase_start, match.end()),
                    reported_by=medium if medium != party else None,
                    setting=self.told_setting(match, tail_end, setting),
                    date=date,
                    date_text=date_text,
                    confidence=confidence,
                    extra_spans=medium_spans,
                )
            )
            # One reported statement per sentence, plus coordinated ones ("... and vowed that ...").
            self.coordinated(sentence, match.end(), party, phrase, medium)
            return

    def cue_reports(
        self,
        match: re.Match[str],
        phrase_start: int,
        party: str | None,
        sentence: Sentence,
        medium_spans: list[tuple[int, int]],
    ) -> bool:
        """Whether a cue with a speaker before it reports a clause of its own: not when the speaker is
        the sentence's medium ("Reuters reported"), when the verb places ("added X to its list"), or
        when it attributes a quotation ('"...," Ruiz said, standing beside X')."""
        medium_starts = {s for s, _ in medium_spans}
        named = self.mentions.covering(phrase_start, match.start())
        if party in {m.party for m in named} and any(m.start in medium_starts for m in named):
            return False
        rest = self.text[match.end() : min(sentence.end, match.end() + 200)].strip()
        if match.group().split()[0].lower() in _placing_forms() and _PLACED_RE.match(rest):
            return False
        return not (self.attributes_quote(phrase_start, sentence.start) and not rest.startswith("that "))

    def reported_clause(
        self,
        match: re.Match[str],
        phrase_start: int,
        sentence: Sentence,
        tail_end: int,
        medium_spans: list[tuple[int, int]],
    ) -> tuple[int, int] | None:
        """The clause a cue reports: before the speaker ("Duties will stay, Ruiz said (on Monday)")
        when nothing but a setting, a date or a medium follows the cue, else after it."""
        start, end = sentence.start, sentence.end
        setting, date, _, _ = self.tail(match.end(), end)
        # Bounded slices: a 100 KB sentence with thousands of cues must stay linear.
        rest = self.text[match.end() : min(end, match.end() + 200)].strip()
        after = self.text[tail_end : min(end, tail_end + 200)].strip(" ,.")
        core = self.text[match.end() : tail_end].strip(" .")
        clause_first = (
            phrase_start > start
            and not rest.startswith("that ")
            and (not core or setting is not None or date is not None or len(core.split()) <= 2)
            and (
                not after
                or after.startswith(("and ", *data("speech")["according_to"]))
                or _is_reporting_tail(after)
                # "..., Trump said, hoping that ...": a participle after the cue adds circumstance.
                or re.match(r"[a-z]+ing\b", after) is not None
            )
        )
        if clause_first:
            return self.clause_before_cue(start, phrase_start)
        setting = self.told_setting(match, tail_end, setting)
        lead_to_that = setting is not None or date is not None
        return self.clause_after_cue(match.end(), end, medium_spans, lead_to_that=lead_to_that)

    def told_setting(self, match: re.Match[str], tail_end: int, setting: str | None) -> str | None:
        """ "told Reuters", "told a briefing": the listener belongs to the setting."""
        cue = match.group()
        if cue.startswith("told") and " " not in cue:
            return self.text[match.start() : tail_end].strip().rstrip(".") or None
        if cue.startswith("told"):
            return (cue + (" " + setting if setting else "")).strip()
        return setting

    def attributes_quote(self, phrase_start: int, floor: int) -> bool:
        """Whether a speaker phrase follows a direct quotation's closing mark, with only a comma
        between: the cue after it attributes that quotation ('"...," Ruiz said')."""
        pos = phrase_start
        # The phrase may start on the closing mark itself (straight quotes are cut at the comma).
        while pos < len(self.text) and self.text[pos] in ' "”':
            pos += 1
        while pos > floor and self.text[pos - 1] in " ,":
            pos -= 1
        if pos <= floor or self.text[pos - 1] not in '”"':
            return False
        quote = self.in_quote(pos - 1)
        if quote is None or quote.close != pos - 1:
            return False
        # Only a direct quotation is attributed so; a quoted fragment ends a reported clause
        # ('Neither side will be “happy with the deal”, she said').
        before = self.text[floor : quote.open].rstrip()
        return not before or before[-1] in ":,—"

    def index_quoted(self) -> None:
        """Index the statements found so far (the direct and inner quotations) by start."""
        self.quoted = sorted(self.statements, key=lambda said: said.start)
        self.quoted_starts = [said.start for said in self.quoted]

    def quoted_near(self, start: int, end: int) -> list[StatementDraft]:
        """The quotations starting in ``[start - _QUOTE_REACH, end)``: those that may overlap the span."""
        low = bisect.bisect_left(self.quoted_starts, start - _QUOTE_REACH)
        high = bisect.bisect_left(self.quoted_starts, end)
        return self.quoted[low:high]

    def sentence_subject(self, sentence: Sentence, before: int) -> Mention | None:
        """The party that opens a sentence (its first mention, not quoted), before ``before``; a state
        that owns the next name ("Peru's Ministry of Commerce") gives way to it."""
        mentions = [
            m for m in self.mentions.covering(sentence.start, before) if self.in_quote(m.start) is None
        ]
        if not mentions or mentions[0].kind not in _SUBJECT_KINDS:
            return None
        first = mentions[0]
        if len(mentions) > 1 and first.kind in (PartyKind.state, PartyKind.bloc):
            between = self.text[first.end : mentions[1].start]
            if between in ("’s ", "'s ") and mentions[1].kind in _SUBJECT_KINDS:
                return mentions[1]
        return first

    def participle_speech(self, sentence: Sentence) -> bool:
        """ "China raised duties on Monday, saying the move protected its miners": the clause after
        a reporting participle is said by the subject of the sentence."""
        match = _participle_re().search(self.text, sentence.start, sentence.end)
        if match is None or self.in_quote(match.start()) is not None:
            return False
        # '"...," Ruiz said, adding that ...': the speaker of the quotation's attribution adds it.
        attributed = [
            s
            for s in self.quoted_near(sentence.start, match.start())
            if s.cue_span is not None and sentence.start <= s.cue_span[1] <= match.start() and s.speaker
        ]
        subject = None if attributed else self.sentence_subject(sentence, match.start())
        if subject is None and not attributed:
            return False
        clause_start, clause_end = match.end(), sentence.end
        while clause_end > clause_start and self.text[clause_end - 1] in " .,;":
            clause_end -= 1
        if clause_end - clause_start < 12:
            return False
        first = bisect.bisect_left(self.quote_opens, clause_start)
        quoted = [q for q in self.quotes[first:] if q.open < clause_end and q.close < clause_end]
        self.statements.append(
            StatementDraft(
                kind=StatementKind.partial if quoted else StatementKind.indirect,
                start=clause_start,
                end=clause_end,
                speaker=subject.party if subject else attributed[-1].speaker,
                speaker_text=self.text[subject.start : subject.end]
                if subject
                else attributed[-1].speaker_text,
                cue=match.group("cue"),
                cue_span=(match.start("cue"), match.end("cue")),
                confidence=0.7,
            )
        )
        return True

    def document_speech(self, sentence: Sentence) -> bool:
        """ "Duties will be cut, according to the ministry's announcement": a document speaks for the
        party that issued it (the body or party named before the document noun, or the last body
        the article named for "the ministry")."""
        match = _document_re().search(self.text, sentence.start, sentence.end)
        if match is None or self.in_quote(match.start()) is not None:
            return False
        issuer_start, issuer_end = match.span("issuer")
        named = [m for m in self.mentions.covering(issuer_start, issuer_end) if m.kind != PartyKind.media]
        if named:
            party: str | None = named[-1].party
        else:
            recent = self.last_mention_before(issuer_start, (PartyKind.government_body,))
            party = recent.party if recent else None
        clause_start, clause_end = sentence.start, match.start()
        while clause_end > clause_start and self.text[clause_end - 1] in " ,":
            clause_end -= 1
        if party is None or clause_end - clause_start < 12:
            return False
        self.statements.append(
            StatementDraft(
                kind=StatementKind.indirect,
                start=clause_start,
                end=clause_end,
                speaker=party,
                speaker_text=self.text[issuer_start : match.end()],
                cue="according to",
                cue_span=(match.start(), match.end()),
                confidence=0.7,
            )
        )
        return True

    def source_after_according(self, sentence: Sentence) -> tuple[str | None, list[tuple[int, int]]]:
        """ "according to the European Critical Raw Materials Alliance": a company, body or person the
        sentence is handed to, and its span."""
        for match in _ACCORDING_SOURCE_RE.finditer(self.text, sentence.start, sentence.end):
            named = self.mentions.starting_at(match.end())
            if named is not None and named.kind in _NAMED_SPEAKERS:
                return named.party, [(named.start, named.end)]
        return None, []

    def medium_speech(self, sentence: Sentence) -> bool:
        """ "Peru will retaliate, according to Xinhua": with no other speaker, the medium that a
        sentence is handed to says its clause (before the attribution, or after a leading one); so
        does a company, body or person ("..., according to the Raw Materials Alliance")."""
        medium, spans = self.reporting(sentence.start, sentence.end)
        if medium is None:
            medium, spans = self.source_after_according(sentence)
        if medium is None or self.in_quote(spans[0][0]) is not None:
            return False
        if any(s.end >= sentence.start for s in self.quoted_near(sentence.start, sentence.end)):
            return False  # '"...," the ministry said, according to Xinhua': the medium only reports
        opener = _according_re().search(self.text, max(sentence.start, spans[0][0] - 60), spans[0][0])
        if opener is None:
            return False
        if opener.start() <= sentence.start + 1:
            # "According to Xinhua, Peru will retaliate."
            comma = self.text.find(",", spans[0][1], sentence.end)
            clause_start, clause_end = (comma + 1, sentence.end) if comma >= 0 else (0, 0)
        else:
            clause_start, clause_end = sentence.start, opener.start()
        while clause_start < clause_end and self.text[clause_start] == " ":
            clause_start += 1
        while clause_end > clause_start and self.text[clause_end - 1] in " .,;":
            clause_end -= 1
        if clause_end - clause_start < _MIN_CLAUSE_CHARS:
            return False
        first = bisect.bisect_left(self.quote_opens, clause_start)
        quoted = [q for q in self.quotes[first:] if q.open < clause_end and q.close < clause_end]
        self.statements.append(
            StatementDraft(
                kind=StatementKind.partial if quoted else StatementKind.indirect,
                start=clause_start,
                end=clause_end,
                speaker=medium,
                speaker_text=self.text[spans[0][0] : spans[0][1]],
                cue=opener.group().strip(),
                cue_span=(opener.start(), spans[0][1]),
                confidence=0.6,
            )
        )
        return True

    def clause_before_cue(self, start: int, phrase_start: int) -> tuple[int, int] | None:
        """ "Duties will stay, Ruiz said": the reported clause runs from the sentence start to the
        speaker; ``None`` when it is a quotation (attributed from its own side) or too short."""
        clause_end = phrase_start
        while clause_end > start and self.text[clause_end - 1] in " ,":
            clause_end -= 1
        opened = self.in_quote(start) if self.text[start : start + 1] in '“"' else None
        if opened is not None and opened.close >= clause_end - 2:
            return None  # '"...," X said, as cited by Y': the quotation is attributed from its side
        return (start, clause_end) if clause_end - start >= _MIN_CLAUSE_CHARS else None

    def clause_after_cue(
        self, pos: int, end: int, medium_spans: list[tuple[int, int]], *, lead_to_that: bool
    ) -> tuple[int, int] | None:
        """ "Ruiz said (on Monday) that duties will stay": the reported clause after the cue, past a
        setting or date up to "that", and short of a medium's attribution or a coordinated cue."""
        clause_start = pos
        if lead_to_that:
            lead = re.match(r"[^,]{0,120}?\bthat\s", self.text[clause_start : clause_start + 130])
        else:
            lead = re.match(r"\s*(?:that\s)?", self.text[clause_start : clause_start + 8])
        clause_start += lead.end() if lead else 0
        while clause_start < end and self.text[clause_start] in " ,:":
            clause_start += 1
        clause_end = end
        # "..., Kyodo News reported." belongs to the attribution, not to the reported clause.
        for medium_start, _ in medium_spans:
            if medium_start > clause_start:
                cut = self.text.rfind(",", clause_start, medium_start)
                clause_end = min(clause_end, cut) if cut > clause_start else clause_end
        next_cue = _and_cue_re().search(self.text, clause_start, min(clause_end, clause_start + 600))
        if next_cue is not None:
            clause_end = next_cue.start()
        while clause_end > clause_start and self.text[clause_end - 1] in " .,;":
            clause_end -= 1
        said_that = lead is not None and "that" in lead.group()
        if (
            self.text[clause_start : clause_start + 1] in ("“", '"')
            and self.in_quote(clause_start)
            and not said_that
        ):
            # "X said: “...”" is a direct quotation, attributed from the quote side; "X said that
            # “...”" is reported speech quoting it, a partial statement.
            return None
        return (clause_start, clause_end) if clause_end - clause_start >= _MIN_CLAUSE_CHARS else None

    def coordinated(
        self, sentence: Sentence, pos: int, party: str | None, phrase: str | None, medium: str | None
    ) -> None:
        """Statements joined to the previous one by "and <cue> (that)", with the same speaker."""
        for match in _cue_re().finditer(self.text, pos, sentence.end):
            before = self.text[max(pos, match.start() - 5) : match.start()]
            if not before.endswith("and ") or self.in_quote(match.start()) is not None:
                continue
            lead = re.match(r" (?:that )?", self.text[match.end() : sentence.end])
            clause_start = match.end() + (lead.end() if lead else 0)
            clause_end = sentence.end
            while clause_end > clause_start and self.text[clause_end - 1] in " .,;":
                clause_end -= 1
            if clause_end - clause_start < 12:
                continue
            first = bisect.bisect_left(self.quote_opens, clause_start)
            quoted = first < len(self.quotes) and self.quotes[first].close < clause_end
            self.statements.append(
                StatementDraft(
                    kind=StatementKind.partial if quoted else StatementKind.indirect,
                    start=clause_start,
                    end=clause_end,
                    speaker=party,
                    speaker_text=phrase,
                    cue=match.group(),
                    cue_span=(match.start(), match.end()),
                    reported_by=medium if medium != party else None,
                    confidence=0.7,
                )
            )

    # -- direct quotations ------------------------------------------------------------------------

    def is_direct(self, quote: QuoteSpan, para: Paragraph) -> bool:
        before = self.text[para.start : quote.open].rstrip()
        return not before or before[-1] in '.!?:,”"’' or before.endswith("—")

    def attribution_after(
        self, quote: QuoteSpan, limit: int
    ) -> tuple[str | None, str | None, str | None, tuple[int, int] | None, float]:
        pos = quote.close + 1
        window_end = min(limit, pos + _MAX_TAIL_CHARS)
        segment = self.text[pos:window_end]
        cut = min(
            (
                i
                for i in (segment.find("“"), segment.find('"'), segment.find(". "), segment.find(";"))
                if i >= 0
            ),
            default=len(segment),
        )
        segment_end = pos + cut
        for match in _cue_re().finditer(self.text, pos, segment_end):
            phrase_start, party, phrase, confidence = self.speaker_before(match.start(), pos)
            if party is not None or phrase is not None:
                return party, phrase, match.group(), (phrase_start, match.end()), confidence
            # "…,” said Lutnick." — the speaker follows the cue.
            stop = segment_end
            for sep in (",", "."):
                found = self.text.find(sep, match.end(), segment_end)
                if found >= 0:
                    stop = min(stop, found)
            party, phrase, confidence = self.resolve_speaker(match.end(), stop)
            if party is not None:
                return party, phrase, match.group(), (match.start(), stop), confidence
            break
        return None, None, None, None, 0.0

    def attribution_before(
        self, open_pos: int, floor: int
    ) -> tuple[str | None, str | None, str | None, tuple[int, int] | None, float]:
        before = self.text[floor:open_pos].rstrip()
        if not before.endswith((":", ",")):
            return None, None, None, None, 0.0
        end = floor + len(before) - 1
        window_start = max(floor, end - 40)
        last: re.Match[str] | None = None
        for match in _cue_re().finditer(self.text, window_start, end):
            last = match
        if last is None or self.text[last.end() : end].strip():
            return None, None, None, None, 0.0
        phrase_start, party, phrase, confidence = self.speaker_before(last.start(), floor)
        if party is None:
            return None, None, None, None, 0.0
        return party, phrase, last.group(), (phrase_start, last.end()), confidence

    def direct_quotes(self, paragraphs: list[Paragraph]) -> None:
        previous: StatementDraft | None = None
        previous_para = -1
        for quote in self.quotes:
            para = paragraphs[quote.paragraph]
            if quote.scare or not self.is_direct(quote, para):
                continue
            # A quotation over several paragraphs is attributed where it closes.
            para = paragraphs[quote.last_paragraph]
            content_start, content_end = quote.open + 1, quote.close
            while content_end > content_start and self.text[content_end - 1] in ", ":
                content_end -= 1
            if content_end - content_start < 2:
                continue
            sentence_floor = self.sentence_start(quote.open, paragraphs[quote.paragraph])
            party, phrase, cue, cue_span, confidence = self.attribution_after(quote, para.end)
            if party is None and phrase is None:
                party, phrase, cue, cue_span, confidence = self.attribution_before(quote.open, sentence_floor)
            if (
                party is None
                and phrase is None
                and previous is not None
                and previous_para
                in (
                    quote.paragraph,
                    quote.paragraph - 1,
                )
            ):
                party, phrase, cue, cue_span = previous.speaker, previous.speaker_text, None, None
                confidence = 0.6
            if party is None and phrase is None:
                continue
            # '"...," X said, according to CNBC': the medium of the attribution's sentence reports it.
            medium, medium_spans = self.reporting(quote.close, self.sentence_end(quote.close, para))
            draft = StatementDraft(
                kind=StatementKind.direct,
                start=content_start,
                end=content_end,
                speaker=party,
                speaker_text=phrase,
                cue=cue,
                cue_span=cue_span,
                reported_by=medium if medium != party else None,
                confidence=confidence,
                extra_spans=medium_spans,
                pieces=quote.pieces(content_start, content_end) if quote.gaps else [],
            )
            self.statements.append(draft)
            previous, previous_para = draft, quote.last_paragraph
            self.inner_quotes(quote, draft)

    def sentence_end(self, pos: int, para: Paragraph) -> int:
        index = bisect.bisect_right(self.sentence_starts, pos) - 1
        return min(para.end, self.sentences[index].end) if index >= 0 else para.end

    def sentence_start(self, pos: int, para: Paragraph) -> int:
        index = bisect.bisect_right(self.sentence_starts, pos) - 1
        return max(para.start, self.sentences[index].start) if index >= 0 else para.start

    def inner_quotes(self, outer: QuoteSpan, outer_draft: StatementDraft) -> None:
        for inner_open, inner_close in outer.inner:
            party, phrase, cue, cue_span, confidence = self.attribution_before(inner_open, outer.open + 1)
            if party is None:
                continue
            start, end = inner_open + 1, inner_close
            while end > start and self.text[end - 1] in ", ":
                end -= 1
            if end - start < 2:
                continue
            self.statements.append(
                StatementDraft(
                    kind=StatementKind.direct,
                    start=start,
                    end=end,
                    speaker=party,
                    speaker_text=phrase,
                    cue=cue,
                    cue_span=cue_span,
                    via=outer_draft.speaker if outer_draft.speaker != party else None,
                    confidence=min(confidence, 0.8),
                )
            )


def _is_reporting_tail(after: str) -> bool:
    return not after or bool(re.match(r"(?:[A-Z][\w’'-]* ){0,4}(?:reported|said)\b", after))


def find_statements(
    text: str,
    *,
    published: str | None,
    paragraphs: list[Paragraph],
    sentences: list[Sentence],
    mentions: MentionIndex,
    quotes: list[QuoteSpan],
) -> list[StatementDraft]:
    """Statements of one article, in text order: direct quotations, inner quotations, reported speech."""
    attributor = _Attributor(text, published, mentions, sentences, quotes)
    attributor.direct_quotes(paragraphs)
    attributor.index_quoted()
    for sentence in sentences:
        found = len(attributor.statements)
        attributor.reported_speech(sentence)
        if len(attributor.statements) == found:
            (
                attributor.participle_speech(sentence)
                or attributor.document_speech(sentence)
                or attributor.medium_speech(sentence)
            )
    return sorted(attributor.statements, key=lambda s: (s.start, s.end))
