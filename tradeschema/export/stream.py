"""The two halves of a streamed export: the validator in a child process, and blocks of raw lines.

A streamed export reads its inputs in blocks of whole lines (:func:`line_blocks`) and converts them;
the validator clears each block from the same parse (:mod:`tradeschema.validation.clearing`). When a
block cannot be cleared, the validator reads the inputs itself with
:func:`tradeschema.validation.validate_inputs` (its own loop and compact integrity state, so a failed
export reports exactly what ``tradeschema validate`` reports) in a child process
(:mod:`tradeschema.workers`), while this process goes on converting. Nothing is swapped in unless
the report has no error.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import ExportError, InputError
from ..report import Report
from ..validation.discover import Input
from ..validation.parallel import FilesRequest
from ..workers import WorkerGone, WorkerProcess

__all__ = ["ValidationProcess", "file_state", "line_blocks"]

_BOM = b"\xef\xbb\xbf"

BLOCK_BYTES = 8 << 20
"""Bytes of input lines converted at a time: a few blocks in flight keep memory flat."""


class ValidationProcess:
    """Validates JSON Lines files in a child process (:class:`~tradeschema.workers.WorkerProcess`);
    :meth:`report` waits for it. The child's memory is its own (the validator needs well under 100 MB),
    and it imports the validator alone (:class:`~tradeschema.validation.parallel.FilesRequest`), not
    the exporter and pyarrow.
    """

    def __init__(self, inputs: Sequence[Input], keep_per_code: int = 1000, jobs: int | None = 1) -> None:
        files = [(item.path, item.name, item.table) for item in inputs]
        self._worker = WorkerProcess(FilesRequest(files, keep_per_code, jobs))

    def report(self) -> Report:
        """The validator's report; raises what the validator raised."""
        try:
            value = self._worker.result()
        except WorkerGone as exc:
            raise ExportError(str(exc)) from exc
        assert isinstance(value, Report)
        return value

    def cancel(self) -> None:
        """Stop the child (when the export fails for another reason)."""
        self._worker.cancel()


def file_state(path: Path) -> tuple[Any, ...]:
    """What tells whether a file changed while it was read twice (by the validator and the converter)."""
    info = path.stat()
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def line_blocks(
    path: Path, block_bytes: int = BLOCK_BYTES, *, start: int = 0, stop: int | None = None
) -> Iterator[bytes]:
    """The file's lines in blocks of about ``block_bytes``, each line ending in ``\\n``.

    Line endings are normalised (``\\r\\n`` -> ``\\n``, a final line gets its ``\\n``) and a leading
    byte-order mark is dropped; the lines are otherwise the bytes the validator read. ``start`` and
    ``stop`` (offsets that begin lines, as :func:`tradeschema.validation.parallel.cut_points` gives)
    limit the reading to a part of the file, so a part is converted exactly as the validator's part
    reader sees it.
    """
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed by the with below; open errors need their own message
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=str(path)) from exc
    with handle:
        left = -1 if stop is None else stop - start  # bytes of the part still to read
        carry = b""
        if start:
            handle.seek(start)
        else:
            carry = handle.read(len(_BOM) if left < 0 else min(len(_BOM), left))
            left -= len(carry) if left >= 0 else 0
            if carry == _BOM:
                carry = b""
        while True:
            chunk = handle.read(block_bytes if left < 0 else min(block_bytes, left))
            if left > 0:
                left -= len(chunk)
            if not chunk:
                if carry:
                    yield _normalised(carry if carry.endswith(b"\n") else carry + b"\n")
                return
            data = carry + chunk if carry else chunk
            cut = data.rfind(b"\n") + 1
            if cut == 0:
                carry = data
                continue
            carry = data[cut:]
            yield _normalised(data[:cut] if cut < len(data) else data)


def _normalised(block: bytes) -> bytes:
    return block.replace(b"\r\n", b"\n") if b"\r" in block else block
