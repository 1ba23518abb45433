"""Test-wide settings.

Hypothesis: no per-example deadline (a loaded CI machine makes timing noise, and timing is the
benchmarks' job), and under ``CI`` a fixed exploration order, so a CI failure is reproducible.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("tradeschema", deadline=None)
settings.register_profile("tradeschema-ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("tradeschema-ci" if os.environ.get("CI") else "tradeschema")
