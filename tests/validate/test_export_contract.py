"""The export folder contract: what `export` writes, `validate` accepts, form by form and whole.

Every form of an export (``dataset.json``, ``jsonl/``, ``parquet/`` with its link tables, ``csv/``) validates
on its own and as part of the folder; the forms hold the same records; the manifest's hashes hold;
every partition key round-trips. And each way of breaking that contract is located.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradeschema.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, main
from tradeschema.export import (
    export_dataset,
    export_files,
    read_csv,
    read_jsonl,
    read_parquet,
    write_jsonl,
)
from tradeschema.export.parquet import partition_keys
from tradeschema.models import Dataset
from tradeschema.registry import TABLE_NAMES
from tradeschema.testing import datasets
from tradeschema.validation import validate

SEED = Path(__file__).parents[2] / "seeds" / "000_cc4bd68febfd186d.txt"
# Keys a user would partition by: vocabularies, references, years, a derived date and a boolean-free text.
KEYS = [
    "kind",
    "imposed_by",
    "status",
    "type",
    "country",
    "announced_year",
    "date_year",
    "date_date",
    "speaker",
]


def _report(path: Path) -> dict[str, object]:
    return validate(str(path)).to_dict()


def _codes(path: Path) -> dict[str, int]:
    counts = validate(str(path)).counts
    return {code: count for code, count in counts.items() if count}


def _parts(out: Path) -> list[Path]:
    """The export folder, each of its forms, and one partition folder when there is one."""
    parts = [out, out / "jsonl", out / "parquet", out / "csv"]
    if (out / "dataset.json").exists():  # a streamed export writes none
        parts.append(out / "dataset.json")
    partitioned = sorted(p for p in (out / "parquet").glob("*/*=*") if p.is_dir())
    return parts + partitioned[:1]


def test_article_without_quotes_exports_empty_tables_that_validate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "a.txt"
    article.write_text("date 2025-03-04 T\n\nBy S\n\nThe EU and Japan held talks in Tokyo.\n", "utf-8")
    out = tmp_path / "out"
    assert main(["export", str(article), "--to", str(out)]) == EXIT_OK
    assert (out / "jsonl" / "statements.jsonl").read_bytes() == b""
    assert pq.read_metadata(out / "parquet" / "statements.parquet").num_rows == 0
    for part in _parts(out):
        assert main(["validate", str(part)]) == EXIT_OK, capsys.readouterr().out


@pytest.mark.parametrize("key", KEYS)
def test_every_partition_key_round_trips(
    tmp_path: Path, key: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["export", str(SEED), "--to", str(out), "--partition-by", key]) == EXIT_OK
    for part in _parts(out):
        assert main(["validate", str(part)]) == EXIT_OK, (part, capsys.readouterr().out)
    # The partition column comes back from the hive key, with its value.
    plain = export_dataset(
        Dataset.model_validate_json((out / "dataset.json").read_bytes()), tmp_path / "plain"
    )
    assert plain["files"]
    for table in TABLE_NAMES:
        assert sorted(read_parquet(_table_path(out, table)), key=lambda r: r.id) == sorted(
            read_parquet(tmp_path / "plain" / "parquet" / f"{table}.parquet"), key=lambda r: r.id
        )


def _table_path(out: Path, table: str) -> Path:
    folder = out / "parquet" / table
    return folder if folder.is_dir() else folder.with_suffix(".parquet")


def test_partition_keys_include_years_and_exclude_lists() -> None:
    keys = partition_keys()
    assert {"kind", "imposed_by", "announced_year", "published_year"} <= set(keys)
    assert "targets" not in keys and "evidence" not in keys


def test_unknown_partition_key_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(SEED), "--to", str(tmp_path / "out"), "--partition-by", "mood"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "cannot partition by 'mood'" in err and "imposed_by" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


@pytest.fixture
def seed_export(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    assert main(["export", str(SEED), "--to", str(out)]) == EXIT_OK
    return out


def _rehash(out: Path, relative: str) -> None:
    """Make the manifest agree with a changed file, so only the deeper check can catch the change."""
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    data = (out / relative).read_bytes()
    for entry in manifest["files"]:
        if entry["path"] == relative:
            entry["sha256"] = hashlib.sha256(data).hexdigest()
            entry["bytes"] = len(data)
    (out / "manifest.json").write_text(json.dumps(manifest), "utf-8")


def _change_first_statement(out: Path) -> str:
    relative = "jsonl/statements.jsonl"
    lines = (out / relative).read_text("utf-8").splitlines()
    record = json.loads(lines[0])
    record["cue"] = "whispered"
    lines[0] = json.dumps(record)
    (out / relative).write_text("\n".join(lines) + "\n", "utf-8")
    return relative


def test_a_changed_file_breaks_the_manifest(seed_export: Path) -> None:
    relative = _change_first_statement(seed_export)
    report = validate(str(seed_export))
    assert not report.valid
    issue = next(i for i in report.issues if i.code == "manifest-mismatch")
    assert issue.file == str(seed_export / relative)
    assert main(["validate", str(seed_export)]) == EXIT_INVALID


def test_forms_with_different_records_are_located(seed_export: Path) -> None:
    relative = _change_first_statement(seed_export)
    _rehash(seed_export, relative)
    report = validate(str(seed_export))
    assert [(i.code, i.path) for i in report.issues] == [("form-mismatch", "$.statements")]
    # The JSON Lines form alone is still a valid set of statements: only the folder disagrees with itself.
    assert validate(str(seed_export / "jsonl")).valid


def test_a_changed_csv_form_is_the_one_named(seed_export: Path) -> None:
    relative = "csv/statements.csv"
    path = seed_export / relative
    text = path.read_text("utf-8")
    assert ',"said",' in text
    path.write_text(text.replace(',"said",', ',"whispered",', 1), "utf-8")
    _rehash(seed_export, relative)
    report = validate(str(seed_export))
    # Compared with the canonical form, the changed copy is the one located.
    assert [(i.code, i.file, i.path) for i in report.issues] == [
        ("form-mismatch", str(seed_export / "csv"), "$.statements")
    ]
    assert validate(str(seed_export / "csv")).valid
    assert main(["validate", str(seed_export)]) == EXIT_INVALID


def test_the_csv_form_is_listed_in_the_manifest_with_its_rows(seed_export: Path) -> None:
    manifest = json.loads((seed_export / "manifest.json").read_text("utf-8"))
    entries = {entry["path"]: entry for entry in manifest["files"]}
    for table in TABLE_NAMES:
        entry = entries[f"csv/{table}.csv"]
        assert entry["records"] == entries[f"jsonl/{table}.jsonl"]["records"]
        assert entry["sha256"] == hashlib.sha256((seed_export / entry["path"]).read_bytes()).hexdigest()
    assert "csv/" in next(n for n in validate(str(seed_export)).notes if "export folder" in n)


def test_a_source_text_longer_than_pythons_csv_cell_limit_round_trips(tmp_path: Path) -> None:
    import csv

    from tradeschema.models import Source

    text = "word " * 60_000  # 300,000 characters; Python's csv refuses cells over 131,072 by default
    source = Source(
        id="source:long",
        kind="news_article",
        text=text,
        text_sha256=hashlib.sha256(text.encode()).hexdigest(),
    )
    limit = csv.field_size_limit()
    manifest = export_dataset(Dataset(schema_version="1.0.0", sources=[source]), tmp_path / "out")
    assert {e["path"]: e["records"] for e in manifest["files"]}["csv/sources.csv"] == 1
    assert validate(str(tmp_path / "out")).valid
    assert list(read_csv(tmp_path / "out" / "csv" / "sources.csv")) == [source]
    assert csv.field_size_limit() == limit  # the process-wide limit is put back


def test_a_corrupt_dataset_json_is_caught(seed_export: Path) -> None:
    path = seed_export / "dataset.json"
    path.write_bytes(path.read_bytes().replace(b'"schema_version"', b'"schema_versio"', 1))
    _rehash(seed_export, "dataset.json")
    codes = _codes(seed_export)
    assert codes.get("unknown-field") == 1 and codes.get("missing-field") == 1


def test_a_derived_date_that_disagrees_with_its_date_is_located(seed_export: Path) -> None:
    relative = "parquet/sources.parquet"
    path = seed_export / relative
    table = pq.read_table(path)
    dates = table.column("published_date").to_pylist()
    dates[0] = datetime.date(1999, 1, 1)
    index = table.schema.get_field_index("published_date")
    table = table.set_column(index, table.schema.field(index), pa.array(dates, pa.date32()))
    pq.write_table(table, path)
    _rehash(seed_export, relative)
    report = validate(str(seed_export / "parquet"))
    [issue] = report.issues
    assert (issue.code, issue.file, issue.row, issue.path) == (
        "derived-value-mismatch",
        str(seed_export / relative),
        1,
        "published_date",
    )


def test_a_link_table_that_lost_a_row_is_caught(seed_export: Path) -> None:
    path = seed_export / "parquet" / "statement_about.parquet"
    table = pq.read_table(path)
    assert table.num_rows > 1
    pq.write_table(table.slice(1), path)
    report = validate(str(seed_export / "parquet"))
    assert [(i.code, i.file) for i in report.issues] == [("link-table-mismatch", str(path))]


def test_an_empty_table_is_valid_in_every_format(tmp_path: Path) -> None:
    (tmp_path / "statements.jsonl").write_bytes(b"")
    (tmp_path / "parties.csv").write_text("id,kind,name\n", "utf-8")
    assert validate(str(tmp_path / "statements.jsonl")).valid
    assert validate(str(tmp_path / "parties.csv")).valid
    (tmp_path / "measures.csv").write_bytes(b"")
    assert [i.code for i in validate(str(tmp_path / "measures.csv")).issues] == ["empty-file"]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=datasets(), key=st.sampled_from([None, *KEYS]), streamed=st.booleans())
def test_any_dataset_exports_to_a_folder_that_validates_and_reads_back(
    tmp_path_factory: pytest.TempPathFactory, data: Dataset, key: str | None, streamed: bool
) -> None:
    folder = tmp_path_factory.mktemp("prop")
    out = folder / "out"
    if streamed:
        # JSON Lines inputs take the streamed path: validated in a child process, converted by pyarrow.
        inputs = []
        for table in TABLE_NAMES:
            path = folder / f"{table}.jsonl"
            write_jsonl(getattr(data, table), path)
            inputs.append(path)
        result = export_files(inputs, out, partition_by=key, stream=True)
        assert result.ok, result.report.to_dict()
        assert not (out / "dataset.json").exists()
    else:
        export_dataset(data, out, partition_by=key)
        back = Dataset.model_validate_json((out / "dataset.json").read_bytes())
        for table in TABLE_NAMES:
            assert sorted(getattr(back, table), key=lambda r: r.id) == sorted(
                getattr(data, table), key=lambda r: r.id
            )
    for part in _parts(out):
        assert validate(str(part)).valid, (part, _report(part))
    for table in TABLE_NAMES:
        expected = sorted(getattr(data, table), key=lambda r: r.id)
        assert sorted(read_jsonl(out / "jsonl" / f"{table}.jsonl"), key=lambda r: r.id) == expected
        assert sorted(read_parquet(_table_path(out, table)), key=lambda r: r.id) == expected
        assert sorted(read_csv(out / "csv" / f"{table}.csv"), key=lambda r: r.id) == expected
    shutil.rmtree(folder)
