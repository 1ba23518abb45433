"""tradeschema on Apache Spark, for datasets one machine cannot check: ``pip install 'tradeschema[spark]'``.

:func:`validate_spark` validates Parquet files, partitioned folders and export folders with the
single-machine validator's own checks run on Spark's workers, and integrity across files checked by
Spark itself; it returns the same :class:`~tradeschema.report.Report`. Importing this package does
not import pyspark; calling it without pyspark raises
:class:`~tradeschema.errors.MissingDependencyError`, naming the extra.
"""

from __future__ import annotations

from .session import DEFAULT_MASTER, require_pyspark, spark_session
from .validate import validate_spark

__all__ = ["DEFAULT_MASTER", "require_pyspark", "spark_session", "validate_spark"]
