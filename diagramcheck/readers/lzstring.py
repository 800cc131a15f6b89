"""LZString `decompressFromBase64`, as Obsidian's `compressed-json` blocks need.

Written here rather than taken from the `lzstring` package because that package has
no bound on output size (a crafted block expands quadratically) and pulls in `future`;
the tests check this port against the package on random strings.
"""

from __future__ import annotations

import array
import binascii
import sys

from diagramcheck.errors import DiagramError, LimitExceeded


def decompress_from_base64(data: str, max_chars: int) -> str:
    if not data:
        raise DiagramError("compressed drawing block is empty")
    words = _stream_words(data)
    available = 6 * len(data)  # reading from here on would pass the last character
    # the bits not yet read, least significant first, in one small int topped up 32 at a time
    # (kept under ~60 bits: wider ints make every shift and mask dearer)
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
    counted, total, check_at = 0, 0, next_word + _CHECK_EVERY
    # lz-string widens its codes by one bit each time the dictionary reaches a power of two
    size, num_bits, mask, grow_at = 4, 3, 7, 8
    while True:
        if held < num_bits:
            pending |= words[next_word] << held
            held += 32
            next_word += 1
            if next_word >= check_at:
                # The output limit, checked here once per _CHECK_EVERY words read and
                # exactly at the end (adding up every entry's length costs a tenth of the
                # loop). No entry is longer than the dictionary has entries, so the exact
                # sum is needed only once that bound could pass the limit.
                check_at = next_word + _CHECK_EVERY
                if total + (len(result) - counted) * size > max_chars:
                    total += sum(map(len, result[counted:]))
                    counted = len(result)
                    if total > max_chars:
                        raise _over_limit(max_chars)
        code = pending & mask
        pending >>= num_bits
        held -= num_bits
        if code < 3:
            # Past the last character every bit reads 0, so a code that starts there is 0
            # and lands here: the one place the end of the input needs checking.
            if 32 * next_word - held - num_bits >= available:
                raise _failure("compressed drawing block is truncated", result, max_chars)
            if code == 2:
                text = "".join(result)
                if len(text) > max_chars:
                    raise _over_limit(max_chars)
                return _join_utf16(text)
            width = 16 if code else 8
            if held < width:
                pending |= words[next_word] << held
                held += 32
                next_word += 1
            append_entry(chr(pending & ((1 << width) - 1)))
            pending >>= width
            held -= width
            code = size
            size += 1
            if size == grow_at:
                num_bits, mask, grow_at = num_bits + 1, mask << 1 | 1, grow_at << 1
        try:
            entry = dictionary[code]
        except IndexError:  # free when nothing is raised, unlike a comparison on every code
            if code != size:
                raise _failure("compressed drawing block is corrupt", result, max_chars) from None
            entry = w + w[0]
        append_result(entry)
        append_entry(w + entry[0])
        w = entry
        size += 1
        if size == grow_at:
            num_bits, mask, grow_at = num_bits + 1, mask << 1 | 1, grow_at << 1


def _over_limit(max_chars: int) -> LimitExceeded:
    return LimitExceeded(f"decompressed drawing is over the limit of {max_chars:,} characters")


def _failure(message: str, result: list[str], max_chars: int) -> DiagramError:
    """A damaged block that has already passed the limit reports the limit, as it would
    have had the limit been checked after every code."""
    return _over_limit(max_chars) if sum(map(len, result)) > max_chars else DiagramError(message)


# Between two checks at most 32 * 32 / 3 codes are read, each adding an entry no longer
# than the dictionary, so a bomb overshoots the limit by a bounded amount before it stops.
_CHECK_EVERY = 32


def _stream_words(data: str) -> list[int]:
    """The bits in the order lz-string reads them, as 32-bit words, least significant bit
    first, with zero words after the end (bits past the end read as 0, as in JavaScript).

    lz-string reads each character's six bits most significant first. Mapping every
    character to the one whose six bits are its own reversed, and reversing the string,
    makes base64's big-endian number hold the first bit read as its least significant;
    reversing the decoded bytes makes that little-endian. Anything outside the alphabet
    ("=" too) reads as 0, as JavaScript does (undefined in a bit operation), which is "A".
    """
    try:
        raw = data.encode("ascii")
    except UnicodeEncodeError:
        raw = data.encode("ascii", "replace")  # one "?" per character: still outside the alphabet
    chars = raw.translate(_REVERSED_BITS)[::-1]
    little = binascii.a2b_base64(b"A" * (-len(chars) % 4) + chars)[::-1]  # "A"s on top: zero bits
    words = array.array(_WORD)
    words.frombytes(little + bytes(-len(little) % 4))
    if sys.byteorder == "big":  # the array reads machine order; the bytes are little-endian
        words.byteswap()
    return words.tolist() + [0] * 8


_WORD = next(code for code in "IL" if array.array(code).itemsize == 4)
_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_REVERSED_BITS = bytes(
    _ALPHABET[int(f"{_ALPHABET.index(b):06b}"[::-1], 2)] if b in _ALPHABET else ord("A") for b in range(256)
)


def _join_utf16(text: str) -> str:
    """JS strings are UTF-16: astral characters arrive as surrogate pairs."""
    if text.isascii():  # nearly every scene: no pair to join, and no copies of the text
        return text
    try:
        return text.encode("utf-16", "surrogatepass").decode("utf-16")
    except UnicodeError as exc:
        raise DiagramError("compressed drawing block holds invalid text") from exc
