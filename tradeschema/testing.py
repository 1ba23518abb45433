"""Hypothesis strategies for tradeschema records, for this project's tests and for users' own pipelines.

>>> from hypothesis import given
>>> from tradeschema.testing import datasets
>>> @given(datasets())
... def test_my_pipeline_accepts_any_valid_dataset(dataset): ...

:func:`datasets` draws whole datasets that pass integrity checks (references resolve, spans are slices
of their source text). The record strategies (:func:`parties`, :func:`measures`, ...) draw single
records whose references are arbitrary ids. :func:`invalid_records` draws a valid record's JSON form
with one mutation that the schema must reject, and names the mutation.

Requires the ``hypothesis`` package: ``pip install 'tradeschema[testing]'``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any, TypeVar

try:
    from hypothesis import strategies as st
except ModuleNotFoundError as exc:  # pragma: no cover - exercised by a test in a subprocess
    if exc.name != "hypothesis":
        raise
    raise ModuleNotFoundError(
        "tradeschema.testing needs the hypothesis package; install it with "
        "pip install 'tradeschema[testing]'",
        name=exc.name,
    ) from exc

from .countries import CountryCode, LanguageCode
from .models import (
    MAX_OFFSET,
    SCHEMA_VERSION,
    ControlListEntry,
    Dataset,
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
from .vocab import (
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

__all__ = [
    "MUTATIONS",
    "datasets",
    "evidence_spans",
    "invalid_records",
    "measures",
    "negotiations",
    "partial_dates",
    "parties",
    "record_ids",
    "records",
    "sources",
    "statements",
]

T = TypeVar("T")

_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-_.:"


def record_ids(prefix: str = "x") -> st.SearchStrategy[str]:
    """Valid record ids such as ``party:a-1``."""
    return st.text(_ID_ALPHABET, min_size=1, max_size=12).map(lambda tail: f"{prefix}:{tail}")


@st.composite
def partial_dates(draw: st.DrawFn) -> str:
    """Partial dates at every precision: ``2025``, ``2025-05``, ``2025-W25``, ``2025-05-14``."""
    day = draw(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
    precision = draw(st.sampled_from(["year", "month", "week", "day"]))
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if precision == "week":
        iso = day.isocalendar()
        if iso.year < 1 or iso.year > 9999:
            return f"{day.year:04d}"
        return f"{iso.year:04d}-W{iso.week:02d}"
    return day.isoformat()


def _optional(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    return st.none() | strategy


_text = st.text(max_size=30)
_nonempty_text = st.text(min_size=1, max_size=30)


def evidence_spans(source_ids: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[EvidenceSpan]:
    """Spans with ``start < end`` into a source whose text is not known (the text is arbitrary)."""

    @st.composite
    def build(draw: st.DrawFn) -> EvidenceSpan:
        # Mostly article-sized offsets, sometimes the largest the schema allows.
        start = draw(st.integers(0, 10_000) | st.integers(0, MAX_OFFSET - 1))
        end = draw(st.integers(start + 1, min(start + 500, MAX_OFFSET)))
        source_id = draw(source_ids if source_ids is not None else record_ids("source"))
        return EvidenceSpan(source_id=source_id, start=start, end=end, text=draw(_text))

    return build()


def sources(with_text: bool = True) -> st.SearchStrategy[Source]:
    """Sources, with their text and its SHA-256 unless ``with_text`` is false."""

    @st.composite
    def build(draw: st.DrawFn) -> Source:
        text = draw(st.text(min_size=1, max_size=200)) if with_text else None
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest() if text is not None else None
        return Source(
            id=draw(record_ids("source")),
            kind=draw(st.sampled_from(SourceKind)),
            title=draw(_optional(_text)),
            published=draw(_optional(partial_dates())),
            byline=draw(_optional(_text)),
            publisher=draw(_optional(_text)),
            url=draw(_optional(_text.map(lambda s: "https://example.org/" + s))),
            language=draw(_optional(st.sampled_from(list(LanguageCode)))),
            text_sha256=digest,
            text=text,
        )

    return build()


def parties(references: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Party]:
    """Parties; ``affiliation`` drawn from ``references`` (arbitrary ids by default)."""
    refs = references if references is not None else record_ids("party")
    return st.builds(
        Party,
        id=record_ids("party"),
        kind=st.sampled_from(PartyKind),
        name=_nonempty_text,
        aliases=st.lists(_text, max_size=3),
        country=_optional(st.sampled_from(list(CountryCode))),
        role=_optional(_text),
        affiliation=_optional(refs),
        evidence=st.lists(evidence_spans(), max_size=2),
    )


_products = st.builds(
    Product,
    text=_nonempty_text,
    hs_codes=st.lists(
        st.builds(
            HsCode,
            code=st.sampled_from([2, 4, 6]).flatmap(lambda n: st.text("0123456789", min_size=n, max_size=n)),
            edition=st.sampled_from(HsEdition),
        ),
        max_size=2,
    ),
    control_list=st.lists(
        st.builds(ControlListEntry, scheme=st.sampled_from(ControlListScheme), code=_nonempty_text),
        max_size=2,
    ),
)


def measures(party_ids: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Measure]:
    """Measures; imposer and targets drawn from ``party_ids`` (arbitrary ids by default)."""
    refs = party_ids if party_ids is not None else record_ids("party")
    return st.builds(
        Measure,
        id=record_ids("measure"),
        type=st.sampled_from(MeasureType),
        imposed_by=_optional(refs),
        targets=st.lists(refs, max_size=3),
        products=st.lists(_products, max_size=2),
        status=_optional(st.sampled_from(MeasureStatus)),
        description=_optional(_text),
        announced=_optional(partial_dates()),
        effective=_optional(partial_dates()),
        removed=_optional(partial_dates()),
        evidence=st.lists(evidence_spans(), max_size=2),
    )


def statements(
    party_ids: st.SearchStrategy[str] | None = None, about_ids: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[Statement]:
    """Statements; speaker, medium and ``via`` from ``party_ids``, ``about`` from ``about_ids``."""
    refs = party_ids if party_ids is not None else record_ids("party")
    about = about_ids if about_ids is not None else record_ids("measure")
    return st.builds(
        Statement,
        id=record_ids("statement"),
        speaker=_optional(refs),
        speaker_text=_optional(_text),
        kind=st.sampled_from(StatementKind),
        text=_nonempty_text,
        cue=_optional(_text),
        reported_by=_optional(refs),
        via=_optional(refs),
        setting=_optional(_text),
        date=_optional(partial_dates()),
        date_text=_optional(_text),
        about=st.lists(about, max_size=2),
        confidence=_optional(st.floats(0.0, 1.0, allow_nan=False)),
        evidence=st.lists(evidence_spans(), max_size=2),
    )


@st.composite
def _rounds(draw: st.DrawFn) -> Round:
    start = draw(_optional(partial_dates()))
    end = None
    if start is not None and draw(st.booleans()):
        # An end on or after the start keeps the round valid under the integrity rules.
        end = f"{int(start[:4]) + 1:04d}" if int(start[:4]) < 9999 else start
    return Round(
        kind=draw(st.sampled_from(RoundKind)),
        venue=draw(_optional(_text)),
        city=draw(_optional(_text)),
        country=draw(_optional(st.sampled_from(list(CountryCode)))),
        start=start,
        end=end,
        duration_days=draw(_optional(st.integers(1, 400))),
        date_text=draw(_optional(_text)),
        evidence=draw(st.lists(evidence_spans(), max_size=1)),
    )


def negotiations(
    party_ids: st.SearchStrategy[str] | None = None, measure_ids: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[Negotiation]:
    """Negotiations with rounds; parties and measures drawn from the given id strategies."""
    parties_ = party_ids if party_ids is not None else record_ids("party")
    measures_ = measure_ids if measure_ids is not None else record_ids("measure")
    topics = st.sampled_from([str(topic) for topic in Topic]) | _nonempty_text
    return st.builds(
        Negotiation,
        id=record_ids("negotiation"),
        title=_nonempty_text,
        parties=st.lists(parties_, max_size=3),
        topics=st.lists(topics, max_size=3),
        rounds=st.lists(_rounds(), max_size=3),
        status=_optional(st.sampled_from(NegotiationStatus)),
        outcome=_optional(_text),
        pending=st.lists(_text, max_size=2),
        measures=st.lists(measures_, max_size=2),
        evidence=st.lists(evidence_spans(), max_size=2),
    )


def records(table: str) -> st.SearchStrategy[Record]:
    """Single records of one table (``sources``, ``parties``, ...), references arbitrary."""
    strategies: dict[str, st.SearchStrategy[Any]] = {
        "sources": sources(),
        "parties": parties(),
        "negotiations": negotiations(),
        "measures": measures(),
        "statements": statements(),
    }
    return strategies[table]


def _unique_by_id(items: list[Source]) -> list[Source]:
    seen: set[str] = set()
    unique = []
    for item in items:
        if item.id not in seen:
            seen.add(item.id)
            unique.append(item)
    return unique


@st.composite
def _spans_into(draw: st.DrawFn, texts: dict[str, str]) -> list[EvidenceSpan]:
    spans = []
    for _ in range(draw(st.integers(0, 2))):
        source_id = draw(st.sampled_from(sorted(texts)))
        text = texts[source_id]
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        spans.append(EvidenceSpan(source_id=source_id, start=start, end=end, text=text[start:end]))
    return spans


@st.composite
def datasets(draw: st.DrawFn, max_records: int = 4) -> Dataset:
    """Whole datasets that pass every integrity rule: unique ids, resolvable references, exact spans."""
    source_list = _unique_by_id(draw(st.lists(sources(), min_size=1, max_size=2)))
    texts = {source.id: source.text or "" for source in source_list}
    party_ids = sorted(set(draw(st.lists(record_ids("party"), min_size=1, max_size=max_records))))
    measure_ids = sorted(set(draw(st.lists(record_ids("measure"), max_size=max_records))))
    negotiation_ids = sorted(set(draw(st.lists(record_ids("negotiation"), max_size=2))))
    statement_ids = sorted(set(draw(st.lists(record_ids("statement"), max_size=max_records))))
    pick_party = st.sampled_from(party_ids)
    # With no ids to point at, draw arbitrary ones and empty those lists afterwards.
    pick_measure = st.sampled_from(measure_ids) if measure_ids else record_ids("measure")
    about_ids = measure_ids + negotiation_ids
    pick_about = st.sampled_from(about_ids) if about_ids else record_ids("measure")

    def with_ids(strategy: st.SearchStrategy[T], ids: list[str]) -> list[T]:
        return [
            draw(strategy).model_copy(update={"id": id_, "evidence": draw(_spans_into(texts))})  # type: ignore[attr-defined]
            for id_ in ids
        ]

    party_list = with_ids(parties(references=pick_party), party_ids)
    measure_list = with_ids(measures(party_ids=pick_party), measure_ids)
    negotiation_list = [
        negotiation.model_copy(
            update={
                "measures": negotiation.measures if measure_ids else [],
                "rounds": [
                    round_.model_copy(update={"evidence": draw(_spans_into(texts))})
                    for round_ in negotiation.rounds
                ],
            }
        )
        for negotiation in with_ids(
            negotiations(party_ids=pick_party, measure_ids=pick_measure), negotiation_ids
        )
    ]
    statement_list = [
        statement if about_ids else statement.model_copy(update={"about": []})
        for statement in with_ids(statements(party_ids=pick_party, about_ids=pick_about), statement_ids)
    ]
    return Dataset(
        schema_version=SCHEMA_VERSION,
        sources=source_list,
        parties=party_list,
        negotiations=negotiation_list,
        measures=measure_list,
        statements=statement_list,
    )


MUTATIONS: tuple[str, ...] = (
    "wrong_enum",
    "missing_required",
    "bad_date",
    "bad_country",
    "unknown_field",
    "wrong_type",
    "numeric_string",
    "out_of_range",
    "bad_id",
)
"""The kinds of mutation :func:`invalid_records` applies; each must be rejected by models and schema."""

_REQUIRED = {
    "sources": "kind",
    "parties": "name",
    "negotiations": "title",
    "measures": "type",
    "statements": "text",
}
_ENUM_FIELD = {
    "sources": "kind",
    "parties": "kind",
    "negotiations": "status",
    "measures": "type",
    "statements": "kind",
}
_DATE_FIELD = {
    "sources": "published",
    "parties": None,
    "negotiations": None,
    "measures": "announced",
    "statements": "date",
}
_BAD_DATES = [
    "2025-13",
    "2025-02-30",
    "2023-02-29",
    "2025-W54",
    "2021-W53",
    "25-05",
    "2025/05/14",
    "2025-05\n",
    "0000",
]


@st.composite
def invalid_records(draw: st.DrawFn, table: str) -> tuple[dict[str, Any], str]:
    """A record's JSON form with one mutation the schema rejects, and the mutation's name."""
    record = draw(records(table)).model_dump(mode="json")
    mutation = draw(st.sampled_from(MUTATIONS))
    _mutate(draw, table, record, mutation)
    return record, mutation


def _mutate(draw: st.DrawFn, table: str, record: dict[str, Any], mutation: str) -> None:  # noqa: PLR0912  # one branch per mutation reads best
    if mutation == "wrong_enum":
        record[_ENUM_FIELD[table]] = draw(st.sampled_from(["", "unknown", "Export_Ban", "in force"]))
    elif mutation == "missing_required":
        del record[draw(st.sampled_from(["id", _REQUIRED[table]]))]
    elif mutation == "bad_date":
        field = _DATE_FIELD[table]
        bad = draw(st.sampled_from(_BAD_DATES))
        if field is None:
            record["rounds"] = [{"kind": "talks", "start": bad}]
        else:
            record[field] = bad
    elif mutation == "bad_country":
        bad = draw(st.sampled_from(["us", "USA", "ZZ", "U.S.", ""]))
        if table == "parties":
            record["country"] = bad
        elif table == "negotiations":
            record["rounds"] = [{"kind": "talks", "country": bad}]
        else:
            record["evidence"] = [
                {"source_id": "source:a", "start": 0, "end": 1, "text": "x", "country": bad}
            ]
    elif mutation == "unknown_field":
        record[draw(st.sampled_from(["Id", "notes", "extra"]))] = draw(st.none() | _text)
    elif mutation == "wrong_type":
        record["id"] = draw(st.sampled_from([1, 1.5, True, None, ["a"], {"a": 1}]))
    elif mutation == "numeric_string":
        record["evidence"] = [{"source_id": "source:a", "start": "0", "end": 5, "text": "x"}]
    elif mutation == "out_of_range":
        # Beyond the schema's maximum, beyond int64, and a float that is an integer in JSON Schema.
        end = draw(st.sampled_from([MAX_OFFSET + 1, 2**63, 10**20, 1e20, 10**400, -1]))
        record["evidence"] = [{"source_id": "source:a", "start": 0, "end": end, "text": "x"}]
    else:
        record["id"] = draw(st.sampled_from(["Party:US", "party us", "", "party:us\n", "партия"]))
