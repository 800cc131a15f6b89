"""Reading a big `.excalidraw` file one element at a time.

orjson parses a whole scene at once, and a 150 MB scene becomes about a gigabyte of Python
dicts. For big files we walk the top-level object ourselves and hand each element of the
`elements` array to the standard library's C decoder on its own, so only one element's
dicts exist at a time. Small files keep the faster whole-file parse.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from diagramcheck.errors import DiagramError
from diagramcheck.limits import LIMITS

# bytes. The whole-file parse is 10-25% faster at every size measured (2k, 10k and 20k
# components), but a scene's dicts take about nine times the file's size; from here on
# memory matters more: a 150 MB scene streams in under 500 MB instead of 1.2 GB.
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
            while not text.startswith("]", i):
                if i >= len(text):
                    raise DiagramError("not valid JSON (the file ends inside `elements`)")
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
