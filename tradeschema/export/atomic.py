"""Atomic replacement of an output folder.

An export is written into a staging folder beside the target (same file system, so a rename is
atomic) and swapped into place only when complete. On Linux the swap is one ``renameat2`` call with
``RENAME_EXCHANGE`` (see :func:`tradeschema.system.exchange_paths`), so there is no instant at which
the target is missing; elsewhere the old folder is first renamed aside. A failure, or a kill at any
point, leaves the previous folder as it was; staging folders left by a killed process are removed by
the next export into the same place.

The target must be a real folder (or not exist): a symbolic link is refused, since replacing it would
either turn the link into a folder or write where the link points, and neither is what its owner set
up. A target we could not remove after the swap (a read-only folder in it) is refused before
anything is written, so no staging copy is ever left behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import ExportError
from ..system import exchange_paths
from .manifest import is_export_dir

__all__ = ["STAGING_MARKER", "remove_path", "staged_directory"]

STAGING_MARKER = ".tradeschema-staging-"
"""Part of the name of every staging folder: ``.<target>.tradeschema-staging-<pid>-<random>``."""


def remove_path(path: Path) -> None:
    """Remove a folder tree, a file or a link (never what a link points to); missing is fine.

    Folders of the tree that are not writable are made writable first: the tree is our own
    staging copy, and a read-only folder in it must not keep it alive.
    """

    def make_writable(function: Callable[..., Any], name: str, _: Any) -> None:
        parent = os.path.dirname(name)
        os.chmod(parent, os.stat(parent).st_mode | stat.S_IRWXU)
        function(name)

    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.exists():
        os.chmod(path, os.stat(path).st_mode | stat.S_IRWXU)
        shutil.rmtree(path, onerror=make_writable)


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
            with contextlib.suppress(OSError):  # best effort: it is not ours to fail on
                remove_path(path)


def _read_only_folder(target: Path) -> Path | None:
    """The first folder in ``target`` (itself included) that this process cannot change, if any."""
    for folder, _, _ in os.walk(target):
        if not os.access(folder, os.W_OK | os.X_OK):
            return Path(folder)
    return None


def _check_target(target: Path, force: bool) -> None:
    if target.is_symlink():
        raise ExportError(
            f"{target} is a symbolic link; give the folder it points to ({os.readlink(target)}) "
            "or another path, so the link stays as it is"
        )
    if not target.exists():
        return
    if not target.is_dir():
        raise ExportError(f"{target} exists and is not a folder")
    if not (force or is_export_dir(target) or not any(target.iterdir())):
        raise ExportError(
            f"{target} exists and is not a tradeschema export (no manifest.json of ours); "
            "it is replaced only when forced"
        ).with_remedy("force")
    read_only = _read_only_folder(target)
    if read_only is not None:
        raise ExportError(f"{target} cannot be replaced: {read_only} is read-only; nothing written")


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
        with contextlib.suppress(OSError):  # the error on its way out says what went wrong
            remove_path(stage)
        raise


def _swap_in(stage: Path, final: Path) -> None:
    try:
        if not final.exists():
            stage.rename(final)
            return
        if exchange_paths(stage, final):
            # `stage` now holds the previous export.
            old = stage
        else:
            old = stage.with_name(stage.name + "-old")
            final.rename(old)
            try:
                stage.rename(final)
            except OSError:
                old.rename(final)
                raise
    except OSError as exc:
        raise ExportError(f"cannot move the export into {final}: {exc.strerror}") from exc
    try:
        remove_path(old)
    except OSError as exc:
        raise ExportError(
            f"the export is in {final}, but the previous one could not be removed from {old}: {exc.strerror}"
        ) from exc
