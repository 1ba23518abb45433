"""Rendering the page: Jinja2 templates shipped in the package, styles and script inlined."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import IO, TYPE_CHECKING

from .._version import __version__
from ..errors import MissingDependencyError
from .read import read_input
from .view import LIFECYCLE, TABLE_LABELS, build_page, humanize, is_error, text

if TYPE_CHECKING:
    from collections.abc import Sequence

    from jinja2 import Environment

    from .view import Page

__all__ = ["environment", "render_page", "render_report", "write_report"]


def environment() -> Environment:
    """The template environment: package templates, autoescaping on, undefined names are errors."""
    try:
        import jinja2
    except ImportError as exc:
        raise MissingDependencyError(
            "the HTML report needs Jinja2: pip install 'tradeschema[report]'"
        ) from exc
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("tradeschema.htmlreport", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["human"] = humanize
    env.filters["text"] = text
    env.tests["error"] = is_error
    env.globals.update(table_labels=TABLE_LABELS, lifecycle_steps=LIFECYCLE)
    return env


def render_page(page: Page, *, generated: dt.datetime | None = None) -> str:
    """The HTML of a page model."""
    template = environment().get_template("report.html.j2")
    when = (generated or dt.datetime.now(dt.timezone.utc)).strftime("%Y-%m-%d %H:%M UTC")
    return template.render(page=page, version=__version__, generated=when)


def render_report(
    paths: Sequence[str], *, record: str | None = None, stdin: IO[bytes] | None = None
) -> tuple[str, Page]:
    """Validate and read the inputs; return the page's HTML and its model (for the verdict)."""
    environment()  # fail before reading anything when Jinja2 is missing
    page = build_page(read_input(paths, record=record, stdin=stdin))
    return render_page(page), page


def write_report(
    paths: Sequence[str], output: str | Path, *, record: str | None = None, stdin: IO[bytes] | None = None
) -> Page:
    """Write the report of the inputs to ``output``, one self-contained HTML file; returns its model."""
    html, page = render_report(paths, record=record, stdin=stdin)
    Path(output).write_text(html, encoding="utf-8")
    return page
