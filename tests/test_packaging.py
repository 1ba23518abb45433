"""The distribution's metadata as installers see it: dependencies, extras, licence, supported Pythons."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Modules imported under another name than their distribution's. pydantic_core is part of pydantic's
# API and pydantic pins the exact pydantic-core release it needs, so it is not declared on its own.
_DISTRIBUTION_OF = {"pydantic_core": "pydantic", "typing_extensions": "typing-extensions"}
# Imported only by `tradeschema.testing`, which the `testing` extra installs for, by
# `tradeschema.htmlreport`, which the `report` extra installs for, and by `tradeschema.spark`, which
# the `spark` extra installs for.
_EXTRA_ONLY = {"hypothesis", "jinja2", "pyspark"}
# Tables users may hand to tradeschema.validate(): named in type hints only, never needed to install.
_HINTED_ONLY = {"pandas", "polars"}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert match, requirement
    return _normal(match.group(0))


def _requirements(extra: str | None) -> dict[str, str]:
    """Requirement name -> requirement text, for the core (``extra=None``) or one extra."""
    found = {}
    for requirement in metadata.requires("tradeschema") or []:
        marker = re.search(r"extra\s*==\s*['\"]([^'\"]+)['\"]", requirement)
        if (marker.group(1) if marker else None) == extra:
            found[_requirement_name(requirement)] = requirement.split(";")[0].strip()
    return found


def _third_party_imports() -> set[str]:
    names = set()
    for path in (ROOT / "tradeschema").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {name for name in names if name not in sys.stdlib_module_names and name != "tradeschema"}


def test_runtime_dependencies_are_exactly_what_the_package_imports() -> None:
    imported = {
        _normal(_DISTRIBUTION_OF.get(name, name))
        for name in _third_party_imports() - _EXTRA_ONLY - _HINTED_ONLY
    }
    declared = set(_requirements(None))
    assert declared == imported
    raw = [r for r in metadata.requires("tradeschema") or [] if "extra" not in r]
    assert len(raw) == len(declared), f"a dependency is listed twice: {raw}"


def test_testing_extra_is_hypothesis_alone() -> None:
    assert set(_requirements("testing")) == {"hypothesis"}


def test_report_extra_is_jinja2_alone() -> None:
    assert set(_requirements("report")) == {"jinja2"}
    assert "jinja2" in _requirements("test")  # the README's test command covers the report


def test_spark_extra_is_pyspark_alone_and_not_in_the_test_extra() -> None:
    assert set(_requirements("spark")) == {"pyspark"}
    # The wheel is large: the README's test command does not install it; the Spark suite has its own.
    assert "pyspark" not in _requirements("test")


@pytest.mark.parametrize(
    "call",
    [
        "validate_spark('examples')",
        "export_spark(['records.jsonl'], 'out')",
        "extract_spark(['seeds'], 'out')",
        "load_articles_spark(['seeds'])",
    ],
)
def test_spark_module_says_which_extra_to_install_without_pyspark(call: str) -> None:
    # Importing tradeschema.spark does not import pyspark; using it without pyspark names the extra.
    code = (
        "import sys; sys.modules['pyspark'] = None\n"
        "import tradeschema.spark\n"
        "from tradeschema.errors import MissingDependencyError\n"
        "try:\n"
        f"    tradeschema.spark.{call}\n"
        "except MissingDependencyError as exc:\n"
        "    print(exc)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert "pip install 'tradeschema[spark]'" in result.stdout


def test_linters_are_pinned_in_the_test_extra() -> None:
    test = _requirements("test")
    for linter in ("ruff", "mypy"):
        assert re.fullmatch(rf"{linter}\s*==\s*[0-9][0-9.]*", test[linter]), test[linter]


def test_licence_authors_and_python_versions() -> None:
    meta = metadata.metadata("tradeschema")
    assert meta["License-Expression"] == "Apache-2.0"
    assert "Apache License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert meta["Author"] or meta["Author-email"]
    classifiers = set(meta.get_all("Classifier") or [])
    minimum = re.fullmatch(r">=3\.(\d+)", meta["Requires-Python"])
    assert minimum, meta["Requires-Python"]
    for minor in range(int(minimum.group(1)), 14):
        assert f"Programming Language :: Python :: 3.{minor}" in classifiers


def test_testing_module_says_which_extra_to_install_without_hypothesis() -> None:
    # `None` in sys.modules makes `import hypothesis` fail as it does where it is not installed.
    code = "import sys; sys.modules['hypothesis'] = None; import tradeschema.testing"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("ModuleNotFoundError: tradeschema.testing needs the hypothesis package")
    assert "pip install 'tradeschema[testing]'" in last
