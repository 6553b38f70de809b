"""Bring existing passes over: Apple ``pass.json`` / ``.pkpass`` and Google Wallet objects to Samsung cards.

::

    from linkkit.convert import ConvertOptions, convert_pass

    result = convert_pass("Coffee.pkpass", ConvertOptions(image_base_url="https://cdn.example.com/wallet"))
    result.card                 # the Samsung card JSON, validated
    result.report.dropped       # every source field that has no Samsung counterpart, and why
    result.images               # the pass's own images, to upload where image_base_url points

The mapping tables are :mod:`linkkit.convert.apple` and :mod:`linkkit.convert.google`; docs/convert.md shows
each type side by side.
"""

from linkkit.convert.apple import convert_apple
from linkkit.convert.bulk import BulkResult, BulkSpec, run_bulk
from linkkit.convert.google import convert_google
from linkkit.convert.options import ConvertOptions, ImageFile, ImageHost, host_at
from linkkit.convert.pkpass import PassPackage, read_pass_folder, read_pass_json, read_pkpass
from linkkit.convert.report import Conversion, ConversionReport, Defaulted, Dropped, HostedImage, Mapped, Truncated
from linkkit.convert.sources import convert_pass, read_source

__all__ = [
    "BulkResult",
    "BulkSpec",
    "Conversion",
    "ConversionReport",
    "ConvertOptions",
    "Defaulted",
    "Dropped",
    "HostedImage",
    "ImageFile",
    "ImageHost",
    "Mapped",
    "PassPackage",
    "Truncated",
    "convert_apple",
    "convert_google",
    "convert_pass",
    "host_at",
    "read_pass_folder",
    "read_pass_json",
    "read_pkpass",
    "read_source",
    "run_bulk",
]
