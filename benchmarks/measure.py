"""Run one benchmark case in a fresh process and measure its time and peak memory.

Each case runs in its own interpreter (``python -m benchmarks.cases NAME ARGS``), so the peak RSS it
reports (``getrusage(RUSAGE_SELF).ru_maxrss``) is its own and nothing else's. The case reports how many
records it handled and how long the measured work took (imports excluded) as one JSON line on stdout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Measurement:
    """What one case run gave."""

    name: str
    records: int
    seconds: float
    peak_rss_mb: float
    extra: dict[str, Any]

    @property
    def rate(self) -> float:
        """Records per second."""
        return self.records / self.seconds if self.seconds > 0 else float("inf")


def run_case(name: str, *args: str) -> Measurement:
    """Run ``benchmarks.cases`` NAME with ARGS in a child process; raise if it fails."""
    command = [sys.executable, "-m", "benchmarks.cases", name, *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stdout, stderr = process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"case {name} failed ({process.returncode}):\n{stderr}")
    result = json.loads(stdout.strip().splitlines()[-1])
    return Measurement(
        name=name,
        records=int(result["records"]),
        seconds=float(result["seconds"]),
        peak_rss_mb=float(result["peak_rss_mb"]),
        extra=result.get("extra", {}),
    )


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports ru_maxrss in KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(records: int, seconds: float, **extra: Any) -> None:
    """Print a case's result as the JSON line ``run_case`` reads."""
    print(json.dumps({"records": records, "seconds": seconds, "peak_rss_mb": peak_rss_mb(), "extra": extra}))
    sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown: it is not part of what is measured
