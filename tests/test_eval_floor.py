"""Floors under the loader's evaluation figures: a change that lowers any of them fails.

The floors are the figures of the last commit that changed the rules (``docs/evaluation.md`` gives
the full tables and commands). Raise a floor when a change raises its figure; lowering one needs a
reason in the commit message. The project's own articles are always scored; the real-news parts need
the local texts and skip without them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tradeschema.loader.evaluate import EVALUATED_TYPES, evaluate

ROOT = Path(__file__).resolve().parent.parent
REALNEWS = ROOT / "evaluation" / "realnews"
TEXTS = REALNEWS / "texts"

# (lenient F1, attribute-strict F1) per record type, as `tradeschema eval` prints them.
OWN_ARTICLES = {
    "party": (0.894, 0.606),
    "measure": (0.630, 0.478),
    "statement": (0.798, 0.798),
    "negotiation": (0.667, 0.400),
}
REALNEWS_DEV = {
    "party": (0.808, 0.674),
    "measure": (0.480, 0.280),
    "statement": (0.782, 0.782),
    "negotiation": (0.720, 0.720),
}
REALNEWS_HELDOUT = {
    "party": (0.889, 0.741),
    "measure": (0.387, 0.194),
    "statement": (0.627, 0.627),
    "negotiation": (0.714, 0.143),
}


def _check(floors: dict[str, tuple[float, float | None]], *paths: Path, texts: Path | None = None) -> None:
    totals = evaluate(list(paths), texts=texts).totals
    below = []
    for name in EVALUATED_TYPES:
        lenient, strict = floors[name]
        score = totals[name]
        # Figures are compared as printed (3 decimals), so a floor copied from the table holds.
        if round(score.f1 or 0.0, 3) < lenient:
            below.append(f"{name} F1 {score.f1:.3f} < {lenient}")
        if strict is not None and round(score.strict_f1 or 0.0, 3) < strict:
            below.append(f"{name} strict F1 {score.strict_f1:.3f} < {strict}")
    assert not below, "; ".join(below)


def test_own_articles_stay_above_their_floor() -> None:
    _check(OWN_ARTICLES, ROOT / "tests" / "articles")


needs_texts = pytest.mark.skipif(
    not TEXTS.is_dir(), reason="the real-news texts are kept locally, not in the repository"
)


@needs_texts
def test_real_news_development_part_stays_above_its_floor() -> None:
    _check(REALNEWS_DEV, REALNEWS / "dev", texts=TEXTS)


@needs_texts
def test_real_news_held_out_part_stays_above_its_floor() -> None:
    _check(REALNEWS_HELDOUT, REALNEWS / "heldout", texts=TEXTS)
