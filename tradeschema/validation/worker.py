"""``python -m tradeschema.validation.worker``: validation in a process of its own, for the export.

Reads a pickled ``(inputs, keep_per_code)`` from standard input (``inputs``: (path, name, table) of
JSON Lines files, ``name`` as the report names the file), validates them with
:func:`tradeschema.validation.validate_inputs` and writes the pickled ``("report", Report)`` or
``("error", exception)`` to standard output. A plain interpreter is
started (not ``multiprocessing``), so the caller's ``__main__`` is never imported again.
"""

from __future__ import annotations

import os
import pickle
import sys

from ..system import die_with_parent

__all__ = ["main"]


def main() -> None:
    """Validate what standard input names; the result goes to standard output."""
    # The kernel stops this process if the export that started it dies (where it can).
    die_with_parent()
    # The result owns standard output: anything else printed goes to standard error.
    result_out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    inputs, keep_per_code = pickle.load(sys.stdin.buffer)
    result: tuple[str, object]
    try:
        from . import validate_inputs
        from .discover import Input

        report = validate_inputs(
            [Input(path, name, "jsonl", table) for path, name, table in inputs], keep_per_code=keep_per_code
        )
        result = ("report", report)
    except Exception as exc:  # handed to the caller, which raises it
        result = ("error", exc)
    try:
        with result_out:
            pickle.dump(result, result_out, protocol=pickle.HIGHEST_PROTOCOL)
    except BrokenPipeError:
        # The export stopped listening (it failed or was cancelled): nobody needs the result.
        os._exit(0)


if __name__ == "__main__":
    main()
