"""Run every benchmark and print one table: ``python -m benchmarks [--records N]``.

Each row measures tradeschema and its baseline in the same run, each in a fresh process, and
checks the row's target (a speed ratio, a memory cap, an equal set of failing lines). The exit
code is 1 when any target is missed, so a regression shows. Not part of the tests: timing belongs
here, on a quiet machine, never in an assertion of the test suite.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .data import write_jsonl
from .measure import Measurement, best_of, run_case

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_cc4bd68febfd186d.txt"


@dataclass
class Row:
    """One line of the results table."""

    what: str
    ours: str
    baseline: str
    ratio: str
    target: str
    met: bool


def _fmt_rate(m: Measurement) -> str:
    return f"{m.rate:,.0f}/s, {m.peak_rss_mb:,.0f} MB"


def _read_lines(path: Path) -> set[int]:
    text = path.read_text(encoding="utf-8").strip()
    return {int(line) for line in text.splitlines()} if text else set()


def bench_validate_jsonl(work: Path, records: int, baseline_limit: int, repeat: int) -> list[Row]:
    valid = work / "statements.jsonl"
    write_jsonl(valid, records)
    ours, slow, fast, both = best_of(
        [
            ("ours_validate", str(valid), "statements"),
            ("jsonschema_loop", str(valid), str(baseline_limit)),
            ("jsonschema_rs_loop", str(valid)),
            # The same file cut into two parts, one process each (validate --jobs 2).
            ("ours_validate", str(valid), "statements", "", "2"),
        ],
        repeat,
    )
    rows = [
        Row(
            f"validate {records:,} statements (JSONL)",
            _fmt_rate(ours),
            f"jsonschema: {_fmt_rate(slow)}",
            f"{ours.rate / slow.rate:.1f}x",
            ">= 25x, <= 100 MB",
            ours.rate / slow.rate >= 25 and ours.peak_rss_mb <= 100 and ours.extra["failing"] == 0,
        ),
        Row(
            "  same file",
            _fmt_rate(ours),
            f"jsonschema-rs: {_fmt_rate(fast)}",
            f"{ours.rate / fast.rate:.2f}x",
            ">= 0.8x",
            ours.rate / fast.rate >= 0.8,
        ),
    ]
    rows += [
        Row(
            "  same file, --jobs 2",
            _fmt_rate(both),
            f"ours, --jobs 1: {_fmt_rate(ours)}",
            f"{both.rate / ours.rate:.2f}x, {both.peak_rss_mb / ours.peak_rss_mb:.2f}x memory",
            ">= 1.7x, memory <= 2x",
            both.rate / ours.rate >= 1.7 and both.peak_rss_mb <= 2 * ours.peak_rss_mb,
        ),
        Row(
            "  same file, --jobs 2",
            _fmt_rate(both),
            f"jsonschema-rs: {_fmt_rate(fast)}",
            f"{both.rate / fast.rate:.2f}x",
            ">= 1.4x",
            both.rate / fast.rate >= 1.4,
        ),
    ]
    invalid = work / "statements-1pct-invalid.jsonl"
    expected = write_jsonl(invalid, records, invalid_share=0.01)
    ours_failing, slow_failing = work / "ours.failing", work / "jsonschema.failing"
    ours, slow = best_of(
        [
            ("ours_validate", str(invalid), "statements", str(ours_failing)),
            ("jsonschema_loop", str(invalid), str(baseline_limit), str(slow_failing)),
        ],
        repeat,
    )
    ours_set, slow_set = _read_lines(ours_failing), _read_lines(slow_failing)
    same = ours_set == expected and {n for n in ours_set if n <= baseline_limit} == slow_set
    rows.append(
        Row(
            "  1% invalid lines",
            _fmt_rate(ours) + f", {len(ours_set):,} failing",
            f"jsonschema: {_fmt_rate(slow)}, {len(slow_set):,} failing",
            f"{ours.rate / slow.rate:.1f}x",
            ">= 25x, same failing lines",
            ours.rate / slow.rate >= 25 and same,
        )
    )
    return rows


def write_long_line(path: Path, size: int) -> None:
    """One JSON Lines line of ``size`` bytes (a statement whose text never ends), written in pieces."""
    head, tail = b'{"id": "statement:long", "kind": "direct", "text": "', b'"}\n'
    piece = b"talks " * (1 << 18)
    with path.open("wb") as handle:
        handle.write(head)
        left = size - len(head) - len(tail)
        while left > 0:
            handle.write(piece[:left])
            left -= len(piece)
        handle.write(tail)


def bench_long_line(work: Path, size_mb: int) -> list[Row]:
    long = work / "statements-long-line.jsonl"
    write_long_line(long, size_mb * 1_000_000)
    try:
        ours = run_case("ours_long_line", str(long))
        base = run_case("read_lines", str(long))
    finally:
        long.unlink()
    reported = ours.extra["codes"] == ["line-too-long"]
    return [
        Row(
            f"validate one JSON Lines line of {size_mb:,} MB",
            f"{ours.rate / 1e6:,.0f} MB/s, {ours.peak_rss_mb:,.0f} MB, {', '.join(ours.extra['codes'])}",
            f"for line in file: {base.rate / 1e6:,.0f} MB/s, {base.peak_rss_mb:,.0f} MB",
            f"{ours.peak_rss_mb / base.peak_rss_mb:.2f}x memory",
            "< 150 MB, line-too-long",
            ours.peak_rss_mb < 150 and reported,
        )
    ]


def bench_extract(work: Path) -> list[Row]:
    rows = []
    ours = run_case("ours_extract", str(SEED), "200")
    rows.append(
        Row(
            "extract the seed article", f"{ours.rate:,.0f} articles/s", "-", "-", ">= 200/s", ours.rate >= 200
        )
    )
    header, _, body = SEED.read_text(encoding="utf-8").partition("\n\n")
    per_char = []
    for factor in (1, 10, 100):
        article = work / f"seed-x{factor}.txt"
        article.write_text(header + "\n\n" + "\n\n".join([body.strip()] * factor) + "\n", encoding="utf-8")
        repeat = max(1, 40 // factor)
        m = run_case("ours_extract", str(article), str(repeat))
        per_char.append(m.seconds / repeat / m.extra["characters"])
    growth = per_char[2] / per_char[0]
    rows.append(
        Row(
            "  time per character at 1x / 10x / 100x length",
            " / ".join(f"{value * 1e6:.2f} µs" for value in per_char),
            "-",
            f"{growth:.2f}x",
            "linear: 100x/1x <= 1.5",
            growth <= 1.5,
        )
    )
    rows += bench_extract_long(work, header, body.strip())
    return rows


def _long_article(work: Path, header: str, body: str, characters: int) -> Path:
    """The seed's paragraphs repeated to about ``characters`` characters, as one article."""
    copies = max(1, characters // (len(body) + 2))
    path = work / f"seed-{characters}.txt"
    path.write_text(header + "\n\n" + "\n\n".join([body] * copies) + "\n", encoding="utf-8")
    return path


def bench_extract_long(work: Path, header: str, body: str) -> list[Row]:
    """Extraction stays linear far past everyday lengths: time per character at 50 KB and 20 MB within
    1.3x, and peak memory per character at 5 MB and 20 MB within 1.3x (memory linear in length)."""
    runs = {
        size: run_case("ours_extract_long", str(_long_article(work, header, body, size)), str(SEED))
        for size in (50_000, 5_000_000, 20_000_000)
    }
    per_char = {size: m.seconds / m.extra["characters"] for size, m in runs.items()}
    per_char_mb = {size: m.peak_rss_mb / m.extra["characters"] for size, m in runs.items()}
    time_ratio = per_char[20_000_000] / per_char[50_000]
    memory_ratio = per_char_mb[20_000_000] / per_char_mb[5_000_000]
    return [
        Row(
            "  CPU time per character at 50 KB / 20 MB",
            f"{per_char[50_000] * 1e6:.2f} µs / {per_char[20_000_000] * 1e6:.2f} µs",
            "-",
            f"{time_ratio:.2f}x",
            "20 MB / 50 KB <= 1.3",
            time_ratio <= 1.3,
        ),
        Row(
            "  peak memory at 5 MB / 20 MB",
            f"{runs[5_000_000].peak_rss_mb:,.0f} MB / {runs[20_000_000].peak_rss_mb:,.0f} MB",
            "-",
            f"{memory_ratio:.2f}x per character",
            "linear: per character 20 MB / 5 MB <= 1.3",
            memory_ratio <= 1.3,
        ),
    ]


def bench_parquet_and_export(work: Path, records: int, chosen: set[str], repeat: int) -> list[Row]:
    source = work / "statements.jsonl"
    if not source.exists():
        write_jsonl(source, records)
    rows = []
    out = work / "export"
    if "export" in chosen:
        ours, base = best_of(
            [
                ("ours_export", str(source), str(out)),
                ("pyarrow_export", str(source), str(work / "pyarrow.parquet")),
            ],
            repeat,
        )
        rows.append(
            Row(
                f"export {records:,} JSON Lines records to Parquet (validated)",
                _fmt_rate(ours),
                f"pyarrow read_json + write_table (unvalidated): {_fmt_rate(base)}",
                f"{ours.rate / base.rate:.2f}x",
                ">= 0.8x, <= 500 MB",
                ours.rate / base.rate >= 0.8 and ours.peak_rss_mb <= 500,
            )
        )
    else:
        run_case("ours_export", str(source), str(out))  # the Parquet table the rows below read
    if "parquet" in chosen:
        table = out / "parquet" / "statements.parquet"
        # The same file in two parts of row groups too, one process each, against DuckDB's SQL
        # (which uses every core too).
        ours, base, both, sql = best_of(
            [
                ("ours_validate", str(table), "statements"),
                ("pydantic_rows", str(table)),
                ("ours_validate", str(table), "statements", "", "2"),
                ("duckdb_checks", str(table)),
            ],
            repeat,
        )
        rows.append(
            Row(
                f"validate {records:,}-row Parquet table",
                _fmt_rate(ours),
                f"pydantic per row: {_fmt_rate(base)}",
                f"{ours.rate / base.rate:.1f}x",
                ">= 3x, <= 300 MB",
                ours.rate / base.rate >= 3 and ours.peak_rss_mb <= 300 and ours.extra["failing"] == 0,
            )
        )
        rows += [
            Row(
                "  same table, --jobs 2",
                _fmt_rate(both),
                f"pydantic per row: {_fmt_rate(base)}",
                f"{both.rate / base.rate:.1f}x",
                ">= 10x",
                both.rate / base.rate >= 10 and both.extra["failing"] == 0,
            ),
            Row(
                "  same table, --jobs 2",
                _fmt_rate(both),
                f"DuckDB, the checks as SQL: {_fmt_rate(sql)}",
                f"{both.rate / sql.rate:.2f}x",
                ">= 0.5x",
                both.rate / sql.rate >= 0.5 and sql.extra["failing"] == 0,
            ),
        ]
    return rows


def bench_spark(work: Path, rows: int, files: int, master: str) -> list[Row]:
    folder = work / "spark-dataset"
    # Written by a child process: a child inherits its parent's resident memory in its own peak
    # (ru_maxrss counts the pages a fork copies), so the harness must stay small.
    run_case("spark_dataset", str(folder), str(work), str(rows), str(files))
    base = run_case("ours_validate_folder", str(folder))
    ours = run_case("spark_validate_folder", str(folder), master)
    same = ours.records == base.records == rows and ours.extra["counts"] == base.extra["counts"]
    driver = ours.extra["python_driver_mb"]
    startup = ours.extra["startup_seconds"]
    return [
        Row(
            f"validate {rows:,}-row Parquet in {files} partitions on Spark {master}",
            f"{ours.rate:,.0f}/s; driver: Python {driver:,.0f} MB, with the JVM and workers "
            f"{ours.peak_rss_mb:,.0f} MB; session start and warm-up {startup:.0f} s apart",
            f"one machine, one process: {_fmt_rate(base)}",
            f"{ours.rate / base.rate:.2f}x",
            "same records and issue counts; Python driver <= 300 MB",
            same and driver <= 300,
        )
    ]


def _median_seconds(command: list[str], runs: int = 15) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_help() -> list[Row]:
    ours = _median_seconds([sys.executable, "-m", "tradeschema", "--help"])
    base = _median_seconds([sys.executable, "-c", "pass"])
    return [
        Row(
            "tradeschema --help",
            f"{ours:.3f} s",
            f"python -c pass: {base:.3f} s",
            f"+{ours - base:.3f} s",
            "< +0.3 s",
            ours - base < 0.3,
        )
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--records", type=int, default=1_000_000, help="records per file (default 1,000,000)")
    parser.add_argument(
        "--baseline-limit",
        type=int,
        default=50_000,
        help="lines the slow jsonschema loop validates (its rate does not depend on file size)",
    )
    parser.add_argument(
        "--only",
        choices=["validate", "longline", "parquet", "export", "extract", "help", "spark"],
        action="append",
    )
    parser.add_argument(
        "--long-line-mb", type=int, default=500, help="size of the one-line file (default 500 MB)"
    )
    parser.add_argument(
        "--spark-rows",
        type=int,
        default=10_000_000,
        help="rows of the Spark row's dataset (default 10,000,000)",
    )
    parser.add_argument(
        "--spark-files", type=int, default=20, help="its partitions, a file each (default 20)"
    )
    parser.add_argument("--spark-master", default="local[2]", help="Spark master (default local[2])")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of each case of the ratio rows, taking turns; the fastest counts (default 3)",
    )
    args = parser.parse_args(argv)
    # The Spark row needs the spark extra and Java: it runs only when asked for.
    chosen = set(args.only or ["validate", "longline", "parquet", "export", "extract", "help"])
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="tradeschema-bench-") as tmp:
        work = Path(tmp)
        if "validate" in chosen:
            rows += bench_validate_jsonl(
                work, args.records, min(args.baseline_limit, args.records), args.repeat
            )
        if "longline" in chosen:
            rows += bench_long_line(work, args.long_line_mb)
        if "parquet" in chosen or "export" in chosen:
            rows += bench_parquet_and_export(work, args.records, chosen, args.repeat)
        if "extract" in chosen:
            rows += bench_extract(work)
        if "help" in chosen:
            rows += bench_help()
        if "spark" in chosen:
            rows += bench_spark(work, args.spark_rows, args.spark_files, args.spark_master)
    header = Row("what", "ours", "baseline (same run)", "ratio", "target", True)
    print(f"| {header.what} | {header.ours} | {header.baseline} | {header.ratio} | {header.target} | met |")
    print("| --- | --- | --- | --- | --- | --- |")
    for row in rows:
        met = "yes" if row.met else "NO"
        print(f"| {row.what} | {row.ours} | {row.baseline} | {row.ratio} | {row.target} | {met} |")
    return 0 if all(row.met for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
