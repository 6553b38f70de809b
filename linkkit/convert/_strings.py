"""Apple ``.strings`` files (``fr.lproj/pass.strings``): ``"key" = "value";`` pairs, read in one bounded pass.

The parser is a hand-written scanner, linear in the input, with limits on size and entries, so a hostile
file costs at most one pass over :data:`MAX_STRINGS_BYTES`. It reads what Apple's format allows: UTF-16
(with a byte order mark, as Apple recommends) or UTF-8, ``/* */`` and ``//`` comments, quoted or bare keys,
and the escapes ``\\" \\\\ \\n \\t \\r \\0 \\' \\uXXXX \\UXXXX``.
"""

from __future__ import annotations

from typing import Final

from linkkit.errors import PassFileError

#: Largest pass.strings read (a pass has a few dozen strings; 256 KiB leaves room).
MAX_STRINGS_BYTES: Final = 256 * 1024
#: Most entries read from one file.
MAX_STRINGS_ENTRIES: Final = 4096
_ESCAPES: Final = {'"': '"', "\\": "\\", "n": "\n", "t": "\t", "r": "\r", "0": "\0", "'": "'"}
_BARE: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-$:/")


def _decode(data: bytes, name: str) -> str:
    if len(data) > MAX_STRINGS_BYTES:
        raise PassFileError(f"{name}: larger than {MAX_STRINGS_BYTES} bytes", code="too_large")
    encodings: tuple[str, ...]
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"), (b"\xef\xbb\xbf", "utf-8")):
        if data.startswith(bom):
            data, encodings = data[len(bom) :], (codec,)
            break
    else:
        # No byte order mark: UTF-16 only when the bytes look like it (ASCII with a zero byte beside it).
        if data[1:2] == b"\x00":
            encodings = ("utf-16-le", "utf-8")
        elif data[:1] == b"\x00":
            encodings = ("utf-16-be", "utf-8")
        else:
            encodings = ("utf-8",)
    for codec in encodings:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    raise PassFileError(f"{name}: neither UTF-16 nor UTF-8", code="bad_strings")


class _Scanner:
    def __init__(self, text: str, name: str) -> None:
        self.text = text
        self.name = name
        self.i = 0

    def fail(self, what: str) -> PassFileError:
        line = self.text.count("\n", 0, self.i) + 1
        return PassFileError(f"{self.name}: line {line}: {what}", code="bad_strings")

    def skip(self) -> None:
        """Whitespace and comments."""
        text, n = self.text, len(self.text)
        while self.i < n:
            ch = text[self.i]
            if ch.isspace():
                self.i += 1
            elif text.startswith("/*", self.i):
                end = text.find("*/", self.i + 2)
                if end < 0:
                    raise self.fail("a /* comment is not closed")
                self.i = end + 2
            elif text.startswith("//", self.i):
                end = text.find("\n", self.i)
                self.i = n if end < 0 else end + 1
            else:
                return

    def token(self) -> str:
        self.skip()
        if self.i >= len(self.text):
            raise self.fail("the file ends inside an entry")
        if self.text[self.i] == '"':
            return self.quoted()
        start = self.i
        while self.i < len(self.text) and self.text[self.i] in _BARE:
            self.i += 1
        if self.i == start:
            raise self.fail('expected a "quoted string"')
        return self.text[start : self.i]

    def quoted(self) -> str:
        text, n = self.text, len(self.text)
        self.i += 1
        out: list[str] = []
        while True:
            end = self.i
            while end < n and text[end] not in '"\\':
                end += 1
            out.append(text[self.i : end])
            if end >= n:
                raise self.fail("a string is not closed")
            self.i = end + 1
            if text[end] == '"':
                return "".join(out)
            out.append(self.escape())

    def escape(self) -> str:
        text = self.text
        if self.i >= len(text):
            raise self.fail("a string is not closed")
        ch = text[self.i]
        self.i += 1
        if ch in _ESCAPES:
            return _ESCAPES[ch]
        if ch in "uU":
            code = self.hex4()
            if 0xD800 <= code <= 0xDBFF and text.startswith(("\\u", "\\U"), self.i):
                self.i += 2
                low = self.hex4()
                if 0xDC00 <= low <= 0xDFFF:
                    return chr(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00))
                return "\ufffd\ufffd"
            return "\ufffd" if 0xD800 <= code <= 0xDFFF else chr(code)
        return ch  # Apple keeps an unknown escape's character

    def hex4(self) -> int:
        digits = self.text[self.i : self.i + 4]
        if len(digits) != 4 or any(c not in "0123456789abcdefABCDEF" for c in digits):
            raise self.fail("\\u needs four hex digits")
        self.i += 4
        return int(digits, 16)

    def expect(self, ch: str) -> None:
        self.skip()
        if self.i >= len(self.text) or self.text[self.i] != ch:
            raise self.fail(f"expected {ch!r}")
        self.i += 1


def parse_strings(data: bytes, name: str = "pass.strings") -> dict[str, str]:
    """The ``key → translation`` table of one ``.strings`` file.

    :raises PassFileError: ``too_large`` or ``bad_strings`` with the file name and the line.
    """
    scanner = _Scanner(_decode(data, name), name)
    table: dict[str, str] = {}
    while True:
        scanner.skip()
        if scanner.i >= len(scanner.text):
            return table
        if len(table) >= MAX_STRINGS_ENTRIES:
            raise PassFileError(f"{name}: more than {MAX_STRINGS_ENTRIES} entries", code="too_large")
        key = scanner.token()
        scanner.expect("=")
        value = scanner.token()
        scanner.expect(";")
        table[key] = value
