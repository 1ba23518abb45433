"""Shared helpers for the word lists in ``data/``: verb inflections and alternation regexes.

Data files list a verb once, by its base form ("revoke", "roll back"); :func:`verb_forms` gives the
forms news copy uses ("revokes", "revoked", "revoking"). A phrasal verb inflects its first word. Every
regex built from a word list goes through :func:`alternation`, which puts longer entries first so
that "export controls" wins over "controls" at the same position.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["alternation", "finite_forms", "verb_forms", "verbs_forms"]

# Verbs whose past tense or participle is not base + "ed"; forms listed: third person, past tense,
# past participle, present participle.
_IRREGULAR: dict[str, tuple[str, ...]] = {
    "be": ("is", "are", "was", "were", "been", "being"),
    "break": ("breaks", "broke", "broken", "breaking"),
    "bring": ("brings", "brought", "bringing"),
    "choose": ("chooses", "chose", "chosen", "choosing"),
    "come": ("comes", "came", "coming"),
    "cut": ("cuts", "cut", "cutting"),
    "do": ("does", "did", "done", "doing"),
    "admit": ("admits", "admitted", "admitting"),
    "fly": ("flies", "flew", "flown", "flying"),
    "give": ("gives", "gave", "given", "giving"),
    "go": ("goes", "went", "gone", "going"),
    "hold": ("holds", "held", "holding"),
    "keep": ("keeps", "kept", "keeping"),
    "know": ("knows", "knew", "known", "knowing"),
    "lay": ("lays", "laid", "laying"),
    "lead": ("leads", "led", "leading"),
    "let": ("lets", "let", "letting"),
    "make": ("makes", "made", "making"),
    "meet": ("meets", "met", "meeting"),
    "pay": ("pays", "paid", "paying"),
    "put": ("puts", "put", "putting"),
    "say": ("says", "said", "saying"),
    "see": ("sees", "saw", "seen", "seeing"),
    "send": ("sends", "sent", "sending"),
    "set": ("sets", "set", "setting"),
    "shut": ("shuts", "shut", "shutting"),
    "speak": ("speaks", "spoke", "spoken", "speaking"),
    "spend": ("spends", "spent", "spending"),
    "strike": ("strikes", "struck", "striking"),
    "take": ("takes", "took", "taken", "taking"),
    "tell": ("tells", "told", "telling"),
    "think": ("thinks", "thought", "thinking"),
    "write": ("writes", "wrote", "written", "writing"),
}
# British spellings that double a final "l" after one vowel in an unstressed syllable.
_DOUBLED_L = frozenset({"cancel", "label", "level", "model", "signal", "travel", "fuel", "total"})
_VOWELS = "aeiou"


def _regular(verb: str) -> tuple[str, ...]:
    if verb.endswith(("ee", "ye", "oe")):
        return (verb + "s", verb + "d", verb + "ing")
    if verb.endswith("e"):
        stem = verb[:-1]
        return (verb + "s", stem + "ed", stem + "ing")
    if verb.endswith("y") and len(verb) > 2 and verb[-2] not in _VOWELS:
        return (verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing")
    third = verb + "es" if verb.endswith(("s", "sh", "ch", "x", "z", "o")) else verb + "s"
    # One syllable ending in one vowel and one consonant doubles it: ban -> banned, slap -> slapped.
    single_syllable = len(re.findall(f"[{_VOWELS}]+", verb)) == 1
    if (
        single_syllable
        and len(verb) >= 3
        and verb[-1] not in _VOWELS + "wxy"
        and verb[-2] in _VOWELS
        and verb[-3] not in _VOWELS
    ):
        return (third, verb + verb[-1] + "ed", verb + verb[-1] + "ing")
    if verb in _DOUBLED_L:
        return (third, verb + "ed", verb + "ing", verb + "led", verb + "ling")
    return (third, verb + "ed", verb + "ing")


def verb_forms(lemma: str) -> tuple[str, ...]:
    """The base form and its inflections, lowercase; a phrasal verb ("roll back") inflects its first word.

    >>> verb_forms("revoke")
    ('revoke', 'revokes', 'revoked', 'revoking')
    >>> verb_forms("roll back")
    ('roll back', 'rolls back', 'rolled back', 'rolling back')
    """
    head, _, rest = lemma.strip().lower().partition(" ")
    forms = _IRREGULAR.get(head) or _regular(head)
    suffix = f" {rest}" if rest else ""
    return tuple(dict.fromkeys(form + suffix for form in (head, *forms)))


def finite_forms(lemma: str) -> tuple[str, ...]:
    """The forms that head a clause after a subject: third person present and past ("says", "said");
    not the base form or the "-ing" form ("saying" opens a participle attribution instead)."""
    forms = verb_forms(lemma)
    return tuple(form for form in forms[1:] if not form.split(" ")[0].endswith("ing"))


def verbs_forms(lemmas: Iterable[str]) -> tuple[str, ...]:
    """All forms of several verbs, in order, without repeats."""
    return tuple(dict.fromkeys(form for lemma in lemmas for form in verb_forms(lemma)))


def alternation(phrases: Iterable[str], *, escape: bool = True) -> str:
    """A regex alternation of ``phrases``, longest first, as a non-capturing group.

    Longest first matters: at one position the regex engine takes the first alternative that fits,
    so "export controls" must come before "controls". ``escape=False`` keeps entries that are
    themselves regex fragments.
    """
    unique = sorted(set(phrases), key=lambda phrase: (-len(phrase), phrase))
    return "(?:" + "|".join(re.escape(phrase) if escape else phrase for phrase in unique) + ")"
