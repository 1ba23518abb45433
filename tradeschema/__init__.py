"""tradeschema: structured, validated data about trade negotiations and export controls.

The public API is listed in ``__all__``. Names load on first use, so importing the package (and
starting the command line) stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .countries import CountryCode, LanguageCode, normalize_country
    from .dates import DatePrecision, PartialDate, parse_partial_date
    from .errors import ArticleError, ExportError, InputError, InvalidDataError, TradeSchemaError, UsageError
    from .export import (
        dataset_json,
        export_dataset,
        export_files,
        read_jsonl,
        read_parquet,
        write_jsonl,
        write_parquet,
    )
    from .integrity import IntegrityChecker, check_dataset
    from .loader.curation import apply_curation
    from .loader.evaluate import EvaluationResult, evaluate
    from .loader.load import load_article, load_article_text, load_articles
    from .models import (
        SCHEMA_VERSION,
        ControlListEntry,
        Dataset,
        EvidenceSpan,
        HsCode,
        Measure,
        Negotiation,
        Party,
        Product,
        Round,
        Source,
        Statement,
    )
    from .report import Issue, IssueCode, Report, Severity
    from .schema import load_schema, schema_for, write_schemas
    from .validation import validate
    from .vocab import (
        MEASURE_TYPE_CODELIST,
        MeasureStatus,
        MeasureType,
        NegotiationStatus,
        PartyKind,
        RoundKind,
        SourceKind,
        StatementKind,
        Topic,
    )

_LAZY: dict[str, str] = {
    "CountryCode": "countries",
    "LanguageCode": "countries",
    "normalize_country": "countries",
    "DatePrecision": "dates",
    "PartialDate": "dates",
    "parse_partial_date": "dates",
    "ArticleError": "errors",
    "ExportError": "errors",
    "InputError": "errors",
    "InvalidDataError": "errors",
    "UsageError": "errors",
    "TradeSchemaError": "errors",
    "dataset_json": "export",
    "export_dataset": "export",
    "export_files": "export",
    "read_jsonl": "export",
    "read_parquet": "export",
    "write_jsonl": "export",
    "write_parquet": "export",
    "IntegrityChecker": "integrity",
    "check_dataset": "integrity",
    "EvaluationResult": "loader.evaluate",
    "evaluate": "loader.evaluate",
    "apply_curation": "loader.curation",
    "load_article": "loader.load",
    "load_article_text": "loader.load",
    "load_articles": "loader.load",
    "SCHEMA_VERSION": "models",
    "ControlListEntry": "models",
    "Dataset": "models",
    "EvidenceSpan": "models",
    "HsCode": "models",
    "Measure": "models",
    "Negotiation": "models",
    "Party": "models",
    "Product": "models",
    "Round": "models",
    "Source": "models",
    "Statement": "models",
    "Issue": "report",
    "IssueCode": "report",
    "Report": "report",
    "Severity": "report",
    "load_schema": "schema",
    "schema_for": "schema",
    "write_schemas": "schema",
    "validate": "validation",
    "MEASURE_TYPE_CODELIST": "vocab",
    "MeasureStatus": "vocab",
    "MeasureType": "vocab",
    "NegotiationStatus": "vocab",
    "PartyKind": "vocab",
    "RoundKind": "vocab",
    "SourceKind": "vocab",
    "StatementKind": "vocab",
    "Topic": "vocab",
}

__all__ = [
    "MEASURE_TYPE_CODELIST",
    "SCHEMA_VERSION",
    "ArticleError",
    "ControlListEntry",
    "CountryCode",
    "Dataset",
    "DatePrecision",
    "EvaluationResult",
    "EvidenceSpan",
    "ExportError",
    "HsCode",
    "InputError",
    "IntegrityChecker",
    "InvalidDataError",
    "Issue",
    "IssueCode",
    "LanguageCode",
    "Measure",
    "MeasureStatus",
    "MeasureType",
    "Negotiation",
    "NegotiationStatus",
    "PartialDate",
    "Party",
    "PartyKind",
    "Product",
    "Report",
    "Round",
    "RoundKind",
    "Severity",
    "Source",
    "SourceKind",
    "Statement",
    "StatementKind",
    "Topic",
    "TradeSchemaError",
    "UsageError",
    "__version__",
    "apply_curation",
    "check_dataset",
    "dataset_json",
    "evaluate",
    "export_dataset",
    "export_files",
    "load_article",
    "load_article_text",
    "load_articles",
    "load_schema",
    "normalize_country",
    "parse_partial_date",
    "read_jsonl",
    "read_parquet",
    "schema_for",
    "validate",
    "write_jsonl",
    "write_parquet",
    "write_schemas",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tradeschema' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
