"""The three everyday questions on the export of the bundled seed article, in DuckDB, polars and pandas.

The expected answers are read off the article by hand: Lutnick (US Commerce Secretary) speaks in the
seventh paragraph, in two quotations, of the measures the US put on China (the chip design software
restriction and the student-visa threat); China's rare earth restriction is to be removed, the US export
controls rolled back; the rounds are Geneva last month, the leaders' call last week, then London (no date
given, so it sorts last).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tradeschema.cli import main

from .test_queries import ANSWERS

SEED = Path(__file__).parents[2] / "seeds" / "000_cc4bd68febfd186d.txt"


@pytest.fixture(scope="module")
def seed_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seed") / "out"
    assert main(["export", str(SEED), "--to", str(out)]) == 0
    return out


@pytest.mark.parametrize("engine", sorted(ANSWERS))
def test_everyday_questions_on_the_seed(engine: str, seed_export: Path) -> None:
    officials, by_status, rounds = ANSWERS[engine](seed_export)
    dataset = json.loads((seed_export / "dataset.json").read_text(encoding="utf-8"))
    products = {m["id"]: [p["text"] for p in m["products"]] for m in dataset["measures"]}
    texts = {s["id"]: s["text"] for s in dataset["statements"]}

    answered = sorted((name, role, kind, products[measure][0]) for _, name, role, measure, kind in officials)
    assert answered == [
        ("Howard Lutnick", "Commerce Secretary", "export_restriction", "chip design software"),
        ("Howard Lutnick", "Commerce Secretary", "export_restriction", "chip design software"),
        ("Howard Lutnick", "Commerce Secretary", "visa_restriction", "Chinese student visas"),
        ("Howard Lutnick", "Commerce Secretary", "visa_restriction", "Chinese student visas"),
    ]
    quoted = sorted({texts[statement][:30] for statement, *_ in officials})
    assert quoted == ["Also, there were a number of m", "You should expect those to com"]

    assert by_status == [
        ("CN", "removal_agreed", 1),
        ("US", "in_force", 1),
        ("US", "removal_agreed", 1),
        ("US", "threatened", 1),
    ]
    assert rounds == [("Geneva", dt.date(2025, 5, 1)), (None, dt.date(2025, 6, 16)), ("London", None)]
