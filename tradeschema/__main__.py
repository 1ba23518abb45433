"""``python -m tradeschema``: the same as the ``tradeschema`` command."""

from .cli import run

if __name__ == "__main__":
    run()
