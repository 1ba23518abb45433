"""Classes of news wording the loader handles, each on sentences written for these tests.

One test per class of wording, never per article: the sentences below are not taken from any
article the loader is evaluated on.
"""

from __future__ import annotations

from typing import Any

from tradeschema import Dataset, load_article_text
from tradeschema.loader.mentions import Mention, MentionIndex, PartyDraft


def _load(body: str) -> Dataset:
    return load_article_text(f"date 2022-05-10 Test\n\nBy Test Desk\n\n{body}\n")


def _names(dataset: Dataset) -> dict[str, str]:
    return {party.id: party.name for party in dataset.parties}


def _said(dataset: Dataset, fragment: str) -> Any:
    found = [s for s in dataset.statements if fragment in s.text]
    assert found, [s.text for s in dataset.statements]
    return found[0]


# --- Names ----------------------------------------------------------------------------------------


def test_hyphenated_given_names_stay_whole() -> None:
    dataset = _load("Marie-Louise Berger says the plan will cost farmers dearly.")
    assert "Marie-Louise Berger" in _names(dataset).values()
    assert _names(dataset)[_said(dataset, "cost farmers").speaker] == "Marie-Louise Berger"


def test_honorifics_surnames_that_are_words_and_short_forms_join_the_full_person() -> None:
    dataset = _load(
        "Trade Secretary Ana Ruiz met Chilean officials. Ms Ruiz said the copper duties would stay. "
        "Vice Premier He Lanfang flew to Lima. He Lanfang said Peru would wait. "
        "Deputy Prime Minister Oliver May spoke later. May said talks would go on. "
        "Mrs May added that Chile had been told."
    )
    names = _names(dataset)
    assert [names[s.speaker] for s in dataset.statements] == [
        "Ana Ruiz",
        "He Lanfang",
        "Oliver May",
        "Oliver May",
    ]
    assert not any(name.startswith(("Ms ", "Mrs ")) for name in names.values())


# --- Speakers that are described ------------------------------------------------------------------


def test_a_name_before_a_description_is_the_speaker() -> None:
    dataset = _load(
        "Tomasz Wrona, head of the trade desk at the bank Nordvik Capital in Oslo, said the duties "
        "would hurt shipyards. Peter Lund, a White House trade adviser, said talks would resume."
    )
    names = _names(dataset)
    assert names[_said(dataset, "hurt shipyards").speaker] == "Tomasz Wrona"
    assert names[_said(dataset, "talks would resume").speaker] == "Peter Lund"
    (lund,) = [p for p in dataset.parties if p.name == "Peter Lund"]
    assert lund.role is not None and "trade adviser" in lund.role
    assert lund.country == "US"
    (wrona,) = [p for p in dataset.parties if p.name == "Tomasz Wrona"]
    assert wrona.role == "head of the trade desk"


def test_a_later_surname_resolves_to_the_described_person() -> None:
    dataset = _load(
        'Peter Lund, a White House trade adviser, said talks would resume. "We are close," Lund said.'
    )
    assert _names(dataset)[_said(dataset, "We are close").speaker] == "Peter Lund"


def test_a_part_of_the_company_speaks_for_the_company_named_last() -> None:
    dataset = _load(
        "Chipmaker Nordvik halted wafer sales to Chile. The company's European arm said shipments had stopped."
    )
    assert _names(dataset)[_said(dataset, "shipments had stopped").speaker] == "Nordvik"


# --- The mention index ----------------------------------------------------------------------------


def test_mention_index_answers_across_its_buckets() -> None:
    index = MentionIndex("source:x")
    index.parties["p"] = PartyDraft("p", "state", "P")
    text = "x" * 20_000
    # Added out of order and on both sides of a 4,096-character bucket boundary.
    for start in (9_000, 4_090, 12, 4_100, 8_190):
        index.add(Mention(start, start + 8, "p", "state"), text)
    assert [m.start for m in index.mentions] == [12, 4_090, 4_100, 8_190, 9_000]
    assert [m.start for m in index.covering(4_000, 8_199)] == [4_090, 4_100, 8_190]
    assert [m.start for m in index.covering(4_000, 8_197)] == [4_090, 4_100]
    found = index.starting_at(4_095, slack=6)
    assert found is not None and found.start == 4_100
    ending = index.ending_at(4_098)
    assert ending is not None and ending.start == 4_090
    assert index.starting_at(15_000, slack=100) is None


def test_a_name_described_with_which_is_an_organisation() -> None:
    dataset = _load("Halvorsen Marine, which builds ferries in Bergen, said it would cut jobs.")
    (halvorsen,) = [p for p in dataset.parties if p.name == "Halvorsen Marine"]
    assert halvorsen.kind == "organization"
    assert _said(dataset, "cut jobs").speaker == halvorsen.id


def test_a_description_referring_back_to_a_body_gives_its_country() -> None:
    dataset = _load(
        "Japan's Ministry of Economy, Trade and Industry tightened its rules on Monday. "
        "Kenta Mori, a senior official at the ministry, said the rules would stay."
    )
    (mori,) = [p for p in dataset.parties if p.name == "Kenta Mori"]
    assert mori.country == "JP"


# --- Measure wording ------------------------------------------------------------------------------


def _measures(dataset: Dataset) -> list[tuple[str, str, str | None, list[str]]]:
    names = _names(dataset)
    return [
        (m.type.value, m.status.value, names.get(m.imposed_by or ""), [p.text for p in m.products])
        for m in dataset.measures
    ]


def test_items_of_a_product_list_become_products() -> None:
    dataset = _load(
        "Norway imposed tariffs on $2.5 billion of U.S. goods including salmon feed, apples and motorboats."
    )
    ((kind, _, imposer, products),) = _measures(dataset)
    assert (kind, imposer) == ("import_tariff", "Norway")
    assert {"salmon feed", "apples", "motorboats"} <= set(products)
    assert "$2.5 billion of U.S. goods" in products


def test_a_list_ranging_from_one_item_to_another() -> None:
    dataset = _load("Brazil slapped duties on American products ranging from ethanol to tractors on Monday.")
    ((_, _, _, products),) = _measures(dataset)
    assert {"ethanol", "tractors"} <= set(products)


def test_an_investigation_is_a_proposed_measure_and_duties_may_target_imports() -> None:
    dataset = _load(
        "India launched an anti-subsidy investigation into solar glass from Vietnam. "
        "Australia imposed anti-dumping duties targeting imports of wind towers from Spain."
    )
    found = {(kind, status, imposer) for kind, status, imposer, _ in _measures(dataset)}
    assert ("countervailing", "proposed", "India") in found
    assert ("anti_dumping", "in_force", "Australia") in found


def test_a_company_halting_its_own_exports_is_not_a_state_measure() -> None:
    own = _load(
        "German carmaker Voltwerk suspended exports of its electric vans to Russia on Monday. "
        "Nordvik Semiconductors said the company would halt sales of wafers to Chile."
    )
    assert _measures(own) == []
    ordered = _load("Peru ordered Minera Andina Corp to halt exports of copper to Chile.")
    assert [(kind, imposer) for kind, _, imposer, _ in _measures(ordered)] == [("export_ban", "Peru")]
    state = _load("Canada suspended exports of potash to Belarus, chipmaker Nordvik said.")
    assert [(kind, imposer) for kind, _, imposer, _ in _measures(state)] == [("export_ban", "Canada")]


def test_prohibitions_written_around_the_flow() -> None:
    def found(body: str) -> list[tuple[str, str, str | None, list[str], list[str]]]:
        dataset = _load(body)
        names = _names(dataset)
        return [
            (kind, status, imposer, products, [names[t] for t in m.targets])
            for (kind, status, imposer, products), m in zip(_measures(dataset), dataset.measures, strict=True)
        ]

    assert found("Chilean firms are barred from exporting lithium to Peru.") == [
        ("export_ban", "in_force", "Chile", ["lithium"], ["Peru"])
    ]
    assert found("Peru banned its miners from selling copper ore to China.") == [
        ("export_ban", "in_force", "Peru", ["copper ore"], ["China"])
    ]
    assert found("Advanced drones may no longer be shipped to Chile, Peru's trade ministry said.") == [
        ("export_ban", "in_force", "Peru", ["Advanced drones"], ["Chile"])
    ]
    assert found("Imports of Chilean grapes are prohibited from June 1.")[0][:4] == (
        "import_ban",
        "in_force",
        None,
        ["Chilean grapes"],
    )
    assert found("Exports of salmon feed to Norway will be banned by Chile.") == [
        ("export_ban", "announced", "Chile", ["salmon feed"], ["Norway"])
    ]
    assert found("Chile will bar imports of apples from Argentina.") == [
        ("import_ban", "announced", "Chile", ["apples"], ["Argentina"])
    ]


def test_forced_divestment_and_a_state_taking_control_are_investment_measures() -> None:
    def found(body: str) -> list[tuple[str, str, str | None, list[str], list[str]]]:
        dataset = _load(body)
        names = _names(dataset)
        return [
            (kind, status, imposer, products, [names[t] for t in m.targets])
            for (kind, status, imposer, products), m in zip(_measures(dataset), dataset.measures, strict=True)
        ]

    assert found("Peru ordered Chilean miner Andes Cobre to divest its stake in the Ilo smelter.") == [
        ("investment_restriction", "in_force", "Peru", ["Ilo smelter"], ["Andes Cobre"])
    ]
    assert found("The Chilean government took control of chipmaker Nordvik on Sunday.") == [
        ("investment_restriction", "in_force", "Chile", ["Nordvik"], ["Nordvik"])
    ]
    assert found("Chile threatened a forced sale of chipmaker Nordvik.")[0][:3] == (
        "investment_restriction",
        "threatened",
        "Chile",
    )
    # A company buying or selling on its own is no state measure.
    assert found("Chipmaker Nordvik said it would take over miner Andes Cobre.") == []


def test_a_passive_between_the_measure_noun_and_its_products() -> None:
    announced = _load("Duties will be imposed on Canadian lumber by Peru from June 1.")
    assert _measures(announced) == [("import_tariff", "announced", "Peru", ["Canadian lumber"])]
    assert announced.measures[0].targets == ["party:ca"]
    in_force = _load("Tariffs were slapped on Chilean wine by Peru last year.")
    assert _measures(in_force) == [("import_tariff", "in_force", "Peru", ["Chilean wine"])]
    threatened = _load("Chile said duties could be imposed on Brazilian fish.")
    assert _measures(threatened) == [("import_tariff", "threatened", "Chile", ["Brazilian fish"])]


def test_goods_paying_a_rate_without_a_tariff_noun() -> None:
    dataset = _load("Under the deal, cars from Peru will pay 27.5% when they enter Chile.")
    assert _measures(dataset) == [("import_tariff", "announced", "Chile", ["cars"])]
    assert dataset.measures[0].targets == ["party:pe"]
    assert _measures(_load("Brazilian steel paid 10% last year, Peru said.")) == [
        ("import_tariff", "in_force", "Peru", ["Brazilian steel"])
    ]
    # Firms paying a rate pay their share of a measure named elsewhere; a rise in prices is no rate.
    assert _measures(_load("Other producers in Peru will have to pay 12% duty.")) == []
    assert _measures(_load("Chilean consumers will pay 20% more for cars.")) == []


def test_a_weekday_is_never_a_product() -> None:
    (measure,) = _load("Peru raised duties on Monday, saying the move protected its miners.").measures
    assert (measure.imposed_by, measure.products) == ("party:pe", [])


def test_a_measure_with_no_actor_in_its_clause_is_imposed_by_the_official_source() -> None:
    dataset = _load(
        "Further tariffs on Chilean wine will be reviewed, according to the Brazilian Trade Ministry."
    )
    assert [(m.imposed_by, m.targets) for m in dataset.measures] == [("party:br", ["party:cl"])]
    office = _load("Tariffs on Chilean wine will be reviewed, according to the U.S. Trade Representative.")
    assert [(m.imposed_by, m.targets) for m in office.measures] == [("party:us", ["party:cl"])]


def test_the_states_hit_with_a_measure_are_its_targets_and_a_sentence_opening_possessor_imposes() -> None:
    hit = _load("Peru said it would hit the EU, Canada and Mexico with 25 percent duties on imported steel.")
    assert [(m.imposed_by, m.targets) for m in hit.measures] == [
        ("party:pe", ["party:eu", "party:ca", "party:mx"])
    ]
    owned = _load("Chile's retaliatory list included a 20% tariff on US pork legs.")
    assert [(m.imposed_by, m.targets) for m in owned.measures] == [("party:cl", ["party:us"])]


def test_every_form_of_announce_gives_announced() -> None:
    dataset = _load("Chile retaliated after Peru's government announcing tariffs on Chilean wine.")
    assert [(m.status.value, m.imposed_by) for m in dataset.measures] == [("announced", "party:pe")]


def test_a_ban_takes_its_side_from_the_flow_its_products_name() -> None:
    assert _measures(_load("Peru extended its ban on raw copper shipments.")) == [
        ("export_ban", "in_force", "Peru", ["raw copper shipments"])
    ]
    found = _load("Peru said shipments of drones to Chilean army units were prohibited.").measures
    assert [(m.type.value, m.imposed_by, m.targets) for m in found] == [
        ("export_ban", "party:pe", ["party:cl"])
    ]


def test_a_measure_in_a_sentence_naming_no_actor_is_the_lead_actors() -> None:
    dataset = _load(
        "Chile on Tuesday raised duties on Peruvian copper.\n\n"
        "In a notice, the Ministry of Commerce said shipments of drones to American buyers were prohibited."
    )
    drones = [m for m in dataset.measures if m.type == "export_ban"]
    assert [(m.imposed_by, m.targets) for m in drones] == [("party:cl", ["party:us"])]
    # A sentence naming another state that may act is not given the lead actor.
    other = _load(
        "Chile on Tuesday raised duties on copper.\n\n"
        "Tariffs on wine from Peru will be reviewed, Brazil's trade minister said."
    )
    wine = [m for m in other.measures if "wine" in [p.text for p in m.products]]
    assert [(m.imposed_by, m.targets) for m in wine] == [(None, ["party:pe"])]


def test_demonyms_of_smaller_trading_states_name_the_origin() -> None:
    (levy,) = _load("Chile announced a 15% levy on Peruvian fish and Ecuadorian shrimp.").measures
    assert levy.targets == ["party:pe", "party:ec"]


def test_a_leaders_administration_is_the_state_and_a_list_of_destinations_all_targets() -> None:
    dataset = _load(
        "The Biden administration imposed restrictions on the sale of advanced chips to Russia, Iran and China."
    )
    assert "Joe Biden" not in _names(dataset).values()
    assert [(m.type.value, m.imposed_by, m.targets) for m in dataset.measures] == [
        ("export_restriction", "party:us", ["party:ru", "party:ir", "party:cn"])
    ]
    # A state after a comma that opens the attribution is not one of the list.
    (said,) = _load("Advanced drones may no longer be shipped to Chile, Peru's trade ministry said.").measures
    assert said.targets == ["party:cl"]


def test_a_product_phrase_skips_a_quantifier_and_stops_at_a_second_rate() -> None:
    up_to = _load("Peru threatened tariffs on up to $200 billion of Chilean goods.")
    assert [p.text for p in up_to.measures[0].products] == ["$200 billion of Chilean goods"]
    parallel = _load("Peru will hit Chile with 25 percent duties on imported steel and 10 percent on copper.")
    # The second rate is a measure of its own (see test_a_second_rate_in_the_clause_is_a_second_measure).
    assert sorted(p.text for m in parallel.measures for p in m.products) == ["copper", "imported steel"]


# --- Negotiations ---------------------------------------------------------------------------------


def test_signing_a_deal_concludes_the_negotiation_and_reaching_one_agrees_it() -> None:
    signed = _load(
        "Chile and Peru signed a long-delayed “green” trade deal in Lima on Tuesday after months of talks."
    )
    (negotiation,) = signed.negotiations
    assert negotiation.status == "concluded"
    reached = _load(
        "Chile and Peru reached a preliminary fisheries trade deal on Tuesday after months of talks."
    )
    (negotiation,) = reached.negotiations
    assert negotiation.status == "agreed_in_principle"


def test_a_round_in_the_city_its_negotiators_travelled_to() -> None:
    dataset = _load(
        "Negotiators from Chile flew to Tokyo this week to continue talks with Japan on fish tariffs. "
        "Discussions will resume in Santiago next month."
    )
    (negotiation,) = dataset.negotiations
    assert {round_.city for round_ in negotiation.rounds} >= {"Tokyo"}


def test_pending_steps_of_a_deal_still_to_be_approved_signed_or_taken_back() -> None:
    def pending(body: str) -> tuple[str | None, list[str]]:
        (negotiation,) = _load(body).negotiations
        return (negotiation.status.value if negotiation.status else None), negotiation.pending

    talks = "Peru and Chile reached a deal on copper tariffs after talks in Lima."
    assert pending(f"{talks} The deal must be approved by both parliaments.") == (
        "pending_approval",
        ["The deal must be approved by both parliaments"],
    )
    assert pending(f"{talks} The deal will be signed at a summit in June.") == (
        "pending_approval",
        ["The deal will be signed"],
    )
    assert pending(f"{talks} Both sides must now submit the text to their legislatures.")[1] == [
        "Both sides must now submit the text to their legislatures"
    ]
    # The step may stand in the sentence after the talks, with no word about talks in it.
    assert pending(
        "Negotiators from Peru and Chile agreed a text in Lima on Friday. "
        "They will take it back to their leaders for a final decision."
    ) == ("pending_approval", ["take it back to their leaders"])


def test_the_city_where_a_deal_was_signed_is_a_round_unless_talks_were_held_there() -> None:
    (signed,) = _load("Peru and Chile signed a long-delayed copper deal in Lima on Tuesday.").negotiations
    assert (signed.status, [(r.kind.value, r.city) for r in signed.rounds]) == (
        "concluded",
        [("meeting", "Lima")],
    )
    (talks,) = _load(
        "Peru and Chile held talks in Lima on Monday and signed a copper deal in Lima on Tuesday."
    ).negotiations
    assert [(r.kind.value, r.city) for r in talks.rounds] == [("talks", "Lima")]
    (first_phase,) = _load("Peru on Monday signed the first phase of a copper deal with Chile.").negotiations
    assert first_phase.status == "concluded"


def test_a_round_scheduled_for_a_wire_style_date_is_listed_once() -> None:
    (negotiation,) = _load(
        "Chile has filed a complaint about Peru's copper duties, with a second round of deliberations "
        "between the two governments scheduled for Sept. 19."
    ).negotiations
    assert negotiation.status == "scheduled"
    assert [(r.kind.value, r.start) for r in negotiation.rounds] == [("talks", "2021-09-19")]


# --- Reporting verbs ------------------------------------------------------------------------------


def test_reporting_verbs_are_cues_in_every_finite_form() -> None:
    for verb in ("clarifies", "clarified", "specified", "cites", "accused", "stresses", "insisted"):
        dataset = _load(
            f"Peru's trade minister Ana Ruiz {verb} that the duties on Chilean copper would stay."
        )
        statement = _said(dataset, "duties on Chilean copper would stay")
        assert _names(dataset)[statement.speaker] == "Ana Ruiz", verb


def test_a_surname_that_is_an_english_word_continues_a_name() -> None:
    dataset = _load("Vice Premier Wang He met Canada's trade minister in Ottawa. He said talks went well.")
    assert "Wang He" in _names(dataset).values()


def test_descriptions_resolve_to_the_named_person_or_the_last_company() -> None:
    dataset = _load(
        "Peru's President Dina Arce met Chilean officials on Monday. "
        '"We will not retreat," the Peruvian President said. '
        'Copper producer Andes-Minera Corp. said exports would fall. "Prices will rise," the producer said.'
    )
    names = _names(dataset)
    assert names[_said(dataset, "We will not retreat").speaker] == "Dina Arce"
    assert names[_said(dataset, "Prices will rise").speaker] == "Andes-Minera Corp"


# --- Attributions without a finite cue, and pronouns ----------------------------------------------


def test_a_participle_attribution_is_said_by_the_subject() -> None:
    dataset = _load(
        "China's Ministry of Commerce raised duties on copper from Chile on Monday, saying the move "
        "protected domestic miners."
    )
    statement = _said(dataset, "the move protected domestic miners")
    assert _names(dataset)[statement.speaker] == "Ministry of Commerce"


def test_a_document_speaks_for_its_issuer() -> None:
    dataset = _load(
        "China's Ministry of Commerce met copper exporters on Monday. "
        "Duties on Chilean copper will be cut by half, according to the ministry's announcement."
    )
    statement = _said(dataset, "Duties on Chilean copper will be cut by half")
    assert _names(dataset)[statement.speaker] == "Ministry of Commerce"


def test_a_pronoun_goes_to_the_subject_of_the_sentence_that_named_people() -> None:
    dataset = _load(
        "Peru's trade minister Ana Ruiz met Chile's trade minister Luis Toro in Lima. "
        "He said the duties on copper would stay."
    )
    assert _names(dataset)[_said(dataset, "duties on copper would stay").speaker] == "Ana Ruiz"


def test_measure_wording_passives_lists_countermeasures_and_tense() -> None:
    cases = {
        "Duties on Chilean wine were raised to 25 per cent on Monday by Peru.": (
            "import_tariff",
            "in_force",
            "Peru",
        ),
        "Peru added Andes-Minera Corp. and its affiliates to its Entity List on Monday.": (
            "entity_listing",
            "in_force",
            "Peru",
        ),
        "Chile announced countermeasures against Peru on Tuesday.": ("import_tariff", "announced", "Chile"),
        "Peru has cut its tariff on Chilean wine.": ("import_tariff", "removed", "Peru"),
        "Peru's tariff on Chilean wine will come into force on June 1.": (
            "import_tariff",
            "announced",
            "Peru",
        ),
        "Under the new rule, Chilean firms must obtain export licences to sell lithium to China.": (
            "export_licensing",
            "in_force",
            "Chile",
        ),
    }
    for sentence, expected in cases.items():
        ((kind, status, imposer, _),) = _measures(_load(sentence))
        assert (kind, status, imposer) == expected, sentence
    listing = _load(
        "Peru added Andes-Minera Corp. and its affiliates to its Entity List on Monday."
    ).measures[0]
    assert listing.targets == ["party:org:andes-minera-corp"]


# --- Listener and medium --------------------------------------------------------------------------


def test_a_business_channel_is_its_own_medium() -> None:
    dataset = _load(
        "Ana Ruiz, Peru's trade minister, told Fox Business in an interview that the duties would stay."
    )
    statement = _said(dataset, "the duties would stay")
    assert (_names(dataset)[statement.speaker], _names(dataset)[statement.reported_by]) == (
        "Ana Ruiz",
        "Fox Business",
    )


def test_a_listener_or_citing_outlet_is_the_medium_never_the_speaker() -> None:
    told = _load("Peru's trade minister Ana Ruiz told the BBC that the copper duties would stay.")
    statement = _said(told, "copper duties would stay")
    names = _names(told)
    assert (names[statement.speaker], names[statement.reported_by]) == ("Ana Ruiz", "BBC")
    cited = _load('"The duties will stay," Peru\'s trade minister Ana Ruiz said, as cited by Bloomberg.')
    names = _names(cited)
    assert [(s.kind.value, names[s.speaker], names[s.reported_by]) for s in cited.statements] == [
        ("direct", "Ana Ruiz", "Bloomberg")
    ]


def test_future_rounds_and_pending_steps() -> None:
    meeting = _load("Peru and Chile are due to meet in Paris next week to discuss copper tariffs.")
    (negotiation,) = meeting.negotiations
    assert negotiation.status == "scheduled"
    assert [(r.kind.value, r.city) for r in negotiation.rounds] == [("meeting", "Paris")]
    call = _load("Peru and Chile will speak by phone next Tuesday about copper tariffs.")
    (negotiation,) = call.negotiations
    assert [(r.kind.value, r.start) for r in negotiation.rounds] == [("call", "2022-05-17")]
    signed = _load(
        "Peru and Chile agreed a copper deal after three days of meetings in Geneva. The deal is yet to be signed."
    )
    (negotiation,) = signed.negotiations
    assert negotiation.status == "pending_approval"
    assert negotiation.pending == ["The deal is yet to be signed"]
    assert [(r.kind.value, r.city) for r in negotiation.rounds] == [("meeting", "Geneva")]


def test_destination_and_origin_give_the_target() -> None:
    ((_, _, imposer, products),) = _measures(_load("Peru banned exports of copper bound for Chile."))
    banned = _load("Peru banned exports of copper bound for Chile.").measures[0]
    assert (imposer, products, banned.targets) == ("Peru", ["copper"], ["party:cl"])
    tariff = _load("Peru imposed tariffs on steel made in Vietnam.").measures[0]
    assert ([p.text for p in tariff.products], tariff.targets) == (["steel"], ["party:vn"])


def test_a_list_after_the_target_and_a_list_opened_by_namely() -> None:
    after_target = _load("Peru imposed tariffs on 300 products from Chile including grapes, wine and salmon.")
    assert {"grapes", "wine", "salmon"} <= {p.text for p in after_target.measures[0].products}
    namely = _load(
        "Peru announced export controls on two metals needed for batteries, namely lithium and cobalt."
    )
    assert {"lithium", "cobalt"} <= {p.text for m in namely.measures for p in m.products}


def test_bodies_negotiate_for_their_jurisdiction_and_talks_under_way_are_ongoing() -> None:
    dataset = _load(
        "The European Commission said it had reached out to Chilean authorities to discuss its findings. "
        "Technical teams from both sides are conducting new rounds of negotiations on the duties."
    )
    (negotiation,) = dataset.negotiations
    assert sorted(negotiation.parties) == ["party:cl", "party:eu"]
    assert negotiation.status == "ongoing"


def test_three_states_listed_as_one_set_negotiate_together() -> None:
    dataset = _load(
        "Trade talks between Chile, Peru and Bolivia resumed in Lima on Monday. "
        "Chile and Peru also agreed to study a rail link."
    )
    (negotiation,) = dataset.negotiations
    assert sorted(negotiation.parties) == ["party:bo", "party:cl", "party:pe"]


# --- Quote boundaries -----------------------------------------------------------------------------


def test_a_scare_quote_of_one_or_two_words_is_not_a_statement() -> None:
    dataset = _load(
        '"We are ready to talk," Peru\'s trade minister Ana Ruiz said.\n\n'
        '"Reciprocal" tariffs on Chilean grapes took effect on Monday.\n\n'
        "The so-called “green lane” rules were dropped. The “phase one” deal is signed."
    )
    assert [s.text for s in dataset.statements] == ["We are ready to talk"]


def test_a_short_quotation_that_is_said_stays_a_statement() -> None:
    dataset = _load('Asked about the copper duties, Ana Ruiz said, "Never."\n\n"No comment," Ana Ruiz said.')
    assert [(s.kind.value, s.text) for s in dataset.statements] == [
        ("direct", "Never."),
        ("direct", "No comment"),
    ]


def test_a_quotation_running_on_into_the_next_paragraph_is_one_statement() -> None:
    dataset = _load(
        "“The copper duties will stay until Chile moves. We have waited long enough.\n\n"
        "“Our miners expect an answer by June,” said Ana Ruiz, Peru's trade minister.\n\n"
        "Chile did not reply."
    )
    (statement,) = dataset.statements
    assert statement.kind == "direct"
    assert statement.text == (
        "The copper duties will stay until Chile moves. We have waited long enough. "
        "Our miners expect an answer by June"
    )
    assert _names(dataset)[statement.speaker] == "Ana Ruiz"
    # Each paragraph's words are evidence, the line break and the repeated mark are not.
    quoted = [e.text for e in statement.evidence if "copper" in e.text or "miners" in e.text]
    assert quoted == [
        "The copper duties will stay until Chile moves. We have waited long enough.",
        "Our miners expect an answer by June",
    ]


def test_the_tail_after_an_attributed_quotation_is_not_a_statement() -> None:
    dataset = _load(
        '"The duties are unfair," Peru\'s trade minister Ana Ruiz said, standing beside her Chilean peer. '
        "Chile will be “quite happy with the offer”, she said."
    )
    assert [(s.kind.value, s.text) for s in dataset.statements] == [
        ("direct", "The duties are unfair"),
        ("partial", "Chile will be “quite happy with the offer”"),
    ]


def test_a_participle_after_an_attributed_quotation_is_said_by_the_same_speaker() -> None:
    dataset = _load(
        '"The duties are unfair," Peru\'s trade minister Ana Ruiz said, adding that talks would resume.'
    )
    names = _names(dataset)
    assert [(s.kind.value, s.text, names[s.speaker]) for s in dataset.statements] == [
        ("direct", "The duties are unfair", "Ana Ruiz"),
        ("indirect", "talks would resume", "Ana Ruiz"),
    ]


def test_a_sentence_handed_to_a_medium_alone_is_said_by_the_medium() -> None:
    dataset = _load(
        "Peru will retaliate against the copper duties, according to Reuters. "
        "According to Xinhua, Chile will wait. "
        '"We oppose that," Peru\'s trade minister Ana Ruiz said, according to Reuters.'
    )
    names = _names(dataset)
    assert [(s.text, names[s.speaker], names.get(s.reported_by or "")) for s in dataset.statements] == [
        ("Peru will retaliate against the copper duties", "Reuters", None),
        ("Chile will wait", "Xinhua", None),
        ("We oppose that", "Ana Ruiz", "Reuters"),
    ]


def test_a_name_owning_what_only_a_company_owns_is_a_company_and_is_listed() -> None:
    dataset = _load("Peru added Nordvik Semiconductors and its affiliates to its entity list.")
    (firm,) = [p for p in dataset.parties if p.name == "Nordvik Semiconductors"]
    assert (firm.kind.value, firm.country) == ("organization", None)
    (listing,) = dataset.measures
    assert (listing.type.value, listing.imposed_by, listing.targets) == (
        "entity_listing",
        "party:pe",
        [firm.id],
    )
    # "added X to" places; it reports nothing.
    assert dataset.statements == []
    assert _said(_load("Ana Ruiz added that exports to Chile would fall."), "exports to Chile would fall")


def test_the_name_right_before_the_cue_speaks() -> None:
    dataset = _load("Shares of chipmaker Nordvik fell after Peru said fines would follow.")
    assert _names(dataset)[_said(dataset, "fines would follow").speaker] == "Peru"


def test_it_said_is_the_subject_before_or_the_body_named_last() -> None:
    opened = _load(
        "Peru rejected the ruling and appealed to the WTO. It stated that it would protect its miners."
    )
    assert _names(opened)[_said(opened, "it would protect its miners").speaker] == "Peru"
    inside = _load(
        "Peru's Ministry of Trade raised copper duties. Such a step, it said, \u201cprotects our miners.\u201d"
    )
    assert "Ministry of Trade" in _names(inside)[_said(inside, "protects our miners").speaker]


def test_a_clause_before_the_cue_with_a_participle_after_it() -> None:
    dataset = _load("This is a fair deal for both sides, Ana Ruiz said, hoping that Chile would sign.")
    statement = _said(dataset, "a fair deal for both sides")
    assert (statement.kind.value, _names(dataset)[statement.speaker]) == ("indirect", "Ana Ruiz")


def test_a_whole_quoted_clause_after_that_is_direct_a_fragment_partial() -> None:
    whole = _load('Ana Ruiz said that "none of this is fair, but we will talk."')
    assert [(s.kind.value, s.text) for s in whole.statements] == [
        ("direct", "none of this is fair, but we will talk.")
    ]
    fragment = _load('Ana Ruiz said that the duties were "deeply unfair" to miners.')
    assert [s.kind.value for s in fragment.statements] == ["partial"]


def test_a_body_reporting_or_a_source_after_according_to_speaks() -> None:
    reported = _load("Peru exported 2 billion dollars of copper to Chile, the European Commission reported.")
    assert _names(reported)[_said(reported, "Peru exported").speaker] == "European Commission"
    source = _load(
        "Chile produces 60% of the copper used worldwide, according to the Andean Mining Association."
    )
    assert _names(source)[_said(source, "Chile produces").speaker] == "Andean Mining Association"


def test_the_ministry_is_the_ministry_named_last_and_of_two_bodies_the_first_speaks() -> None:
    dataset = _load(
        "Peru's Ministry of Commerce opened a probe. The European Commission objected. "
        "The ministry said it was prompted by a complaint. "
        "The Ministry of Trade and the General Administration of Customs said that exporters need licences."
    )
    names = _names(dataset)
    assert "Ministry of Commerce" in names[_said(dataset, "prompted by a complaint").speaker]
    assert names[_said(dataset, "exporters need licences").speaker].startswith("Ministry of Trade")
    assert not any(name.startswith("The ") for name in names.values())


def test_each_set_of_parties_in_talks_gives_its_own_negotiation() -> None:
    dataset = _load(
        "Peru and Chile held two days of talks in Lima on copper tariffs. The talks stalled over quotas.\n\n"
        "Separately, Norway and Canada reached a deal on fish quotas after a meeting in Oslo. "
        "The deal must be ratified by both parliaments."
    )
    found = {tuple(n.parties): n for n in dataset.negotiations}
    assert set(found) == {("party:cl", "party:pe"), ("party:ca", "party:no")}
    copper, fish = found[("party:cl", "party:pe")], found[("party:ca", "party:no")]
    assert (copper.status, [(r.kind.value, r.city) for r in copper.rounds]) == (
        "stalled",
        [("talks", "Lima")],
    )
    assert (fish.status, [(r.kind.value, r.city) for r in fish.rounds]) == (
        "pending_approval",
        [("meeting", "Oslo")],
    )
    assert fish.pending == ["The deal must be ratified by both parliaments"] and not copper.pending


def test_one_set_of_parties_never_gives_two_negotiations() -> None:
    dataset = _load(
        "Peru and Chile held talks in Lima on copper. Chile and Peru met again in Lima on Friday. "
        "Peru's earlier deal with Mercosur was cited as a model."
    )
    assert [n.parties for n in dataset.negotiations] == [["party:cl", "party:pe"]]
    assert [(r.kind.value, r.city) for r in dataset.negotiations[0].rounds] == [("talks", "Lima")]


def test_a_statement_is_about_the_negotiation_whose_sentences_hold_it() -> None:
    dataset = _load(
        "Peru and Chile held talks in Lima on copper.\n\n"
        "Norway and Canada reached a deal on fish after a meeting in Oslo. "
        '"The deal is good for our fishermen," Norway\'s fisheries minister Ola Dahl said.'
    )
    assert _said(dataset, "good for our fishermen").about == ["negotiation:ca-no"]


def test_an_agreed_text_agrees_the_deal_and_a_finalised_text_concludes_it() -> None:
    def status(body: str) -> str | None:
        (negotiation,) = _load(body).negotiations
        return negotiation.status.value if negotiation.status else None

    assert status("Peru and Chile agreed a text on copper tariffs after two days of talks in Lima.") == (
        "agreed_in_principle"
    )
    assert status("Peru and Chile settled on the draft wording of the copper pact in Lima.") == (
        "agreed_in_principle"
    )
    assert status("Peru and Chile finalised the legal text of their copper deal in Lima.") == "concluded"
    assert status("Trade negotiators for Peru and Chile finalized the text in Lima on Friday.") == "concluded"
    # A step still to come outranks the agreed text.
    assert status(
        "Peru and Chile agreed a text on copper tariffs. They will take it back to their leaders."
    ) == ("pending_approval")
    # A text that is no agreement's words settles nothing.
    assert (
        status("Peru and Chile held talks in Lima. The minister sent a text message to reporters.")
        == "ongoing"
    )


# --- Companies named bare ---------------------------------------------------------------------------


def _orgs(dataset: Dataset) -> set[str]:
    return {party.name for party in dataset.parties if party.kind == "organization"}


def test_a_company_named_bare_is_known_by_what_it_does_or_undergoes() -> None:
    assert _orgs(_load("The rules will hit sales by Nordwind to Chilean buyers.")) == {"Nordwind"}
    assert _orgs(_load("Nordwind makes chips for cars, and its shares fell.")) == {"Nordwind"}
    assert _orgs(_load("Kestrova was added to the list last year.")) == {"Kestrova"}
    listed = _load("Peru added Kestrova and Varnel to its entity list on Monday.")
    assert _orgs(listed) == {"Kestrova", "Varnel"}
    such_as = _load("Chipmakers such as Nordwind, Varnel and Osk Labs will need licences.")
    assert _orgs(such_as) == {"Nordwind", "Varnel", "Osk Labs"}
    # Being added to a list is no speech.
    assert not _load("Kestrova was added to the list last year.").statements


def test_a_one_word_speaker_that_says_it_of_itself_is_a_company() -> None:
    dataset = _load("Peru imposed export controls on copper. Nordwind said it would comply with the rules.")
    statement = _said(dataset, "would comply")
    assert _names(dataset)[statement.speaker] == "Nordwind"
    assert _orgs(dataset) == {"Nordwind"}
    # A company found so is the same company where the article names it again.
    again = _load("Nordwind said it would comply. Sales by Nordwind fell.")
    (company,) = [p for p in again.parties if p.kind == "organization"]
    assert len(company.evidence) == 2


def test_bare_company_rules_leave_people_places_and_sentence_openers_alone() -> None:
    # A person's surname after the full name, a roster leader, a city, a state, an opening common word.
    assert not _orgs(_load("Trade minister Ana Ruiz spoke. Ruiz said it was fair."))
    assert not _orgs(_load("Trump said it was unfair to American farmers."))
    assert not _orgs(_load("Shipments were made by Lima traders. Peru makes copper wire."))
    assert not _orgs(_load("Rules were added to the law. The rules hit exporters."))
    assert not _orgs(_load("Officials said it would pass. Analysts said it would not."))
    # A bare name that is the short form of a company already named is that company.
    named = _load("Kestrova Holdings supplies chips. Sales by Kestrova fell.")
    assert _orgs(named) == {"Kestrova Holdings"}


# --- Parallel rates -----------------------------------------------------------------------------------


def test_a_second_rate_in_the_clause_is_a_second_measure() -> None:
    dataset = _load("Peru will impose tariffs of 25 percent on steel and 10 percent on copper wire.")
    assert sorted(_measures(dataset)) == [
        ("import_tariff", "announced", "Peru", ["copper wire"]),
        ("import_tariff", "announced", "Peru", ["steel"]),
    ]
    three = _load("Peru imposed duties of 25% on steel, 15% on zinc and 10% on copper.")
    assert sorted(p for *_, products in _measures(three) for p in products) == ["copper", "steel", "zinc"]
    assert {status for _, status, _, _ in _measures(three)} == {"in_force"}
    # Targets named after the second product are its own.
    targeted = _load("Peru raised duties to 25 per cent on steel and to 10 per cent on copper from Chile.")
    copper = next(m for m in targeted.measures if [p.text for p in m.products] == ["copper"])
    assert copper.targets == ["party:cl"]


def test_a_number_after_and_that_is_no_rate_gives_no_measure() -> None:
    dataset = _load("Peru imposed tariffs of 25 percent on steel and 10 percent of its imports were checked.")
    assert [products for *_, products in _measures(dataset)] == [["steel"]]
