"""A small hand-written dataset resembling the seed article (US-China London talks, June 2025).

Written by hand so the export tests do not depend on the article loader, whose output changes as
its rules do; the loaded seed has tests of its own (``test_seed_queries.py``).
"""

from __future__ import annotations

import hashlib

from tradeschema.models import (
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

TEXT = (
    "The United States and China have agreed on a framework to implement their trade truce, officials "
    "on both sides said Wednesday. This came concluding two days of talks in London. "
    "China’s trade negotiator Li Chenggang told reporters in London. "
    "US Commerce Secretary Howard Lutnick told reporters in a separate briefing in London. "
    "China’s restrictions on exports of rare earth minerals and magnets to the US will be resolved, "
    "Lutnick said. The US restricted chip design software exports to China and student visas for "
    "Chinese students, Lutnick said."
)
SOURCE_ID = "source:2025-06-11-us-china-london"


def span(needle: str) -> EvidenceSpan:
    """The evidence span of the first occurrence of ``needle`` in the source text."""
    start = TEXT.index(needle)
    return EvidenceSpan(source_id=SOURCE_ID, start=start, end=start + len(needle), text=needle)


def seedlike_dataset() -> Dataset:
    """US and CN, Lutnick and Li Chenggang, three measures, statements about them, a negotiation."""
    source = Source(
        id=SOURCE_ID,
        kind="news_article",
        title="US, China Agree on Plan to Ease Export Controls",
        published="2025-06-26",
        byline="Staff, Agencies",
        language="en",
        text_sha256=hashlib.sha256(TEXT.encode()).hexdigest(),
        text=TEXT,
    )
    parties = [
        Party(id="party:us", kind="state", name="United States", aliases=["US"], country="US"),
        Party(id="party:cn", kind="state", name="China", country="CN"),
        Party(
            id="party:person:howard-lutnick",
            kind="person",
            name="Howard Lutnick",
            aliases=["Lutnick"],
            country="US",
            role="Commerce Secretary",
            affiliation="party:us",
            evidence=[span("Howard Lutnick")],
        ),
        Party(
            id="party:person:li-chenggang",
            kind="person",
            name="Li Chenggang",
            country="CN",
            role="trade negotiator",
            affiliation="party:cn",
        ),
    ]
    measures = [
        Measure(
            id="measure:cn-rare-earth-export-restriction",
            type="export_restriction",
            imposed_by="party:cn",
            targets=["party:us"],
            products=[Product(text="rare earth minerals and magnets")],
            status="removal_agreed",
            announced="2025-04",
            evidence=[span("restrictions on exports of rare earth minerals and magnets")],
        ),
        Measure(
            id="measure:us-chip-design-software-restriction",
            type="export_restriction",
            imposed_by="party:us",
            targets=["party:cn"],
            products=[Product(text="chip design software")],
            status="removal_agreed",
            announced="2025-05-28",
        ),
        Measure(
            id="measure:us-student-visa-restriction",
            type="visa_restriction",
            imposed_by="party:us",
            targets=["party:cn"],
            status="announced",
            announced="2025-05",
        ),
    ]
    statements = [
        Statement(
            id="statement:lutnick-rare-earths",
            speaker="party:person:howard-lutnick",
            speaker_text="Lutnick",
            kind="indirect",
            text="China’s restrictions on rare earths will be resolved",
            cue="said",
            date="2025-06-11",
            about=["measure:cn-rare-earth-export-restriction"],
        ),
        Statement(
            id="statement:lutnick-us-measures",
            speaker="party:person:howard-lutnick",
            speaker_text="Lutnick",
            kind="indirect",
            text="The US restricted chip design software exports and student visas",
            cue="said",
            date="2025-06-11",
            about=["measure:us-chip-design-software-restriction", "measure:us-student-visa-restriction"],
            confidence=0.9,
        ),
        Statement(
            id="statement:li-framework",
            speaker="party:person:li-chenggang",
            speaker_text="Li Chenggang",
            kind="indirect",
            text="agreed in principle to a framework",
            cue="told reporters",
            setting="told reporters in London",
            date="2025-06-11",
            about=["negotiation:cn-us"],
        ),
    ]
    negotiation = Negotiation(
        id="negotiation:cn-us",
        title="US-China trade talks",
        parties=["party:us", "party:cn"],
        topics=["export_controls", "critical_minerals"],
        # Reported out of date order, as the article does: London first, then Geneva and the call.
        rounds=[
            Round(kind="talks", city="London", country="GB", start="2025-06-09", end="2025-06-10"),
            Round(kind="talks", city="Geneva", country="CH", start="2025-05", date_text="last month"),
            Round(kind="call", start="2025-W23", date_text="last week"),
        ],
        status="agreed_in_principle",
        outcome="framework agreed in principle",
        pending=["approval by leaders"],
        measures=[m.id for m in measures],
    )
    return Dataset(
        schema_version=SCHEMA_VERSION,
        sources=[source],
        parties=parties,
        negotiations=[negotiation],
        measures=measures,
        statements=statements,
    )
