"""Atomic replacement of an output folder.

An export is written into a staging folder beside the target (same file system, so a rename is
atomic) and swapped into place only when complete. On Linux the swap is one ``renameat2`` call with
``RENAME_EXCHANGE``, so there is no instant at which the target is missing; elsewhere the old folder
is first renamed aside. A failure, or a kill at any point, leaves the previous folder as it was;
staging folders left by a killed process are removed by the next export into the same place.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import ExportError
from .manifest import is_export_dir

__all__ = ["STAGING_MARKER", "staged_directory"]

STAGING_MARKER = ".tradeschema-staging-"
"""Part of the name of every staging folder: ``.<target>.tradeschema-staging-<pid>-<random>``."""

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False where the system cannot (not Linux, old kernel or libc)."""
    if not sys.platform.startswith("linux"):
        return False
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
    raise OSError(code, os.strerror(code), str(b))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_stale(target: Path) -> None:
    """Remove staging folders of ``target`` whose process is gone (killed mid-export)."""
    prefix = f".{target.name}{STAGING_MARKER}"
    for path in target.parent.glob(f"{prefix}*"):
        pid_text = path.name[len(prefix) :].split("-", 1)[0]
        if pid_text.isdigit() and not _pid_alive(int(pid_text)):
            shutil.rmtree(path, ignore_errors=True)


def _check_target(target: Path, force: bool) -> None:
    if not target.exists():
        return
    if not target.is_dir():
        raise ExportError(f"{target} exists and is not a folder")
    if force or is_export_dir(target) or not any(target.iterdir()):
        return
    raise ExportError(
        f"{target} exists and is not a tradeschema export (no manifest.json of ours); force=True replaces it"
    )


@contextmanager
def staged_directory(target: str | Path, *, force: bool = False) -> Iterator[Path]:
    """Yield an empty staging folder; on normal exit it replaces ``target``, on error it is removed.

    Raises :class:`ExportError` before anything is written when ``target`` exists and is not a
    tradeschema export (unless ``force``) or its parent folder cannot be written.
    """
    final = Path(target).absolute()
    _check_target(final, force)
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(final)
        stage = final.parent / f".{final.name}{STAGING_MARKER}{os.getpid()}-{uuid.uuid4().hex[:8]}"
        stage.mkdir()
    except OSError as exc:
        raise ExportError(f"cannot create a staging folder beside {final}: {exc.strerror}") from exc
    try:
        yield stage
        _swap_in(stage, final)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise


def _swap_in(stage: Path, final: Path) -> None:
    try:
        if not final.exists():
            stage.rename(final)
            return
        if _exchange(stage, final):
            # `stage` now holds the previous export.
            shutil.rmtree(stage, ignore_errors=True)
            return
        aside = stage.with_name(stage.name + "-old")
        final.rename(aside)
        try:
            stage.rename(final)
        except OSError:
            aside.rename(final)
            raise
        shutil.rmtree(aside, ignore_errors=True)
    except OSError as exc:
        raise ExportError(f"cannot move the export into {final}: {exc.strerror}") from exc
