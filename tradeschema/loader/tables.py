"""The data files under ``loader/data/``, read once and shaped for lookup.

Every table is general knowledge (names of states, media, titles, cue words); nothing in them is
taken from a particular article. Tables are cached, so the loader reads each file once per process.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any, Literal

import pycountry

from ..countries import country_name
from ..vocab import PartyKind

__all__ = ["NameForm", "StateEntry", "data", "speech_cues", "state_names"]

NameForm = Literal["name", "abbr", "demonym", "capital"]
"""How a state or bloc is written: its name, an abbreviation, a demonym or its capital."""

StateEntry = tuple[str, str, str | None, NameForm]
"""A name of a state or bloc: ``(as written, party id, country, how)``."""


@cache
def data(name: str) -> dict[str, Any]:
    """The parsed JSON data file ``loader/data/<name>.json``."""
    raw = resources.files(__package__).joinpath("data").joinpath(f"{name}.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(raw)
    return loaded


@cache
def speech_cues() -> tuple[str, ...]:
    """Every cue of reported speech: the cue phrases of ``speech.json`` and the finite forms of its
    reporting verbs ("says", "said", "stresses", "stressed")."""
    from .lexicon import finite_forms

    table = data("speech")
    forms = [form for lemma in table["cue_verbs"] for form in finite_forms(lemma)]
    return tuple(dict.fromkeys([*table["cues"], *forms]))


@cache
def state_display() -> dict[str, tuple[str, PartyKind, str | None]]:
    """Party id -> (display name, party kind, country) for every state and bloc."""
    table = data("states")
    shown: dict[str, tuple[str, PartyKind, str | None]] = {}
    for country in pycountry.countries:
        code = str(country.alpha_2)
        name = country_name(code) or code
        shown[f"party:{code.lower()}"] = (name, PartyKind.state, code)
    for code, entry in table["states"].items():
        shown[f"party:{code.lower()}"] = (
            entry.get("name") or country_name(code) or code,
            PartyKind.state,
            code,
        )
    for key, entry in table["blocs"].items():
        shown[f"party:{key.lower()}"] = (entry["name"], PartyKind.bloc, entry.get("country"))
    return shown


@cache
def state_names() -> tuple[StateEntry, ...]:
    """Every name, abbreviation, demonym and capital of a state or bloc (ISO data plus ``states.json``)."""
    table = data("states")
    excluded = set(table["exclude"])
    entries: list[StateEntry] = []
    for country in pycountry.countries:
        code = str(country.alpha_2)
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            # "Korea, Republic of" is an index form, never how an article writes the name.
            if value and "," not in value and "(" not in value and value not in excluded:
                entries.append((str(value), f"party:{code.lower()}", code, "name"))
    for group, kind in (("states", PartyKind.state), ("blocs", PartyKind.bloc)):
        for key, entry in table[group].items():
            party = f"party:{key.lower()}"
            code = key if kind == PartyKind.state else entry.get("country")
            forms: tuple[tuple[NameForm, str], ...] = (
                ("name", "names"),
                ("abbr", "abbreviations"),
                ("demonym", "demonyms"),
            )
            for how, field in forms:
                entries.extend((value, party, code, how) for value in entry.get(field, []))
            entries.extend((value, party, code, "capital") for value in entry.get("capitals", []))
    return tuple(entries)
