"""The report in a real browser: headless Chromium (the system's) driven by Playwright.

Checks what a reader relies on: the counts shown are the dataset's, rounds run in date order, a
statement's "show in text" marks exactly its evidence characters, a passage lists the records it
supports, filters hide what they should, and the page makes no request and logs no error.
Skipped, with the reason, when Playwright or a Chromium binary is missing (``.ci/run`` installs both).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tradeschema.cli import main
from tradeschema.htmlreport.browser import find_chromium, launch
from tradeschema.models import Dataset

from .conftest import EXAMPLES


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401  # only whether it imports
    except ImportError:
        return "Playwright for Python is not installed (pip install playwright)"
    if find_chromium() is None:
        return "no Chromium binary (apt-get install chromium)"
    return None


if _missing() is not None:
    if os.environ.get("CI"):
        # .ci/run installs both: a CI run without them must not pass by skipping these tests.
        pytest.fail(f"browser tests cannot run under CI: {_missing()}", pytrace=False)
    pytest.skip(_missing() or "", allow_module_level=True)

from playwright import sync_api  # noqa: E402  # after the check above, so a missing package skips

TABLES = ("sources", "parties", "negotiations", "measures", "statements")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        started = launch(playwright)
        yield started
        started.close()


class Opened:
    """A report open in a tab, with every request and console error it caused."""

    def __init__(self, browser: Any, html: Path) -> None:
        self.url = html.as_uri()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": 1200, "height": 900})
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(self.url)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.split("#")[0] == self.url:
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()

    def close(self) -> None:
        self.page.close()
        assert self.requests == [], "the page must fetch nothing"
        assert self.errors == []


def _open(browser: Any, tmp_path: Path, *inputs: str) -> Opened:
    out = tmp_path / "report.html"
    main(["report", *inputs, "-o", str(out)])
    return Opened(browser, out)


def _shown_counts(page: Any) -> dict[str, int]:
    cells = page.locator("[data-count]")
    return {
        cells.nth(i).get_attribute("data-count"): int(cells.nth(i).inner_text()) for i in range(cells.count())
    }


def _union(intervals: list[tuple[int, int]]) -> set[int]:
    return {i for start, end in intervals for i in range(start, end)}


def test_seed_report(browser: Any, tmp_path: Path, seed: Dataset, seed_export: Path) -> None:
    opened = _open(browser, tmp_path, str(seed_export))
    page = opened.page
    assert _shown_counts(page) == {t: len(getattr(seed, t)) for t in TABLES}

    # Rounds on the timeline: in date order, and drawn left to right.
    rounds = page.locator("svg.timeline g.round")
    starts = [rounds.nth(i).get_attribute("data-start") for i in range(rounds.count())]
    assert starts == sorted(starts) and len(starts) == 2
    xs = [rounds.nth(i).locator("rect, circle").bounding_box()["x"] for i in range(rounds.count())]
    assert xs == sorted(xs)

    # Each statement's button marks exactly its evidence characters, nothing else.
    text = seed.sources[0].text or ""
    for statement in seed.statements:
        card = page.locator(f'article[data-id="{statement.id}"]')
        card.locator("button[data-show]").click()
        active = page.locator("mark.ev.active")
        marked = [
            (int(active.nth(i).get_attribute("data-start")), int(active.nth(i).get_attribute("data-end")))
            for i in range(active.count())
        ]
        for i, (start, end) in enumerate(marked):
            assert active.nth(i).inner_text() == text[start:end]
        assert _union(marked) == _union([(s.start, s.end) for s in statement.evidence]), statement.id
        assert "selected" in (card.get_attribute("class") or "")
        assert active.first.is_visible()

    # Clicking the record itself does the same as its button.
    statement = seed.statements[-1]
    page.keyboard.press("Escape")
    page.locator(f'article[data-id="{statement.id}"] blockquote').click()
    active = page.locator("mark.ev.active")
    marked = [
        (int(active.nth(i).get_attribute("data-start")), int(active.nth(i).get_attribute("data-end")))
        for i in range(active.count())
    ]
    assert _union(marked) == _union([(s.start, s.end) for s in statement.evidence])

    # A passage lists the records it supports.
    statement = seed.statements[0]
    first = statement.evidence[0]
    page.locator(f'mark.ev[data-start="{first.start}"]').click()
    panel = page.locator("#panel")
    assert panel.is_visible()
    assert statement.id in panel.inner_text()
    page.keyboard.press("Escape")
    assert not panel.is_visible() and page.locator("mark.ev.active").count() == 0

    # "copy id" copies the id, or selects it where the clipboard is not allowed.
    card = page.locator(f'article[data-id="{statement.id}"]')
    button = card.locator("button[data-copy]")
    button.click()
    page.wait_for_function(
        "([b, id]) => b.textContent === 'copied' || String(getSelection()) === id",
        arg=[button.element_handle(), statement.id],
    )

    # Keyboard: a passage is reached with Tab and opened with Enter; focus moves into the list and
    # Escape brings it back to the passage.
    page.locator("mark.ev").first.focus()
    page.keyboard.press("Enter")
    assert panel.is_visible()
    assert page.evaluate("document.activeElement.closest('#panel') !== null")
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.matches('mark.ev')")
    opened.close()


def test_measure_filters(browser: Any, tmp_path: Path, seed: Dataset, partitioned_export: Path) -> None:
    opened = _open(browser, tmp_path, str(partitioned_export))
    page = opened.page
    assert _shown_counts(page)["measures"] == len(seed.measures)
    cards = page.locator("#measures article.card")
    page.select_option("#measure-filters select[name=party]", "party:cn")
    involving = [m for m in seed.measures if "party:cn" in (m.imposed_by, *m.targets)]
    visible = [cards.nth(i) for i in range(cards.count()) if cards.nth(i).is_visible()]
    assert {card.get_attribute("data-id") for card in visible} == {m.id for m in involving}
    assert page.locator("#measures-shown").inner_text() == str(len(involving))
    page.select_option("#measure-filters select[name=status]", "in_force")
    expected = {m.id for m in involving if m.status == "in_force"}
    visible = [cards.nth(i) for i in range(cards.count()) if cards.nth(i).is_visible()]
    assert {card.get_attribute("data-id") for card in visible} == expected
    page.select_option("#measure-filters select[name=party]", "")
    page.select_option("#measure-filters select[name=status]", "")
    assert page.locator("#measures-shown").inner_text() == str(len(seed.measures))
    opened.close()


def test_invalid_dataset_report(browser: Any, tmp_path: Path) -> None:
    opened = _open(browser, tmp_path, str(EXAMPLES / "invalid-integrity-span-text.json"))
    page = opened.page
    assert page.locator("#verdict").get_attribute("data-valid") == "false"
    link = page.locator("#issues a.issue-record").first
    link.click()
    target = page.locator(f"article{link.get_attribute('href')}")
    assert target.is_visible() and "selected" in (target.get_attribute("class") or "")
    assert "span-text-mismatch" in target.inner_text()
    opened.close()


def test_ten_thousand_records(browser: Any, tmp_path: Path, big: Dataset, big_json: Path) -> None:
    opened = _open(browser, tmp_path, str(big_json))
    page = opened.page
    assert _shown_counts(page) == {t: len(getattr(big, t)) for t in TABLES}
    assert sum(_shown_counts(page).values()) == 10_000
    # Cards wait in templates; a link to one puts them in place before the browser jumps.
    link = page.locator('#measures .board-group h3 a[href^="#r"]').last
    key = link.get_attribute("href")
    link.click()
    card = page.locator(f"article{key}")
    assert card.count() == 1 and "selected" in (card.get_attribute("class") or "")
    assert card.get_attribute("data-type") == "Party"
    page.wait_for_selector("html[data-ready]", state="attached")
    assert page.locator("article.card").count() == 10_000
    assert page.locator("template.deferred").count() == 0
    # Filters and evidence still work at this size.
    options = page.locator("#measure-filters select[name=type] option")
    chosen = options.nth(1).get_attribute("value")
    page.select_option("#measure-filters select[name=type]", chosen)
    expected = sum(1 for m in big.measures if m.type == chosen)
    assert page.locator("#measures-shown").inner_text() == str(expected)
    statement = next(s for s in big.statements if s.evidence)
    page.locator(f'article[data-id="{statement.id}"] button[data-show]').click()
    assert page.locator("mark.ev.active").count() >= 1
    opened.close()
