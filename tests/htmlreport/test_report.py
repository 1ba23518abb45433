"""The HTML report without a browser: what the page holds, the command's exit codes, its inputs."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tradeschema.cli import main
from tradeschema.htmlreport import build_page, read_input, render_page
from tradeschema.htmlreport.view import timeline
from tradeschema.models import Dataset

from .conftest import EXAMPLES, ROOT

TABLES = ("sources", "parties", "negotiations", "measures", "statements")


def _report(tmp_path: Path, *args: str) -> tuple[int, str]:
    out = tmp_path / "report.html"
    code = main(["report", *args, "-o", str(out)])
    return code, out.read_text(encoding="utf-8")


def _counts(html: str) -> dict[str, int]:
    return {table: int(n) for table, n in re.findall(r'data-count="(\w+)">(\d+)<', html)}


def _expected(dataset: Dataset) -> dict[str, int]:
    return {table: len(getattr(dataset, table)) for table in TABLES}


def test_seed_export_folder(tmp_path: Path, seed: Dataset, seed_export: Path) -> None:
    code, html = _report(tmp_path, str(seed_export))
    assert code == 0
    assert _counts(html) == _expected(seed)
    assert 'data-valid="true"' in html
    # Every record is on the page under its id, once as a card.
    for table in TABLES:
        for record in getattr(seed, table):
            assert html.count(f'data-id="{record.id}"') == 1, record.id


def test_partitioned_export_keeps_the_partition_column(
    tmp_path: Path, seed: Dataset, partitioned_export: Path
) -> None:
    assert (partitioned_export / "parquet" / "measures").is_dir()
    code, html = _report(tmp_path, str(partitioned_export))
    assert code == 0
    assert _counts(html) == _expected(seed)
    imposers = {m.imposed_by for m in seed.measures}
    page = build_page(read_input([str(partitioned_export)]))
    assert {view.data["imposed_by"] for view in page.records["measures"]} == imposers


def test_page_is_self_contained(tmp_path: Path, seed_json: Path) -> None:
    _, html = _report(tmp_path, str(seed_json))
    assert not re.search(r"""(?:src|href|action)\s*=\s*["']?(?!#)[a-z]+:""", html, re.I)
    assert not re.search(r"<link\b|@import|url\(|<iframe|<img\b", html, re.I)
    assert "default-src 'none'" in html  # the page may not fetch anything even if it tried


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("invalid-*.json")))
def test_invalid_dataset_gets_a_report_with_its_problems_on_top(tmp_path: Path, name: str) -> None:
    document = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    code, html = _report(tmp_path, str(EXAMPLES / name))
    assert code == 1
    assert 'data-valid="false"' in html
    assert html.index('id="issues"') < html.index('id="counts"') < html.index('id="negotiations"')
    assert _counts(html) == {table: len(document.get(table, [])) for table in TABLES}
    links = re.findall(r'class="issue-record" href="#(r\d+)"', html)
    assert links, "each issue here is about a record, so it links to it"
    for key in links:
        assert f'id="{key}"' in html


def test_record_failing_its_model_is_shown_as_written(tmp_path: Path) -> None:
    _, html = _report(tmp_path, str(EXAMPLES / "invalid-impossible-date.json"))
    section = html[html.index("Records that fail the schema") : html.index('id="negotiations"')]
    assert "measure:eu-steel-safeguard" in section and "2024-02-30" in section


def test_standard_input_dataset_and_json_lines(
    tmp_path: Path, seed: Dataset, seed_json: Path, seed_export: Path
) -> None:
    out = tmp_path / "stdin.html"
    command = [sys.executable, "-m", "tradeschema", "report", "-", "-o", str(out)]
    result = subprocess.run(command, input=seed_json.read_bytes(), capture_output=True, check=False)
    assert result.returncode == 0, result.stderr
    assert _counts(out.read_text(encoding="utf-8")) == _expected(seed)
    lines = (seed_export / "jsonl" / "parties.jsonl").read_bytes()
    command = [*command, "--record", "party"]
    result = subprocess.run(command, input=lines, capture_output=True, check=False)
    html = out.read_text(encoding="utf-8")
    assert result.returncode == 0, result.stderr
    assert _counts(html)["parties"] == len(seed.parties)
    assert "Input: <code>-</code>." in html  # standard input is named as given, not by its spool file
    assert "tradeschema-report-" not in html


def test_unreadable_input_exits_2(tmp_path: Path) -> None:
    code, html = _report(tmp_path, str(tmp_path / "missing.json"))
    assert code == 2
    assert "no-input" in html or "unreadable-file" in html


def test_missing_report_extra_is_one_line_and_exit_2(tmp_path: Path, seed_json: Path) -> None:
    code = (
        "import sys; sys.modules['jinja2'] = None; from tradeschema.cli import main; "
        f"sys.exit(main(['report', {str(seed_json)!r}, '-o', {str(tmp_path / 'x.html')!r}]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "tradeschema report: the HTML report needs Jinja2: pip install 'tradeschema[report]'"
    ]
    assert not (tmp_path / "x.html").exists()


def test_timeline_draws_each_precision_in_date_order() -> None:
    negotiation = {
        "rounds": [
            {"kind": "talks", "start": "2025-06-09", "end": "2025-06-10"},
            {"kind": "call", "start": "2025-W25"},
            {"kind": "talks", "start": "2025-05", "city": "Geneva"},
            {"kind": "summit", "start": "2025-04-02"},
            {"kind": "meeting"},
        ]
    }
    drawn = timeline(negotiation)
    assert [r.index for r in drawn.rounds] == [4, 3, 1, 2]
    assert [r.index for r in drawn.undated] == [5]
    xs = [r.x for r in drawn.rounds]
    assert xs == sorted(xs)
    by_index = {r.index: r for r in drawn.rounds}
    assert by_index[4].point and by_index[4].width == 0
    month, week, two_days = by_index[3], by_index[2], by_index[1]
    assert not month.point and not week.point and not two_days.point
    # A month is about four times as wide as a week, and a week 3.5 times two days.
    assert month.width == pytest.approx(week.width * 31 / 7, rel=0.05)
    assert week.width == pytest.approx(two_days.width * 7 / 2, rel=0.05)


def test_evidence_marks_cut_the_text_exactly(seed: Dataset, seed_json: Path) -> None:
    page = build_page(read_input([str(seed_json)]))
    (source,) = page.sources
    text = seed.sources[0].text or ""
    assert "".join(segment.text for segment in source.segments) == text
    marks = {s.mark_id: s for s in source.segments if s.mark_id}
    for statement in page.records["statements"]:
        covered = {i for m in statement.marks for i in range(marks[m].start, marks[m].end)}
        spans = {i for span in statement.data["evidence"] for i in range(span["start"], span["end"])}
        assert covered == spans, statement.id
        for m in statement.marks:
            assert statement.key in marks[m].records.split()


def test_render_escapes_record_text(tmp_path: Path, seed: Dataset) -> None:
    hostile = seed.model_copy(
        update={
            "parties": [
                seed.parties[0].model_copy(update={"name": "<script>alert(1)</script>"}),
                *seed.parties[1:],
            ]
        }
    )
    path = tmp_path / "hostile.json"
    path.write_text(hostile.model_dump_json(), encoding="utf-8")
    html = render_page(build_page(read_input([str(path)])))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_issue_links_to_the_record_at_its_place() -> None:
    first, second = (
        EXAMPLES / "invalid-integrity-dangling-speaker.json",
        EXAMPLES / "invalid-impossible-date.json",
    )
    page = build_page(read_input([str(first), str(second)]))
    duplicates = [g for g in page.groups if g.issue.code == "duplicate-id"]
    assert duplicates
    cards = {view.key: view for views in page.records.values() for view in views}
    cards.update({view.key: view for view in page.invalid_records})
    for group in duplicates:
        assert group.record_key is not None
        assert cards[group.record_key].file == group.issue.file == str(second)
    (dangling,) = [g for g in page.groups if g.issue.code == "dangling-reference"]
    assert dangling.issue.record_id is None  # the validator does not name it; the page finds it by place
    assert dangling.record_id == "statement:example-2024-11-05-1"


def test_page_to_standard_output_and_quiet(tmp_path: Path, seed_json: Path) -> None:
    command = [sys.executable, "-m", "tradeschema", "report", str(seed_json), "-o", "-"]
    result = subprocess.run(command, capture_output=True, check=False, cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith(b"<!DOCTYPE html>") and result.stdout.rstrip().endswith(b"</html>")
    assert result.stderr.decode().startswith("valid: 23 records")
    result = subprocess.run([*command, "-q"], capture_output=True, check=False, cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == b""
