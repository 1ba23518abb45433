"""Minimal hypothesis strategies for records, until ``tradeschema.testing`` lands on main.

They draw every shape the layout must carry: unicode text, empty and non-empty lists, partial dates
at each precision, nulls in every optional field, nested records with their own dates and lists.
Integrity (references resolving, spans inside sources) is not drawn: the table round trips do not
depend on it.
"""

from __future__ import annotations

import enum
from typing import Any

from hypothesis import strategies as st

from tradeschema.countries import CountryCode, LanguageCode
from tradeschema.models import (
    ControlListEntry,
    EvidenceSpan,
    HsCode,
    Measure,
    Negotiation,
    Party,
    Product,
    Record,
    Round,
    Source,
    Statement,
)
from tradeschema.vocab import (
    ControlListScheme,
    HsEdition,
    MeasureStatus,
    MeasureType,
    NegotiationStatus,
    PartyKind,
    RoundKind,
    SourceKind,
    StatementKind,
    Topic,
)

ids = st.from_regex(r"[a-z0-9._:-]{1,16}", fullmatch=True)
texts = st.text(max_size=20)
nonempty = st.text(min_size=1, max_size=20)
counts = st.integers(min_value=0, max_value=2**63 - 1)


def vocab(enum_cls: type[enum.Enum]) -> st.SearchStrategy[Any]:
    return st.sampled_from(list(enum_cls))


def _format_date(day: Any, precision: str) -> str:
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if precision == "week":
        iso = day.isocalendar()
        return f"{iso.year:04d}-W{iso.week:02d}"
    return day.isoformat()


partial_dates = st.builds(_format_date, st.dates(), st.sampled_from(["year", "month", "week", "day"])).filter(
    lambda value: not value.startswith("0000")
)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def lists(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[list[Any]]:
    return st.lists(strategy, max_size=3)


spans = st.builds(EvidenceSpan, source_id=ids, start=counts, end=counts, text=texts)
evidence = lists(spans)

sources = st.builds(
    Source,
    id=ids,
    kind=vocab(SourceKind),
    title=maybe(texts),
    published=maybe(partial_dates),
    byline=maybe(texts),
    publisher=maybe(texts),
    url=maybe(texts),
    language=maybe(vocab(LanguageCode)),
    text_sha256=maybe(st.from_regex(r"[0-9a-f]{64}", fullmatch=True)),
    text=maybe(st.text(max_size=60)),
    evidence=evidence,
)
parties = st.builds(
    Party,
    id=ids,
    kind=vocab(PartyKind),
    name=nonempty,
    aliases=lists(texts),
    country=maybe(vocab(CountryCode)),
    role=maybe(texts),
    affiliation=maybe(ids),
    evidence=evidence,
)
products = st.builds(
    Product,
    text=nonempty,
    hs_codes=lists(
        st.builds(
            HsCode,
            code=st.from_regex(r"[0-9]{2}|[0-9]{4}|[0-9]{6}", fullmatch=True),
            edition=vocab(HsEdition),
        )
    ),
    control_list=lists(st.builds(ControlListEntry, scheme=vocab(ControlListScheme), code=nonempty)),
)
measures = st.builds(
    Measure,
    id=ids,
    type=vocab(MeasureType),
    imposed_by=maybe(ids),
    targets=lists(ids),
    products=lists(products),
    status=maybe(vocab(MeasureStatus)),
    description=maybe(texts),
    announced=maybe(partial_dates),
    effective=maybe(partial_dates),
    removed=maybe(partial_dates),
    evidence=evidence,
)
statements = st.builds(
    Statement,
    id=ids,
    speaker=maybe(ids),
    speaker_text=maybe(texts),
    kind=vocab(StatementKind),
    text=nonempty,
    cue=maybe(texts),
    reported_by=maybe(ids),
    via=maybe(ids),
    setting=maybe(texts),
    date=maybe(partial_dates),
    date_text=maybe(texts),
    about=lists(ids),
    confidence=maybe(st.floats(min_value=0.0, max_value=1.0)),
    evidence=evidence,
)
rounds = st.builds(
    Round,
    kind=vocab(RoundKind),
    venue=maybe(texts),
    city=maybe(texts),
    country=maybe(vocab(CountryCode)),
    start=maybe(partial_dates),
    end=maybe(partial_dates),
    duration_days=maybe(st.integers(min_value=1, max_value=2**63 - 1)),
    date_text=maybe(texts),
    evidence=evidence,
)
negotiations = st.builds(
    Negotiation,
    id=ids,
    title=nonempty,
    parties=lists(ids),
    topics=lists(st.sampled_from([str(t) for t in Topic]) | texts),
    rounds=lists(rounds),
    status=maybe(vocab(NegotiationStatus)),
    outcome=maybe(texts),
    pending=lists(texts),
    measures=lists(ids),
    evidence=evidence,
)

RECORDS: dict[str, st.SearchStrategy[Record]] = {
    "sources": sources,
    "parties": parties,
    "negotiations": negotiations,
    "measures": measures,
    "statements": statements,
}
"""A strategy of records for each table."""
