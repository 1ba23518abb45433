"""Export targets: symbolic links are refused, read-only targets and parents fail before anything is
staged, and no staging folder or link survives any export, failed or not.

Tests run as root too, where permission bits do not stop writes: there the refusal is simulated by
making ``os.access`` (or the staging ``mkdir``) answer as it would for an ordinary user.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from tradeschema import system
from tradeschema.errors import ExportError
from tradeschema.export import export_dataset
from tradeschema.export.atomic import STAGING_MARKER, remove_path
from tradeschema.models import Dataset

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _tree(path: Path) -> dict[str, bytes]:
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if STAGING_MARKER in p.name]


def test_symlink_target_is_refused_and_kept(dataset: Dataset, tmp_path: Path) -> None:
    real = tmp_path / "real"
    export_dataset(dataset, real)
    before = _tree(real)
    link = tmp_path / "out"
    link.symlink_to(real, target_is_directory=True)
    with pytest.raises(ExportError, match="is a symbolic link"):
        export_dataset(dataset, link)
    assert link.is_symlink()
    assert os.readlink(link) == str(real)
    assert _tree(real) == before
    assert _leftovers(tmp_path) == []


def test_dangling_symlink_target_is_refused(dataset: Dataset, tmp_path: Path) -> None:
    link = tmp_path / "out"
    link.symlink_to(tmp_path / "nowhere")
    with pytest.raises(ExportError, match="is a symbolic link"):
        export_dataset(dataset, link)
    assert link.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def _deny_writes(monkeypatch: pytest.MonkeyPatch, denied: Path) -> None:
    """Make ``os.access`` say what it says to an ordinary user for a read-only ``denied``."""
    real_access = os.access

    def access(path: Any, mode: int, **kwargs: Any) -> bool:
        if Path(os.fsdecode(path)) == denied and mode & os.W_OK:
            return False
        return real_access(path, mode, **kwargs)

    monkeypatch.setattr(os, "access", access)


@pytest.mark.parametrize("inner", [False, True], ids=["target", "folder-in-target"])
def test_read_only_target_fails_before_staging(
    dataset: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, inner: bool
) -> None:
    out = tmp_path / "out"
    export_dataset(dataset, out)
    before = _tree(out)
    read_only = out / "parquet" if inner else out
    read_only.chmod(0o555)
    if AS_ROOT:
        _deny_writes(monkeypatch, read_only)
    try:
        with pytest.raises(ExportError, match="read-only; nothing written"):
            export_dataset(dataset, out)
        assert _tree(out) == before
        assert _leftovers(tmp_path) == []
    finally:
        read_only.chmod(0o755)
    monkeypatch.undo()
    export_dataset(dataset, out)
    assert _leftovers(tmp_path) == []


def test_read_only_parent_fails_without_leftovers(
    dataset: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = tmp_path / "parent"
    parent.mkdir()
    parent.chmod(0o555)
    if AS_ROOT:
        real_mkdir = Path.mkdir

        def mkdir(self: Path, *args: Any, **kwargs: Any) -> None:
            if self.parent == parent:
                raise PermissionError(13, "Permission denied", str(self))
            real_mkdir(self, *args, **kwargs)

        monkeypatch.setattr(Path, "mkdir", mkdir)
    try:
        with pytest.raises(ExportError, match="cannot create a staging folder"):
            export_dataset(dataset, parent / "out")
        assert list(parent.iterdir()) == []
    finally:
        parent.chmod(0o755)


def test_failed_swap_leaves_no_staging(
    dataset: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    export_dataset(dataset, out)
    before = _tree(out)

    def refuse(a: object, b: object) -> bool:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr("tradeschema.export.atomic.exchange_paths", refuse)
    with pytest.raises(ExportError, match="cannot move the export"):
        export_dataset(dataset, out)
    assert _tree(out) == before
    assert _leftovers(tmp_path) == []


def test_swap_without_renameat2(dataset: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    export_dataset(dataset, out)
    monkeypatch.setattr(system, "LINUX", False)
    export_dataset(dataset.model_copy(update={"statements": []}), out)
    assert json.loads((out / "dataset.json").read_text("utf-8"))["statements"] == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_stale_staging_link_and_read_only_copy_are_removed(dataset: Dataset, tmp_path: Path) -> None:
    out = tmp_path / "out"
    export_dataset(dataset, out)
    keep = tmp_path / "keep"
    keep.mkdir()
    (keep / "precious").write_text("x", "utf-8")
    dead = 2**22 + 7  # above the default pid_max: no such process
    link = tmp_path / f".out{STAGING_MARKER}{dead}-aaaaaaaa"
    link.symlink_to(keep, target_is_directory=True)
    copy = tmp_path / f".out{STAGING_MARKER}{dead}-bbbbbbbb"
    (copy / "parquet").mkdir(parents=True)
    (copy / "parquet" / "x.parquet").write_bytes(b"x")
    (copy / "parquet").chmod(0o555)
    copy.chmod(0o555)
    export_dataset(dataset, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep", "out"]
    assert (keep / "precious").read_text("utf-8") == "x"


def test_remove_path_takes_links_not_their_targets(tmp_path: Path) -> None:
    target = tmp_path / "target"
    (target / "sub").mkdir(parents=True)
    (target / "sub" / "file").write_text("x", "utf-8")
    link = tmp_path / "link"
    link.symlink_to(target, target_is_directory=True)
    remove_path(link)
    assert not link.is_symlink()
    assert (target / "sub" / "file").exists()
    (target / "sub").chmod(stat.S_IRUSR | stat.S_IXUSR)
    target.chmod(stat.S_IRUSR | stat.S_IXUSR)
    remove_path(target)
    assert not target.exists()
    remove_path(target)  # already gone: nothing to do
