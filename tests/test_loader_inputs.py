"""Bad inputs, several articles at once, determinism, the command line, curation and pathological text."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradeschema import ArticleError, Dataset, apply_curation, load_article, load_article_text, load_articles
from tradeschema.cli import main
from tradeschema.loader.curation import CurationError

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_cc4bd68febfd186d.txt"

OTHER = """date 2025-07-02 Lutnick says chip curbs stay

By Reuters

US Commerce Secretary Howard Lutnick said on Tuesday that chip export controls on China would stay.

“We are not done,” Lutnick said.
"""


@cache
def _seed_dataset() -> Dataset:
    return load_article(SEED)


def _write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("content", "line", "fragment"),
    [
        ("", 1, "empty"),
        (b"date 2025-01-01 T\n\x00\x01binary", 2, "binary"),
        (b"date 2025-01-01 T\n\nBody \xff here", 3, "not UTF-8"),
        ("\n\nJust a body without a header.\n", 3, "missing header"),
        ("date 2025-13-45 Bad date\n\nBody.", 1, "bad date"),
        ("date 2025-01-01\n\nBody.", 1, "no headline"),
    ],
)
def test_bad_article_names_file_and_line(
    tmp_path: Path, content: str | bytes, line: int, fragment: str
) -> None:
    path = _write(tmp_path, "bad.txt", content)
    with pytest.raises(ArticleError) as info:
        load_article(path)
    assert info.value.file == str(path)
    assert info.value.line == line
    assert fragment in str(info.value)


def test_other_files_still_processed(tmp_path: Path) -> None:
    _write(tmp_path, "a_bad.txt", b"\xff\xfe")
    _write(tmp_path, "b_good.txt", OTHER)
    errors: list[ArticleError] = []
    dataset = load_articles([tmp_path], errors=errors)
    assert [e.file for e in errors] == [str(tmp_path / "a_bad.txt")]
    assert len(dataset.sources) == 1


def test_a_path_and_a_text_have_their_own_entry_points(tmp_path: Path) -> None:
    text = (
        "date 2025-06-30 T\n\nBy Desk\n\nChina said on Monday it would lift its ban on imports of seafood.\n"
    )
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    assert load_article(path).sources[0].text == load_article_text(text).sources[0].text == text
    with pytest.raises(ArticleError, match="load_article_text"):
        load_article(text)
    # A one-line string is a file name, even one starting like an article header.
    with pytest.raises(ArticleError, match="no such file"):
        load_article("date 2025-06-30 headline")


def test_plain_text_with_published_and_title() -> None:
    dataset = load_article_text(
        "China said on Monday it would lift its ban on imports of Japanese seafood.\n",
        published="2025-06-30",
        title="T",
    )
    assert dataset.sources[0].published == "2025-06-30"
    assert dataset.sources[0].title == "T"


def test_parties_merge_across_articles(tmp_path: Path) -> None:
    other = _write(tmp_path, "other.txt", OTHER)
    dataset = load_articles([SEED, other])
    lutnick = [p for p in dataset.parties if "Lutnick" in p.name]
    assert [p.id for p in lutnick] == ["party:person:howard-lutnick"]
    assert {span.source_id for span in lutnick[0].evidence} == {s.id for s in dataset.sources}
    assert len([p for p in dataset.parties if p.id == "party:us"]) == 1


def test_surname_only_person_merges_into_full_name(tmp_path: Path) -> None:
    only_surname = _write(tmp_path, "x.txt", "date 2025-07-03 T\n\nTariffs will stay, Lutnick said.\n")
    dataset = load_articles([only_surname, SEED])
    assert [p.id for p in dataset.parties if "Lutnick" in p.name] == ["party:person:howard-lutnick"]


def test_deterministic(tmp_path: Path) -> None:
    other = _write(tmp_path, "other.txt", OTHER)
    first = load_articles([SEED, other]).model_dump_json()
    second = load_articles([SEED, other]).model_dump_json()
    assert first == second


def test_cli_extract_writes_dataset_and_reports_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = _write(tmp_path, "bad.txt", "no header here")
    out = tmp_path / "out.json"
    code = main(["extract", str(SEED), str(bad), "-o", str(out)])
    assert code == 2
    err = capsys.readouterr().err
    assert "bad.txt:1" in err
    assert "missing header" in err
    assert "Traceback" not in err
    dataset = Dataset.model_validate_json(out.read_text(encoding="utf-8"))
    assert len(dataset.sources) == 1
    assert main(["extract", str(SEED), "-o", str(out)]) == 0


def test_cli_extract_stdout_and_plain_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plain = _write(
        tmp_path, "plain.txt", "The EU imposed tariffs on Chinese electric vehicles, officials said.\n"
    )
    assert main(["extract", str(plain), "--published", "2024-10-30", "--title", "EV duties"]) == 0
    dataset = Dataset.model_validate_json(capsys.readouterr().out)
    assert dataset.sources[0].title == "EV duties"


def test_cli_failure_leaves_existing_output(tmp_path: Path) -> None:
    out = _write(tmp_path, "out.json", "previous")
    bad = _write(tmp_path, "bad.txt", "")
    assert main(["extract", str(bad), "-o", str(out)]) == 2
    assert out.read_text(encoding="utf-8") == "previous"


def test_curation_add_update_remove(tmp_path: Path) -> None:
    dataset = load_article(SEED)
    group = next(s.id for s in dataset.statements if s.speaker_text == "officials on both sides")
    curation = {
        "add": {
            "parties": [
                {
                    "id": "party:person:jamieson-greer",
                    "kind": "person",
                    "name": "Jamieson Greer",
                    "country": "US",
                }
            ]
        },
        "update": [{"id": "party:person:howard-lutnick", "set": {"role": "Secretary of Commerce"}}],
        "remove": [group],
    }
    path = _write(tmp_path, "curation.json", json.dumps(curation))
    curated = apply_curation(dataset, path)
    ids = {p.id: p for p in curated.parties}
    assert "party:person:jamieson-greer" in ids
    assert ids["party:person:howard-lutnick"].role == "Secretary of Commerce"
    assert group not in {s.id for s in curated.statements}


@pytest.mark.parametrize(
    ("curation", "fragment"),
    [
        ({"update": [{"id": "party:nope", "set": {"role": "x"}}]}, "update[0] (id 'party:nope'): no record"),
        ({"update": [{"id": "party:us", "set": {"colour": "x"}}]}, "no field 'colour'"),
        ({"remove": ["party:us"]}, "curated dataset is invalid"),
        (
            {"add": {"parties": [{"id": "party:x", "kind": "alien", "name": "X"}]}},
            "curated dataset is invalid",
        ),
        ({"delete": []}, "unknown key"),
    ],
)
def test_curation_errors_name_the_entry(tmp_path: Path, curation: object, fragment: str) -> None:
    path = _write(tmp_path, "curation.json", json.dumps(curation))
    with pytest.raises(CurationError) as info:
        apply_curation(load_article(SEED), path)
    assert fragment in str(info.value)


def test_cli_curation_error_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "curation.json", "{not json")
    assert main(["extract", str(SEED), "--curation", str(path)]) == 2
    assert "curation.json:1" in capsys.readouterr().err


@pytest.mark.parametrize(
    "body",
    [
        "“" * 100_000,
        '"' * 100_000,
        "US China Japan EU " * 6_000,
        "ABCDEF " * 15_000,
        "restrictions on exports of " + "of " * 33_000,
        "“unclosed quote " * 6_000,
        "officials said, " * 6_000 + ".",
        "he said “a ‘b’ c” " * 5_000,
        ("word " * 20_000) + "said Lutnick.",
        "talks in Geneva last month and a phone call " * 2_000,
    ],
    ids=[
        "curly-quotes",
        "straight-quotes",
        "states",
        "capitals",
        "of-of-of",
        "unclosed",
        "cues",
        "nested",
        "huge-sentence",
        "rounds",
    ],
)
def test_pathological_inputs_complete(body: str) -> None:
    dataset = load_article_text(body, published="2025-06-26", title="T")
    assert dataset.sources[0].text == body


MALFORMED_CURATIONS = [
    ('{"update": null}', "$.update"),
    ('{"remove": [{}]}', "$.remove[0]"),
    ('{"remove": "party:us"}', "$.remove"),
    ('{"update": [{"id": "party:us"}]}', "$.update[0].set"),
    ('{"update": [{"id": ["x"], "set": {}}]}', "$.update[0].id"),
    ('{"update": [{"id": "party:us", "set": []}]}', "$.update[0].set"),
    ('{"update": [{"id": "party:us", "set": {}, "why": 1}]}', "$.update[0].why"),
    ('{"add": []}', "$.add"),
    ('{"add": {"nations": []}}', "$.add.nations"),
    ('{"add": {"parties": {}}}', "$.add.parties"),
    ('{"add": {"parties": [1]}}', "$.add.parties[0]"),
    ("[]", "$"),
    ('"add"', "$"),
    ("[" * 100_000, "$"),
    ('{"remove": [' + "[" * 5000 + "]" * 5000 + "]}", "$"),
]


@pytest.mark.parametrize(("content", "where"), MALFORMED_CURATIONS, ids=range(len(MALFORMED_CURATIONS)))
def test_malformed_curation_is_exit_2_with_file_and_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, where: str
) -> None:
    path = _write(tmp_path, "curation.json", content)
    out = tmp_path / "out.json"
    assert main(["extract", str(SEED), "--curation", str(path), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"tradeschema extract: error: {path}")
    assert f" {where}: " in err
    assert "Traceback" not in err
    assert not out.exists()


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=12,
)
_CURATION_SHAPES = st.dictionaries(
    st.sampled_from(["add", "update", "remove", "other"]),
    _JSON
    | st.dictionaries(st.sampled_from(["parties", "measures", "x"]), st.lists(_JSON, max_size=2))
    | st.lists(st.fixed_dictionaries({"id": _JSON, "set": _JSON}) | _JSON, max_size=2),
    max_size=3,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(curation=_CURATION_SHAPES | _JSON)
def test_any_curation_file_is_applied_or_refused_with_its_path(tmp_path: Path, curation: object) -> None:
    path = _write(tmp_path, "curation.json", json.dumps(curation))
    error: CurationError | None = None
    try:
        apply_curation(_seed_dataset(), path)
    except CurationError as exc:  # the only exception a curation file may cause
        error = exc
    if error is not None:
        assert error.file == str(path)
        assert error.reason.startswith(("$", "the curated dataset is invalid"))
