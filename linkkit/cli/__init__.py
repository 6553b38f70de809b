"""The ``linkkit`` command line. The entry point is :func:`linkkit.cli.main.main`."""

from linkkit.cli.main import main

__all__ = ["main"]
