"""Calls into the operating system that only some platforms have, each with its fallback.

Every platform-specific call of tradeschema lives here, so feature modules stay portable and each
fallback is tested by switching :data:`LINUX` off. A fallback never fails: it does the portable
thing (or nothing, where the call only helps) and says so in its return value.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import threading

__all__ = [
    "LINUX",
    "die_with_parent",
    "exchange_paths",
    "lower_thread_priority",
    "usable_cores",
    "widen_pipe",
]

LINUX: bool = sys.platform.startswith("linux")
"""Whether the Linux calls below are tried; tests switch it off to run the fallbacks."""

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_PR_SET_PDEATHSIG = 1


def exchange_paths(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Swap two existing paths in one atomic step (Linux ``renameat2`` with ``RENAME_EXCHANGE``).

    Returns False, having changed nothing, where the system cannot (not Linux, an old kernel or
    libc, a file system without the flag); raises :class:`OSError` for any other failure.
    """
    if not LINUX:
        return False
    import ctypes
    import ctypes.util

    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL):
        return False
    raise OSError(code, os.strerror(code), os.fsdecode(b))


def die_with_parent() -> bool:
    """Have the kernel stop this process (``SIGTERM``) when its parent dies (Linux ``prctl``).

    Best effort: returns False where the call is not available; the caller then relies on the
    parent stopping it.
    """
    if not LINUX:
        return False
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        return bool(ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM) == 0)
    return False


def lower_thread_priority(niceness: int = 10) -> bool:
    """Raise the nice value of the calling thread only (on Linux a thread's nice value is its own).

    Returns False, changing nothing, elsewhere: there ``setpriority`` would lower the whole process.
    """
    if not LINUX or not hasattr(os, "setpriority"):
        return False
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), niceness)
    except OSError:
        return False
    return True


def widen_pipe(fd: int, size: int) -> bool:
    """Let a pipe hold ``size`` bytes (Linux ``F_SETPIPE_SZ``).

    Returns False, changing nothing, elsewhere or when refused: the pipe keeps its size, and a writer
    only waits a little more often.
    """
    if not LINUX:
        return False
    import fcntl

    set_size = getattr(fcntl, "F_SETPIPE_SZ", None)
    if set_size is None:
        return False
    try:
        fcntl.fcntl(fd, set_size, size)
    except OSError:
        return False
    return True


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system tells, else all)."""
    if hasattr(os, "sched_getaffinity"):
        with contextlib.suppress(OSError):
            return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)
