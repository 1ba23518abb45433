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


def test_try_repo_passes_valid_data_and_fails_invalid_data(tmp_path: Path, tool_cache: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "data").mkdir(parents=True)
    shutil.copy(ROOT / "examples" / "dataset.json", repo / "data" / "good.json")
    shutil.copy(ROOT / "examples" / "invalid-impossible-date.json", repo / "data" / "bad.json")
    env = {
        **os.environ,
        # Hook environments are keyed by commit: a clean checkout installs the hook once for all runs.
        "PRE_COMMIT_HOME": str(tool_cache / "pre-commit"),
        "GIT_AUTHOR_NAME": "test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
    }
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True, env=env)
    subprocess.run(["git", "add", "data"], cwd=repo, check=True, env=env)

    def try_repo(*files: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "tradeschema-validate"]
        return subprocess.run(
            [*command, "--files", *files], cwd=repo, env=env, capture_output=True, text=True, check=False
        )

    good = try_repo("data/good.json")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "tradeschema validate" in good.stdout and "Passed" in good.stdout
    bad = try_repo("data/good.json", "data/bad.json")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout and "pattern-error" in bad.stdout
    assert "data/bad.json:105" in bad.stdout
