"""CSV issues: every bad cell of a row, each with its data row, physical line and field.

``row`` counts data rows from 1 (as for Parquet); ``line`` is the physical line, the header being
line 1, which is the row number frictionless reports when no cell spans lines.
"""

from __future__ import annotations

from pathlib import Path

from tradeschema.cli import EXIT_OK, main
from tradeschema.validation import validate

SEED = Path(__file__).parents[2] / "seeds" / "000_cc4bd68febfd186d.txt"


def _places(path: Path) -> list[tuple[str, int | None, int | None, str | None]]:
    return sorted((i.code, i.line, i.row, i.path) for i in validate(str(path)).issues)


def test_every_bad_cell_of_a_row_is_an_issue_of_its_own(tmp_path: Path) -> None:
    path = tmp_path / "parties.csv"
    path.write_text(
        "id,kind,name,aliases,evidence\n"
        "party:a,state,A,[],[]\n"
        'party:b,planet,B,[x,"[{""source_id"": 1}]"\n'
        'party:c,state,"C\nD",{bad,{worse\n',
        "utf-8",
    )
    assert _places(path) == [
        # Row 2: a word outside the vocabulary, a cell that is no list, a span of the wrong shape.
        ("enum-error", 3, 2, "$.kind"),
        ("invalid-csv", 3, 2, "aliases"),
        # Row 3 starts on line 4; its name spans two lines, so its bad cells are on line 5.
        ("invalid-csv", 5, 3, "aliases"),
        ("invalid-csv", 5, 3, "evidence"),
        ("missing-field", 3, 2, "$.evidence[0].end"),
        ("missing-field", 3, 2, "$.evidence[0].start"),
        ("missing-field", 3, 2, "$.evidence[0].text"),
        ("type-error", 3, 2, "$.evidence[0].source_id"),
    ]


def test_a_row_with_a_bad_cell_is_not_a_record_even_if_the_rest_passes(tmp_path: Path) -> None:
    path = tmp_path / "parties.csv"
    path.write_text("id,kind,name,aliases\nparty:a,state,A,[oops\n", "utf-8")
    report = validate(str(path))
    assert [(i.code, i.line, i.row) for i in report.issues] == [("invalid-csv", 2, 1)]
    assert report.records == 1 and not report.valid


def test_lines_agree_with_the_row_numbers_frictionless_reports(tmp_path: Path) -> None:
    import frictionless

    out = tmp_path / "out"
    assert main(["export", str(SEED), "-o", str(out), "-q"]) == EXIT_OK
    path = out / "csv" / "parties.csv"
    lines = path.read_text("utf-8").split("\n")
    # A state after the first data row, on a line of its own (the seed's cells hold no line breaks).
    index = next(i for i, line in enumerate(lines) if i > 1 and ',"state",' in line)
    lines[index] = lines[index].replace(',"state",', ',"planet",', 1)
    path.write_text("\n".join(lines), "utf-8")
    ours = [(i.line, i.row) for i in validate(str(path)).issues if i.code == "enum-error"]
    theirs = frictionless.validate(str(out / "datapackage.json")).flatten(["rowNumber", "type"])
    assert theirs == [[index + 1, "constraint-error"]]
    assert ours == [(index + 1, index)]


def test_a_nul_in_text_round_trips_through_csv(tmp_path: Path) -> None:
    # JSON and the models allow U+0000 in text; Python 3.10's csv module refuses the character.
    from tradeschema.export import read_csv, write_csv
    from tradeschema.models import Party

    party = Party(id="party:a", kind="state", name="A\x00B", role="", aliases=["\x00"])
    path = tmp_path / "parties.csv"
    write_csv([party], path)
    assert "\x00" in path.read_text("utf-8")
    assert list(read_csv(path)) == [party]
    assert validate(str(path)).valid
