"""Which lines of a block of JSON Lines repeat a key in an object: the work of the duplicate-key scan.

Run as a script (``python .../keycheck.py``), it serves :class:`tradeschema.validation.keys.DuplicateKeyScan`
from another process: it reads blocks from standard input (an 8-byte little-endian length, then the
lines) and answers each with the 0-based indexes of its lines that need the exact check (a 4-byte count,
then 4 bytes per index). It imports nothing of tradeschema, so it starts in a few milliseconds.
"""

from __future__ import annotations

import struct
import sys
from typing import BinaryIO

__all__ = ["main", "suspect_lines"]


def suspect_lines(block: bytes) -> list[int]:
    """Indexes of the lines of ``block`` that jiter cannot read with duplicate keys refused.

    jiter (the pydantic team's parser) fails on the first repeated key of any object at any depth; a
    line it fails on for any other reason is a suspect too, so the exact check decides.
    """
    from jiter import from_json

    suspects = []
    for index, line in enumerate(block.split(b"\n")):
        if not line or line.isspace():
            continue
        try:
            from_json(line, catch_duplicate_keys=True, cache_mode=False)
        except ValueError:
            suspects.append(index)
    return suspects


def _read_exactly(stream: BinaryIO, size: int) -> bytes:
    data = stream.read(size)
    while len(data) < size:
        more = stream.read(size - len(data))
        if not more:
            raise EOFError
        data += more
    return data


def main() -> None:
    """Answer blocks until standard input closes (or the validator is gone)."""
    import signal

    # The validator stops this process by closing its input; Ctrl-C is the validator's to handle.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Run as a script, this file's folder leads sys.path; its modules are not meant to be found there.
    import os

    here = os.path.dirname(os.path.abspath(__file__))
    if sys.path and os.path.abspath(sys.path[0]) == here:
        del sys.path[0]
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    try:
        while True:
            try:
                (size,) = struct.unpack("<Q", _read_exactly(source, 8))
                block = _read_exactly(source, size)
            except EOFError:
                return
            suspects = suspect_lines(block)
            sink.write(struct.pack(f"<I{len(suspects)}I", len(suspects), *suspects))
            sink.flush()
    except OSError:  # the validator closed the pipe: nobody is waiting for an answer
        return


if __name__ == "__main__":
    main()
