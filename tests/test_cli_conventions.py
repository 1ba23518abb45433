"""Command-line conventions every command shares, run as a user runs them (a subprocess, real pipes)."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import tradeschema
from tradeschema.cli import EXIT_BUG, EXIT_INVALID, EXIT_OK, EXIT_USAGE, main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_cc4bd68febfd186d.txt"
EXAMPLES = ROOT / "examples"


def _main(
    args: list[str], capsys: pytest.CaptureFixture[str], stdin: bytes | None = None
) -> tuple[int, str, str]:
    """Run the command line in this process (much faster than a subprocess); returns code, out, err."""
    with pytest.MonkeyPatch.context() as patch:
        if stdin is not None:
            patch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _run(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[bytes]:
    environment = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "tradeschema", *args],
        input=stdin,
        capture_output=True,
        check=False,
        cwd=cwd,
        env=environment,
        timeout=300,
    )


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version(flag: str) -> None:
    result = _run(flag)
    assert result.returncode == 0
    assert result.stdout.decode().strip() == f"tradeschema {tradeschema.__version__}"


def test_an_ascii_terminal_gets_ascii_symbols_not_a_crash() -> None:
    result = _run(
        "validate", str(EXAMPLES / "invalid-impossible-date.json"), env={"PYTHONIOENCODING": "ascii"}
    )
    assert result.returncode == EXIT_INVALID, result.stderr
    out = result.stdout.decode("ascii")
    assert "error: pattern-error x1 at $.measures[0].announced - first at" in out
    assert "INVALID: 7 records" in out


def test_data_on_an_ascii_terminal_is_still_utf8_json() -> None:
    result = _run("extract", str(SEED), env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0, result.stderr
    dataset = json.loads(result.stdout.decode("utf-8"))
    assert dataset["sources"]


def test_extract_piped_into_validate_through_stdin() -> None:
    extracted = _run("extract", "-", stdin=SEED.read_bytes())
    assert extracted.returncode == 0, extracted.stderr
    checked = _run("validate", "-", stdin=extracted.stdout)
    assert checked.returncode == EXIT_OK
    assert checked.stdout.decode() == "valid: 23 records in 1 file(s), 0 errors, 0 warnings\n"


def test_validate_stdin_names_stdin_and_tells_json_lines_by_content(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bad = (EXAMPLES / "invalid-impossible-date.json").read_bytes()
    code, out, _ = _main(["validate", "-"], capsys, stdin=bad)
    assert code == EXIT_INVALID and "first at <stdin>:105" in out
    parties = json.loads((EXAMPLES / "dataset.json").read_text("utf-8"))["parties"]
    lines = "".join(json.dumps(party) + "\n" for party in parties).encode()
    code, _, err = _main(["validate", "-"], capsys, stdin=lines)
    assert code == EXIT_USAGE and "--record" in err
    code, out, _ = _main(["validate", "-", "--record", "party"], capsys, stdin=lines)
    assert code == EXIT_OK, out
    assert out.endswith(f"valid: {len(parties)} records in 1 file(s), 0 errors, 0 warnings\n")


def test_validate_stdin_reads_csv_and_parquet_given_their_record_type(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["export", str(SEED), "-o", str(out), "-q"]) == EXIT_OK
    capsys.readouterr()
    csv_bytes = (out / "csv" / "parties.csv").read_bytes()
    parquet_bytes = (out / "parquet" / "parties.parquet").read_bytes()
    for data in (csv_bytes, parquet_bytes):
        code, out_text, _ = _main(["validate", "-q", "-", "--record", "party"], capsys, stdin=data)
        assert code == EXIT_OK, out_text
        assert out_text.endswith("valid: 8 records in 1 file(s), 0 errors, 0 warnings\n")
    # Without the record type, neither can be read: a usage error that names the option.
    for data in (csv_bytes, parquet_bytes):
        code, _, err = _main(["validate", "-", "-q"], capsys, stdin=data)
        assert code == EXIT_USAGE and "--record TYPE" in err
    bad = csv_bytes.replace(b',"state",', b',"planet",', 1)
    code, out_text, _ = _main(["validate", "-", "--record", "party", "--format", "json"], capsys, stdin=bad)
    report = json.loads(out_text)
    assert code == EXIT_INVALID
    assert [(i["file"], i["line"], i["row"], i["path"]) for i in report["issues"]] == [
        ("<stdin>", 2, 1, "$.kind")
    ]


def test_export_reads_stdin_and_takes_output_under_every_spelling(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dataset = (EXAMPLES / "dataset.json").read_bytes()
    for flag in ("-o", "--output", "--to"):
        out = tmp_path / flag.strip("-")
        code, _, err = _main(["export", "-", flag, str(out)], capsys, stdin=dataset)
        assert code == 0, err
        assert (out / "manifest.json").is_file()
    code, _, err = _main(["export", "-", "-o", "-"], capsys, stdin=dataset)
    assert code == EXIT_USAGE and "folder" in err


def test_export_of_a_folder_of_articles_works_like_extract(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "seed.txt").write_bytes(SEED.read_bytes())
    assert _run("export", str(articles), "-o", str(tmp_path / "out")).returncode == 0
    exported = json.loads((tmp_path / "out" / "dataset.json").read_text("utf-8"))
    extracted = json.loads(_run("extract", str(articles)).stdout)
    assert {r["id"] for r in exported["statements"]} == {r["id"] for r in extracted["statements"]}


def test_extract_output_gets_the_umask_mode(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        assert main(["extract", str(SEED), "-o", str(tmp_path / "seed.json")]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "seed.json").stat().st_mode) == 0o640


def test_published_gets_a_message_about_the_option(tmp_path: Path) -> None:
    article = tmp_path / "plain.txt"
    article.write_text("No header, just a paragraph of text.\n", encoding="utf-8")
    result = _run("extract", str(article), "--published", "26/06/2025")
    assert result.returncode == EXIT_USAGE
    message = result.stderr.decode()
    assert "--published '26/06/2025' is not a date" in message and "YYYY-MM-DD" in message
    assert "header" not in message


def test_schema_output_spellings_name_and_markdown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for flag in ("-o", "--output", "--out"):
        assert _main(["schema", flag, str(tmp_path / flag.strip("-"))], capsys)[0] == 0
        assert (tmp_path / flag.strip("-") / "measure.schema.json").is_file()
    assert _main(["schema", "party", "-o", str(tmp_path / "party.json")], capsys)[0] == 0
    assert (tmp_path / "party.json").read_bytes() == (ROOT / "schemas" / "party.schema.json").read_bytes()
    assert _main(["schema", "--markdown", "--out", str(tmp_path / "schema.md")], capsys)[0] == 0
    assert (tmp_path / "schema.md").read_bytes() == (ROOT / "docs" / "schema.md").read_bytes()
    measure = _main(["schema", "--markdown", "measure"], capsys)[1]
    assert measure.splitlines()[0].endswith(": Measure")
    assert "### MeasureType" in measure and "### Statement" not in measure


def test_max_errors_zero_lists_every_issue_and_the_default_is_in_help(tmp_path: Path) -> None:
    lines = "".join(json.dumps({"id": f"BAD {n}"}) + "\n" for n in range(1200))
    path = tmp_path / "parties.jsonl"
    path.write_text(lines, encoding="utf-8")
    everything = json.loads(_run("validate", str(path), "--format", "json", "--max-errors", "0").stdout)
    assert everything["counts"]["by_code"]["pattern-error"] == 1200
    assert everything["issues_listed"] == len(everything["issues"]) == everything["counts"]["errors"]
    some = json.loads(_run("validate", str(path), "--format", "json", "--max-errors", "7").stdout)
    assert some["issues_listed"] == 7
    assert "(default: 50)" in " ".join(_run("validate", "--help").stdout.decode().split())


def test_unreadable_input_is_not_called_invalid() -> None:
    result = _run("validate", "no-such-file.json")
    assert result.returncode == EXIT_USAGE
    out = result.stdout.decode()
    assert "INVALID" not in out and "unreadable: 1 input(s) could not be read" in out


def test_a_bug_exits_with_its_own_code_and_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tradeschema import validation

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(validation, "validate", broken)
    assert main(["validate", str(EXAMPLES / "dataset.json")]) == EXIT_BUG
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "internal error (ZeroDivisionError: division by zero)" in err and "bug" in err and "report" in err
    assert main(["validate", "-v", str(EXAMPLES / "dataset.json")]) == EXIT_BUG
    assert "Traceback" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "env", "colored"),
    [
        (["--color", "always"], {}, True),
        (["--color", "always"], {"NO_COLOR": "1"}, True),
        (["--color", "never"], {}, False),
        ([], {}, False),  # auto, and the output is a pipe
        (["--color", "auto"], {"NO_COLOR": "1"}, False),
    ],
)
def test_color(args: list[str], env: dict[str, str], colored: bool) -> None:
    result = _run("validate", str(EXAMPLES / "invalid-impossible-date.json"), *args, env=env)
    assert (b"\033[" in result.stdout) is colored


def test_color_auto_on_a_terminal_honours_no_color() -> None:
    from tradeschema.cli.output import use_color

    class Terminal:
        def isatty(self) -> bool:
            return True

    terminal: object = Terminal()
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("NO_COLOR", raising=False)
        patch.setenv("TERM", "xterm")
        assert use_color("auto", terminal)  # type: ignore[arg-type]
        patch.setenv("NO_COLOR", "1")
        assert not use_color("auto", terminal)  # type: ignore[arg-type]


def test_quiet_and_verbose_before_or_after_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "out"
    assert _main(["export", str(SEED), "-o", str(folder)], capsys)[0] == 0
    assert "note: " in _main(["validate", str(folder)], capsys)[1]
    for args in (["-q", "validate", str(folder)], ["validate", str(folder), "--quiet"]):
        code, out, _ = _main(args, capsys)
        assert code == 0 and "note: " not in out
    code, _, err = _main(["export", str(SEED), "-o", str(tmp_path / "again"), "-v"], capsys)
    assert code == 0 and "exported 23 records" in err
    assert _main(["export", str(SEED), "-o", str(tmp_path / "third")], capsys)[2] == ""


def test_progress_is_shown_on_a_terminal_only_and_never_with_quiet(tmp_path: Path) -> None:
    lines = "".join(
        json.dumps({"id": f"party:p{n}", "name": "P", "kind": "state"}) + "\n" for n in range(20000)
    )
    path = tmp_path / "parties.jsonl"
    path.write_text(lines, encoding="utf-8")
    piped = _run("validate", str(path))
    assert b"validating" not in piped.stderr
    script = (
        "import sys, pty, os\n"
        "status = pty.spawn([sys.executable, '-m', 'tradeschema', *sys.argv[1:]])\n"
        "sys.exit(os.waitstatus_to_exitcode(status))\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", script, "validate", str(path)], capture_output=True, check=False, timeout=300
    )
    assert b"validating" in shown.stdout
    hushed = subprocess.run(
        [sys.executable, "-c", script, "validate", "-q", str(path)],
        capture_output=True,
        check=False,
        timeout=300,
    )
    assert b"validating" not in hushed.stdout


def _library_strings() -> list[tuple[str, str]]:
    """String literals of the library (not the command line), docstrings left out."""
    import ast

    found = []
    for path in (ROOT / "tradeschema").rglob("*.py"):
        if "cli" in path.relative_to(ROOT / "tradeschema").parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        found.extend(
            (path.name, node.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
        )
    return found


def test_library_messages_name_no_command_line_option() -> None:
    import re

    option = re.compile(r"(?<![\w-])--[a-z][a-z-]+")
    # A whole command quoted as such (the generated reference says how it was made) is not a message.
    named = [
        (name, text)
        for name, text in _library_strings()
        if option.search(text) and not text.startswith("tradeschema ")
    ]
    assert named == []


def test_the_command_line_adds_the_option_to_library_messages(tmp_path: Path) -> None:
    lines = tmp_path / "records.jsonl"
    lines.write_text('{"id": "party:us"}\n', encoding="utf-8")
    unnamed = _run("validate", str(lines)).stdout.decode()
    assert "give the record type; pass --record TYPE" in unnamed
    plain = tmp_path / "plain.txt"
    plain.write_text("No header, just a paragraph of text.\n", encoding="utf-8")
    headerless = _run("extract", str(plain)).stderr.decode()
    assert "or give the publication date" in headerless
    assert "hint: pass --published YYYY-MM-DD" in headerless
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "keep.txt").write_text("mine\n", encoding="utf-8")
    refused = _run("export", str(SEED), "-o", str(occupied)).stderr.decode()
    assert "hint: pass --force to replace it" in refused
