"""Tests of the evaluation against gold annotations: the gold files, the matching, the scores, the CLI.

Known answers below are counted by hand from the small datasets built in each test.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import tradeschema
from tradeschema.cli import main
from tradeschema.errors import InputError
from tradeschema.loader.evaluate import (
    ArticleResult,
    EvaluationResult,
    GoldFile,
    TypeScore,
    evaluate,
    evaluate_dataset,
    find_gold_files,
    load_gold,
    normalize_name,
    normalize_text,
)
from tradeschema.models import Dataset, Measure, Negotiation, Party, Product, Round, Statement

ARTICLES = Path(__file__).parent / "articles"


def _dataset(**lists: Any) -> Dataset:
    return Dataset(schema_version="1.0.0", **lists)


def _party(pid: str, name: str, kind: str, **extra: Any) -> Party:
    return Party(id=pid, name=name, kind=kind, **extra)


# --- The gold files -----------------------------------------------------------------------------------


def test_at_least_twelve_articles_each_with_gold() -> None:
    articles = sorted(ARTICLES.glob("*.txt"))
    golds = sorted(ARTICLES.glob("*.gold.json"))
    assert len(articles) >= 12
    assert [path.name.removesuffix(".gold.json") for path in golds] == [path.stem for path in articles]


@pytest.mark.parametrize("path", sorted(ARTICLES.glob("*.gold.json")), ids=lambda path: path.name)
def test_gold_file_parses_and_agrees_with_its_article(path: Path) -> None:
    gold = load_gold(path)
    assert gold.article == path.name.replace(".gold.json", ".txt")
    text = (ARTICLES / gold.article).read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[0].startswith("date ")
    assert lines[1] == ""
    assert lines[2].startswith("By ")
    assert 150 <= len(text.split()) <= 400
    plain = normalize_text(text)
    for statement in gold.statements:
        assert normalize_text(statement.text) in plain, statement.text
    for measure in gold.measures:
        if measure.product is not None:
            assert measure.product == measure.product.lower()
            assert normalize_text(measure.product) in plain, measure.product


def test_find_gold_files_expands_folders() -> None:
    files = find_gold_files([ARTICLES])
    assert files == sorted(ARTICLES.glob("*.gold.json"))
    assert find_gold_files([files[0]]) == [files[0]]
    with pytest.raises(InputError, match="no such file"):
        find_gold_files([ARTICLES / "missing.gold.json"])


# --- Loading and validating gold ----------------------------------------------------------------------


def _write_gold(folder: Path, data: Any, name: str = "001_test.gold.json") -> Path:
    (folder / "001_test.txt").write_text("date 2025-06-26 Headline\n\nBy Staff\n\nText.\n", encoding="utf-8")
    path = folder / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_invalid_value_names_file_and_key(tmp_path: Path) -> None:
    path = _write_gold(tmp_path, {"article": "001_test.txt", "measures": [{"type": "tariff"}]})
    with pytest.raises(InputError) as info:
        load_gold(path)
    assert str(path) in str(info.value)
    assert "measures[0].type" in str(info.value)


def test_unknown_key_is_rejected(tmp_path: Path) -> None:
    path = _write_gold(tmp_path, {"article": "001_test.txt", "parties": [{"name": "China", "knd": "state"}]})
    with pytest.raises(InputError, match=r"parties\[0\]\.knd"):
        load_gold(path)


def test_reference_to_unlisted_party_is_rejected(tmp_path: Path) -> None:
    data = {
        "article": "001_test.txt",
        "parties": [{"name": "China", "kind": "state"}],
        "statements": [{"speaker": "Li Chenggang", "text": "in principle"}],
    }
    with pytest.raises(InputError, match=r"statements\[0\]\.speaker: 'Li Chenggang'"):
        load_gold(_write_gold(tmp_path, data))


def test_group_parties_and_missing_articles_are_rejected(tmp_path: Path) -> None:
    group = {"article": "001_test.txt", "parties": [{"name": "officials", "kind": "group"}]}
    with pytest.raises(InputError, match="group parties"):
        load_gold(_write_gold(tmp_path, group))
    with pytest.raises(InputError, match=r"no such file 'nope\.txt'"):
        load_gold(_write_gold(tmp_path, {"article": "nope.txt"}))


def test_malformed_json_gives_the_line(tmp_path: Path) -> None:
    text = '{\n  "article": "001_test.txt",\n}'
    path = _write_gold(tmp_path, text)
    with pytest.raises(InputError) as info:
        load_gold(path)
    assert info.value.file == str(path)
    # The line Python's parser blames: the closing brace (line 3) before 3.13, the trailing comma
    # (line 2) since.
    with pytest.raises(json.JSONDecodeError) as parsed:
        json.loads(text)
    assert info.value.line == parsed.value.lineno
    assert info.value.line in (2, 3)


# --- Normalisation ------------------------------------------------------------------------------------


def test_normalisation() -> None:
    assert normalize_text("  “If  that\nis approved,”  ") == "if that is approved,"
    assert normalize_text("We’ve") == normalize_text("We've")
    assert normalize_name("the Netherlands") == normalize_name("Netherlands")
    assert normalize_name("Rémy Cointreau") == normalize_name("Remy Cointreau")
    assert normalize_name("Ministry of Commerce (China)") == normalize_name("ministry of commerce")
    assert normalize_name("China’s Ministry of Commerce") == normalize_name("China's Ministry of Commerce")


# --- Matching and scores on hand-built datasets -------------------------------------------------------

GOLD = GoldFile.model_validate(
    {
        "article": "x.txt",
        "parties": [
            {"name": "United States", "kind": "state", "country": "US", "aliases": ["US"]},
            {"name": "China", "kind": "state", "country": "CN"},
            {"name": "Howard Lutnick", "kind": "person", "country": "US", "role": "Commerce Secretary"},
            {"name": "Reuters", "kind": "media"},
        ],
        "measures": [
            {
                "type": "export_restriction",
                "imposed_by": "China",
                "targets": ["United States"],
                "product": "rare earth",
                "status": "removal_agreed",
            },
            {"type": "export_restriction", "imposed_by": "United States", "product": "software"},
        ],
        "statements": [
            {
                "speaker": "Howard Lutnick",
                "kind": "direct",
                "text": "If that is approved",
                "reported_by": "Reuters",
            },
            {"speaker": None, "kind": "indirect", "text": "agreed on a framework"},
        ],
        "negotiations": [
            {
                "parties": ["United States", "China"],
                "status": "agreed_in_principle",
                "rounds": [{"kind": "talks", "city": "London"}, {"kind": "talks", "city": "Geneva"}],
            }
        ],
    }
)

PREDICTED = _dataset(
    parties=[
        _party("p:us", "US", "state", aliases=["United States"], country="US"),
        _party("p:cn", "China", "state"),
        _party("p:lutnick", "Howard Lutnick", "person", country="US", role="US Commerce Secretary"),
        _party("p:officials", "officials on both sides", "group"),
        _party("p:li", "Li Chenggang", "person", country="CN"),
        _party("p:cgtn", "CGTN", "media"),
    ],
    measures=[
        Measure(
            id="m:rare-earth",
            type="export_restriction",
            imposed_by="p:cn",
            targets=["p:us"],
            products=[Product(text="rare earth minerals and magnets")],
            status="in_force",
        ),
        Measure(
            id="m:software",
            type="export_restriction",
            imposed_by="p:us",
            products=[Product(text="chip design software")],
            status="threatened",
        ),
        Measure(id="m:tariff", type="import_tariff", imposed_by="p:us"),
    ],
    statements=[
        Statement(
            id="s:lutnick",
            speaker="p:lutnick",
            kind="direct",
            text="“If that is approved, we will then implement the framework,”",
        ),
        Statement(
            id="s:officials",
            speaker="p:officials",
            kind="indirect",
            text="The United States and China have agreed on a framework to implement their trade truce",
        ),
        Statement(id="s:li", speaker="p:li", kind="partial", text="agreed “in principle” to a framework"),
    ],
    negotiations=[
        Negotiation(
            id="n:cn-us",
            title="US-China trade talks",
            parties=["p:cn", "p:us"],
            status="agreed_in_principle",
            rounds=[Round(kind="talks", city="London"), Round(kind="call")],
        )
    ],
)


def test_scores_of_a_hand_built_dataset() -> None:
    result = evaluate_dataset(GOLD, PREDICTED)
    party = result.scores["party"]
    # The group party is not counted: 5 predicted; US, China and Lutnick match; Reuters is missed.
    assert (party.gold, party.predicted, party.matched) == (4, 5, 3)
    assert party.precision == pytest.approx(3 / 5)
    assert party.recall == pytest.approx(3 / 4)
    assert party.f1 == pytest.approx(2 / 3)
    # China is predicted without a country; Lutnick's role contains the gold fragment.
    assert (party.attributes["country"].correct, party.attributes["country"].checked) == (2, 3)
    assert (party.attributes["role"].correct, party.attributes["role"].checked) == (1, 1)
    assert result.missed["party"] == ["Reuters (media)"]
    assert sorted(result.spurious["party"]) == ["p:cgtn", "p:li"]

    measure = result.scores["measure"]
    assert (measure.gold, measure.predicted, measure.matched) == (2, 3, 2)
    assert measure.precision == pytest.approx(2 / 3)
    assert measure.recall == 1.0
    assert measure.f1 == pytest.approx(0.8)
    assert (measure.attributes["status"].correct, measure.attributes["status"].checked) == (0, 1)
    assert (measure.attributes["targets"].correct, measure.attributes["targets"].checked) == (1, 1)
    assert result.spurious["measure"] == ["m:tariff"]

    statement = result.scores["statement"]
    # The unresolved gold speaker accepts the group speaker; Li's partial quote is in excess.
    assert (statement.gold, statement.predicted, statement.matched) == (2, 3, 2)
    assert (statement.attributes["reported_by"].correct, statement.attributes["reported_by"].checked) == (
        0,
        1,
    )
    assert result.spurious["statement"] == ["s:li"]

    negotiation = result.scores["negotiation"]
    assert (negotiation.gold, negotiation.predicted, negotiation.matched) == (1, 1, 1)
    assert negotiation.f1 == 1.0
    assert (negotiation.attributes["status"].correct, negotiation.attributes["status"].checked) == (1, 1)
    # London is found, Geneva is not: 1 of 2 rounds.
    assert (negotiation.attributes["rounds"].correct, negotiation.attributes["rounds"].checked) == (1, 2)


def test_attribute_strict_scores_need_the_attributes_right() -> None:
    result = evaluate_dataset(GOLD, PREDICTED)
    # China is predicted without its country: 2 of the 3 matched parties are strict matches.
    party = result.scores["party"]
    assert (party.matched, party.strict) == (3, 2)
    assert party.strict_precision == pytest.approx(2 / 5)
    assert party.strict_recall == pytest.approx(2 / 4)
    # The rare-earth measure has the wrong status; the software measure has no gold status to check.
    assert result.scores["measure"].strict == 1
    # Lutnick's quote misses its medium (Reuters); the unresolved statement has nothing to check.
    assert result.scores["statement"].strict == 1
    assert result.scores["negotiation"].strict == 1
    assert result.scores["negotiation"].strict_f1 == 1.0
    totals = EvaluationResult([result, result]).totals
    assert (totals["party"].matched, totals["party"].strict) == (6, 4)


def test_totals_are_micro_averaged() -> None:
    first = evaluate_dataset(GOLD, PREDICTED)
    empty = evaluate_dataset(GOLD, _dataset())
    result = EvaluationResult([first, empty])
    party = result.totals["party"]
    assert (party.gold, party.predicted, party.matched) == (8, 5, 3)
    assert party.precision == pytest.approx(3 / 5)
    assert party.recall == pytest.approx(3 / 8)
    assert party.f1 == pytest.approx(2 * (3 / 5) * (3 / 8) / (3 / 5 + 3 / 8))
    assert result.totals["party"].attributes["country"].checked == 3
    data = result.to_dict()
    assert data["totals"]["measure"]["matched"] == 2
    assert data["articles"][1]["scores"]["statement"]["precision"] is None
    assert data["articles"][1]["missed"]["negotiation"] == ["United States / China"]


def test_undefined_ratios() -> None:
    score = TypeScore(gold=0, predicted=0, matched=0)
    assert (score.precision, score.recall, score.f1) == (None, None, None)
    assert TypeScore(gold=2, predicted=3, matched=0).f1 == 0.0


def test_most_constrained_gold_is_served_first() -> None:
    gold = GoldFile.model_validate(
        {
            "article": "x.txt",
            "parties": [{"name": "United States", "kind": "state"}],
            "measures": [
                {"type": "import_tariff", "imposed_by": "United States"},
                {"type": "import_tariff", "imposed_by": "United States", "product": "steel"},
            ],
        }
    )
    steel = Measure(id="m:steel", type="import_tariff", imposed_by="p:us", products=[Product(text="steel")])
    cars = Measure(id="m:cars", type="import_tariff", imposed_by="p:us", products=[Product(text="cars")])
    predicted = _dataset(parties=[_party("p:us", "United States", "state")], measures=[steel, cars])
    # Taken in gold order, the first gold record would take the steel tariff and leave the second unmatched.
    assert evaluate_dataset(gold, predicted).scores["measure"].matched == 2


def test_attributes_break_ties_between_candidates() -> None:
    gold = GoldFile.model_validate(
        {
            "article": "x.txt",
            "parties": [{"name": "China", "kind": "state"}],
            "measures": [
                {"type": "import_ban", "imposed_by": "China", "product": "seafood", "status": "removed"},
                {"type": "import_ban", "imposed_by": "China", "product": "seafood", "status": "in_force"},
            ],
        }
    )
    in_force = Measure(
        id="m:1", type="import_ban", imposed_by="p:cn", description="ban on seafood", status="in_force"
    )
    removed = Measure(
        id="m:2", type="import_ban", imposed_by="p:cn", description="seafood ban", status="removed"
    )
    predicted = _dataset(parties=[_party("p:cn", "China", "state")], measures=[in_force, removed])
    status = evaluate_dataset(gold, predicted).scores["measure"].attributes["status"]
    assert (status.correct, status.checked) == (2, 2)


def test_key_fields_must_agree() -> None:
    gold = GoldFile.model_validate(
        {
            "article": "x.txt",
            "parties": [
                {"name": "China", "kind": "state"},
                {"name": "Japan", "kind": "state"},
                {"name": "Ken Aoyama", "kind": "person"},
            ],
            "measures": [{"type": "import_ban", "imposed_by": None}],
            "statements": [
                {"speaker": None, "text": "important step"},
                {"speaker": "Ken Aoyama", "kind": "direct", "text": "full lifting"},
            ],
            "negotiations": [{"parties": ["China", "Japan"]}],
        }
    )
    predicted = _dataset(
        parties=[
            _party("p:cn", "China", "government_body"),  # wrong kind
            _party("p:jp", "Japan", "state"),
            _party("p:aoyama", "Ken Aoyama", "person"),
            _party("p:kr", "South Korea", "state"),
        ],
        measures=[Measure(id="m:1", type="import_ban", imposed_by="p:cn")],  # gold wants no imposer
        statements=[
            Statement(id="s:1", speaker="p:aoyama", kind="direct", text="This is an important step"),
            Statement(id="s:2", speaker="p:aoyama", kind="partial", text="the full lifting"),
        ],
        negotiations=[Negotiation(id="n:1", title="talks", parties=["p:cn", "p:jp", "p:kr"])],
    )
    result = evaluate_dataset(gold, predicted)
    assert result.scores["party"].matched == 2
    assert result.scores["measure"].matched == 0
    # A named speaker does not satisfy an unresolved gold speaker; the kind must agree.
    assert result.scores["statement"].matched == 0
    # The party set must be the same set, not a superset.
    assert result.scores["negotiation"].matched == 0


# --- evaluate() and the command line ------------------------------------------------------------------


@pytest.fixture
def gold_folder(tmp_path: Path) -> Path:
    data = GOLD.model_dump(mode="json", exclude_unset=True)
    data["article"] = "001_test.txt"
    _write_gold(tmp_path, data)
    return tmp_path


def test_evaluate_with_a_given_loader(gold_folder: Path) -> None:
    seen: list[Path] = []

    def loader(path: Path) -> Dataset:
        seen.append(path)
        return PREDICTED

    result = evaluate([gold_folder], loader=loader)
    assert seen == [gold_folder / "001_test.txt"]
    assert isinstance(result.articles[0], ArticleResult)
    assert result.totals["measure"].matched == 2


def test_cli_prints_a_table(
    gold_folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(tradeschema, "load_article", lambda path: PREDICTED, raising=False)
    assert main(["eval", str(gold_folder)]) == 0
    out = capsys.readouterr().out
    assert "precision" in out
    party_line = next(line for line in out.splitlines() if line.startswith("party "))
    assert party_line.split() == ["party", "4", "5", "3", "0.600", "0.750", "0.667"]
    assert "001_test.gold.json" in out


def test_cli_json(
    gold_folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(tradeschema, "load_article", lambda path: PREDICTED, raising=False)
    assert main(["eval", str(gold_folder / "001_test.gold.json"), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["totals"]["statement"] == {
        "gold": 2,
        "predicted": 3,
        "matched": 2,
        "precision": pytest.approx(2 / 3),
        "recall": 1.0,
        "f1": pytest.approx(0.8),
        "strict": {"matched": 1, "precision": pytest.approx(1 / 3), "recall": 0.5, "f1": pytest.approx(0.4)},
        "attributes": {"reported_by": {"checked": 1, "correct": 0, "accuracy": 0.0}},
    }


def test_cli_reads_articles_from_a_texts_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    golds, texts = tmp_path / "gold", tmp_path / "texts"
    golds.mkdir()
    texts.mkdir()
    data = GOLD.model_dump(mode="json", exclude_unset=True)
    data["article"] = "001_test.txt"
    (golds / "001_test.gold.json").write_text(json.dumps(data), encoding="utf-8")
    # Without the texts folder the article is looked for beside the gold file, and is not there.
    assert main(["eval", str(golds)]) == 2
    assert "next to the gold file" in capsys.readouterr().err
    (texts / "001_test.txt").write_text("date 2025-06-26 Test\n\nBy A. Writer\n\nText.\n", encoding="utf-8")
    seen: list[str] = []

    def loader(path: Path) -> Dataset:
        seen.append(str(path))
        return PREDICTED

    monkeypatch.setattr(tradeschema, "load_article", loader, raising=False)
    assert main(["eval", str(golds), "--texts", str(texts)]) == 0
    assert seen == [str(texts / "001_test.txt")]
    assert "attribute-strict" in capsys.readouterr().out


def test_cli_invalid_gold_exits_2_naming_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write_gold(tmp_path, {"article": "001_test.txt", "statements": [{"kind": "direct"}]})
    assert main(["eval", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err
    assert "statements[0].text" in err


def test_cli_missing_path_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(tmp_path / "none.gold.json")]) == 2
    assert "none.gold.json" in capsys.readouterr().err


@pytest.mark.skipif(not hasattr(tradeschema, "load_article"), reason="the article loader is not written yet")
def test_the_loader_runs_on_every_gold_article() -> None:
    result = evaluate([ARTICLES])
    assert len(result.articles) == len(list(ARTICLES.glob("*.gold.json")))
