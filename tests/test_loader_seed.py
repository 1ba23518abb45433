"""Golden test: the facts a careful reader takes from the seed article, written here by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from tradeschema import Dataset, load_article

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_cc4bd68febfd186d.txt"


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_article(SEED)


def _party(dataset: Dataset, name: str):  # type: ignore[no-untyped-def]
    found = [p for p in dataset.parties if p.name == name]
    assert len(found) == 1, f"expected one party named {name!r}, got {[p.name for p in dataset.parties]}"
    return found[0]


def _statements(dataset: Dataset, speaker: str, fragment: str, kind: str):  # type: ignore[no-untyped-def]
    found = [s for s in dataset.statements if s.speaker == speaker and fragment in s.text and s.kind == kind]
    assert found, f"no {kind} statement by {speaker} containing {fragment!r}"
    return found[0]


def test_source_keeps_the_whole_file(dataset: Dataset) -> None:
    (source,) = dataset.sources
    assert source.text == SEED.read_text(encoding="utf-8")
    assert source.title == "US, China Agree on Plan to Ease Export Controls"
    assert source.published == "2025-06-26"
    assert source.byline == "Staff, Agencies"
    assert source.kind == "news_article"
    assert source.language == "en"


def test_states(dataset: Dataset) -> None:
    us, cn = _party(dataset, "United States"), _party(dataset, "China")
    assert (us.id, us.kind, us.country) == ("party:us", "state", "US")
    assert (cn.id, cn.kind, cn.country) == ("party:cn", "state", "CN")


def test_people(dataset: Dataset) -> None:
    lutnick = _party(dataset, "Howard Lutnick")
    assert lutnick.id == "party:person:howard-lutnick"
    assert (lutnick.kind, lutnick.country, lutnick.affiliation) == ("person", "US", "party:us")
    assert lutnick.role == "Commerce Secretary"
    li = _party(dataset, "Li Chenggang")
    assert (li.kind, li.country, li.affiliation) == ("person", "CN", "party:cn")
    assert li.role is not None
    assert "trade negotiator" in li.role.lower()
    trump = _party(dataset, "Donald Trump")
    assert (trump.kind, trump.country, trump.role) == ("person", "US", "President")


def test_media(dataset: Dataset) -> None:
    assert _party(dataset, "Reuters").kind == "media"
    cgtn = _party(dataset, "CGTN")
    assert (cgtn.kind, cgtn.country) == ("media", "CN")


def test_byline_is_not_a_party(dataset: Dataset) -> None:
    names = {p.name.lower() for p in dataset.parties} | {
        a.lower() for p in dataset.parties for a in p.aliases
    }
    assert not names & {"staff", "agencies", "staff, agencies"}


def test_statements(dataset: Dataset) -> None:
    lutnick, li, trump = (
        "party:person:howard-lutnick",
        "party:person:li-chenggang",
        "party:person:donald-trump",
    )
    officials = [s for s in dataset.statements if s.speaker_text == "officials on both sides"]
    assert officials
    assert "agreed on a framework" in officials[0].text
    speaker = next(p for p in dataset.parties if p.id == officials[0].speaker)
    assert speaker.kind == "group"
    assert (officials[0].date_text, officials[0].date) == ("Wednesday", "2025-06-25")

    li_said = _statements(dataset, li, "“in principle”", "partial")
    assert li_said.reported_by == "party:media:cgtn"
    assert li_said.setting is not None
    assert "told reporters in London" in li_said.setting

    approval = _statements(
        dataset, lutnick, "take the proposal back to their leaders for approval", "indirect"
    )
    assert approval.reported_by == "party:media:reuters"

    _statements(dataset, lutnick, "If that is approved, we will then implement the framework", "direct")
    _statements(dataset, lutnick, "both had agreed to roll back export controls", "indirect")

    fundamental = _statements(dataset, lutnick, "“fundamental” part", "partial")
    assert fundamental.reported_by == "party:media:reuters"
    assert "rare earth minerals and magnets" in fundamental.text

    _statements(dataset, lutnick, "Also, there were a number of measures", "direct")
    _statements(dataset, lutnick, "You should expect those to come off", "direct")

    balanced = _statements(dataset, trump, "In a balanced way.", "direct")
    assert balanced.via == lutnick


def test_measures(dataset: Dataset) -> None:
    by_product = {p.text: m for m in dataset.measures for p in m.products}
    rare = by_product["rare earth minerals and magnets"]
    assert (rare.imposed_by, rare.targets, rare.status) == ("party:cn", ["party:us"], "removal_agreed")
    chips = next(m for text, m in by_product.items() if "chip design software" in text)
    assert (chips.imposed_by, chips.targets) == ("party:us", ["party:cn"])
    visas = next(m for m in dataset.measures if m.type == "visa_restriction")
    assert (visas.imposed_by, visas.targets, visas.status) == ("party:us", ["party:cn"], "threatened")
    assert any("revoke" in span.text for span in visas.evidence)
    fundamental = next(s for s in dataset.statements if "“fundamental”" in s.text)
    assert rare.id in fundamental.about


def test_negotiation(dataset: Dataset) -> None:
    (negotiation,) = dataset.negotiations
    assert sorted(negotiation.parties) == ["party:cn", "party:us"]
    assert negotiation.status in ("agreed_in_principle", "pending_approval")
    assert any("approval" in step for step in negotiation.pending)
    london = next(r for r in negotiation.rounds if r.city == "London")
    assert (london.kind, london.venue, london.duration_days, london.country) == (
        "talks",
        "Lancaster House",
        2,
        "GB",
    )
    geneva = next(r for r in negotiation.rounds if r.city == "Geneva")
    assert (geneva.kind, geneva.start, geneva.date_text) == ("talks", "2025-05", "last month")
    call = next(r for r in negotiation.rounds if r.kind == "call")
    assert call.date_text == "last week"
    assert call.start == "2025-W25"  # the ISO week of 2025-06-19, seven days before publication


def test_every_span_matches_the_text(dataset: Dataset) -> None:
    text = dataset.sources[0].text
    assert text is not None
    records = [*dataset.parties, *dataset.measures, *dataset.statements, *dataset.negotiations]
    spans = [span for record in records for span in record.evidence]
    spans += [span for n in dataset.negotiations for r in n.rounds for span in r.evidence]
    assert spans
    for span in spans:
        assert span.text == text[span.start : span.end]
