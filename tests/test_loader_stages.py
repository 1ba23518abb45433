"""Unit tests of each loader stage on small made-up texts."""

from __future__ import annotations

from tradeschema.loader.measures import find_measures
from tradeschema.loader.mentions import find_mentions
from tradeschema.loader.negotiation import find_negotiation
from tradeschema.loader.parse import parse_article, slugify
from tradeschema.loader.quotes import find_quotes, find_statements
from tradeschema.loader.relative_dates import find_date
from tradeschema.loader.sentences import split_paragraphs, split_sentences
from tradeschema.vocab import MeasureStatus, MeasureType, NegotiationStatus, PartyKind


def _stages(body: str, published: str = "2025-03-12"):  # type: ignore[no-untyped-def]
    text = f"date {published} Headline\n\n{body}"
    article = parse_article(text, name="t.txt")
    paragraphs = split_paragraphs(text, article.body_start)
    sentences = split_sentences(text, paragraphs)
    mentions = find_mentions(text, article.body_start, "source:t", sentences)
    return text, article, paragraphs, sentences, mentions


def test_parse_header_byline_and_body() -> None:
    article = parse_article(" date 2025-06-26 A headline\n\nBy Staff, Agencies\n\nFirst paragraph.", name="a")
    assert (article.published, article.title, article.byline) == (
        "2025-06-26",
        "A headline",
        "Staff, Agencies",
    )
    assert article.text[article.body_start :].strip() == "First paragraph."


def test_parse_plain_text_with_caller_metadata() -> None:
    article = parse_article("Just a body.", published="2025-01", title="T")
    assert (article.published, article.title, article.body_start) == ("2025-01", "T", 0)


def test_sentences_keep_abbreviations_together() -> None:
    text, _, _, sentences, _ = _stages("The U.S. said no. Mr. Smith agreed. “Fine,” he said.")
    assert [text[s.start : s.end] for s in sentences] == [
        "The U.S. said no.",
        "Mr. Smith agreed.",
        "“Fine,” he said.",
    ]


def test_mentions_states_people_media() -> None:
    text, *_, mentions = _stages(
        "Japan's trade minister Ryosei Akazawa met Washington officials, Kyodo reported. "
        "Akazawa said talks went well, according to Brazilian state broadcaster TVB. "
        "The talks were held in Tokyo."
    )
    parties = mentions.parties
    assert parties["party:jp"].kind == "state"
    assert parties["party:us"].aliases == {"Washington"}
    akazawa = parties["party:person:ryosei-akazawa"]
    assert (akazawa.role, akazawa.affiliation, akazawa.country) == ("trade minister", "party:jp", "JP")
    assert len([m for m in mentions.mentions if m.party == akazawa.id]) == 2
    assert parties["party:media:kyodo"].kind == "media"
    assert (parties["party:media:tvb"].kind, parties["party:media:tvb"].country) == ("media", "BR")
    # "in Tokyo" is a place, not Japan's government.
    assert all(text[m.start : m.end] != "Tokyo" for m in mentions.mentions)


def test_roster_resolves_leaders_by_title() -> None:
    _, *_, mentions = _stages("President Xi spoke. Later Xi said more.")
    xi = mentions.parties["party:person:xi-jinping"]
    assert (xi.country, xi.role) == ("CN", "President")


def test_quotes_pairs_and_inner_quotes() -> None:
    text = 'He said: “Go ‘now.’ It’s time,” and left. "Straight" too.'
    paragraphs = split_paragraphs(text, 0)
    quotes = find_quotes(text, paragraphs)
    assert [text[q.open + 1 : q.close] for q in quotes] == ["Go ‘now.’ It’s time,", "Straight"]
    (inner,) = quotes[0].inner
    assert text[inner[0] + 1 : inner[1]] == "now."


def test_statements_direct_reported_and_pronoun() -> None:
    text, article, paragraphs, sentences, mentions = _stages(
        "EU Trade Commissioner Maros Sefcovic said the tariffs were unjustified.\n\n"
        "“We will respond,” he told reporters in Brussels on Monday.\n\n"
        "Talks will continue, officials from both sides said."
    )
    statements = find_statements(
        text,
        published=article.published,
        paragraphs=paragraphs,
        sentences=sentences,
        mentions=mentions,
        quotes=find_quotes(text, paragraphs),
    )
    by_kind = {(s.kind, text[s.start : s.end]): s for s in statements}
    reported = by_kind[("indirect", "the tariffs were unjustified")]
    assert reported.speaker == "party:person:maros-sefcovic"
    direct = by_kind[("direct", "We will respond")]
    assert direct.speaker == "party:person:maros-sefcovic"
    assert direct.cue == "told reporters"
    group = by_kind[("indirect", "Talks will continue")]
    assert group.speaker == "party:group:officials-from-both-sides"


def test_statement_date_and_setting() -> None:
    text, article, paragraphs, sentences, mentions = _stages(
        "Prices will rise, Canadian Finance Minister Jane Doe told reporters in Ottawa on Tuesday."
    )
    (statement,) = find_statements(
        text,
        published=article.published,
        paragraphs=paragraphs,
        sentences=sentences,
        mentions=mentions,
        quotes=[],
    )
    assert statement.setting == "told reporters in Ottawa"
    assert (statement.date_text, statement.date) == ("on Tuesday", "2025-03-11")


def test_measures_noun_and_verb_patterns() -> None:
    text, _, _, sentences, mentions = _stages(
        "India imposed a ban on exports of non-basmati white rice. "
        "Washington slapped tariffs on Chinese electric vehicles. "
        "Beijing threatened to suspend American student visas."
    )
    found = {m.type: m for m in find_measures(text, sentences, mentions)}
    rice = found["export_ban"]
    assert (rice.imposed_by, rice.products, rice.status) == (
        "party:in",
        ["non-basmati white rice"],
        "in_force",
    )
    tariffs = found["import_tariff"]
    assert (tariffs.imposed_by, tariffs.targets) == ("party:us", ["party:cn"])
    visas = found["visa_restriction"]
    assert (visas.imposed_by, visas.targets, visas.status) == ("party:cn", ["party:us"], "threatened")


def test_negotiation_rounds_and_status() -> None:
    text, article, _, sentences, mentions = _stages(
        "Japan and the United States reached a deal after three days of talks in Washington. "
        "The deal goes to parliament for ratification. A summit in Osaka is planned next month."
    )
    draft = find_negotiation(text, sentences, mentions, article.published)
    assert draft is not None
    assert draft.id == "negotiation:jp-us"
    assert draft.status == "pending_approval"
    talks = draft.rounds[0]
    assert (talks.kind, talks.city, talks.country, talks.duration_days) == ("talks", "Washington", "US", 3)


def test_relative_dates() -> None:
    def value(words: str, published: str = "2025-06-26") -> str | None:
        found = find_date(words, 0, len(words), published)
        return found.value if found else None

    assert value("said Wednesday") == "2025-06-25"
    assert value("last month") == "2025-05"
    assert value("last month", "2025-01-10") == "2024-12"
    assert value("last week") == "2025-W25"
    assert value("in December") == "2024-12"
    assert value("Wednesday", "2025-06") is None  # a weekday needs a day-precise publication date
    assert value("it may rain") is None


def test_slugify_is_ascii() -> None:
    assert slugify("Luiz Inácio Lula da Silva") == "luiz-inacio-lula-da-silva"


def test_measure_dates_and_organisations() -> None:
    from tradeschema import load_article_text

    text = (
        "date 2023-05-23 Example\n\nJapan will require export licences for chip tools from July 23, "
        "the ministry said. Chipmaker Nordwind said it expected no disruption. "
        "Shares of Kestrel Holdings fell, and Nordwind said sales would hold up.\n"
    )
    dataset = load_article_text(text)
    (measure,) = dataset.measures
    assert measure.effective == "2023-07-23"  # "from July 23" looks ahead of publication
    orgs = {p.name: p for p in dataset.parties if p.kind == "organization"}
    assert set(orgs) == {"Nordwind", "Kestrel Holdings"}
    assert len(orgs["Nordwind"].evidence) == 2
    assert not [p for p in dataset.parties if p.kind == "person"]


def test_drafts_carry_the_vocabulary_enums() -> None:
    """Kinds, types and statuses are enum members, not strings that happen to be equal to them."""
    text, article, _, sentences, mentions = _stages(
        "Norway and Chile reached a framework deal in Oslo. Norway lifted its ban on imports of salmon "
        "feed, and Anna Berg of Reuters said more would follow."
    )
    assert mentions.mentions
    assert all(type(m.kind) is PartyKind for m in mentions.mentions)
    assert all(type(p.kind) is PartyKind for p in mentions.parties.values())
    measures = find_measures(text, sentences, mentions, article.published)
    assert measures
    assert all(type(m.type) is MeasureType and type(m.status) is MeasureStatus for m in measures)
    draft = find_negotiation(text, sentences, mentions, article.published)
    assert draft is not None and type(draft.status) is NegotiationStatus


def test_wire_style_month_abbreviations_need_their_day() -> None:
    found = find_date("talks on Nov. 19 in Seoul", 0, 25, "2019-11-15")
    assert found is not None and (found.text, found.value) == ("Nov. 19", "2019-11-19")
    assert find_date("the Dec. meeting", 0, 16, "2019-11-15") is None
