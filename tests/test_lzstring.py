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


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=", min_size=1, max_size=300))
def test_garbage_never_escapes_as_another_exception(data):
    try:
        decompress_from_base64(data, 10**6)
    except DiagramError:
        pass
