"""The word lists in ``tradeschema/loader/data``: inflection, alternation, and where entries come from.

Sentences in the rule tests are written for these tests.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tradeschema import load_article_text
from tradeschema.loader.lexicon import alternation, verb_forms, verbs_forms

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tradeschema" / "loader" / "data"
SEED = ROOT / "seeds" / "000_cc4bd68febfd186d.txt"
REALNEWS = ROOT / "evaluation" / "realnews"
TEXTS = REALNEWS / "texts"

# Gazetteer keys: names of places, outlets, states, people and topics are world knowledge, not
# wording drawn from an article, so they need no second article behind them.
GAZETTEERS = {"cities", "outlets", "states", "roster", "topics", "entity_lists"}


def test_verb_forms() -> None:
    assert verb_forms("revoke") == ("revoke", "revokes", "revoked", "revoking")
    assert verb_forms("roll back") == ("roll back", "rolls back", "rolled back", "rolling back")
    assert verb_forms("ban") == ("ban", "bans", "banned", "banning")
    assert verb_forms("levy") == ("levy", "levies", "levied", "levying")
    assert verb_forms("agree") == ("agree", "agrees", "agreed", "agreeing")
    assert verb_forms("halt") == ("halt", "halts", "halted", "halting")
    assert "told" in verb_forms("tell") and "said" in verb_forms("say")
    assert {"cancelled", "canceled"} <= set(verb_forms("cancel"))
    assert verbs_forms(["ban", "ban"]) == verb_forms("ban")


def test_alternation_puts_longer_phrases_first() -> None:
    pattern = re.compile(r"\b" + alternation(["controls", "export controls", "a.b"]) + r"\b")
    match = pattern.search("new export controls")
    assert match is not None and match.group() == "export controls"
    assert pattern.search("axb") is None  # entries are escaped
    assert alternation(["x", "x"]) == "(?:x)"


def _entries(node: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """(top-level key, phrase) for every phrase in a data table, skipping notes and gazetteers."""
    if isinstance(node, dict):
        for name, value in node.items():
            if name.startswith("_") or name in GAZETTEERS:
                continue
            top = key or name
            if key:
                yield top, name
            yield from _entries(value, top)
    elif isinstance(node, list):
        for value in node:
            yield from _entries(value, key)
    elif isinstance(node, str) and key:
        yield key, node


def _fires(phrase: str, text: str) -> bool:
    forms = verb_forms(phrase) if re.fullmatch(r"[a-z]+(?: [a-z]+)?", phrase) else (phrase,)
    return any(re.search(r"(?<![a-z])" + re.escape(form.lower()) + r"(?![a-z])", text) for form in forms)


@pytest.mark.skipif(not TEXTS.is_dir(), reason="the real-news texts are kept locally, not in the repository")
def test_no_entry_fires_on_the_seed_alone() -> None:
    """Every phrase the seed article uses is borne out by another article (own or real-news
    development), so the seed maps through general wording, not seed-shaped entries."""
    seed = SEED.read_text(encoding="utf-8").lower()
    others = [
        path.read_text(encoding="utf-8").lower()
        for path in sorted((ROOT / "tests" / "articles").glob("*.txt"))
    ]
    articles = [
        json.loads(gold.read_text(encoding="utf-8"))["article"]
        for gold in (REALNEWS / "dev").glob("*.gold.json")
    ]
    others += [(TEXTS / name).read_text(encoding="utf-8").lower() for name in sorted(articles)]
    # A function word and a key of the roster's records are not wording.
    structural = {"then", "role"}
    seed_only = []
    for path in sorted(DATA.glob("*.json")):
        for key, phrase in _entries(json.loads(path.read_text(encoding="utf-8"))):
            if phrase in structural or not _fires(phrase, seed):
                continue
            if not any(_fires(phrase, other) for other in others):
                seed_only.append(f"{path.name}:{key}:{phrase}")
    assert not seed_only


def test_every_data_file_says_where_its_entries_come_from() -> None:
    for path in sorted(DATA.glob("*.json")):
        table = json.loads(path.read_text(encoding="utf-8"))
        assert table.get("_about"), path.name
        assert table.get("_sources"), path.name


# --- General rules that replaced seed-shaped entries, on sentences written for these tests ---------


def _load(body: str) -> Any:
    return load_article_text(f"date 2024-03-04 Test\n\nBy Test Desk\n\n{body}\n")


def test_a_measure_to_be_settled_by_an_agreement_is_removal_agreed() -> None:
    dataset = _load(
        "Chile and Peru reached a deal on Monday. Chile's ban on exports of cobalt to Peru "
        "will be settled as part of the agreement, officials said."
    )
    (cobalt,) = [m for m in dataset.measures if any("cobalt" in p.text for p in m.products)]
    assert cobalt.status == "removal_agreed"


def test_a_future_passive_without_an_agreement_keeps_the_measure_in_force() -> None:
    dataset = _load("Chile's ban on exports of cobalt to Peru will be reviewed in May, officials said.")
    (cobalt,) = [m for m in dataset.measures if any("cobalt" in p.text for p in m.products)]
    assert cobalt.status != "removal_agreed"


def test_venue_after_lowercase_modifiers_and_city_after_one() -> None:
    dataset = _load(
        "Japan and Canada held two days of talks in northern Tokyo this week. The talks, held at the "
        "recently restored Harbour House, ended with a plan that the ministers will take to cabinet for approval."
    )
    (negotiation,) = dataset.negotiations
    (round_,) = [r for r in negotiation.rounds if r.city == "Tokyo"]
    assert round_.venue == "Harbour House"
    assert any("approval" in step for step in negotiation.pending)


def test_agreed_with_a_quoted_fragment_is_an_outcome() -> None:
    dataset = _load(
        "Japan and Canada agreed “in principle” to cut tariffs on beef, officials on both sides said."
    )
    (negotiation,) = dataset.negotiations
    assert negotiation.status == "agreed_in_principle"


def test_a_modifier_that_names_the_office_stays_in_the_role() -> None:
    dataset = _load("Canada's trade negotiator Anne Roy met her counterparts in Tokyo on Friday.")
    (roy,) = [p for p in dataset.parties if p.name == "Anne Roy"]
    assert roy.role is not None and roy.role.lower() == "trade negotiator"
