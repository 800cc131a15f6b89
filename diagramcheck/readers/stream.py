"""Reading a big `.excalidraw` file a few hundred elements at a time.

orjson parses a whole scene at once, and a 150 MB scene becomes about a gigabyte of Python
dicts. For big files we walk the top-level object ourselves and hand the `elements` array
to orjson in batches of about a megabyte (see `_batch`), so only one batch's dicts exist at
a time; where a batch cannot be cut, the standard library's decoder reads one element at a
time. Small files keep the whole-file parse.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import orjson

from diagramcheck.errors import DiagramError
from diagramcheck.limits import LIMITS

# bytes. With batches, reading the 10,000-component scene (30 MB) takes the same time
# either way (best of 5: 672 ms whole, 667 ms in batches) and peaks at 117 MB instead of
# 280 MB, but the batches cost ~4% more instructions over a whole review (the text is
# decoded and sliced); below this size that memory is not worth it. A scene's dicts take
# about nine times the file's size: a 150 MB scene streams in under 500 MB, not 1.2 GB.
STREAM_ABOVE = 32 * 1024 * 1024
_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def _skip(text: str, i: int) -> int:
    return _WS.match(text, i).end()


def _decode(text: str, i: int):
    try:
        return _DECODER.raw_decode(text, i)
    except json.JSONDecodeError as exc:
        raise DiagramError(f"not valid JSON ({exc.msg} at char {exc.pos})") from None
    except RecursionError:
        raise DiagramError("JSON is nested too deeply") from None


def stream_elements(text: str, meta: dict) -> Iterator:
    """Yields the scene's elements in order; fills `meta` with the other top-level keys
    (complete once the generator is exhausted)."""
    i = _skip(text, 0)
    if not text.startswith("{", i):
        raise DiagramError("not an Excalidraw scene (the JSON is not an object)")
    i = _skip(text, i + 1)
    while not text.startswith("}", i):
        if i >= len(text):
            raise DiagramError("not valid JSON (the file ends inside the scene)")
        key, i = _decode(text, i)
        i = _skip(text, i)
        if not text.startswith(":", i):
            raise DiagramError(f"not valid JSON (expected ':' at char {i})")
        i = _skip(text, i + 1)
        if key == "elements" and text.startswith("[", i):
            i = _skip(text, i + 1)
            count = 0
            exact_until = 0  # a batch failed before this point: decode one element at a time
            while not text.startswith("]", i):
                if i >= len(text):
                    raise DiagramError("not valid JSON (the file ends inside `elements`)")
                if i >= exact_until:
                    batch = _batch(text, i)
                    if isinstance(batch, int):
                        exact_until = batch
                    else:
                        values, i = batch
                        count += len(values)
                        LIMITS.check("element count", count, LIMITS.max_elements)
                        yield from values
                        continue
                value, i = _decode(text, i)
                count += 1
                LIMITS.check("element count", count, LIMITS.max_elements)
                yield value
                i = _skip(text, i)
                if text.startswith(",", i):
                    i = _skip(text, i + 1)
                elif not text.startswith("]", i):
                    raise DiagramError(f"not valid JSON (expected ',' or ']' at char {i})")
            i += 1
        else:
            meta[key], i = _decode(text, i)
        i = _skip(text, i)
        if text.startswith(",", i):
            i = _skip(text, i + 1)
        elif not text.startswith("}", i):
            raise DiagramError(f"not valid JSON (expected ',' or '}}' at char {i})")


# Elements are handed to orjson about a megabyte at a time: one element at a time, the
# standard library's decoder made a 150 MB scene take half as long again as orjson would.
BATCH = 1 << 20
_BOUNDARY = re.compile(r"\}[ \t\n\r]*,[ \t\n\r]*(?=\{)")
_TRIES = 16
_WINDOW = 1 << 16  # how much of the text after a candidate cut `_looks_like_element` reads


def _batch(text: str, i: int) -> tuple[list, int] | int:
    """The elements from `i` (the start of one) to a boundary about BATCH characters on, and
    where the next one starts; or else the point up to which the caller decodes one element
    at a time (orjson refused the batch, or no boundary was found).

    A boundary is "}" "," "{" between two elements. The same characters also occur inside
    an element (its list of bound elements) and in strings; a cut there leaves the batch
    with an unclosed bracket or string, so orjson refuses it and nothing wrong is read.
    The object after a candidate must look like an element (it has an "x"), which makes
    such refusals rare.
    """
    start = i + BATCH
    for _ in range(_TRIES):
        match = _BOUNDARY.search(text, start)
        if match is None:
            return len(text)
        after = match.end()
        if _looks_like_element(text, after):
            try:
                return orjson.loads("[" + text[i:match.start() + 1] + "]"), after
            except orjson.JSONDecodeError:  # invalid JSON, or numbers orjson does not take (1e400)
                return after
        start = after
    return start


def _looks_like_element(text: str, i: int) -> bool:
    # within a window: a crafted file whose candidates each open a huge object would
    # otherwise be decoded again for every candidate (an element bigger than the window,
    # a long freehand stroke, is just not taken as a boundary)
    try:
        value, _ = _DECODER.raw_decode(text[i : i + _WINDOW])
    except (ValueError, RecursionError):
        return False
    return isinstance(value, dict) and "x" in value

