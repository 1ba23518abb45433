"""Starting Spark, and saying which extra to install when pyspark is missing."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..errors import MissingDependencyError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

__all__ = ["DEFAULT_MASTER", "require_pyspark", "spark_session"]

DEFAULT_MASTER = "local[*]"
"""Spark in this process, on every core."""


def require_pyspark() -> None:
    """Raise :class:`~tradeschema.errors.MissingDependencyError`, naming the extra, without pyspark."""
    try:
        import pyspark  # noqa: F401  # only whether it imports
    except ImportError as exc:
        raise MissingDependencyError(
            "running on Spark needs pyspark (and Java 17 or later): pip install 'tradeschema[spark]'"
        ) from exc


def spark_session(
    master: str = DEFAULT_MASTER, *, app_name: str = "tradeschema", config: Mapping[str, str] | None = None
) -> SparkSession:
    """The active Spark session, or a new one on ``master`` (``local[*]``, ``spark://host:7077``, ``yarn``)
    with Spark settings ``config``.

    In local mode the workers run this Python, so they import the same tradeschema. Spark's console
    progress bar is off (standard error stays for the report). Raises
    :class:`~tradeschema.errors.MissingDependencyError` when pyspark is missing or Spark cannot start
    (no Java).
    """
    require_pyspark()
    from pyspark.sql import SparkSession

    if master.startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.master(master).appName(app_name)
    for key, value in {"spark.ui.showConsoleProgress": "false", **(config or {})}.items():
        builder = builder.config(key, value)
    try:
        return builder.getOrCreate()
    except RuntimeError as exc:  # pyspark's error when the JVM does not start
        raise MissingDependencyError(
            f"Spark could not start on {master} (is Java 17 installed?): {exc}"
        ) from exc
