"""``python -m tradeschema``: the same as the ``tradeschema`` command."""

from .cli import run

run()
