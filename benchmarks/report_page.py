"""Size and speed of the HTML report on a large dataset: ``python -m benchmarks.report_page [--records N]``.

Draws a dataset of N records with ``tradeschema.testing`` (see ``tests/htmlreport/generated.py``),
times ``tradeschema report`` on it in a fresh process, then opens the page in headless Chromium and
measures first paint, load, the number of elements, when every deferred card is in place, and then
how long a filter change, a record's "show in text" and a passage's record list take inside the
page. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

_IN_PAGE = """() => {
  const time = (act) => {
    const t = performance.now(); act(); document.body.offsetHeight; return performance.now() - t;
  };
  const nav = performance.getEntriesByType('navigation')[0];
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  const select = document.querySelector('#measure-filters select[name=type]');
  const shows = document.querySelectorAll('#statements button[data-show]');
  const marks = document.querySelectorAll('mark.ev');
  return {
    first_paint_ms: paint ? paint.startTime : null,
    dom_content_loaded_ms: nav.domContentLoadedEventEnd,
    load_ms: nav.loadEventEnd,
    elements: document.getElementsByTagName('*').length,
    filter_ms: select ? time(() => { select.value = select.options[1].value;
      select.dispatchEvent(new Event('change', {bubbles: true})); }) : null,
    show_in_text_ms: shows.length ? time(() => shows[shows.length - 1].click()) : null,
    passage_ms: marks.length ? time(() => marks[marks.length - 1].click()) : null,
  };
}"""


def _browser(page_path: Path) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    from tradeschema.htmlreport.browser import launch

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(page_path.as_uri(), wait_until="load")
            elements_at_load = page.evaluate("document.getElementsByTagName('*').length")
            page.wait_for_selector("html[data-ready]", state="attached", timeout=120_000)
            ready_ms = page.evaluate("performance.now()")
            result: dict[str, Any] = {
                "elements_at_load": elements_at_load,
                "all_cards_in_place_ms": ready_ms,
                **page.evaluate(_IN_PAGE),
            }
        finally:
            browser.close()
    return {key: round(value) if isinstance(value, float) else value for key, value in result.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=10_000)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from tests.htmlreport.generated import generated_dataset
    from tradeschema import dataset_json

    with tempfile.TemporaryDirectory() as folder:
        data, page = Path(folder) / "dataset.json", Path(folder) / "report.html"
        data.write_bytes(dataset_json(generated_dataset(args.records)))
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "tradeschema", "report", str(data), "-o", str(page)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        seconds = time.perf_counter() - start
        html = page.read_bytes()
        result = {
            "records": args.records,
            "render_s": round(seconds, 2),
            "page_bytes": len(html),
            "page_gzip_bytes": len(gzip.compress(html)),
            **_browser(page),
        }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
