"""Stage 5, measures: trade measures named in the text, with imposer, targets, products, type and status.

Two kinds of pattern from ``measures.json``:

- a noun phrase and a link, then the products: "restrictions on exports of X", "tariffs on X";
  the imposer is the state right before the noun ("China's restrictions", "US tariffs") or the
  sentence's subject;
- a verb acting on products: "restricted X sales to Y", "revoke X visas"; the imposer is the subject,
  the nearest state before the verb that is not the object of a preposition or a possessive. A verb
  whose clause a company acts ("Voltwerk suspended exports of its vans") is the company's own action,
  no state measure.

Three more kinds are written around something else than a measure noun: prohibitions around the flow
("are barred from exporting X", "may no longer be shipped to Y", "imports of X are prohibited"),
investment measures around a company ("ordered X to divest", "took control of X"), and rates paid by
goods ("cars will pay 27.5%").

Targets are states after "to/on/against" or named by a demonym inside the product ("Chinese student
visas"). Status comes from the governing verb ("vowed to revoke" -> threatened) or the nearest status
cue in the sentence ("will be resolved" -> removal_agreed); a bare measure is in force. When the
clause names no actor, the imposer is the passive's agent ("by Peru"), the state of the sentence's
official source ("according to the U.S. Trade Representative") or, in a sentence naming no party that
might act, the state that opens the article. A measure with neither an imposer nor a target is too
vague to record and is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from ..vocab import MeasureStatus, MeasureType, PartyKind
from .lexicon import alternation, verb_forms, verbs_forms
from .mentions import Mention, MentionIndex
from .parse import slugify
from .relative_dates import find_date
from .sentences import Sentence, fold_case, phrase_words
from .tables import data

__all__ = ["MeasureDraft", "find_measures"]

# Words of a product phrase: abbreviations ("U.S."), amounts ("2.8", "$"), words, punctuation.
_WORD_RE = re.compile(r"(?:[A-Z]\.){2,}|\d+(?:[.,]\d+)+|[$€£¥]|[\w’'-]+|[^\w\s]")
_CURRENCY = frozenset("$€£¥")
_MAX_ITEM_WORDS = 4
_LIST_REACH = 60
_MAX_PRODUCT_WORDS = 8
_CLOSING_QUOTES = "”’\"'"


@dataclass(slots=True)
class MeasureDraft:
    """A measure found in one article, before it becomes a :class:`~tradeschema.models.Measure`."""

    id: str
    type: MeasureType
    imposed_by: str | None
    targets: list[str]
    products: list[str]
    status: MeasureStatus | None
    description: str
    start: int
    end: int
    spans: list[tuple[int, int]] = field(default_factory=list)
    announced: str | None = None
    effective: str | None = None
    removed: str | None = None


def _may_match(words: frozenset[str], needed: tuple[frozenset[str], ...]) -> bool:
    """Whether a sentence with these lowercase words can match: every set in ``needed`` meets them.

    A cheap necessary condition checked before a pattern scans the sentence, so most patterns never
    run on most sentences (the alternations are slow to scan character by character).
    """
    return all(not words.isdisjoint(group) for group in needed)


def _links(entry: dict[str, list[str]]) -> list[str]:
    """A noun pattern's links, with the common ones where the pattern takes a bare "on" (a pattern
    tied to "on exports of" keeps its direction)."""
    links = list(entry["link"])
    return links + list(data("measures")["common_links"]) if "on" in links else links


@cache
def _noun_needs() -> tuple[tuple[frozenset[str], ...], ...]:
    """Per noun pattern: a word each of its nouns ends with, and a word each of its links contains."""
    return tuple(
        (phrase_words(entry["nouns"]), phrase_words(_links(entry)))
        for entry in data("measures")["noun_patterns"]
    )


_PASSIVE = (
    r"(?:will|would|could|are to|is to|are|is|were|was|have|has|had)(?: been| be| being){0,2}"
    r" (?:imposed|levied|slapped|placed|applied|put)"
)
"""The passive between a measure noun and its link: "duties will be imposed on", "were slapped on"."""

_RATE = r"\d{1,3}(?:\.\d{1,2})?(?:%| ?percent| per ?cent)"
"""A rate as news writes it, on the case-folded text: "25%", "25 percent", "25 per cent"."""

_PASSIVE_STATUS = {
    "will": "will impose",
    "are to": "will impose",
    "is to": "will impose",
    "would": "would",
    "could": "could",
}
"""A passive's auxiliary as the status cue it amounts to ("will be imposed" is announced, "could be
imposed" threatened); any other auxiliary amounts to "imposed" (in force)."""


@cache
def _noun_patterns() -> tuple[tuple[re.Pattern[str], MeasureType], ...]:
    patterns = []
    for entry in data("measures")["noun_patterns"]:
        # Lowercase and case-sensitive, run on the case-folded text (faster than IGNORECASE).
        nouns = alternation({n.lower() for n in entry["nouns"]})
        links = alternation({n.lower() for n in _links(entry)})
        # An optional rate between noun and link: "duties of up to 35% on"; an optional passive
        # where the link is "on": "duties will be imposed on".
        passive = r"(?: (?P<passive>" + _PASSIVE + r"))?" if "on" in entry["link"] else ""
        pattern = (
            r"\b"
            + nouns
            + r"(?: (?:of|to|at) (?:up to |about |nearly |around )?"
            + _RATE
            + r")?"
            + passive
            + " "
            + links
            + " "
        )
        patterns.append((re.compile(pattern), MeasureType(entry["type"])))
    return tuple(patterns)


@cache
def _verb_patterns() -> tuple[tuple[re.Pattern[str], frozenset[str], MeasureType], ...]:
    patterns = []
    for entry in data("measures")["verb_patterns"]:
        verbs = alternation(verbs_forms(entry["verbs"]))
        patterns.append(
            (re.compile(r"\b" + verbs + r"\b"), frozenset(entry["objects"]), MeasureType(entry["type"]))
        )
    return tuple(patterns)


@cache
def _verb_needs() -> tuple[tuple[frozenset[str], ...], ...]:
    return tuple(
        (phrase_words(list(verbs_forms(entry["verbs"]))), phrase_words(entry["objects"]))
        for entry in data("measures")["verb_patterns"]
    )


@cache
def _trade_verb_needs() -> tuple[frozenset[str], ...]:
    return (
        phrase_words(list(data("measures")["ban_verbs"])),
        frozenset({"exports", "imports", "sales", "shipments"}),
    )


@cache
def _entity_list_needs() -> tuple[frozenset[str], ...]:
    return (phrase_words(list(data("measures")["entity_lists"])),)


@cache
def _trade_verb_re() -> re.Pattern[str]:
    return re.compile(
        r"\b(?P<verb>"
        + alternation(data("measures")["ban_verbs"], escape=False)
        + r") (?:the |all |most |some )?"
        r"(?P<flow>exports|imports|sales|shipments) of "
    )


@cache
def _entity_list_re() -> re.Pattern[str]:
    return re.compile(
        r"\b(?:on|to|onto|from) (?:the |its |their |a )?(?P<list>"
        + alternation(data("measures")["entity_lists"])
        + r")\b"
    )


@cache
@cache
def status_cues() -> dict[str, MeasureStatus]:
    """Status cue -> status: every form of the ``status_verbs``, then the explicit ``status_cues``
    (which win where both give a form)."""
    table = data("measures")
    cues = {
        form: MeasureStatus(status)
        for lemma, status in table["status_verbs"].items()
        for form in verb_forms(lemma)
    }
    cues.update({cue: MeasureStatus(status) for cue, status in table["status_cues"].items()})
    return cues


_DEFAULT_STATUS = MeasureStatus.in_force
"""A measure named with no status cue near it is in force."""


@cache
def _target_link_re() -> re.Pattern[str]:
    return re.compile(r"\s" + alternation(data("measures")["target_links"]) + r" (?:the )?")


@cache
def _list_re() -> re.Pattern[str]:
    """The words that open a list of products after a product phrase, on the case-folded text."""
    return re.compile(r",?\s+" + alternation(data("measures")["list_openers"]) + r"\s+")


@cache
def _probe_re() -> re.Pattern[str]:
    """A measure noun that names an investigation ("anti-dumping probe", "anti-subsidy inquiry")."""
    return re.compile(r"[\w -]*?\b" + alternation(data("measures")["probe_nouns"]) + r"\b")


@cache
def _status_re() -> re.Pattern[str]:
    return re.compile(r"\b" + alternation(status_cues()) + r"\b")


@cache
def _settled_re() -> re.Pattern[str]:
    """A future passive ("will be resolved", "are to be addressed") in a sentence that names an
    agreement: the parties agreed to change the measure."""
    return re.compile(r"\b(?:will|would|is to|are to|to) be (?P<participle>[a-z]+ed)\b")


@cache
def _date_cue_re() -> re.Pattern[str]:
    return re.compile(r"\b" + alternation(data("measures")["date_cues"]) + r" ")


# Cues that look back: their dates without a year lie before publication, as resolved. The others
# ("from July 23", "takes effect on") mostly look ahead, so a day or month already past is next year's.
_PAST_DATE_CUES = frozenset(
    {"took effect on", "took effect", "came into force on", "in force since", "in place since", "since"}
    | {"announced on", "announced", "unveiled on", "lifted on", "removed on"}
)


def _next_year_if_past(value: str, published: str) -> str:
    """``value`` (``YYYY-MM`` or ``YYYY-MM-DD``) moved one year on when it lies before ``published``."""
    if len(value) not in (7, 10) or value[4] != "-" or not value[:4].isdigit():
        return value
    if value >= published[: len(value)]:
        return value
    return f"{int(value[:4]) + 1:04d}{value[4:]}"


@cache
def _prohibition_needs() -> tuple[frozenset[str], ...]:
    table = data("measures")["prohibitions"]
    return (phrase_words([*table["verbs"], *table["modals"]]), phrase_words(list(table["flows"])))


@cache
def _barred_re() -> re.Pattern[str]:
    """ "are barred from exporting X", "banned its miners from selling X": a prohibition of a flow."""
    table = data("measures")["prohibitions"]
    flows = [flow for flow in table["flows"] if flow.endswith("ing")]
    return re.compile(
        r"\b(?P<verb>"
        + alternation(table["verbs"])
        + r")\b[^.;:]{0,40}?\bfrom (?P<flow>"
        + alternation(flows)
        + r") "
    )


@cache
def _no_longer_re() -> re.Pattern[str]:
    """ "may no longer be shipped to X", "can not be exported": goods whose flow is prohibited."""
    table = data("measures")["prohibitions"]
    flows = [flow for flow in table["flows"] if not flow.endswith(("ing", "s"))]
    return re.compile(
        r"\b(?P<verb>" + alternation(table["modals"]) + r") be (?P<flow>" + alternation(flows) + r")\b"
    )


@cache
def _passive_ban_re() -> re.Pattern[str]:
    """What follows "exports of X (to Y)" when the flow itself is prohibited: "are banned"."""
    verbs = alternation(data("measures")["prohibitions"]["verbs"])
    return re.compile(
        r"(?: [\w-]+){0,3}?"
        r"\s*(?P<aux>are|is|were|was|will be|would be|have been|has been|will now be)\s+(?:now\s+|also\s+)?"
        r"(?P<verb>" + verbs + r")\b"
    )


@cache
def _determiner_re() -> re.Pattern[str]:
    """Spaces and a determiner opening a noun phrase, on the case-folded text."""
    return re.compile(r"\s*(?:(?:the|all|most|some|such|these|those|any) )?")


@cache
def _investment_needs() -> tuple[frozenset[str], ...]:
    table = data("measures")["investment"]
    return (phrase_words([*verbs_forms(table["divest_verbs"]), *verbs_forms(table["control_verbs"])]),)


@cache
def _divest_re() -> re.Pattern[str]:
    """ "ordered X to divest its stake in Y", "forced X to sell Y": a divestment a state orders."""
    table = data("measures")["investment"]
    return re.compile(
        r"\b(?P<verb>" + alternation(verbs_forms(data("measures")["order_verbs"])) + r") "
        r"(?P<who>[^.;:]{1,60}?) to (?:" + alternation(table["divest_verbs"]) + r")(?: of)? "
        r"(?:(?:its|their|his|her|the|a) )?"
        r"(?:(?:stake|stakes|holding|holdings|interest|shares) in (?:(?:the|a) )?)?"
    )


@cache
def _control_re() -> re.Pattern[str]:
    """ "took control of X", "nationalised X": a government taking a company over."""
    table = data("measures")["investment"]
    return re.compile(r"\b(?P<verb>" + alternation(verbs_forms(table["control_verbs"])) + r") ")


@cache
def _rate_needs() -> tuple[frozenset[str], ...]:
    return (phrase_words(list(verbs_forms(data("measures")["rate_verbs"]))),)


@cache
def _rate_re() -> re.Pattern[str]:
    """ "cars will pay 27.5%", "wine faces a duty of 25 per cent": goods paying a rate, no tariff noun."""
    verbs = alternation(verbs_forms(data("measures")["rate_verbs"]))
    return re.compile(
        r"\b(?P<will>will |would |could )?(?P<verb>" + verbs + r") (?:a |an )?"
        r"(?:(?:tariff|duty|levy|rate|charge) of )?(?:up to |about |around |nearly )?"
        r"\d{1,3}(?:\.\d{1,2})?(?: ?%| per ?cent)(?! (?:more|less|higher|lower|extra)\b)"
    )


@cache
def _firm_nouns() -> frozenset[str]:
    """Organisation descriptors ("producer", "exporter") and their last words ("maker")."""
    return frozenset(d.split()[-1] for d in data("organizations")["descriptors"])


_QUANTIFIER_RE = re.compile(r"\s*(?:up to|as much as|more than|nearly|almost|about|around) (?=[$€£¥\d])")
"""A quantifier before an amount at the start of a product phrase, on the case-folded text."""

_PARALLEL_RATE_RE = re.compile(
    r",?(?: and| as well as)? (?:to |of |at )?(?:up to |about |nearly |around )?"
    r"(?P<rate>\d{1,3}(?:\.\d{1,2})?(?: ?%| per ?cent| percent)) on "
)
"""A second rate in the same clause, on the case-folded text: "25 percent on steel *and 10 percent on
copper*" (no measure noun of its own: the first one's noun and verb carry over)."""

_RATE_AHEAD_RE = re.compile(r"\s+\d{1,3}(?:\.\d{1,2})?(?: ?%| per ?cent| percent)")
"""A rate right after a conjunction: the product phrase has ended and a parallel clause begins."""


_FUTURE_AUX = {"will": MeasureStatus.announced, "would": MeasureStatus.threatened}
"""Auxiliaries of a passive that put a prohibition in the future: "will be banned", "would be banned"."""


@cache
def _flow_re() -> re.Pattern[str]:
    return re.compile(r"\b(?P<flow>exports|imports|sales|shipments) of ")


@cache
def _ordered_re() -> re.Pattern[str]:
    """A verb of ordering right before a company: "ordered X to halt", "told X to stop"."""
    return re.compile(r"\b" + alternation(verbs_forms(data("measures")["order_verbs"])) + r" $")


@cache
def _company_subject_re() -> re.Pattern[str]:
    """A company noun as the subject of a clause: "the company", "the carmaker said it would"."""
    nouns = alternation(data("organizations")["descriptors"])
    return re.compile(r"\b(?:the|its|their|this|that) (?:[\w-]+ ){0,2}?" + nouns + r"\b")


_FLOW_TYPES = {
    (MeasureType.import_ban, "export"): MeasureType.export_ban,
    (MeasureType.import_quota, "export"): MeasureType.export_quota,
    (MeasureType.export_ban, "import"): MeasureType.import_ban,
    (MeasureType.export_quota, "import"): MeasureType.import_quota,
}
"""A ban or quota named with a bare link takes its side from the flow its products end with: "a ban
on nickel ore exports" is an export ban, "a quota on steel imports" an import quota."""


def _flow_word(product: str) -> str:
    """The side of trade a product phrase names by its last word ("raw mineral shipments": export),
    or ``""``."""
    last = product.split()[-1:] or [""]
    return str(data("measures")["prohibitions"]["flows"].get(last[0], ""))


@cache
def _with_re() -> re.Pattern[str]:
    """ "with" and up to four words of rate before a measure noun: "with 25 percent "."""
    return re.compile(r"\s+with (?:[\w.%$-]+ ){0,4}$")


@cache
def _stop_words() -> frozenset[str]:
    return frozenset(data("measures")["stop_words"])


class _Finder:
    def __init__(self, text: str, mentions: MentionIndex, published: str | None = None) -> None:
        self.text = text
        self.published = published
        self.folded = fold_case(text)
        self.mentions = mentions
        self.found: dict[str, MeasureDraft] = {}
        self.taken: list[tuple[int, int]] = []
        self.lead_actor: str | None = None
        """The state that opens the article's first sentence ("China on Tuesday banned ..."): the
        article's main actor, the imposer of a measure whose sentence names no actor at all."""

    def overlaps(self, start: int, end: int) -> bool:
        # Measures are found left to right, so only the latest few can overlap a new match.
        return any(s < end and start < e for s, e in self.taken[-8:])

    def states_in(self, start: int, end: int) -> list[Mention]:
        return [m for m in self.mentions.covering(start, end) if m.kind in (PartyKind.state, PartyKind.bloc)]

    def product(
        self, pos: int, limit: int, objects: frozenset[str] = frozenset()
    ) -> tuple[int, int, str | None]:
        """Product words from ``pos``: (start, end, object noun that ended it, if any)."""
        stops = _stop_words()
        # "tariffs on up to $200 billion of goods": a quantifier opens the amount, not a stop.
        lead = _QUANTIFIER_RE.match(self.folded, pos, limit)
        pos = lead.end() if lead else pos
        start = end = pos
        words = 0
        for match in _WORD_RE.finditer(self.text, pos, limit):
            word = match.group()
            if word in _CLOSING_QUOTES and words == 0:
                start = end = match.end()
                continue
            if word.lower() in objects:
                return start, end, word
            if words and _list_re().match(self.folded, end):
                break  # "goods including X": the list is read by list_items
            if words and word.lower() in ("and", "or") and _RATE_AHEAD_RE.match(self.text, match.end()):
                break  # "25 percent duties on steel and 10 percent on aluminium": a second rate
            if (
                (not word[0].isalnum() and word not in _CURRENCY)
                or word.lower() in stops
                or words >= _MAX_PRODUCT_WORDS
            ):
                break
            if words == 0:
                start = match.start()
            end = match.end()
            words += 1
        # A product never ends with a conjunction ("minerals and").
        trimmed = self.text[start:end]
        for tail in (" and", " or"):
            if trimmed.endswith(tail):
                end -= len(tail)
        return start, end, None

    def list_items(self, pos: int, limit: int) -> list[str]:
        """Items of a list introduced right after a product ("goods including soybeans, pork and
        whiskey", "products ranging from steel to maple syrup"): each item as written, up to four words."""
        # The opener may follow a short description of the products ("two metals needed for
        # batteries, namely lithium and cobalt"), within the clause.
        match = _list_re().search(self.folded, pos, min(limit, pos + _LIST_REACH))
        if match is None or re.search(r"[.;:]", self.text[pos : match.start()]):
            return []
        stop = re.compile(r"[.;:(—]|, (?:which|who|while|but|as|according)\b|\s(?:in|on|at|after|as|from)\s")
        end = stop.search(self.text, match.end(), limit)
        body = self.text[match.end() : end.start() if end else limit]
        items = re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or|to|as well as)\s+", body)
        return [item.strip() for item in items if 0 < len(item.split()) <= _MAX_ITEM_WORDS]

    def first_actor(self, sentence: Sentence, before: int) -> str | None:
        """The state the sentence's first party acts for ("The US Commerce Department added ...")."""
        for mention in self.mentions.covering(sentence.start, before):
            if mention.kind in (PartyKind.state, PartyKind.bloc):
                return mention.party
            actor = self.acting_for(mention)
            if actor is not None:
                return actor
        return None

    def passive_actor(self, pos: int, limit: int) -> str | None:
        """ "Duties ... were raised to 25 per cent on Monday by Peru": the party after "by" in a passive
        imposes."""
        match = re.search(
            r"\b(?:were|was|been|be|are|is)\s+\w+ed\b[^.;]*?\bby (?:the )?", self.text[pos:limit]
        )
        if match is None:
            return None
        found = self.mentions.starting_at(pos + match.end())
        if found is not None and found.kind in (PartyKind.state, PartyKind.bloc):
            return found.party
        return self.acting_for(found) if found is not None else None

    def target_after(self, pos: int, limit: int) -> tuple[list[str], int]:
        """The states right after a measure's products: its destination ("to", "bound for") or, for
        goods that come in, its origin ("from", "made in"), with those listed after the first ("to
        Russia and China"), and where they end. An export measure's origin is its imposer, and the
        imposer is never among the targets (see :meth:`record`)."""
        match = _target_link_re().match(self.text, pos, limit)
        if match is None:
            return [], pos
        states = self.states_in(pos, min(limit, match.end() + 120))
        if not states or states[0].start > match.end() + 1:
            return [], pos
        found, end = [states[0].party], states[0].end
        listed: list[tuple[str, int]] = []
        for state in states[1:]:
            join = re.fullmatch(r"(,|,? and|,? or) (?:the )?", self.text[end : state.start])
            if join is None or self.text[state.end : state.end + 2] in ("’s", "'s"):
                break
            listed.append((state.party, state.end))
            end = state.end
            if join.group(1) != ",":
                # A list ends with "and" or "or": "to Russia, Iran and China".
                found += [party for party, _ in listed]
                return found, end
        return found, states[0].end

    def possessor(self, pos: int) -> str | None:
        """A state right before ``pos``: "China's restrictions", "US tariffs", "Chinese export controls"."""
        before = self.text[max(0, pos - 4) : pos]
        for suffix in ("’s ", "'s ", " "):
            if before.endswith(suffix):
                mention = self.mentions.ending_at(pos - len(suffix))
                if mention is not None and mention.kind in (PartyKind.state, PartyKind.bloc):
                    return mention.party
        return None

    def acting_for(self, mention: Mention) -> str | None:
        """The state or bloc a mention acts for: itself, or a person's or body's affiliation."""
        if mention.kind in (PartyKind.state, PartyKind.bloc):
            return mention.party
        party = self.mentions.parties.get(mention.party)
        if party is None or mention.kind not in (PartyKind.person, PartyKind.government_body):
            return None
        if party.affiliation:
            return party.affiliation
        return f"party:{party.country.lower()}" if party.country else None

    def subject(self, sentence: Sentence, verb_start: int, exclude: set[str]) -> str | None:
        """The nearest state (or person or body acting for one) before a verb, acting as its subject."""
        blockers = set(data("measures")["subject_blockers"])
        for mention in reversed(self.mentions.covering(sentence.start, verb_start)):
            word_before = self.text[max(sentence.start, mention.start - 12) : mention.start].split()
            if word_before and word_before[-1].lower() in blockers:
                continue
            after = self.text[mention.end : mention.end + 2]
            # "imports of China's gallium": a possessor is no subject, unless it opens the sentence
            # ("Mexico's retaliatory list included a 20% tariff on ...").
            if after in ("’s", "'s") and mention.start != sentence.start and not self.owns_actor(mention.end):
                continue
            if mention.party in self.listed_with(sentence, verb_start):
                continue
            actor = self.acting_for(mention)
            if actor is None or actor in exclude:
                continue
            return actor
        return None

    def owns_actor(self, pos: int) -> bool:
        """Whether the possessive at ``pos`` owns a word that acts for a state ("Peru's government",
        "China's commerce ministry"), so that the possessor acts."""
        words = self.folded[pos + 3 : pos + 40].split()[:2]
        return any(word.strip(",.") in data("measures")["actor_nouns"] for word in words)

    def listed_with(self, sentence: Sentence, pos: int) -> list[str]:
        """The states a measure is aimed at in "hit the EU, Canada and Mexico with 25 percent duties":
        a list of states right before "with" and the measure at ``pos``."""
        match = _with_re().search(self.folded, max(sentence.start, pos - 40), pos)
        if match is None:
            return []
        listed: list[str] = []
        edge = match.start()
        for mention in reversed(self.mentions.covering(sentence.start, match.start())):
            if mention.kind not in (PartyKind.state, PartyKind.bloc):
                break
            if not re.fullmatch(r"(?:,|,? and)?\s*", self.folded[mention.end : edge]):
                break
            listed.insert(0, mention.party)
            edge = mention.start
            while edge > sentence.start and self.folded[edge - 4 : edge] == "the ":
                edge -= 4
        return listed

    def company_acts(self, sentence: Sentence, verb_start: int) -> bool:
        """Whether the actor of the clause before a verb is a company ("Voltwerk suspended exports of
        its vans", "the firm said it would halt shipments"): a company's own action is no state measure.

        The actor is the nearest party named before the verb (not the object of a preposition, not a
        possessor), or a company noun ("the company") after it. A company told or ordered to act
        ("Peru ordered Minera Andina to halt exports") does not act on its own.
        """
        blockers = set(data("measures")["subject_blockers"])
        floor = sentence.start
        for mention in reversed(self.mentions.covering(sentence.start, verb_start)):
            word_before = self.text[max(sentence.start, mention.start - 12) : mention.start].split()
            if (word_before and word_before[-1].lower() in blockers) or self.text[
                mention.end : mention.end + 2
            ] in ("’s", "'s"):
                continue
            if mention.kind == PartyKind.organization and not _ordered_re().search(
                self.folded, max(sentence.start, mention.start - 40), mention.start
            ):
                return True
            floor = mention.end
            break
        return _company_subject_re().search(self.folded, floor, verb_start) is not None

    def status(self, sentence: Sentence, start: int, end: int, verb: str | None) -> MeasureStatus:
        table = data("measures")
        window = self.text[max(sentence.start, start - 40) : start]
        governing = [w for w in re.findall(r"[a-z]+", window.lower()) if w in table["verb_status"]]
        if governing:
            return MeasureStatus(table["verb_status"][governing[-1]])
        cues = status_cues()
        if verb is not None and verb.lower() in cues:
            return cues[verb.lower()]
        best: tuple[int, MeasureStatus] | None = None
        for match in _status_re().finditer(self.text, sentence.start, sentence.end):
            if start <= match.start() < end:
                continue
            distance = start - match.end() if match.end() <= start else match.start() - end
            if best is None or distance < best[0]:
                best = (distance, cues[match.group()])
        if best is None and self.settled_by_agreement(sentence, end):
            return MeasureStatus.removal_agreed
        return best[1] if best else _DEFAULT_STATUS

    def settled_by_agreement(self, sentence: Sentence, end: int) -> bool:
        """Whether the measure is the subject of a future passive in a sentence naming an agreement:
        "X will be resolved as part of the framework agreement" (status from tense and context)."""
        match = _settled_re().search(self.text, end, sentence.end)
        if match is None or match.group("participle") in status_cues():
            return False
        words = set(re.findall(r"[a-z]+", self.text[sentence.start : sentence.end].lower()))
        return bool(words & set(data("negotiation")["agreement_nouns"]))

    def dates(self, sentence: Sentence, status: MeasureStatus) -> dict[str, str]:
        """Dates of the measure from its sentence: a date right after a cue ("took effect on August 1",
        "from June 10"); the first date of each kind wins."""
        cues: dict[str, str] = data("measures")["date_cues"]
        found: dict[str, str] = {}
        for cue in _date_cue_re().finditer(self.text, sentence.start, sentence.end):
            date = find_date(self.text, cue.end(), min(sentence.end, cue.end() + 40), self.published)
            if date is None or date.value is None or date.start != cue.end():
                continue
            written = cue.group()[:-1]
            value = date.value
            if written not in _PAST_DATE_CUES and self.published and not re.search(r"\d{4}", date.text):
                value = _next_year_if_past(value, self.published)
            kind = cues[written]
            if kind == "effective" and status in (MeasureStatus.removed, MeasureStatus.removal_agreed):
                kind = "removed"
            found.setdefault(kind, value)
        return found

    def record(
        self,
        sentence: Sentence,
        *,
        mtype: MeasureType,
        start: int,
        end: int,
        product: tuple[int, int],
        imposer: str | None,
        targets: list[str],
        verb: str | None,
        items: list[str] | None = None,
        status: MeasureStatus | None = None,
    ) -> MeasureDraft | None:
        """Record a measure (or add evidence to the same one found before); the measure, or ``None``
        when it has neither an imposer nor both a target and a product."""
        product_text = self.text[product[0] : product[1]].strip()
        if imposer is None:
            imposer = self.passive_actor(end, sentence.end) or self.attributed_actor(sentence, set(targets))
        if (
            imposer is None
            and self.lead_actor not in (None, *targets)
            and not self.names_actor(sentence, targets)
        ):
            imposer = self.lead_actor
        targets = [t for t in dict.fromkeys(targets) if t != imposer]
        if imposer is None and not (targets and product_text):
            return None
        status = status or self.status(sentence, start, end, verb)
        if status == _DEFAULT_STATUS and verb is None and _probe_re().match(self.folded, start, end):
            # "launched an anti-dumping probe into X": an investigation is a measure still proposed.
            status = MeasureStatus.proposed
        code = imposer.split(":")[-1] if imposer else "xx"
        label = slugify(product_text, 6) or "-".join(t.split(":")[-1] for t in targets) or "general"
        measure_id = f"measure:{code}-{mtype.replace('_', '-')}-{label}"
        self.taken.append((start, end))
        existing = self.found.get(measure_id)
        if existing is not None:
            existing.spans.append((start, end))
            return existing
        dates = self.dates(sentence, status)
        self.found[measure_id] = MeasureDraft(
            id=measure_id,
            type=mtype,
            imposed_by=imposer,
            targets=targets,
            products=list(dict.fromkeys(([product_text] if product_text else []) + (items or []))),
            status=status,
            description=self.text[start:end],
            start=start,
            end=end,
            spans=[(start, end)],
            announced=dates.get("announced"),
            effective=dates.get("effective"),
            removed=dates.get("removed"),
        )
        return self.found[measure_id]

    def nouns(self, sentence: Sentence, words: frozenset[str]) -> None:
        # Every pattern's matches first, then the longest at each position: "anti-dumping duties on"
        # wins over "duties on" whichever pattern comes first in the table.
        found: list[tuple[int, int, MeasureType, str | None]] = []
        for (pattern, mtype), needed in zip(_noun_patterns(), _noun_needs(), strict=True):
            if _may_match(words, needed):
                found += [
                    (m.start(), m.end(), mtype, m.groupdict().get("passive"))
                    for m in pattern.finditer(self.folded, sentence.start, sentence.end)
                ]
        for start, match_end, mtype, passive in sorted(found, key=lambda hit: (hit[0], hit[0] - hit[1])):
            if self.overlaps(start, match_end):
                continue
            self.noun_measure(sentence, start, match_end, mtype, passive)

    def noun_measure(
        self, sentence: Sentence, start: int, match_end: int, mtype: MeasureType, passive: str | None = None
    ) -> None:
        """Record the measure a noun pattern matched at ``[start, match_end)``: products, targets, imposer."""
        p_start, p_end, _ = self.product(match_end, sentence.end)
        targets = [m.party for m in self.states_in(p_start, p_end)]
        if mtype == MeasureType.investment_restriction:
            # "a forced sale of X": the company is the target.
            targets += [
                m.party for m in self.mentions.covering(p_start, p_end) if m.kind == PartyKind.organization
            ]
        end = max(p_end, match_end - 1)
        found, target_end = self.target_after(end, sentence.end)
        product = (p_start, p_end)
        if targets and self.text[p_start:p_end] in {
            self.text[m.start : m.end] for m in self.states_in(p_start, p_end)
        }:
            product = (p_start, p_start)  # "sanctions on Russia": a target, not a product
        if found:
            targets += found
            end = target_end
        mtype = _FLOW_TYPES.get((mtype, _flow_word(self.folded[p_start:p_end])), mtype)
        # "hit the EU, Canada and Mexico with duties on X": the states hit are targets.
        targets = self.listed_with(sentence, start) + targets
        imposer = self.possessor(start) or self.subject(sentence, start, set(targets))
        verb = None
        if passive is not None:
            # "Duties will be imposed on X by Peru": the passive's agent imposes, its tense gives the status.
            imposer = imposer or self.passive_actor(start, sentence.end)
            aux = next((a for a in _PASSIVE_STATUS if passive.startswith(a + " ")), "")
            verb = _PASSIVE_STATUS.get(aux, "imposed")
        first = self.record(
            sentence,
            mtype=mtype,
            start=start,
            end=end,
            product=product,
            imposer=imposer,
            targets=targets,
            verb=verb,
            # "tariffs on 545 products from the United States including soybeans": the list may
            # follow the target.
            items=self.list_items(p_end, sentence.end) or self.list_items(end, sentence.end),
        )
        if first is not None:
            self.parallel_rates(sentence, first, p_end)

    def parallel_rates(self, sentence: Sentence, first: MeasureDraft, pos: int) -> None:
        """Further rates of the clause after the first measure's product, each a measure of its own
        with the first one's type, imposer and status: "tariffs of 25 percent on steel and 10 percent
        on copper", "25% on steel, 15% on wire and 10% on copper". Targets named after a product are
        that product's; otherwise the first measure's hold."""
        while (parallel := _PARALLEL_RATE_RE.match(self.folded, pos, sentence.end)) is not None:
            p_start, p_end, _ = self.product(parallel.end(), sentence.end)
            if p_end <= p_start:
                return
            found, target_end = self.target_after(p_end, sentence.end)
            self.record(
                sentence,
                mtype=first.type,
                start=parallel.start("rate"),
                end=target_end if found else p_end,
                product=(p_start, p_end),
                imposer=first.imposed_by,
                targets=found or list(first.targets),
                verb=None,
                status=first.status,
            )
            pos = p_end

    def verbs(self, sentence: Sentence, words: frozenset[str]) -> None:
        for (pattern, objects, mtype), needed in zip(_verb_patterns(), _verb_needs(), strict=True):
            if not _may_match(words, needed):
                continue
            for match in pattern.finditer(self.text, sentence.start, sentence.end):
                p_start, p_end, obj = self.product(match.end(), sentence.end, objects)
                if obj is None:
                    continue
                obj_end = self.text.index(obj, p_end) + len(obj)
                # "imposed tariffs on X" is the noun measure "tariffs on X", already recorded.
                if self.overlaps(match.start(), obj_end):
                    continue
                if mtype == MeasureType.visa_restriction:
                    p_end = obj_end
                targets = [m.party for m in self.states_in(p_start, p_end)]
                end = obj_end
                found, target_end = self.target_after(obj_end, sentence.end)
                if found:
                    targets += found
                    end = target_end
                if self.company_acts(sentence, match.start()):
                    continue
                imposer = self.subject(sentence, match.start(), set(targets))
                self.record(
                    sentence,
                    mtype=mtype,
                    start=match.start(),
                    end=end,
                    product=(p_start, p_end),
                    imposer=imposer,
                    targets=targets,
                    verb=match.group(),
                    items=self.list_items(p_end, sentence.end),
                )

    def trade_verbs(self, sentence: Sentence, words: frozenset[str]) -> None:
        """ "banned exports of X to Y", "restricted sales of X": the verb names the instrument."""
        if not _may_match(words, _trade_verb_needs()):
            return
        kinds = data("measures")["ban_verbs"]
        for match in _trade_verb_re().finditer(self.text, sentence.start, sentence.end):
            if self.overlaps(match.start(), match.end()):
                continue
            kind, flow = kinds[match.group("verb")], match.group("flow")
            if flow == "imports":
                mtype = MeasureType.import_ban if kind == "ban" else MeasureType.other
            else:
                mtype = MeasureType.export_ban if kind == "ban" else MeasureType.export_restriction
            p_start, p_end, _ = self.product(match.end(), sentence.end)
            targets = [m.party for m in self.states_in(p_start, p_end)]
            found, end = self.target_after(p_end, sentence.end)
            targets += found
            if self.company_acts(sentence, match.start()):
                continue
            imposer = self.subject(sentence, match.start(), set(targets))
            self.record(
                sentence,
                mtype=mtype,
                start=match.start(),
                end=max(end, p_end),
                product=(p_start, p_end),
                imposer=imposer,
                targets=targets,
                verb=match.group("verb"),
            )

    def entity_lists(self, sentence: Sentence, words: frozenset[str]) -> None:
        """ "placed 140 companies on the Entity List": a listing by the list's owner, aimed at named firms."""
        if not _may_match(words, _entity_list_needs()):
            return
        owners = data("measures")["entity_lists"]
        for match in _entity_list_re().finditer(self.text, sentence.start, sentence.end):
            owner = owners[match.group("list")]
            # The actor of the clause lists ("Peru added X to its Entity List"); the list's owner is
            # the fallback when the clause names none ("X was placed on the Entity List").
            own = re.search(
                r"\b(?:its|their) $", self.text[max(sentence.start, match.start() - 30) : match.start("list")]
            )
            subject = self.first_actor(sentence, match.start()) if own else None
            imposer = subject or (f"party:{owner.lower()}" if owner else None)
            # Targets are the firms and states listed, between the verb and the list.
            listed = self.mentions.covering(sentence.start, match.start())
            targets = [
                m.party
                for m in listed
                if m.kind in (PartyKind.organization, PartyKind.state, PartyKind.bloc) and m.party != imposer
            ]
            removed = re.search(
                r"\b(?:removed|removes|dropped|delisted)\b", self.text[sentence.start : match.start()]
            )
            self.record(
                sentence,
                mtype=MeasureType.entity_listing,
                start=match.start(),
                end=match.end(),
                product=(match.start(), match.start()),
                imposer=imposer,
                targets=[t for t in targets if t != imposer],
                verb="removed" if removed else "added",
            )

    def prohibitions(self, sentence: Sentence, words: frozenset[str]) -> None:
        """Prohibitions written around the flow: "firms are barred from exporting X to Y", "Peru banned
        its miners from selling X", "X may no longer be shipped to Y", "imports of X are prohibited".
        A ban on exports (or selling, shipping) is an export ban, on imports (or buying) an import ban;
        a restriction is an export restriction or, for imports, another measure."""
        if not _may_match(words, _prohibition_needs()):
            return
        for match in _barred_re().finditer(self.folded, sentence.start, sentence.end):
            p_start, p_end, _ = self.product(match.end(), sentence.end)
            self.prohibition(
                sentence, match.start(), (p_start, p_end), verb=match.group("verb"), flow=match.group("flow")
            )
        for match in _no_longer_re().finditer(self.folded, sentence.start, sentence.end):
            # The goods are the clause's subject, right before the modal.
            clause = max(
                sentence.start, *(self.text.rfind(c, sentence.start, match.start()) + 1 for c in ",;:")
            )
            lead = _determiner_re().match(self.folded, clause, match.start())
            p_start, p_end = lead.end() if lead else clause, match.start() - 1
            if len(self.text[p_start:p_end].split()) > _MAX_PRODUCT_WORDS:
                continue
            self.prohibition(
                sentence,
                p_start,
                (p_start, p_end),
                verb=match.group("verb"),
                flow=match.group("flow"),
                end=match.end(),
            )
        for match in _flow_re().finditer(self.folded, sentence.start, sentence.end):
            p_start, p_end, _ = self.product(match.end(), sentence.end)
            _, after_target = self.target_after(p_end, sentence.end)
            # "shipments of X to American military users were prohibited": a few words may follow
            # the target's name before the verb.
            banned = _passive_ban_re().match(self.folded, max(p_end, after_target))
            if banned is None:
                continue
            self.prohibition(
                sentence,
                match.start(),
                (p_start, p_end),
                verb=banned.group("verb"),
                flow=match.group("flow"),
                end=banned.end(),
                # "will be banned" is announced, "would be banned" threatened; the others are in force.
                status=_FUTURE_AUX.get(banned.group("aux").split()[0]),
            )

    def prohibition(
        self,
        sentence: Sentence,
        start: int,
        product: tuple[int, int],
        *,
        verb: str,
        flow: str,
        end: int | None = None,
        status: MeasureStatus | None = None,
    ) -> None:
        """Record one prohibition: type from the verb and the flow, targets after the products, the
        imposer from a passive's "by", else the clause's actor, else the party the sentence is
        attributed to ("..., the US Commerce Department said")."""
        table = data("measures")["prohibitions"]
        end = max(end or product[1], product[1])
        if self.overlaps(start, end) or not self.text[product[0] : product[1]].strip():
            return
        modal = table["modals"].get(verb)
        ban = modal is not None or table["verbs"][verb] == "ban"
        if table["flows"][flow] == "import":
            mtype = MeasureType.import_ban if ban else MeasureType.other
        else:
            mtype = MeasureType.export_ban if ban else MeasureType.export_restriction
        targets = [m.party for m in self.states_in(*product)]
        # "may no longer be shipped to X": the targets follow the verb; elsewhere the products.
        found, target_end = self.target_after(max(product[1], end), sentence.end)
        if not found:
            found, target_end = self.target_after(product[1], sentence.end)
        targets += found
        if self.company_acts(sentence, start):
            return
        imposer = (
            self.passive_actor(start, sentence.end)
            or self.subject(sentence, start, set(targets))
            or self.actor_in(sentence, set(targets))
        )
        self.record(
            sentence,
            mtype=mtype,
            start=start,
            end=max(end, target_end),
            product=product,
            imposer=imposer,
            targets=targets,
            verb=verb,
            items=self.list_items(product[1], sentence.end),
            # "may no longer be shipped": the modal gives the status ("will no longer": announced).
            status=MeasureStatus(modal) if modal else status,
        )

    def names_actor(self, sentence: Sentence, targets: list[str]) -> bool:
        """Whether the sentence names a party, other than the measure's targets, that might act for a
        state (a body of unknown jurisdiction does not)."""
        return any(
            m.party not in targets and self.acting_for(m) not in (None, *targets)
            for m in self.mentions.covering(sentence.start, sentence.end)
        )

    def attributed_actor(self, sentence: Sentence, exclude: set[str]) -> str | None:
        """The state an official source of the sentence acts for, when the measure's clause names no
        actor: "$16 billion of tariffs on Chinese goods will be reviewed, according to the U.S. Trade
        Representative" (a person, government body or state's office after "according to", or a
        person or body before a cue verb)."""
        for mention in self.mentions.covering(sentence.start, sentence.end):
            before = self.folded[max(sentence.start, mention.start - 20) : mention.start]
            according = re.search(r"according to (?:the )?$", before) is not None
            official = mention.kind in (PartyKind.person, PartyKind.government_body)
            if not (official or (according and mention.kind in (PartyKind.state, PartyKind.bloc))):
                continue
            after = self.folded[mention.end : mention.end + 12]
            if according or re.match(r" (?:said|says|announced)\b", after):
                actor = self.acting_for(mention)
                if actor is not None and actor not in exclude:
                    return actor
        return None

    def actor_in(self, sentence: Sentence, exclude: set[str]) -> str | None:
        """The first state a party of the sentence acts for, anywhere in it, other than ``exclude``."""
        for mention in self.mentions.covering(sentence.start, sentence.end):
            actor = self.acting_for(mention)
            if actor is not None and actor not in exclude:
                return actor
        return None

    def investments(self, sentence: Sentence, words: frozenset[str]) -> None:
        """Investment measures written as acts on a company: a state ordering a divestment ("ordered X
        to divest its stake in Y") or taking a company over ("took control of X", "nationalised X").
        Both are :attr:`~tradeschema.vocab.MeasureType.investment_restriction` (an ownership rule);
        the company is the target, the imposer the clause's actor, and a company acting is no state."""
        if not _may_match(words, _investment_needs()):
            return
        for match in _divest_re().finditer(self.folded, sentence.start, sentence.end):
            p_start, p_end, _ = self.product(match.end(), sentence.end)
            # The company ordered to divest is the target; a state only when no company is named.
            who = self.mentions.covering(*match.span("who"))
            firms = [m.party for m in who if m.kind == PartyKind.organization]
            states = [m.party for m in who if m.kind in (PartyKind.state, PartyKind.bloc)]
            self.investment(sentence, match, (p_start, p_end), firms or states)
        for match in _control_re().finditer(self.folded, sentence.start, sentence.end):
            # "took control of chipmaker X": lowercase descriptor words may stand before the name.
            company = next(
                (
                    m
                    for m in self.mentions.covering(match.end(), min(sentence.end, match.end() + 40))
                    if self.text[match.end() : m.start].islower() or m.start == match.end()
                ),
                None,
            )
            if company is None or company.kind != PartyKind.organization:
                continue
            self.investment(sentence, match, (company.start, company.end), [company.party])

    def investment(
        self, sentence: Sentence, match: re.Match[str], product: tuple[int, int], targets: list[str]
    ) -> None:
        if self.overlaps(match.start(), product[1]) or self.company_acts(sentence, match.start()):
            return
        imposer = self.subject(sentence, match.start(), set(targets)) or self.passive_actor(
            match.start(), sentence.end
        )
        if imposer is None:
            return  # "X sold its stake": with no state acting, no measure
        self.record(
            sentence,
            mtype=MeasureType.investment_restriction,
            start=match.start(),
            end=max(product[1], match.end()),
            product=product,
            imposer=imposer,
            targets=targets,
            verb=match.group("verb"),
        )

    def names_firms(self, start: int, end: int) -> bool:
        """Whether a noun phrase names companies ("other producers", "exporters"), not goods: a rate
        they pay is their share of a measure named elsewhere."""
        head = self.folded[start:end].split()[-1:]
        nouns = _firm_nouns()
        return bool(head) and (head[0] in nouns or head[0].removesuffix("s") in nouns)

    def rates(self, sentence: Sentence, words: frozenset[str]) -> None:
        """A rate paid by goods, with no measure noun: "cars from Peru will pay 27.5% when they enter
        Chile", "wine faces a duty of 25 per cent". The goods are the clause's subject; the imposer is
        the clause's actor or, failing one, the state the sentence names other than the goods' origin."""
        if not _may_match(words, _rate_needs()):
            return
        for match in _rate_re().finditer(self.folded, sentence.start, sentence.end):
            verb_start = match.start()
            clause = max(sentence.start, *(self.text.rfind(c, sentence.start, verb_start) + 1 for c in ",;:"))
            lead = _determiner_re().match(self.folded, clause, verb_start)
            p_start = lead.end() if lead else clause
            p_start, p_end, _ = self.product(p_start, verb_start)
            if p_end <= p_start or self.overlaps(p_start, match.end()) or self.names_firms(p_start, p_end):
                continue
            targets = [m.party for m in self.states_in(p_start, p_end)]
            targets += self.target_after(p_end, verb_start)[0]
            imposer = self.subject(sentence, p_start, set(targets)) or self.actor_in(sentence, set(targets))
            will = match.group("will")
            self.record(
                sentence,
                mtype=MeasureType.import_tariff,
                start=p_start,
                end=match.end(),
                product=(p_start, p_end),
                imposer=imposer,
                targets=targets,
                verb=None,
                status=_FUTURE_AUX.get(will.strip(), MeasureStatus.threatened) if will else None,
            )


def find_measures(
    text: str, sentences: list[Sentence], mentions: MentionIndex, published: str | None = None
) -> list[MeasureDraft]:
    """Measures of one article, in order of first mention; repeated mentions add evidence.

    ``published`` resolves relative dates ("from Monday") of the measures.
    """
    finder = _Finder(text, mentions, published)
    if sentences:
        first = sentences[0]
        opening = finder.mentions.starting_at(first.start)
        if opening is not None and opening.kind in (PartyKind.state, PartyKind.bloc):
            finder.lead_actor = opening.party
    for sentence in sentences:
        words = sentence.words
        finder.trade_verbs(sentence, words)
        finder.nouns(sentence, words)
        finder.verbs(sentence, words)
        finder.entity_lists(sentence, words)
        finder.prohibitions(sentence, words)
        finder.investments(sentence, words)
        finder.rates(sentence, words)
    return sorted(finder.found.values(), key=lambda m: m.start)
