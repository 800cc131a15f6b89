"""Reading a `.excalidraw` file a few dozen elements at a time.

orjson parses a whole scene at once: a 30 MB scene becomes 120 MB of Python dicts, made
and then freed while they are cold in the cache, and a 150 MB scene about a gigabyte. For
all but small files we walk the top-level object ourselves and hand the `elements` array
to orjson in batches of about 64 KB (see `_batch`), so only one batch's dicts exist at a
time, still in the cache when the reader turns them into the sketch. Where a batch cannot
be cut, one element at a time is read: the standard library's decoder finds where it ends
and orjson reads it, so that both paths accept, refuse and read the same values.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import orjson

from diagramcheck.errors import DiagramError
from diagramcheck.limits import LIMITS

# bytes. The 10,000-component scene (30 MB) is reviewed in 1.48 s instead of 1.73 s in
# batches (medians of 10 alternating runs) and peaks at 98 MB instead of 272 MB; at 600 KB
# batches are ahead by a fifth, at 300 KB they break even, and below that the whole-file
# parse, which needs no decoding of the text first, is faster.
STREAM_ABOVE = 512 * 1024
_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def _skip(text: str, i: int) -> int:
    return _WS.match(text, i).end()


def _decode(text: str, i: int):
    """One value: its end as the standard library finds it, its content as orjson reads it
    (the standard library would take NaN, 1e400 and lone surrogates, which orjson, and so
    the whole-file path, refuses, and reads integers beyond 64 bits differently)."""
    try:
        _, end = _DECODER.raw_decode(text, i)
    except json.JSONDecodeError as exc:
        raise DiagramError(f"not valid JSON ({exc.msg} at char {exc.pos})") from None
    except RecursionError:
        raise DiagramError("JSON is nested too deeply") from None
    try:
        return orjson.loads(text[i:end]), end
    except orjson.JSONDecodeError as exc:
        raise DiagramError(f"not valid JSON ({exc.msg} at char {i + exc.pos})") from None


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
    end = _skip(text, i + 1)
    if end < len(text):  # as orjson refuses a whole file with more after the scene
        raise DiagramError(f"not valid JSON (unexpected content after the scene at char {end})")


# Elements are handed to orjson about 64 KB at a time: one element at a time made a 150 MB
# scene take half as long again, and batches of a megabyte or more lose the cache (see above).
BATCH = 1 << 16
_BOUNDARY = re.compile(r"\}[ \t\n\r]*,[ \t\n\r]*(?=\{)")
_TRIES = 16
_WINDOW = 1 << 16  # how much of the text after a candidate cut `_looks_like_element` reads


def _batch(text: str, i: int) -> tuple[list, int] | int:
    """The elements from `i` (the start of one) to a boundary about BATCH characters on, and
    where the next one starts; or else the point up to which the caller reads one element
    at a time (orjson refused the batch, or no boundary was found).

    A boundary is "}" "," "{" between two elements. The same characters also occur inside
    an element (its list of bound elements) and in strings; a cut there leaves the batch
    with an unclosed bracket or string, so orjson refuses it and nothing wrong is read.
    The object after a candidate must look like an element (it has an "x"), which makes
    such refusals rare. Less than BATCH from the end, the batch runs to the last boundary,
    so that only the last element is read on its own.
    """
    start = i + BATCH
    for _ in range(_TRIES):
        match = _BOUNDARY.search(text, start)
        if match is None:
            match = _last_boundary(text, i, start)
            if match is None:
                return len(text)
        after = match.end()
        if _looks_like_element(text, after):
            try:
                return orjson.loads("[" + text[i:match.start() + 1] + "]"), after
            except orjson.JSONDecodeError:  # invalid JSON, or numbers orjson does not take (1e400)
                return after
        if after <= start:  # the tail's last boundary, refused: read the rest one at a time
            return len(text)
        start = after
    return start


def _last_boundary(text: str, i: int, end: int) -> re.Match | None:
    last = None
    for last in _BOUNDARY.finditer(text, i + 1, end):
        pass
    return last


def _looks_like_element(text: str, i: int) -> bool:
    # within a window: a crafted file whose candidates each open a huge object would
    # otherwise be decoded again for every candidate (an element bigger than the window,
    # a long freehand stroke, is just not taken as a boundary)
    try:
        value, _ = _DECODER.raw_decode(text[i : i + _WINDOW])
    except (ValueError, RecursionError):
        return False
    return isinstance(value, dict) and "x" in value

