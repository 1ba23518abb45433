"""Validation in a process of its own: the export's validator, and the parts of a large file.

:class:`WorkerProcess` starts ``main`` in a fresh interpreter (not ``multiprocessing``: the caller's
``__main__`` is never imported again, and no threads or locks are shared), hands it a pickled request
on standard input and reads the pickled ``("result", value)`` or ``("error", exception)`` from its
standard output. A request is either a :class:`FilesRequest`, JSON Lines files to validate with
:func:`tradeschema.validation.validate_inputs`, answered with the :class:`~tradeschema.report.Report`;
or a
:class:`~tradeschema.validation.parallel.PartRequest`, answered with its
:class:`~tradeschema.validation.parallel.PartResult`.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from ..system import die_with_parent

__all__ = ["FilesRequest", "WorkerGone", "WorkerProcess", "main"]

_START = "import sys; sys.path.insert(0, sys.argv[1]); from tradeschema.validation.worker import main; main()"


class WorkerGone(Exception):
    """The worker process ended without an answer (it was killed, or could not start)."""


class WorkerProcess:
    """A validation request running in a child process; :meth:`result` waits for its answer."""

    def __init__(self, request: object) -> None:
        # The child imports this very tradeschema, wherever it was imported from: its folder goes
        # first on the path, before the working folder (`-m` would put that first, and a
        # `tradeschema/` there, another version, would validate instead).
        root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        self._process = subprocess.Popen(
            [sys.executable, "-c", _START, root],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        assert self._process.stdin is not None
        try:
            pickle.dump(request, self._process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self._process.stdin.close()
        except BaseException:
            self.cancel()
            raise

    def result(self) -> object:
        """The answer; raises what the request raised there, or :class:`WorkerGone`."""
        assert self._process.stdout is not None
        data = self._process.stdout.read()
        self._process.stdout.close()
        code = self._process.wait()
        if code != 0 or not data:
            raise WorkerGone(f"the validation process ended without an answer (exit code {code})")
        kind, value = pickle.loads(data)  # our own child process, over a pipe
        if kind == "error":
            raise value
        return value

    def cancel(self) -> None:
        """Stop the child (when the caller fails or no longer needs the answer)."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        for stream in (self._process.stdin, self._process.stdout):
            if stream is not None:
                stream.close()


@dataclass(frozen=True, slots=True)
class FilesRequest:
    """JSON Lines files to validate together (the export's request): (path, name, table) each,
    ``name`` as the report names the file."""

    files: list[tuple[str, str, str | None]]
    keep_per_code: int


def _answer(request: object) -> object:
    from .parallel import PartRequest, validate_part

    if isinstance(request, PartRequest):
        return validate_part(request)
    if not isinstance(request, FilesRequest):
        raise TypeError(f"not a validation request: {type(request).__name__}")
    from . import validate_inputs
    from .discover import Input

    inputs = [Input(path, name, "jsonl", table) for path, name, table in request.files]
    return validate_inputs(inputs, keep_per_code=request.keep_per_code)


def main() -> None:
    """Answer the request on standard input; the answer goes to standard output."""
    # The kernel stops this process if the process that started it dies (where it can).
    die_with_parent()
    # The answer owns standard output: anything else printed goes to standard error.
    result_out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    request = pickle.load(sys.stdin.buffer)
    result: tuple[str, object]
    try:
        result = ("result", _answer(request))
    except Exception as exc:  # handed to the caller, which raises it
        result = ("error", exc)
    try:
        with result_out:
            pickle.dump(result, result_out, protocol=pickle.HIGHEST_PROTOCOL)
    except BrokenPipeError:
        # The caller stopped listening (it failed or was cancelled): nobody needs the answer.
        os._exit(0)


if __name__ == "__main__":
    main()
