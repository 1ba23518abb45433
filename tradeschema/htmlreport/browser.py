"""Opening reports in a headless Chromium through Playwright, for screenshots and the page's tests.

Uses the system's Chromium (Debian's ``chromium`` package), never a browser Playwright downloads,
with networking features that would reach out at start-up turned off.
"""

from __future__ import annotations

import os
import shutil
from typing import Any

__all__ = ["CHROMIUM_SWITCHES", "find_chromium", "launch"]

CHROMIUM_SWITCHES: tuple[str, ...] = (
    "headless",
    "no-sandbox",
    "disable-gpu",
    "disable-quic",
    "no-first-run",
    "disable-background-networking",
    "disable-component-update",
    "disable-sync",
)
"""Chromium's switches (each passed as ``--<switch>``) for a quiet headless browser that starts
nothing on the network."""


def find_chromium() -> str | None:
    """The Chromium binary: ``$TRADESCHEMA_CHROMIUM``, else ``chromium`` on the ``PATH``, else None."""
    given = os.environ.get("TRADESCHEMA_CHROMIUM")
    if given:
        return given if os.access(given, os.X_OK) else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


def launch(playwright: Any, executable: str | None = None) -> Any:
    """A headless Chromium browser started by a running ``sync_playwright()`` context."""
    path = executable or find_chromium()
    if path is None:
        raise FileNotFoundError("no Chromium binary found (install Debian's chromium package)")
    return playwright.chromium.launch(executable_path=path, args=[f"--{name}" for name in CHROMIUM_SWITCHES])
