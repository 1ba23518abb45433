"""Every issue code is worded in one place, and library words never name command-line options."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tradeschema.cli import EXIT_USAGE, main
from tradeschema.report import ISSUE_TYPES, IssueCode, Severity, issue_message


def test_every_code_has_a_template_and_a_hint() -> None:
    assert set(ISSUE_TYPES) == set(IssueCode)
    for kind in ISSUE_TYPES.values():
        assert kind.template and kind.hint
    assert ISSUE_TYPES[IssueCode.open_codelist_value].severity is Severity.warning


def test_library_words_name_no_command_line_option() -> None:
    option = re.compile(r"(?<![\w-])--[a-z]")
    for code, kind in ISSUE_TYPES.items():
        words = [kind.template, kind.hint, kind.suggestion or "", kind.long_template or ""]
        assert not option.search(" ".join(words)), code
    # Every other string of the library is checked by tests/test_cli_conventions.py.


def test_messages_come_from_the_templates() -> None:
    assert issue_message(IssueCode.missing_column, column="text") == "required column 'text' is missing"


def test_the_command_line_adds_the_option_to_the_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "records.jsonl"
    path.write_text('{"id": "x"}\n', "utf-8")
    assert main(["validate", str(path)]) == EXIT_USAGE
    out = capsys.readouterr().out
    assert (
        "hint: name the file after its table (statements.jsonl) or give the record type; pass --record TYPE"
        in out
    )


def test_an_error_names_its_remedy_and_the_command_line_its_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("not an export", "utf-8")
    seed = Path(__file__).parents[1] / "seeds" / "000_cc4bd68febfd186d.txt"
    assert main(["export", str(seed), "--to", str(target)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "is replaced only when forced" in err and "hint: pass --force" in err
    article = tmp_path / "bare.txt"
    article.write_text("Talks resumed in Geneva.\n", "utf-8")
    assert main(["extract", str(article)]) == EXIT_USAGE
    assert "hint: pass --published YYYY-MM-DD" in capsys.readouterr().err


def test_an_alpha3_country_code_gets_its_alpha2_code_not_a_list_of_250(tmp_path: Path) -> None:
    from tradeschema.validation import validate

    path = tmp_path / "parties.jsonl"
    path.write_text(
        '{"id": "party:jp", "kind": "state", "name": "Japan", "country": "JPN"}\n'
        '{"id": "party:de", "kind": "State", "name": "Germany", "country": "de"}\n'
        '{"id": "party:x", "kind": "state", "name": "X", "country": "QQQ"}\n',
        "utf-8",
    )
    issues = [(i.line, i.path, i.message, i.hint) for i in validate(str(path)).issues]
    enum_hint = ISSUE_TYPES[IssueCode.enum_error].hint
    assert issues == [
        (1, "$.country", "'JPN' is not one of the 251 values allowed for country", "did you mean 'JP'?"),
        (2, "$.kind", issues[1][2], "did you mean 'state'?"),
        (2, "$.country", "'de' is not one of the 251 values allowed for country", "did you mean 'DE'?"),
        (3, "$.country", "'QQQ' is not one of the 251 values allowed for country", enum_hint),
    ]
    # A short vocabulary is still listed in full.
    assert "'state', 'bloc'" in issues[1][2]
