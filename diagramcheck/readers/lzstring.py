"""LZString `decompressFromBase64`, as Obsidian's `compressed-json` blocks need.

Written here rather than taken from the `lzstring` package because that package has
no bound on output size (a crafted block expands quadratically) and pulls in `future`;
the tests check this port against the package on random strings.
"""

from __future__ import annotations

import binascii
import re

from diagramcheck.errors import DiagramError, LimitExceeded


def decompress_from_base64(data: str, max_chars: int) -> str:
    if not data:
        raise DiagramError("compressed drawing block is empty")
    # The input as one string of bits, six per base64 character, most significant first;
    # lz-string reads n bits least significant first, so the string is kept reversed and a
    # read is one slice from the end. Bits past the end read as 0, as in JavaScript.
    bits = _PADDING + _bits_of(data)[::-1]
    end = start = len(bits)
    limit = start - 6 * len(data)  # reading from here on would pass the last character
    end -= 2
    kind = int(bits[end : end + 2], 2)
    if kind == 2:
        return ""
    if kind == 3:
        raise DiagramError("compressed drawing block is corrupt")
    n = 16 if kind else 8
    end -= n
    w = chr(int(bits[end : end + n], 2))
    dictionary = ["", "", "", w]  # codes 0, 1 and 2 are a literal char, a wide char, the end
    result = [w]
    append_result, append_entry = result.append, dictionary.append
    total = 1
    # lz-string widens its codes by one bit each time the dictionary reaches a power of two
    size, num_bits, grow_at = 4, 3, 8
    while True:
        if end <= limit:
            raise DiagramError("compressed drawing block is truncated")
        end -= num_bits
        code = int(bits[end : end + num_bits], 2)
        if code < 3:
            if code == 2:
                return _join_utf16("".join(result))
            n = 16 if code else 8
            end -= n
            append_entry(chr(int(bits[end : end + n], 2)))
            code = size
            size += 1
            if size == grow_at:
                num_bits += 1
                grow_at <<= 1
        if code < size:
            entry = dictionary[code]
        elif code == size:
            entry = w + w[0]
        else:
            raise DiagramError("compressed drawing block is corrupt")
        total += len(entry)
        if total > max_chars:
            raise LimitExceeded(f"decompressed drawing is over the limit of {max_chars:,} characters")
        append_result(entry)
        append_entry(w + entry[0])
        w = entry
        size += 1
        if size == grow_at:
            num_bits += 1
            grow_at <<= 1


def _bits_of(data: str) -> str:
    """Six bits per character, most significant first: the base64 decoding itself, with
    "=" and anything outside the alphabet read as 0, as JavaScript does (undefined in a
    bit operation), which is what "A" is."""
    clean = _OUTSIDE_ALPHABET.sub("A", data)
    clean += "A" * (-len(clean) % 4)
    raw = binascii.a2b_base64(clean)
    return format(int.from_bytes(raw, "big"), f"0{len(raw) * 8}b")[: 6 * len(data)]


_OUTSIDE_ALPHABET = re.compile(r"[^A-Za-z0-9+/]")
_PADDING = "0" * 256  # more than one loop turn can read: codes are under 32 bits, chars 16


def _join_utf16(text: str) -> str:
    """JS strings are UTF-16: astral characters arrive as surrogate pairs."""
    try:
        return text.encode("utf-16", "surrogatepass").decode("utf-16")
    except UnicodeError as exc:
        raise DiagramError("compressed drawing block holds invalid text") from exc
