"""Reading export inputs into one validated Dataset, collecting every problem in a report.

Inputs are articles (``.txt``, through the article loader), Dataset documents (``.json``) and
JSON Lines of records (``.jsonl``, record type from the file name). Records are schema-checked where
they are read (file, line, JSON path), then integrity-checked together, since a statement in one file
may name a party in another. Records that several inputs share unchanged (``party:us`` in every
Dataset document of a batch of articles) are kept once; differing records with the same id are
reported as duplicate ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError, create_model

from ..errors import InputError
from ..integrity import IntegrityChecker
from ..models import SCHEMA_VERSION, Dataset, Record, StrictModel
from ..registry import TABLE_NAMES
from ..report import Issue, IssueCode, Report, Severity
from .issues import Place, issue_from_violation, issues_from_validation_error
from .jsonl import JSONL_SUFFIXES, iter_lines, table_for_path, validate_line

__all__ = ["ARTICLE_SUFFIXES", "DATASET_SUFFIXES", "LoadedRecords", "input_kind", "load_inputs"]

ARTICLE_SUFFIXES: tuple[str, ...] = (".txt",)
"""File name endings read as articles."""
DATASET_SUFFIXES: tuple[str, ...] = (".json",)
"""File name endings read as Dataset documents."""


def input_kind(path: str | Path) -> str:
    """``article``, ``dataset`` or ``jsonl``, told from the file name; raises :class:`InputError`."""
    suffix = Path(path).suffix.lower()
    if suffix in ARTICLE_SUFFIXES:
        return "article"
    if suffix in DATASET_SUFFIXES:
        return "dataset"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    raise InputError("unknown input type: expected .txt (article), .json (Dataset) or .jsonl", file=str(path))


@cache
def _dataset_lists() -> type[BaseModel]:
    # The Dataset's fields without its integrity validator: integrity is checked across all inputs
    # together, not per document.
    fields: Any = {name: (info.annotation, info) for name, info in Dataset.model_fields.items()}
    model: type[BaseModel] = create_model("DatasetLists", __base__=StrictModel, **fields)
    return model


@dataclass
class LoadedRecords:
    """Records read from inputs, each with the place it was read from."""

    records: dict[str, Record] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    duplicates: list[tuple[Record, Place]] = field(default_factory=list)

    def add(self, record: Record, place: Place) -> None:
        known = self.records.get(record.id)
        if known is None:
            self.records[record.id] = record
            self.places[record.id] = place
        elif known != record:
            self.duplicates.append((record, place))

    def dataset(self) -> Dataset:
        lists: dict[str, Any] = {name: [] for name in TABLE_NAMES}
        for record in self.records.values():
            lists[record.table].append(record)
        # Every record is validated and the integrity of the whole was checked by load_inputs.
        return Dataset.model_construct(schema_version=SCHEMA_VERSION, **lists)


def _read_document(path: Path, loaded: LoadedRecords, report: Report) -> None:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=str(path)) from exc
    try:
        document = _dataset_lists().model_validate_json(raw)
    except ValidationError as exc:
        report.extend(issues_from_validation_error(exc, Place(str(path))))
        return
    version: str = getattr(document, "schema_version")  # noqa: B009 - the model is built at run time
    if version.split(".", maxsplit=1)[0] != SCHEMA_VERSION.split(".")[0]:
        message = f"schema version {version} cannot be exported by this release (schema {SCHEMA_VERSION})"
        report.add(
            Issue(
                IssueCode.unsupported_schema_version,
                Severity.error,
                message,
                file=str(path),
                path="$.schema_version",
                value=version,
            )
        )
        return
    for name in TABLE_NAMES:
        for index, record in enumerate(getattr(document, name)):
            loaded.add(record, Place(str(path), None, (name, index)))


def _read_jsonl(path: Path, table: str | None, loaded: LoadedRecords, report: Report) -> None:
    name = table or table_for_path(path)
    if name is None:
        raise InputError(
            "cannot tell the record type from the file name (such as statements.jsonl); pass --record",
            file=str(path),
        )
    for number, line in iter_lines(path):
        place = Place(str(path), number)
        result = validate_line(line, name, place)
        if isinstance(result, list):
            report.extend(result)
        else:
            loaded.add(result, place)


def _read_articles(paths: Sequence[Path], loaded: LoadedRecords) -> None:
    import tradeschema

    loader = getattr(tradeschema, "load_articles", None)
    if loader is None:
        raise InputError(
            "reading articles needs the article loader (tradeschema.load_articles), "
            "which this installation does not have",
            file=str(paths[0]),
        )
    dataset: Dataset = loader(paths)
    where = str(paths[0]) if len(paths) == 1 else "articles"
    for name in TABLE_NAMES:
        for index, record in enumerate(getattr(dataset, name)):
            loaded.add(record, Place(where, None, (name, index)))


def load_inputs(paths: Iterable[str | Path], *, table: str | None = None) -> tuple[Dataset | None, Report]:
    """Read, validate and merge the inputs; returns the Dataset (``None`` when invalid) and the report.

    ``table`` overrides the record type of JSON Lines inputs. Raises :class:`InputError` for an
    input that cannot be read at all (missing file, unknown kind).
    """
    report = Report()
    loaded = LoadedRecords()
    articles: list[Path] = []
    for item in paths:
        path = Path(item)
        report.files.append(str(path))
        kind = input_kind(path)
        if kind == "article":
            articles.append(path)
        elif kind == "dataset":
            _read_document(path, loaded, report)
        else:
            _read_jsonl(path, table, loaded, report)
    if articles:
        _read_articles(articles, loaded)
    report.records = len(loaded.records) + len(loaded.duplicates)
    # The checker places records by number; the number is an index into the places read.
    places: list[Place] = []
    checker = IntegrityChecker(emit=lambda v: report.add(issue_from_violation(v, places[v.where[1]])))
    for record_id, record in loaded.records.items():
        places.append(loaded.places[record_id])
        checker.add(record, (0, len(places) - 1, 0))
    for record, place in loaded.duplicates:
        places.append(place)
        checker.add(record, (0, len(places) - 1, 0))
    checker.finish()
    return (loaded.dataset() if report.valid else None), report
