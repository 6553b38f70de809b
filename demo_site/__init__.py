"""The linkkit demo merchant site ("Northwind"): every Samsung system linkkit covers, against the sandbox.

Run it with ``make demo`` (``python -m demo_site``); embed it with :func:`create_app`.
"""

from demo_site.app import create_app as create_app

__all__ = ["create_app"]
