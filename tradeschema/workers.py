"""Work in a process of its own: :class:`WorkerProcess` runs a :class:`Request` in a fresh interpreter.

A fresh interpreter, not ``multiprocessing``: the caller's ``__main__`` is never imported again, and no
threads or locks are shared. The request is pickled to the child's standard input; the child calls its
``answer()`` and writes the pickled ``("result", value)`` or ``("error", exception)`` to its standard
output. Requests: the export's validator (:class:`tradeschema.validation.parallel.FilesRequest`), a part of a
large JSON Lines file (:class:`tradeschema.validation.parallel.PartRequest`), and a share of the
articles to extract (:class:`tradeschema.loader.load.ExtractRequest`).
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Protocol

from .system import die_with_parent

__all__ = ["Request", "WorkerGone", "WorkerProcess", "main"]

_START = "import sys; sys.path.insert(0, sys.argv[1]); from tradeschema.workers import main; main()"


class WorkerGone(Exception):
    """The worker process ended without an answer (it was killed, or could not start)."""


class WorkerProcess:
    """A validation request running in a child process; :meth:`result` waits for its answer."""

    def __init__(self, request: Request) -> None:
        # The child imports this very tradeschema, wherever it was imported from: its folder goes
        # first on the path, before the working folder (`-m` would put that first, and a
        # `tradeschema/` there, another version, would validate instead).
        root = str(Path(__file__).resolve().parents[1])
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
        # Unpickled as it is read: the answer is never held twice, as bytes and as objects.
        try:
            answer = pickle.load(self._process.stdout)  # our own child process, over a pipe
        except Exception:  # cut short or garbled: the process died writing it
            answer = None
        self._process.stdout.close()
        code = self._process.wait()
        if code != 0 or not isinstance(answer, tuple) or len(answer) != 2:
            raise WorkerGone(f"the validation process ended without an answer (exit code {code})")
        kind, value = answer
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


class Request(Protocol):
    """Work for a worker process: picklable, with the method that does it there."""

    def answer(self) -> object:
        """Do the work (in the worker) and return the result, which must be picklable."""


def main() -> None:
    """Answer the request on standard input; the answer goes to standard output."""
    # The kernel stops this process if the process that started it dies (where it can).
    die_with_parent()
    # The answer owns standard output: anything else printed goes to standard error.
    result_out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    request: Request = pickle.load(sys.stdin.buffer)
    result: tuple[str, object]
    try:
        result = ("result", request.answer())
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
