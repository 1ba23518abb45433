"""Platform calls: each works where the platform has it, and its fallback runs when it does not."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from tradeschema import system

LINUX = sys.platform.startswith("linux")


@pytest.fixture
def no_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(system, "LINUX", False)


def _folders(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "in-a").write_text("a", "utf-8")
    (b / "in-b").write_text("b", "utf-8")
    return a, b


@pytest.mark.skipif(not LINUX, reason="renameat2 is Linux only")
def test_exchange_swaps_two_folders(tmp_path: Path) -> None:
    a, b = _folders(tmp_path)
    assert system.exchange_paths(a, b)
    assert [p.name for p in a.iterdir()] == ["in-b"]
    assert [p.name for p in b.iterdir()] == ["in-a"]


def test_exchange_fallback_changes_nothing(tmp_path: Path, no_linux: None) -> None:
    a, b = _folders(tmp_path)
    assert system.exchange_paths(a, b) is False
    assert [p.name for p in a.iterdir()] == ["in-a"]
    assert [p.name for p in b.iterdir()] == ["in-b"]


@pytest.mark.skipif(not LINUX, reason="renameat2 is Linux only")
def test_exchange_reports_other_failures(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        system.exchange_paths(tmp_path / "missing", tmp_path / "also-missing")


def _nice_of_thread(call: Callable[[], object]) -> tuple[object, int]:
    result: list[tuple[object, int]] = []

    def run() -> None:
        outcome = call()
        result.append((outcome, os.getpriority(os.PRIO_PROCESS, threading.get_native_id())))

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result[0]


@pytest.mark.skipif(not LINUX, reason="per-thread nice values are Linux only")
def test_lower_thread_priority_lowers_only_the_thread() -> None:
    before = os.getpriority(os.PRIO_PROCESS, 0)
    done, nice = _nice_of_thread(system.lower_thread_priority)
    assert done is True
    assert nice == min(before + 10, 19)
    assert os.getpriority(os.PRIO_PROCESS, 0) == before


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="needs getpriority to look")
def test_lower_thread_priority_fallback_changes_nothing(no_linux: None) -> None:
    before = os.getpriority(os.PRIO_PROCESS, 0)
    done, nice = _nice_of_thread(system.lower_thread_priority)
    assert done is False
    assert nice == before


def test_die_with_parent_fallback(no_linux: None) -> None:
    assert system.die_with_parent() is False


@pytest.mark.skipif(not LINUX, reason="prctl is Linux only")
def test_die_with_parent_in_a_child() -> None:
    code = "from tradeschema import system; raise SystemExit(0 if system.die_with_parent() else 1)"
    root = str(Path(__file__).parents[1])
    result = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": root}, check=False)
    assert result.returncode == 0


def test_widen_pipe_where_the_system_allows_it() -> None:
    read, write = os.pipe()
    try:
        assert system.widen_pipe(write, 1 << 20) is LINUX
    finally:
        os.close(read)
        os.close(write)


def test_widen_pipe_falls_back_elsewhere(no_linux: None) -> None:
    read, write = os.pipe()
    try:
        assert system.widen_pipe(write, 1 << 20) is False
    finally:
        os.close(read)
        os.close(write)


def test_usable_cores_follow_the_affinity_and_fall_back_to_the_count(monkeypatch: pytest.MonkeyPatch) -> None:
    assert 1 <= system.usable_cores() <= (os.cpu_count() or 1)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert system.usable_cores() == 1
    monkeypatch.delattr(os, "sched_getaffinity")
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert system.usable_cores() == 1
    monkeypatch.setattr(os, "cpu_count", lambda: 6)
    assert system.usable_cores() == 6
