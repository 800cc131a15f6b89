"""LZString `decompressFromBase64`, as Obsidian's `compressed-json` blocks need.

Written here rather than taken from the `lzstring` package because that package has
no bound on output size (a crafted block expands quadratically) and pulls in `future`;
the tests check this port against the package on random strings.
"""

from __future__ import annotations

import array
import binascii
import re
import sys

from diagramcheck.errors import DiagramError, LimitExceeded


def decompress_from_base64(data: str, max_chars: int) -> str:
    if not data:
        raise DiagramError("compressed drawing block is empty")
    words = _stream_words(data)
    available = 6 * len(data)  # reading from here on would pass the last character
    # the bits not yet read, least significant first, in one small int topped up 32 at a time
    pending = words[0] | words[1] << 32
    held, next_word = 64, 2
    kind = pending & 3
    if kind == 2:
        return ""
    if kind == 3:
        raise DiagramError("compressed drawing block is corrupt")
    width = 16 if kind else 8
    w = chr(pending >> 2 & ((1 << width) - 1))
    pending >>= 2 + width
    held -= 2 + width
    dictionary = ["", "", "", w]  # codes 0, 1 and 2 are a literal char, a wide char, the end
    result = [w]
    append_result, append_entry = result.append, dictionary.append
    total = 1
    # lz-string widens its codes by one bit each time the dictionary reaches a power of two
    size, num_bits, mask, grow_at = 4, 3, 7, 8
    while True:
        if held < 48:  # a code (under 32 bits) and a wide char (16) must be at hand
            pending |= words[next_word] << held | words[next_word + 1] << (held + 32)
            held += 64
            next_word += 2
        code = pending & mask
        pending >>= num_bits
        held -= num_bits
        if code < 3:
            # Past the last character every bit reads 0, so a code that starts there is 0
            # and lands here: the one place the end of the input needs checking.
            if 32 * next_word - held - num_bits >= available:
                raise DiagramError("compressed drawing block is truncated")
            if code == 2:
                return _join_utf16("".join(result))
            width = 16 if code else 8
            append_entry(chr(pending & ((1 << width) - 1)))
            pending >>= width
            held -= width
            code = size
            size += 1
            if size == grow_at:
                num_bits, mask, grow_at = num_bits + 1, mask << 1 | 1, grow_at << 1
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
            num_bits, mask, grow_at = num_bits + 1, mask << 1 | 1, grow_at << 1


def _stream_words(data: str) -> list[int]:
    """The bits in the order lz-string reads them, as 32-bit words, least significant bit
    first, with zero words after the end (bits past the end read as 0, as in JavaScript)."""
    bits = _bits_of(data)[::-1]  # the first bit read is now the least significant
    raw = (int(bits, 2) if bits else 0).to_bytes(len(bits) // 8 + 1, "little")
    words = array.array(_WORD)
    words.frombytes(raw + bytes(-len(raw) % 4))
    if sys.byteorder == "big":  # the array reads machine order; the bytes are little-endian
        words.byteswap()
    return words.tolist() + [0] * 8


_WORD = next(code for code in "IL" if array.array(code).itemsize == 4)


def _bits_of(data: str) -> str:
    """Six bits per character, most significant first: the base64 decoding itself, with
    "=" and anything outside the alphabet read as 0, as JavaScript does (undefined in a
    bit operation), which is what "A" is."""
    clean = _OUTSIDE_ALPHABET.sub("A", data)
    clean += "A" * (-len(clean) % 4)
    raw = binascii.a2b_base64(clean)
    return format(int.from_bytes(raw, "big"), f"0{len(raw) * 8}b")[: 6 * len(data)]


_OUTSIDE_ALPHABET = re.compile(r"[^A-Za-z0-9+/]")


def _join_utf16(text: str) -> str:
    """JS strings are UTF-16: astral characters arrive as surrogate pairs."""
    try:
        return text.encode("utf-16", "surrogatepass").decode("utf-16")
    except UnicodeError as exc:
        raise DiagramError("compressed drawing block holds invalid text") from exc
