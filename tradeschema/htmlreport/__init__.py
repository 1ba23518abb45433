"""The HTML report: one self-contained page an analyst reads instead of JSON.

:func:`write_report` validates the inputs (anything :func:`tradeschema.validate` reads), reads their
records (:mod:`.read`), computes what the page shows (:mod:`.view`) and renders it with Jinja2
templates shipped in the package (:mod:`.render`): overview and validation result, negotiation
timelines as inline SVG, a board of measures, statements by speaker, and each source's text with
every evidence span marked. Styles and script are inlined, so the page fetches nothing.

Needs the ``report`` extra (Jinja2): ``pip install 'tradeschema[report]'``.
"""

from __future__ import annotations

from .read import ReadResult, read_input
from .render import render_page, render_report, write_report
from .view import Page, build_page

__all__ = ["Page", "ReadResult", "build_page", "read_input", "render_page", "render_report", "write_report"]
