"""A folder written by `tradeschema export` validates as it is, partitioned or not."""

from __future__ import annotations

from pathlib import Path

import pytest

from tradeschema.cli import main
from tradeschema.registry import LINK_TABLES

SEED = Path(__file__).parents[2] / "seeds" / "000_cc4bd68febfd186d.txt"


@pytest.mark.parametrize("partition", [None, "imposed_by"])
def test_exported_seed_validates(
    tmp_path: Path, partition: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    extra = ["--partition-by", partition] if partition else []
    assert main(["export", str(SEED), "--to", str(out), *extra]) == 0
    capsys.readouterr()
    assert main(["validate", str(out)]) == 0, capsys.readouterr().out
    for sub in ("parquet", "jsonl"):
        assert (
            main(["validate", *sorted(str(p) for p in (out / sub).glob("*") if p.stem not in LINK_TABLES)])
            == 0
        )
    assert main(["validate", str(out / "dataset.json")]) == 0


def test_exporter_and_validator_tell_tables_from_names_alike() -> None:
    from tradeschema.export.jsonl import table_for_path
    from tradeschema.validation.discover import table_from_name

    names = [
        "statements.jsonl",
        "statement.jsonl",
        "measures-2025.jsonl",
        "2025.statements.jsonl",
        "notes.jsonl",
    ]
    assert [table_for_path(n) for n in names] == [table_from_name(n) for n in names]
    assert table_from_name("2025.statements.jsonl") == "statements"
