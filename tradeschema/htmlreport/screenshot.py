"""Render a report and save a screenshot of its first screen: the picture in the README
(``docs/screenshot.py`` is its command line).

Inputs are anything the report reads; an article (``.txt``) is extracted first. Needs the ``report``
extra, Playwright for Python and a Chromium binary (see :mod:`.browser`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

__all__ = ["screenshot"]


def screenshot(
    inputs: Sequence[str], output: str | Path, *, width: int = 1280, height: int = 1400, section: str = ""
) -> None:
    """Write a PNG of the report of ``inputs``, scrolled to ``section`` (an anchor) if given."""
    from playwright.sync_api import sync_playwright

    from ..export import write_dataset_json
    from ..loader.load import load_articles
    from .read import read_input
    from .render import render_page
    from .view import build_page

    with tempfile.TemporaryDirectory(prefix="tradeschema-shot-") as folder:
        articles = [path for path in inputs if path.endswith(".txt")]
        others = [path for path in inputs if not path.endswith(".txt")]
        if articles:
            dataset_path = Path(folder) / "dataset.json"
            write_dataset_json(load_articles(articles), dataset_path)
            others.append(str(dataset_path))
        page_path = Path(folder) / "report.html"
        read = read_input(others)
        read.inputs = list(inputs)  # name the articles given, not the dataset extracted from them
        page_path.write_text(render_page(build_page(read)), encoding="utf-8")
        from .browser import launch

        with sync_playwright() as playwright:
            browser = launch(playwright)
            try:
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(page_path.as_uri() + (f"#{section}" if section else ""))
                page.screenshot(path=str(output))
            finally:
                browser.close()
