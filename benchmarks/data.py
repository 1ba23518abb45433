"""Deterministic benchmark data: realistic Statement records as JSON Lines, optionally 1% invalid.

Records are generated from a seeded random generator, so the same ``--records`` and ``--seed`` give the
same bytes on every machine. Field sizes follow what the loader produces for news articles (~500 bytes a
record), with non-ASCII text in names and quotations.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

WORDS = (
    "trade talks export controls tariffs rare earth magnets semiconductors framework agreement "
    "officials negotiators ministers approval licence restrictions balanced consensus implement "
    "Ministère Commerce 中国 商务部 Šefčovič São Paulo Zürich Düsseldorf 東京 Москва naïve café"
).split()
CUES = ["said", "told reporters", "added", "indicated", "vowed", "warned", "according to"]
SETTINGS = ["told reporters in London", "at a briefing in Geneva", "in a statement", None]
KINDS = ["direct", "partial", "indirect"]

# Ways a line can be wrong; each must make both our validator and a JSON Schema validator fail.
MUTATIONS = (
    "bad_enum",
    "missing_text",
    "bad_date",
    "numeric_string",
    "unknown_field",
    "bad_id",
    "truncated_json",
    "not_an_object",
    "negative_offset",
    "null_required",
)


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def statement(rng: random.Random, index: int) -> dict[str, object]:
    """One valid statement record."""
    text = _sentence(rng, rng.randint(8, 16))
    start = rng.randint(0, 5000)
    year, month = rng.randint(2019, 2026), rng.randint(1, 12)
    return {
        "id": f"statement:bench-{index:08d}",
        "speaker": f"party:person:speaker-{rng.randint(1, 500)}",
        "speaker_text": _sentence(rng, 2).title(),
        "kind": rng.choice(KINDS),
        "text": text,
        "cue": rng.choice(CUES),
        "reported_by": rng.choice([None, "party:media:reuters", "party:media:xinhua"]),
        "via": None,
        "setting": rng.choice(SETTINGS),
        "date": rng.choice(
            [f"{year}", f"{year}-{month:02d}", f"{year}-{month:02d}-{rng.randint(1, 28):02d}"]
        ),
        "date_text": rng.choice(["Wednesday", "last month", "on Tuesday", None]),
        "about": [f"measure:bench-{rng.randint(1, 2000)}"],
        "confidence": round(rng.random(), 3),
        "evidence": [
            {
                "source_id": f"source:bench-{rng.randint(1, 10000)}",
                "start": start,
                "end": start + len(text),
                "text": text,
            }
        ],
    }


def _mutate(rng: random.Random, record: dict[str, object], mutation: str) -> str:
    if mutation == "truncated_json":
        return json.dumps(record, ensure_ascii=False)[: rng.randint(10, 80)]
    if mutation == "not_an_object":
        return json.dumps([record["id"]])
    if mutation == "bad_enum":
        record["kind"] = rng.choice(["Direct", "quote", ""])
    elif mutation == "missing_text":
        del record["text"]
    elif mutation == "bad_date":
        record["date"] = rng.choice(["2025-13", "2025-02-30", "2025/05/01", "May 2025"])
    elif mutation == "numeric_string":
        record["evidence"][0]["start"] = str(record["evidence"][0]["start"])  # type: ignore[index]
    elif mutation == "unknown_field":
        record["speaker_name"] = "x"
    elif mutation == "bad_id":
        record["id"] = str(record["id"]).upper()
    elif mutation == "negative_offset":
        record["evidence"][0]["start"] = -1  # type: ignore[index]
    else:
        record["kind"] = None
    return json.dumps(record, ensure_ascii=False)


def lines(records: int, *, seed: int = 20250611, invalid_share: float = 0.0) -> Iterator[tuple[str, bool]]:
    """Yield ``(json_line, is_valid)`` for ``records`` statements."""
    rng = random.Random(seed)
    for index in range(records):
        record = statement(rng, index)
        if invalid_share and rng.random() < invalid_share:
            yield _mutate(rng, record, MUTATIONS[index % len(MUTATIONS)]), False
        else:
            yield json.dumps(record, ensure_ascii=False), True


def write_jsonl(path: Path, records: int, *, seed: int = 20250611, invalid_share: float = 0.0) -> set[int]:
    """Write the file; returns the 1-based numbers of the lines made invalid."""
    invalid: set[int] = set()
    with path.open("w", encoding="utf-8") as handle:
        for number, (line, valid) in enumerate(lines(records, seed=seed, invalid_share=invalid_share), 1):
            handle.write(line + "\n")
            if not valid:
                invalid.add(number)
    return invalid


def write_partitioned(folder: Path, work: Path, rows: int, files: int) -> None:
    """``rows`` statements in ``files`` hive partitions (``part=K``): one exported file of generated
    records, copied with the partition number appended to each id so every id stays unique."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from tradeschema import export_files

    per_file = -(-rows // files)
    source = work / f"spark-{per_file}" / "statements.jsonl"
    source.parent.mkdir(exist_ok=True)
    write_jsonl(source, per_file)
    out = work / f"spark-export-{per_file}"
    if not export_files([str(source)], str(out), force=True).ok:
        raise SystemExit("the generated records did not export")
    table = pq.read_table(out / "parquet" / "statements.parquet")
    for part in range(files):
        count = min(per_file, rows - part * per_file)
        if count <= 0:
            break
        piece = table.slice(0, count)
        ids = pc.binary_join_element_wise(piece.column("id"), f"-{part:04d}", "")
        piece = piece.set_column(piece.schema.get_field_index("id"), "id", ids)
        target = folder / "statements" / f"part={part:04d}" / "part-0.parquet"
        target.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(piece, target, compression="zstd")
