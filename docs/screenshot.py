"""Draw the README's picture of the seed's report (or of any input the report reads).

    python docs/screenshot.py seeds/000_cc4bd68febfd186d.txt -o docs/report.png

Inputs are anything the report reads; an article (``.txt``) is extracted first. Needs the ``report``
extra, Playwright for Python and a Chromium binary (Debian's ``chromium``).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from playwright.sync_api import sync_playwright

from tradeschema.export import write_dataset_json
from tradeschema.htmlreport import build_page, read_input, render_page
from tradeschema.htmlreport.browser import launch
from tradeschema.loader.load import load_articles


def screenshot(
    inputs: Sequence[str], output: str | Path, *, width: int = 1280, height: int = 1400, section: str = ""
) -> None:
    """Write a PNG of the report of ``inputs``, scrolled to ``section`` (an anchor) if given."""
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
        with sync_playwright() as playwright:
            browser = launch(playwright)
            try:
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(page_path.as_uri() + (f"#{section}" if section else ""))
                page.screenshot(path=str(output))
            finally:
                browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(prog="python docs/screenshot.py", description=__doc__)
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="articles (.txt) or datasets")
    parser.add_argument("-o", "--output", required=True, metavar="PNG")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=1400)
    parser.add_argument("--section", default="", help="anchor to scroll to, such as evidence")
    args = parser.parse_args()
    screenshot(args.inputs, args.output, width=args.width, height=args.height, section=args.section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
