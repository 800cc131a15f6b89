"""Our bounded LZString decoder agrees with the reference implementation."""

from __future__ import annotations

import lzstring
import pytest
from hypothesis import given, settings, strategies as st

from diagramcheck.errors import DiagramError, LimitExceeded
from diagramcheck.readers.lzstring import decompress_from_base64


BMP = st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs",))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=BMP, min_size=1, max_size=2000))
def test_matches_reference(text):
    packed = lzstring.LZString().compressToBase64(text)
    assert decompress_from_base64(packed, 10**7) == text


@given(st.text(min_size=1, max_size=200))
def test_astral_characters_arrive_as_utf16_pairs_like_javascript(text):
    units = text.encode("utf-16-le")
    js_string = "".join(chr(int.from_bytes(units[i : i + 2], "little")) for i in range(0, len(units), 2))
    packed = lzstring.LZString().compressToBase64(js_string)
    assert decompress_from_base64(packed, 10**7) == text


def test_output_limit_stops_a_bomb():
    packed = lzstring.LZString().compressToBase64("a" * 200_000)
    assert len(packed) < 2000
    with pytest.raises(LimitExceeded):
        decompress_from_base64(packed, 50_000)
    with pytest.raises(LimitExceeded):  # over the limit before the cut is reached
        decompress_from_base64(packed[: len(packed) // 2], 50_000)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=BMP, min_size=1, max_size=600), st.booleans())
def test_output_limit_is_exact(text, damage):
    """The limit is checked once per 32 bits read and at the end, yet a drawing of exactly
    the limit passes and one character more fails, damaged blocks included."""
    packed = lzstring.LZString().compressToBase64(text)
    if damage:  # cut off: fails as truncated within the limit, as over the limit beyond it
        packed = packed[: max(1, len(packed) * 2 // 3)]
    try:
        whole = decompress_from_base64(packed, 10**7)
    except DiagramError as exc:
        assert "truncated" in str(exc) or "corrupt" in str(exc)
        return
    assert decompress_from_base64(packed, len(whole)) == whole
    if whole:
        with pytest.raises(LimitExceeded):
            decompress_from_base64(packed, len(whole) - 1)


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=", min_size=1, max_size=300))
def test_garbage_never_escapes_as_another_exception(data):
    try:
        decompress_from_base64(data, 10**6)
    except DiagramError:
        pass


BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=BMP, min_size=1, max_size=400), st.data())
def test_damaged_blocks_decode_as_the_reference_does_or_fail_cleanly(text, data):
    packed = list(lzstring.LZString().compressToBase64(text))
    for _ in range(data.draw(st.integers(1, 4))):
        packed[data.draw(st.integers(0, len(packed) - 1))] = data.draw(st.sampled_from(BASE64))
    cut = data.draw(st.integers(1, len(packed)))
    damaged = "".join(packed[:cut])
    try:
        expected = lzstring.LZString().decompressFromBase64(damaged)
    except Exception:  # the reference has no error handling of its own
        expected = None
    try:
        ours = decompress_from_base64(damaged, 10**7)
    except DiagramError:
        ours = None
    if ours is not None and expected is not None:
        assert ours == _from_utf16_units(expected)


def _from_utf16_units(text):
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def test_characters_outside_the_alphabet_read_as_zero_bits_like_javascript():
    packed = lzstring.LZString().compressToBase64("feature store -> ranking")
    assert decompress_from_base64(packed.replace("A", "\u00e9"), 10**6) == decompress_from_base64(packed, 10**6)
