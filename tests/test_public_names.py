"""Public names stay what they are after any submodule is imported."""

from __future__ import annotations

import importlib
import pkgutil

import tradeschema


def test_public_functions_are_not_shadowed_by_submodules() -> None:
    for module in pkgutil.walk_packages(tradeschema.__path__, "tradeschema."):
        if module.name.endswith("__main__"):
            continue
        importlib.import_module(module.name)
    assert callable(tradeschema.validate)
    assert type(tradeschema.validate).__name__ == "function"
    for name in tradeschema.__all__:
        value = getattr(tradeschema, name)
        assert type(value).__name__ != "module", name
