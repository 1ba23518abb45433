"""The pre-commit hook this repository offers, run as a user's repository would run it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_hook_manifest_is_valid() -> None:
    manifest = ROOT / ".pre-commit-hooks.yaml"
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", str(manifest)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "- id: tradeschema-validate\n" in manifest.read_text(encoding="utf-8")


def test_try_repo_fails_on_invalid_data_and_names_the_place(tmp_path: Path) -> None:
    # One try-repo run (each installs the hook into a new environment, the slow part): an invalid data
    # file and a text file, which the hook's `files` pattern leaves out.
    repo = tmp_path / "repo"
    (repo / "data").mkdir(parents=True)
    (repo / "data" / "notes.txt").write_text("not data\n", encoding="utf-8")
    shutil.copy(ROOT / "examples" / "invalid-impossible-date.json", repo / "data" / "bad.json")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")}
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True, env=env)
    subprocess.run(["git", "add", "data"], cwd=repo, check=True, env=env)
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "tradeschema-validate"]
    result = subprocess.run(
        [*command, "--files", "data/notes.txt", "data/bad.json"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "tradeschema validate" in result.stdout and "Failed" in result.stdout
    assert "pattern-error" in result.stdout and "first at data/bad.json:105" in result.stdout
    assert "INVALID: 7 records in 1 file(s), 1 errors" in result.stdout
