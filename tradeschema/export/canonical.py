"""The canonical ``dataset.json``: one Dataset document whose bytes depend only on its records.

Records are ordered by id (code-point order) within each list; keys follow model field order; every
field is written, null or empty included; text is UTF-8 (no ``\\u`` escapes for non-ASCII); NaN and
Infinity cannot occur because the models reject them. Indented by 2 with a final newline, so diffs
between two exports stay readable.
"""

from __future__ import annotations

from pathlib import Path

from ..models import Dataset
from ..registry import TABLE_NAMES

__all__ = ["dataset_json", "sorted_dataset", "write_dataset_json"]


def sorted_dataset(dataset: Dataset) -> Dataset:
    """The same dataset with each list of records ordered by id."""
    update = {name: sorted(getattr(dataset, name), key=lambda record: record.id) for name in TABLE_NAMES}
    # model_copy does not revalidate: the records and their integrity do not change by reordering.
    return dataset.model_copy(update=update)


def dataset_json(dataset: Dataset) -> bytes:
    """The canonical JSON document of a dataset."""
    return sorted_dataset(dataset).model_dump_json(indent=2).encode("utf-8") + b"\n"


def write_dataset_json(dataset: Dataset, path: str | Path) -> Path:
    """Write the canonical JSON document of a dataset to ``path``."""
    target = Path(path)
    target.write_bytes(dataset_json(dataset))
    return target
