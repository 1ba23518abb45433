"""tradeschema on Apache Spark, for datasets one machine cannot handle: ``pip install 'tradeschema[spark]'``.

:func:`validate_spark` validates Parquet files, partitioned folders and export folders with the
single-machine validator's own checks run on Spark's workers, and integrity across files checked by
Spark itself; it returns the same :class:`~tradeschema.report.Report`. :func:`export_spark` exports
JSON Lines of records to Parquet the same way: each part of the input validated and converted on a
worker, integrity by Spark, the folder swapped in only when the whole input is valid.
:func:`load_articles_spark` and :func:`extract_spark` run the article loader over a table of articles
(or article files), each article extracted on a worker, into the dataset and export folder the
single-machine loader and export give. Importing this
package does not import pyspark; calling it without pyspark raises
:class:`~tradeschema.errors.MissingDependencyError`, naming the extra.
"""

from __future__ import annotations

from .export import export_spark
from .extract import extract_spark, load_articles_spark
from .session import DEFAULT_MASTER, require_pyspark, spark_session
from .validate import validate_spark

__all__ = [
    "DEFAULT_MASTER",
    "export_spark",
    "extract_spark",
    "load_articles_spark",
    "require_pyspark",
    "spark_session",
    "validate_spark",
]
