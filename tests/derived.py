"""Rows as the export writes them to Parquet: each partial date with its derived columns.

Written here, independently of the exporter, so that tests which write Parquet by hand check the
validator against a second reading of the layout rather than against the exporter's own code.
"""

from __future__ import annotations

from typing import Any

from tradeschema.dates import parse_partial_date
from tradeschema.registry import model_for_table
from tradeschema.tables import DATE_SUFFIX, PRECISION_SUFFIX, FieldKind, field_specs


def with_derived_dates(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """The row with the ``f_date`` / ``f_precision`` columns of its partial dates, as the export has."""
    out = dict(row)
    for spec in field_specs(model_for_table(table)):
        if spec.kind is FieldKind.partial_date and isinstance(row.get(spec.name), str):
            try:
                interval = parse_partial_date(row[spec.name])
            except ValueError:
                continue  # an impossible date: the derived columns stay empty, the date is the issue
            out[spec.name + DATE_SUFFIX] = interval.first
            out[spec.name + PRECISION_SUFFIX] = str(interval.precision)
    return out
