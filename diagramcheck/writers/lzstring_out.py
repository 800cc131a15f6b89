"""LZString `compressToBase64`, for writing Obsidian's `compressed-json` drawing blocks.

The reading side (readers/lzstring.py) is our own port for its size bounds; this is the
matching writer, a line-by-line port of lz-string 1.4.4's `_compress` working on UTF-16
code units as JavaScript does, so its output is byte-identical to the plugin's (the tests
hold it to the `lzstring` package and to our decoder).
"""

from __future__ import annotations

KEY = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="


class _Bits:
    def __init__(self, bits_per_char: int) -> None:
        self.width = bits_per_char
        self.out: list[str] = []
        self.value = 0
        self.position = 0

    def write(self, value: int, count: int) -> None:
        """`count` bits of `value`, least significant first (the order lz-string uses)."""
        for _ in range(count):
            self.value = (self.value << 1) | (value & 1)
            if self.position == self.width - 1:
                self.position = 0
                self.out.append(KEY[self.value])
                self.value = 0
            else:
                self.position += 1
            value >>= 1

    def flush(self) -> str:
        while True:
            self.value <<= 1
            if self.position == self.width - 1:
                self.out.append(KEY[self.value])
                break
            self.position += 1
        return "".join(self.out)


def compress_to_base64(text: str) -> str:
    units = text.encode("utf-16-le", "surrogatepass")
    chars = [chr(units[i] | units[i + 1] << 8) for i in range(0, len(units), 2)]
    result = _compress(chars)
    return result + "=" * ((4 - len(result) % 4) % 4)


def _compress(chars: list[str]) -> str:
    dictionary: dict[str, int] = {}
    to_create: set[str] = set()
    w = ""
    enlarge_in, dict_size, num_bits = 2, 3, 2
    bits = _Bits(6)

    def emit_w() -> None:
        nonlocal enlarge_in, num_bits
        if w in to_create:
            code = ord(w[0])
            if code < 256:
                bits.write(0, num_bits)
                bits.write(code, 8)
            else:
                bits.write(1, num_bits)
                bits.write(code, 16)
            enlarge_in -= 1
            if enlarge_in == 0:
                enlarge_in, num_bits = 2**num_bits, num_bits + 1
            to_create.discard(w)
        else:
            bits.write(dictionary[w], num_bits)
        enlarge_in -= 1
        if enlarge_in == 0:
            enlarge_in, num_bits = 2**num_bits, num_bits + 1

    for c in chars:
        if c not in dictionary:
            dictionary[c] = dict_size
            dict_size += 1
            to_create.add(c)
        wc = w + c
        if wc in dictionary:
            w = wc
            continue
        emit_w()
        dictionary[wc] = dict_size
        dict_size += 1
        w = c
    if w:
        emit_w()
    bits.write(2, num_bits)
    return bits.flush()


def obsidian_block(text: str) -> str:
    """The body of a ```compressed-json fence: 256-character chunks, blank line between."""
    data = compress_to_base64(text)
    return "\n\n".join(data[i:i + 256] for i in range(0, len(data), 256))
