"""The images of an Apple pass: checked when read, chosen per Samsung attribute, hosted once each.

Samsung cards point to images by URL (String(256), "the file size should not exceed 256 kB"), so the
pass's own PNGs must be served somewhere: an :data:`~linkkit.convert.options.ImageHost` says where.
Of ``logo.png``, ``logo@2x.png`` and ``logo@3x.png`` the ``@2x`` is preferred (sharp on a phone, small),
and a variant over Samsung's 256 kB is skipped.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Mapping
from typing import Final

from PIL import Image

from linkkit.convert.options import ImageFile, ImageHost
from linkkit.convert.report import HostedImage
from linkkit.errors import PassFileError

#: Samsung's limit per image file ("should not exceed 256 kB", card pages and Wallet Studio FAQ).
SAMSUNG_IMAGE_BYTES: Final = 256 * 1024
#: Largest width or height accepted from a pass (Apple's largest, background@3x, is 540 x 660).
MAX_IMAGE_SIDE: Final = 4096
_VARIANTS: Final = ("@2x", "@3x", "")


def check_png(name: str, data: bytes) -> None:
    """Refuse anything but a PNG of sane dimensions; only the header is read, never the pixels.

    :raises PassFileError: ``bad_image`` (not a PNG, unreadable) or ``too_large`` (too many pixels).
    """
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise PassFileError(f"{name}: not a PNG image (Apple passes carry PNG files only)", code="bad_image")
    if data[12:16] == b"IHDR" and len(data) >= 24:
        # The dimensions first, from the header itself: a huge claim is refused before any decoder runs.
        _check_size(name, int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big"))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
                width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PassFileError(f"{name}: too many pixels to be a pass image", code="too_large") from exc
    except Exception as exc:  # Pillow raises many types for crafted headers; none may escape
        raise PassFileError(f"{name}: not a readable PNG image", code="bad_image") from exc
    _check_size(name, width, height)


def _check_size(name: str, width: int, height: int) -> None:
    if not (0 < width <= MAX_IMAGE_SIDE and 0 < height <= MAX_IMAGE_SIDE):
        raise PassFileError(
            f"{name}: {width} x {height} pixels, over the {MAX_IMAGE_SIDE} x {MAX_IMAGE_SIDE} a pass image may be",
            code="too_large",
        )


class PassImages:
    """The images of one pass by file name (``logo@2x.png``, ``fr.lproj/logo.png``), and the hosted ones."""

    def __init__(self, files: Mapping[str, bytes], host: ImageHost | None) -> None:
        self._files = dict(files)
        self._host = host
        self._hosted: dict[str, HostedImage] = {}
        self._used: set[str] = set()
        self.skipped: list[str] = []

    @property
    def can_host(self) -> bool:
        return self._host is not None

    def names(self) -> list[str]:
        return sorted(self._files)

    def used(self) -> set[str]:
        return set(self._used)

    def pick(self, base: str, language: str | None = None) -> ImageFile | None:
        """The best variant of ``base`` (``logo``) for ``language`` (its ``.lproj`` first), or ``None``."""
        folders = [f"{language}.lproj/"] if language else []
        for folder in (*folders, ""):
            for variant in _VARIANTS:
                name = f"{folder}{base}{variant}.png"
                data = self._files.get(name)
                if data is None:
                    continue
                if len(data) > SAMSUNG_IMAGE_BYTES:
                    if name not in self.skipped:
                        self.skipped.append(name)
                    continue
                return ImageFile(name, data)
        return None

    def has(self, base: str) -> bool:
        return any(f"{base}{v}.png" in self._files for v in _VARIANTS)

    def host(self, image: ImageFile, target: str) -> str | None:
        """The URL of ``image`` (hosted once however many attributes use it); ``None`` without a host."""
        if self._host is None:
            return None
        self._used.update(n for n in self._files if _same_base(n, image.name))
        key = image.digest  # one upload per picture, even when two files hold the same bytes
        hosted = self._hosted.get(key)
        if hosted is None:
            hosted = HostedImage(name=image.name, url=self._host(image), data=image.data)
        if target not in hosted.targets:
            hosted = HostedImage(hosted.name, hosted.url, hosted.data, (*hosted.targets, target))
        self._hosted[key] = hosted
        return hosted.url

    def hosted(self) -> tuple[HostedImage, ...]:
        return tuple(sorted(self._hosted.values(), key=lambda h: h.name))


def _same_base(name: str, chosen: str) -> bool:
    """``logo@3x.png`` and ``logo.png`` stand for the same picture as the chosen ``logo@2x.png``."""

    def stem(n: str) -> str:
        n = n.removesuffix(".png")
        for variant in ("@2x", "@3x"):
            n = n.removesuffix(variant)
        return n

    return stem(name) == stem(chosen)
