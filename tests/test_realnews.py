"""The real-news evaluation set: its metadata and gold files, and (with the local texts) its articles.

The texts of published pages are not committed; tests that read them skip when ``texts/`` is absent.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tradeschema.loader.evaluate import load_gold, normalize_text

ROOT = Path(__file__).resolve().parent.parent
REALNEWS = ROOT / "evaluation" / "realnews"
TEXTS = REALNEWS / "texts"
PAGES: list[dict[str, Any]] = json.loads((REALNEWS / "pages.json").read_text(encoding="utf-8"))["pages"]
HAVE_TEXTS = TEXTS.is_dir() and all((TEXTS / page["text"]).is_file() for page in PAGES)
MAX_FRAGMENT_WORDS = 8


def test_at_least_thirty_pages_from_2018_to_2024_a_third_held_out() -> None:
    assert len(PAGES) >= 30
    assert len({page["id"] for page in PAGES}) == len(PAGES)
    for page in PAGES:
        assert set(page) == {"id", "url", "publisher", "date", "headline", "split", "gold", "text"}
        assert re.fullmatch(r"20(1[89]|2[0-4])-\d\d-\d\d", page["date"]), page["id"]
        assert page["url"].startswith(("http://", "https://"))
        assert page["publisher"] and page["headline"]
        assert page["split"] in {"dev", "heldout"}
        assert Path(page["gold"]).parent.name == page["split"]
    held_out = sum(page["split"] == "heldout" for page in PAGES)
    assert len(PAGES) // 3 <= held_out <= len(PAGES) // 3 + 1


def test_every_gold_file_is_listed_and_no_text_is_committed() -> None:
    listed = {REALNEWS / page["gold"] for page in PAGES}
    assert set(REALNEWS.glob("*/*.gold.json")) == listed
    assert not list((REALNEWS / "dev").glob("*.txt")) and not list((REALNEWS / "heldout").glob("*.txt"))
    assert "evaluation/realnews/texts/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page["id"])
def test_gold_fragments_are_short(page: dict[str, Any]) -> None:
    gold = json.loads((REALNEWS / page["gold"]).read_text(encoding="utf-8"))
    assert gold["article"] == page["text"]
    for statement in gold["statements"]:
        assert len(statement["text"].split()) <= MAX_FRAGMENT_WORDS, statement["text"]


@pytest.mark.skipif(not HAVE_TEXTS, reason="the real-news texts are kept locally, not in the repository")
@pytest.mark.parametrize("page", PAGES, ids=lambda page: page["id"])
def test_gold_agrees_with_its_text(page: dict[str, Any]) -> None:
    gold = load_gold(REALNEWS / page["gold"], texts=TEXTS)
    text = (TEXTS / page["text"]).read_text(encoding="utf-8")
    assert text.startswith(f"date {page['date']} {page['headline']}\n\nBy ")
    plain = normalize_text(text)
    for statement in gold.statements:
        assert normalize_text(statement.text) in plain, statement.text
    for measure in gold.measures:
        if measure.product is not None:
            assert normalize_text(measure.product) in plain, measure.product
