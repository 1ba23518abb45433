"""Opening input files: plain, or compressed with gzip, bzip2 or Zstandard (decompressed by pyarrow).

A compressed file is named by its extension after the format's (``statements.jsonl.gz``); readers see
one binary stream either way, so a compressed file is read exactly like a plain one.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

__all__ = ["COMPRESSIONS", "file_digest", "open_binary", "split_compression"]

COMPRESSIONS: dict[str, str] = {".gz": "gzip", ".bz2": "bz2", ".zst": "zstd"}
"""File extension -> pyarrow codec name, for the compressed inputs the validator reads."""


def split_compression(name: str) -> tuple[str, str | None]:
    """The name without its compression extension, and the codec (``statements.jsonl.gz`` ->
    ``("statements.jsonl", "gzip")``; ``statements.jsonl`` -> ``("statements.jsonl", None)``)."""
    lowered = name.lower()
    for extension, codec in COMPRESSIONS.items():
        if lowered.endswith(extension) and len(name) > len(extension):
            return name[: -len(extension)], codec
    return name, None


def open_binary(path: str) -> io.BufferedReader:
    """A buffered binary stream of the file's content, decompressed when its name says it is compressed.

    Raises ``OSError`` when the file cannot be opened; reading a corrupt or truncated compressed file
    raises ``OSError`` too (pyarrow's ``ArrowIOError`` is one).
    """
    _, codec = split_compression(path)
    if codec is None:
        return open(path, "rb")
    import pyarrow as pa

    try:
        native = pa.input_stream(path, compression=codec)
    except pa.ArrowException as exc:  # such as a codec missing from this pyarrow build
        raise OSError(str(exc)) from exc
    # pyarrow's stream has readinto, which is all io.BufferedReader needs for fast readline.
    return io.BufferedReader(native, buffer_size=1 << 16)


def file_digest(path: str | Path) -> tuple[str, int]:
    """The SHA-256 (hex) of a file's bytes as stored, and its count of line feeds: what an export's
    manifest records and what validating an export folder checks."""
    digest = hashlib.sha256()
    lines = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            lines += chunk.count(b"\n")
    return digest.hexdigest(), lines
