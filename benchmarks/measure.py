"""Run one benchmark case in a fresh process and measure its time and peak memory.

Each case runs in its own interpreter (``python -m benchmarks.cases NAME ARGS``), so the peak RSS it
reports (``getrusage(RUSAGE_SELF).ru_maxrss``) is its own and nothing else's. A case that starts
child processes (the export validates in one) is also sampled from outside while it runs: the peak
of its resident memory summed with its descendants', at any depth, counts when it is larger. The
sampling runs in this process, so it takes nothing from the measured one. The case reports how many
records it handled and how long the measured work took (imports excluded) as one JSON line on stdout.

Before each run, the files the case is given are read once, so every case, ours and the baselines
alike, starts with its input in the page cache: on this virtual machine the cache keeps only a few
gigabytes, and a 600 MB input read back from disk added one to two seconds to whichever case came
first after it was evicted.
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


def _warm(paths: tuple[str, ...]) -> None:
    """Read each argument that names a file, so the case finds it in the page cache."""
    for path in paths:
        if os.path.isfile(path):
            with open(path, "rb", buffering=0) as handle:
                while handle.read(8 << 20):
                    pass


def run_case(name: str, *args: str) -> Measurement:
    """Run ``benchmarks.cases`` NAME with ARGS in a child process; raise if it fails."""
    _warm(args)
    command = [sys.executable, "-m", "benchmarks.cases", name, *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    tree_peak_kib = 0
    while True:
        try:
            stdout, stderr = process.communicate(timeout=0.02)
            break
        except subprocess.TimeoutExpired:
            pid = str(process.pid)
            tree = _vm_rss_kib(pid) + sum(_vm_rss_kib(child) for child in _children(pid))
            tree_peak_kib = max(tree_peak_kib, tree)
    if process.returncode != 0:
        raise RuntimeError(f"case {name} failed ({process.returncode}):\n{stderr}")
    result = json.loads(stdout.strip().splitlines()[-1])
    return Measurement(
        name=name,
        records=int(result["records"]),
        seconds=float(result["seconds"]),
        peak_rss_mb=max(float(result["peak_rss_mb"]), tree_peak_kib / 1024),
        extra=result.get("extra", {}),
    )


def best_of(calls: list[tuple[str, ...]], repeat: int) -> list[Measurement]:
    """Run each call (a case name and its arguments) ``repeat`` times, the calls taking turns, and
    keep each one's fastest run, with the highest peak memory of all its runs.

    Taking turns spreads the machine's slow spells over every call instead of one, and the fastest of
    several runs (as ``timeit`` reports) is the least disturbed: on a shared virtual machine one run
    of a loop can take a third longer than the next.
    """
    runs: list[list[Measurement]] = [[] for _ in calls]
    for _ in range(max(1, repeat)):
        for kept, (name, *args) in zip(runs, calls, strict=True):
            kept.append(run_case(name, *args))
    best = []
    for kept in runs:
        fastest = max(kept, key=lambda m: m.rate)
        peak = max(m.peak_rss_mb for m in kept)
        best.append(Measurement(fastest.name, fastest.records, fastest.seconds, peak, fastest.extra))
    return best


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports ru_maxrss in KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _vm_rss_kib(pid: int | str) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children_of_task(pid: str, task: str) -> list[str]:
    try:
        with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as children:
            return children.read().split()
    except OSError:
        return []


def _children(pid: str = "self") -> list[str]:
    """Every descendant: the export's validating child starts a duplicate-key helper of its own."""
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    found = [child for task in tasks for child in _children_of_task(pid, task)]
    return found + [grandchild for child in found for grandchild in _children(child)]


def report(records: int, seconds: float, *, peak_mb: float | None = None, **extra: Any) -> None:
    """Print a case's result as the JSON line ``run_case`` reads; ``peak_mb`` overrides the own peak."""
    peak = peak_rss_mb() if peak_mb is None else peak_mb
    print(json.dumps({"records": records, "seconds": seconds, "peak_rss_mb": peak, "extra": extra}))
    sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown: it is not part of what is measured
