"""LZString `decompressFromBase64`, as Obsidian's `compressed-json` blocks need.

Written here rather than taken from the `lzstring` package because that package has
no bound on output size (a crafted block expands quadratically) and pulls in `future`;
the tests check this port against the package on random strings.
"""

from __future__ import annotations

from diagramcheck.errors import DiagramError, LimitExceeded

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
_VALUE = {c: i for i, c in enumerate(_ALPHABET)}


def decompress_from_base64(data: str, max_chars: int) -> str:
    if not data:
        raise DiagramError("compressed drawing block is empty")
    reader = _BitReader(data)
    dictionary: list[str] = ["", "", ""]
    kind = reader.read(2)
    if kind == 2:
        return ""
    if kind not in (0, 1):
        raise DiagramError("compressed drawing block is corrupt")
    w = chr(reader.read(8 if kind == 0 else 16))
    dictionary.append(w)
    result = [w]
    total = 1
    enlarge_in, num_bits = 4, 3
    while True:
        if reader.truncated():
            raise DiagramError("compressed drawing block is truncated")
        code = reader.read(num_bits)
        if code in (0, 1):
            dictionary.append(chr(reader.read(8 if code == 0 else 16)))
            code = len(dictionary) - 1
            enlarge_in -= 1
        elif code == 2:
            return _join_utf16("".join(result))
        if enlarge_in == 0:
            enlarge_in = 1 << num_bits
            num_bits += 1
        if 2 < code < len(dictionary):
            entry = dictionary[code]
        elif code == len(dictionary):
            entry = w + w[0]
        else:
            raise DiagramError("compressed drawing block is corrupt")
        total += len(entry)
        if total > max_chars:
            raise LimitExceeded(f"decompressed drawing is over the limit of {max_chars:,} characters")
        result.append(entry)
        dictionary.append(w + entry[0])
        enlarge_in -= 1
        w = entry
        if enlarge_in == 0:
            enlarge_in = 1 << num_bits
            num_bits += 1


class _BitReader:
    """The input as one string of bits, six per base64 character, most significant first;
    a read of n bits takes them least significant first, as lz-string's JavaScript does.
    Bits past the end read as 0, again as in JavaScript."""

    __slots__ = ("bits", "pos", "chars")

    def __init__(self, data: str) -> None:
        self.bits = "".join(_SIX_BITS[_VALUE.get(c, 0) & 63] for c in data)  # "=" is 64: no bits
        self.chars = len(data)
        self.pos = 0

    def read(self, nbits: int) -> int:
        chunk = self.bits[self.pos : self.pos + nbits]
        self.pos += nbits
        return int(chunk[::-1], 2) if chunk else 0

    def truncated(self) -> bool:
        return 1 + self.pos // 6 > self.chars


_SIX_BITS = [format(v, "06b") for v in range(64)]


def _join_utf16(text: str) -> str:
    """JS strings are UTF-16: astral characters arrive as surrogate pairs."""
    try:
        return text.encode("utf-16", "surrogatepass").decode("utf-16")
    except UnicodeError as exc:
        raise DiagramError("compressed drawing block holds invalid text") from exc
